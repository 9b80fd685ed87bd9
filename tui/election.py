"""F9: the secret-ballot elections, from the list to the announced result.

One key walks the operator through domain rules 4: F2 does the step the election waits for
(session.election_steps), in a form that shows what the step needs and cites the congress's
decision where one is required. When that decision has not been taken yet, F2 offers to open the
show-of-hands vote on it and switches to the vote screen (F8); back here, F2 goes on.

The screen shows the election's heading and next step, its facts (seats, the surplus check with
its arithmetic while the list is open, the frozen attendance, the threshold, the reconciliation),
the list or ballot with running votes, and the ballot boxes' status board. F3 opens the counting
screen, F4 adds a nominee, F5 records a withdrawal request, F6 prints the ballots (or, once
counted, the counting minutes), Ctrl+B issues more ballots to an open box. Every write goes
through the app's write queue; the reducer refuses impossible steps and the form says why.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from session import election_records as records
from session import elections as el
from session.agenda import AgendaState, ItemKind, MotionKind
from session.candidates import delegate_person, delegate_person_id
from session.congress import ElectionSpec, RuleSetName
from session.decisions import belongs_here, left_open, vote_place
from session.election_steps import (
    Action,
    NextAction,
    blockers,
    citable_votes,
    election_from_spec,
    election_item,
    latest_committee,
    next_action,
    pool_members,
    undeclared,
)
from session.i18n import t
from session.quorum import Kind
from session.sanity import ballots_to_print
from session.surplus import explain
from session.votes import Vote, VoteBook
from tui.agenda import left_open_lines, start_item
from tui.counting import CountingScreen
from tui.desk import Desk
from tui.desk_screen import DeskScreen
from tui.election_forms import (
    CHOICE,
    VOTE,
    BoxSteps,
    Field,
    FormProblem,
    Nomination,
    NominationDialog,
    StepForm,
    delegate_numbers,
    names,
    whole,
)
from tui.election_view import (
    BOX_COLUMNS,
    announcing_line,
    box_row,
    candidate_columns,
    candidate_rows,
    current_result,
    decision_subject,
    elected_line,
    election_heading,
    election_row,
    facts,
    next_line,
    vote_title,
)
from tui.feed import MeetingUpdate
from tui.forms import FormDialog
from tui.keys import ELECTION_KEYS
from tui.widgets.meeting import NowBar
from tui.widgets.redraw import Footer, show
from tui.widgets.tables import FitColumn, FitTable, cell

# Column widths by (table, column), or ("", column) in any table; any other column is as wide as
# its widest cell (numbers, names). The figures come first and are narrow, so that the boxes' and
# the ballot's numbers stay on a laptop's screen; long words (statuses, outcomes) end in "…".
WIDTHS: dict[tuple[str, str], int] = {
    ("candidates", "status"): 24,
    ("boxes", "status"): 20,
    ("", "outcome"): 30,
    ("", "source"): 34,
    ("", "kind"): 14,
    ("", "sealed"): 30,
    ("", "id"): 12,
    ("", "title"): 50,
    ("", "step"): 50,
}
# Each table's columns that share the width (key, narrowest, share); the others (the figures)
# are as wide as their widest cell.
FIT: dict[str, tuple[FitColumn, ...]] = {
    # (the outcome whole once counted, "over half, no seat"; the source whole before that)
    "candidates": (("name", 16, 1), ("source", 8, 4), ("status", 12, 1), ("outcome", 19, 1)),
    "boxes": (("status", 12, 2), ("kind", 8, 1), ("sealed", 10, 3)),
    "elections": (("title", 20, 3), ("step", 16, 2)),
}
# The keys shown or hidden by the election's state (see ElectionScreen._allowed).
DYNAMIC_KEYS = ("count", "nominate", "withdrawal", "print", "issue")
YES, NO = "yes", "no"


class Printed(Message):
    def __init__(self, path: Path | None, error: str = "") -> None:
        super().__init__()
        self.path = path
        self.error = error


class ElectionScreen(DeskScreen):
    CSS_PATH = "election.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in ELECTION_KEYS]
    AUTO_FOCUS = "#candidates"

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, screen_id="election")
        self.forms = BoxSteps(desk, lambda *screen: self.app.push_screen(*screen))
        self.book = el.ElectionBook()
        self.votes = VoteBook()
        self.agenda: AgendaState | None = None
        self.pinned: str | None = None
        self.election: el.Election | None = None
        self.counting: CountingScreen | None = None
        self.last_printed: Path | None = None
        self.awaiting_vote: str | None = None  # a vote F2 opened: back here once announced
        self.people: Mapping[str, str] = {}  # the counting committees' ids and names
        self._stale = False  # changes arrived while another screen was on top
        self._rows: dict[str, list[tuple[str, ...]]] = {}  # each table's rows as shown

    def compose(self) -> ComposeResult:
        yield from self.desk_bars("tui.election.screen")
        yield Static(markup=False, id="election-heading")
        yield Static(markup=False, id="election-next")
        with Horizontal(id="election-body"):
            with Vertical(id="election-left"):
                yield Static(markup=False, id="election-facts")
                yield Static(markup=False, id="election-elected")
                yield FitTable(FIT["boxes"], id="boxes")
            yield FitTable(FIT["candidates"], id="candidates")
        yield FitTable(FIT["elections"], id="elections")
        yield Footer()

    def on_mount(self) -> None:
        for table_id in ("candidates", "boxes", "elections"):
            table = self.query_one(f"#{table_id}", DataTable)
            table.border_title = t(f"tui.election.table.{table_id}")
        self._columns("candidates", candidate_columns(None))
        self._columns("boxes", BOX_COLUMNS)
        self._columns("elections", ("id", "title", "round", "step"))
        self.ready = True
        self.show_meeting(self.desk.meeting)

    def _columns(self, table_id: str, keys: tuple[str, ...]) -> None:
        """`table_id`'s columns: `keys`, each as wide as :data:`WIDTHS` says, then fitted to
        the table's width (:data:`FIT`)."""
        table = self.query_one(f"#{table_id}", DataTable)
        table.clear(columns=True)
        for key in keys:
            width = WIDTHS.get((table_id, key), WIDTHS.get(("", key)))
            table.add_column(t(f"tui.election.col.{key}"), key=key, width=width)
        self.query_one(f"#{table_id}", FitTable).refit()

    # ------------------------------------------------------------------ what the app calls

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        if meeting is None or not self.ready:
            return
        self.query_one(NowBar).show(meeting)
        self.book, self.votes, self.agenda = meeting.elections, meeting.book, meeting.agenda
        self.people = meeting.people
        if self.shown:
            self._draw()
        else:  # under the counting screen, or not shown: drawn when it comes back
            self._stale = True
        if self.counting is not None:
            self.counting.show_book(self.book)

    @property
    def shown(self) -> bool:
        """On the terminal: on top, or under dialogs only. (Textual's ``is_current`` also holds
        under a full screen such as the counting screen, which hides this one entirely.)"""
        for screen in reversed(self.app.screen_stack):
            if screen is self:
                return True
            if not screen.is_modal:
                return False
        return False

    def on_screen_resume(self) -> None:
        if self.ready and self._stale:
            self._stale = False
            self._draw()

    # ------------------------------------------------------------------ drawing

    def _focus_election(self) -> el.Election | None:
        if self.pinned is not None and (found := self.book.get(self.pinned)) is not None:
            return found
        agenda = self.agenda
        on_item = [e for e in self.book.elections if agenda and belongs_here(agenda, e.item)]
        running = agenda.current_item if agenda is not None else None
        declared = undeclared(self.book, self.congress.elections)
        if not on_item and declared and running and running.item.kind is ItemKind.ELECTION:
            return None  # an election item with none held yet: F2 creates it
        unfinished = [e for e in on_item if next_action(e, self.book).action is not Action.DONE]
        choice = unfinished or on_item or list(self.book.elections)
        found = choice[0] if unfinished else (choice[-1] if choice else None)
        waiting = next_action(found, self.book) if found is not None else None
        if waiting is not None and waiting.action is Action.WAIT_POLL and waiting.election:
            return self.book.get(waiting.election) or found  # the opinion ballot runs first
        return found

    def _draw(self) -> None:
        e = self.election = self._focus_election()
        if e is None:
            specs = undeclared(self.book, self.congress.elections)
            hint = t("tui.election.create_hint") if specs else t("tui.election.none_declared")
            texts = (t("tui.election.none"), hint, "", "")
        else:
            texts = (
                election_heading(e),
                next_line(e, next_action(e, self.book)),
                "\n".join(facts(e, current_result(e), self.people)),
                elected_line(e),
            )
        for name, text in zip(("heading", "next", "facts", "elected"), texts, strict=True):
            show(self.query_one(f"#election-{name}", Static), text)
        self._fill_tables(e)
        keys = tuple(self._allowed(action) for action in DYNAMIC_KEYS)
        if keys != self._keys:  # the footer is rebuilt only when a key comes or goes
            self._keys = keys
            self.refresh_bindings()

    def _fill_tables(self, e: el.Election | None) -> None:
        result = current_result(e) if e is not None else None
        rows = {
            "candidates": candidate_rows(e, result) if e is not None else [],
            "boxes": [box_row(b, self.congress.zone, self.people) for b in e.current.boxes]
            if e
            else [],
            "elections": [election_row(other) for other in self.book.elections],
        }
        columns = candidate_columns(e)
        table = self.query_one("#candidates", DataTable)
        if tuple(str(c.value) for c in table.columns) != columns:  # the list approved, or not
            self._columns("candidates", columns)
            self._rows.pop("candidates", None)
        for table_id, found in rows.items():
            if self._rows.get(table_id) == found:
                continue  # most changes leave most tables as they were
            self._rows[table_id] = found
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear()
            if table_id == "elections":
                for other, row in zip(self.book.elections, found, strict=True):
                    table.add_row(*(cell(x) for x in row), key=other.id)
            else:
                for row in found:
                    table.add_row(*(cell(x) for x in row))

    @on(DataTable.RowSelected, "#elections")
    def _election_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.pinned = event.row_key.value
            self._draw()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = self._allowed(action)
        return True if allowed is None or allowed else None

    def _allowed(self, action: str) -> bool | None:
        """Whether a key that depends on the election's state applies now (None: any other)."""
        e = self.election
        status = e.current.status if e is not None else None
        return {
            "count": status in (el.RoundStatus.COUNTING, el.RoundStatus.CLOSED),
            "nominate": status is el.RoundStatus.LIST and e is not None and e.current.number == 1,
            "withdrawal": status is el.RoundStatus.LIST and e is not None and bool(e.on_list()),
            "print": e is not None and e.current.approved_at is not None,
            "issue": status is el.RoundStatus.VOTING,
        }.get(action)

    def _refused(self, text: str) -> None:
        self.desk.say(text, "red", bells=3)

    # ------------------------------------------------------------------ F2: the next step

    def action_next(self) -> None:
        e = self.election
        if e is None:
            self._create()
            return
        step = next_action(e, self.book)
        if step.action is Action.DONE:
            self.desk.say(next_line(e, step))
            return
        if step.action is Action.APPROVE_LIST and (found := blockers(e, step)):
            self._refused(t(f"election.blocker.{found[0].key}", **found[0].params))
            return  # (the congress is not asked to vote on a list its approval would refuse)
        if step.motion is not None and not self._citable(e, step.motion):
            self._ask_for_vote(e, step.motion, step.action)
            return
        if self.agenda is not None and not belongs_here(self.agenda, e.item):
            self._start_election_item(e)  # the steps are taken at the election's own item
            return
        if step.action is Action.COUNT:
            self.action_count()
            return
        self._steps()[step.action](e, step)

    def _steps(self) -> dict[Action, Callable[[el.Election, NextAction], None]]:
        """The form or question F2 opens for each step (COUNT opens the counting screen, DONE
        says so: action_next handles those two)."""
        return {
            Action.SEATS: self._step_seats,
            Action.DECIDE_WITHDRAWAL: self._step_decide_withdrawal,
            Action.OPINION_POLL: self._step_opinion_poll,
            Action.WAIT_POLL: self._step_wait_poll,
            Action.CUT_LIST: self._step_cut_list,
            Action.LIST_FROM_POOL: self._step_list_from_pool,
            Action.APPROVE_LIST: self._step_approve_list,
            Action.APPOINT_COUNTERS: self._step_appoint_counters,
            Action.PREPARE_BOX: self._step_prepare_box,
            Action.SEAL_BOX: self._step_seal_box,
            Action.OPEN_VOTING: self._step_open_voting,
            Action.ISSUE_BALLOTS: self._step_issue_ballots,
            Action.CLOSE_BOX: self._step_close_box,
            Action.OPEN_BOX: self._step_open_box,
            Action.START_COUNTING: self._step_start_counting,
            Action.BOX_COUNTED: self._step_box_counted,
            Action.SIGN: self._step_sign,
            Action.ANNOUNCE: self._step_announce,
            Action.TIE_BREAK: self._step_tie_break,
            Action.TIE_DECISION: self._step_tie_decision,
            Action.NEXT_ROUND: self._step_next_round,
            Action.OVERFLOW: self._step_overflow,
            Action.ALTERNATES: self._step_alternates,
            Action.ALTERNATE_ORDER: self._step_alternate_order,
        }

    def _citable(self, e: el.Election, motion: MotionKind) -> tuple[Vote, ...]:
        return citable_votes(self.votes, self.book, e.item, motion, self.agenda)

    def _start_election_item(self, e: el.Election) -> None:
        """The election's item is not running: start it (asking first when something would stay
        open), then F2 goes on."""
        assert self.agenda is not None
        label = self.agenda.label(e.item)
        start_item(
            self.desk,
            self.app,
            self.agenda,
            self.votes,
            e.item,
            lambda: self.desk.say(t("tui.election.item_started", item=label), "green", bells=1),
            always_ask=t("tui.election.start_item_help", item=label),
        )

    def _ask_for_vote(
        self, e: el.Election, motion: MotionKind, action: Action | None = None
    ) -> None:
        """The step cites a congress decision not taken yet: open that vote at the item where it
        belongs (starting that item first if it is not running), then the vote screen."""
        assert self.agenda is not None
        active = self.votes.active
        if active is not None and active.motion is motion:  # being taken: finish it first
            self.desk.say(t("tui.election.vote_under_way", title=active.title), "yellow")
            self.app.call_later(self.app.run_action, "vote")
            return
        place = vote_place(self.agenda, e.item, motion)
        running = self.agenda.current == place
        left = left_open(self.agenda, self.votes, place) if not running else None
        store, where = self.desk.store, self.agenda.label(place)
        spec = self._spec(e)
        fields: list[Field] = []
        if motion is MotionKind.SEAT_COUNT:
            delegation = e.kind is el.ElectionKind.DELEGATES_HIGHER
            default = (spec.alternates if delegation else spec.seats) if spec else 0
            label = (
                t("tui.election.form.proposal_alternates")
                if delegation
                else t("tui.election.form.proposal")
            )
            fields.append(Field("proposal", label, str(default or "")))
        fields.append(Field("reason", t("tui.election.form.open_reason"), required=False))
        help_lines = [t("tui.election.needs_vote_help", item=where)]
        if not running:
            help_lines.append(
                t("tui.election.vote_starts_item_ending", item=where)
                if self.agenda.current is not None  # (only then does an item end)
                else t("tui.election.vote_starts_item", item=where)
            )
        if left:
            help_lines.extend(left_open_lines(self.agenda, left))

        def build(values: dict[str, str]) -> Callable[[], Any]:
            proposal = None
            if "proposal" in values:
                proposal = whole(values, "proposal", fields[0].label, minimum=1)
            title = vote_title(e, motion, proposal, action)
            reason = values.get("reason", "")

            def call() -> Vote:
                if not running:
                    store.start_item(place)
                check = store.opening_check(place, motion)
                if check.warnings and not reason:
                    raise FormProblem("\n".join([t("tui.election.open_warned"), check.explained()]))
                return store.open_item_vote(
                    place, reason, motion=motion, title=title, proposal=proposal
                )

            return call

        self.forms.form(
            build,
            t("tui.election.vote_opened_here"),
            t("tui.election.needs_vote", motion=decision_subject(e, motion, action)),
            "\n".join(help_lines),
            fields,
            confirm=t("tui.election.open_vote"),
            on_done=self._vote_opened,
        )

    def _vote_opened(self, vote: Vote) -> None:
        self.awaiting_vote = vote.id  # back here once it is announced (App.vote_announced)
        self.desk.say(t("tui.vote.done.opened", title=vote.title), "green", bells=1)
        self.app.call_later(self.app.run_action, "vote")

    def _create(self) -> None:
        specs = undeclared(self.book, self.congress.elections)
        item = election_item(self.agenda) if self.agenda is not None else None
        if not specs or item is None:
            self._refused(t("tui.election.none_declared"))
            return
        store, ruleset = self.desk.store, self.congress.rules.ruleset.value
        by_name: dict[str, ElectionSpec] = {s.name: s for s in specs}

        def build(values: dict[str, str]) -> Callable[[], Any]:
            spec = by_name[values[CHOICE]]
            return lambda: store.record_election(
                lambda _b, now: election_from_spec(spec, item, ruleset, now)
            )

        choices = [(f"{s.name} · {s.title}", s.name) for s in specs]
        self.forms.form(
            build,
            t("tui.election.done.created"),
            t("tui.election.create"),
            t("tui.election.create_help"),
            choices=choices,
            choice=choices[0][1],
            choice_label=t("tui.election.form.election"),
        )

    def _spec(self, e: el.Election) -> ElectionSpec | None:
        return next((s for s in self.congress.elections if s.name == e.id), None)

    def _step_seats(self, e: el.Election, step: NextAction) -> None:
        """The seats, as the congress voted them: the number comes from the vote it cites (typed
        only when that vote was taken without one). A delegation's official seats are allocated
        from above (typed); its alternates are voted."""
        spec = self._spec(e)
        delegation = e.kind is el.ElectionKind.DELEGATES_HIGHER
        votes = self._citable(e, MotionKind.SEAT_COUNT)
        voted = {v.id: v.proposal for v in votes}
        from_vote = bool(votes) and all(n is not None for n in voted.values())
        seats_label = t("tui.election.form.official" if delegation else "tui.election.form.seats")
        alternates_label = t("tui.election.form.alternates")
        fields: list[Field] = []
        if delegation:
            fields.append(Field("seats", seats_label, str(spec.seats) if spec else ""))
            alternates = spec.alternates if spec else 0
            if alternates and not votes:
                self._ask_for_vote(e, MotionKind.SEAT_COUNT)
                return
            if votes and not from_vote:
                fields.append(Field("alternates", alternates_label, str(alternates)))
        elif not from_vote:
            first = next(iter(voted.values()), None)
            fields.append(Field("seats", seats_label, str(first or (spec.seats if spec else ""))))

        def number_of(values: dict[str, str], field: str, label: str) -> int:
            if from_vote and field in ("alternates", "seats") and field not in values:
                found = voted.get(values.get(VOTE, ""))
                if found is not None:
                    return found
            return whole(values, field, label, minimum=1 if field == "seats" else 0)

        def build(values: dict[str, str]) -> Callable[[], Any]:
            if not delegation:
                seats = number_of(values, "seats", seats_label)
                return self.forms.record(records.seats_voted(e.id, seats, values[VOTE]))
            seats = whole(values, "seats", seats_label, minimum=1)
            extra = number_of(values, "alternates", alternates_label) if votes else 0
            vote = values.get(VOTE, "") if extra else ""
            return self.forms.record(records.seats_allocated(e.id, seats, extra, vote))

        help_key = "tui.election.seats_help_delegation" if delegation else "tui.election.seats_help"
        help_lines = [t(help_key)]
        if from_vote and votes:
            title = votes[0].title
            help_lines.append(
                t("tui.election.alternates_from_vote", title=title)
                if delegation
                else t("tui.election.seats_from_vote", title=title)
            )
        self.forms.form(
            build,
            t("tui.election.done.seats"),
            t("tui.election.action.seats"),
            "\n".join(help_lines),
            fields,
            votes=votes,
        )

    def _step_decide_withdrawal(self, e: el.Election, step: NextAction) -> None:
        request = e.pending_withdrawals()[0]
        person = e.people((request.person,))[0]
        choices = [
            (t("tui.election.withdrawal_allowed"), YES),
            (t("tui.election.withdrawal_refused"), NO),
        ]

        def build(values: dict[str, str]) -> Callable[[], Any]:
            allowed = values[CHOICE] == YES
            return self.forms.record(
                records.withdrawal_decided(e.id, request.person, allowed, values[VOTE])
            )

        help = t("tui.election.withdrawal_help", name=person.full_name, reason=request.reason)
        self.forms.form(
            build,
            t("tui.election.done.withdrawal"),
            t("tui.election.action.decide_withdrawal"),
            help,
            votes=self._citable(e, MotionKind.WITHDRAWAL),
            choices=choices,
        )

    def _step_opinion_poll(self, e: el.Election, step: NextAction) -> None:
        """The list is over the cap: an opinion ballot over the whole list cuts it (4.4)."""
        store, ruleset = self.desk.store, self.congress.rules.ruleset.value
        poll_id = f"{e.id}-poll{len([p for p in self.book.elections if p.parent == e.id]) + 1}"
        title = t("tui.election.poll_title", title=e.title)
        listed = e.on_list()

        def events(_book: el.ElectionBook, now: datetime) -> list[el.ElectionEvent]:
            created = el.create_election(
                poll_id, e.item, el.ElectionKind.OPINION_POLL, title, ruleset, now, parent=e.id
            )
            added = [records.listed(poll_id, c.person, now) for c in listed]
            return [created, *added]

        check = e.surplus()
        help = "\n".join([explain(check), t("tui.election.poll_help")]) if check else ""
        self.forms.form(
            lambda _v: lambda: store.record_election_batch(poll_id, events),
            t("tui.election.done.poll"),
            t("tui.election.action.opinion_poll"),
            help,
            question=(title, help, t("tui.election.action.opinion_poll")),
        )

    def _step_wait_poll(self, e: el.Election, step: NextAction) -> None:
        self.pinned = step.election
        self._draw()

    def _step_cut_list(self, e: el.Election, step: NextAction) -> None:
        poll = self.book.get(step.election or "")
        assert poll is not None
        _kept, cut = el.poll_outcome(poll)
        names = ", ".join(p.full_name for p in poll.people(cut))
        self.pinned = None
        self.forms.confirm(
            t("tui.election.action.cut_list"),
            t("tui.election.cut_help", names=names or "—"),
            records.list_cut(e.id, poll.id),
            t("tui.election.done.cut"),
        )

    def _step_list_from_pool(self, e: el.Election, step: NextAction) -> None:
        members = pool_members(self.book, e)
        store = self.desk.store

        def events(_book: el.ElectionBook, now: datetime) -> list[el.ElectionEvent]:
            return [records.listed(e.id, p, now) for p in members]

        names = ", ".join(p.full_name for p in members) or "—"
        title = t("tui.election.action.list_from_pool")
        help = t("tui.election.pool_help", names=names)
        self.forms.form(
            lambda _v: lambda: store.record_election_batch(e.id, events),
            t("tui.election.done.pool"),
            title,
            help,
            question=(title, help, title),
        )

    def _step_approve_list(self, e: el.Election, step: NextAction) -> None:
        votes = self._citable(e, step.motion) if step.motion is not None else ()
        lines = facts(e, None, self.people)[1:2] if e.current.number == 1 else []

        def build(values: dict[str, str]) -> Callable[[], Any]:
            vote = values.get(VOTE, "")
            return self.forms.record(records.list_approved(e.id, step.round, vote))

        question = (
            t("tui.election.approve_question", title=e.title),
            "\n".join([*lines, t("tui.election.approve_warning")]),
            t("tui.election.action.approve_list"),
        )
        self.forms.form(
            build,
            t("tui.election.done.approved"),
            t("tui.election.action.approve_list"),
            "\n".join([*lines, t("tui.election.approve_help")]),
            votes=votes,
            question=question,
        )

    def _step_appoint_counters(self, e: el.Election, step: NextAction) -> None:
        """The counting committee, chosen from the register by delegate number (the head
        first); a candidate of the election is refused with the reason (domain rules 4.8)."""
        head_label, members_label = t("tui.election.form.head"), t("tui.election.form.members")
        before = latest_committee(self.book)
        numbers_before = [el.delegate_number(p) for p in (before.members if before else ())]
        head_before = el.delegate_number(before.head) if before else None
        fields = [
            Field("head", head_label, str(head_before or "")),
            Field(
                "members",
                members_label,
                " ".join(str(n) for n in numbers_before if n is not None and n != head_before),
                t("tui.election.form.numbers_hint"),
                required=False,
            ),
        ]
        store = self.desk.store

        def build(values: dict[str, str]) -> Callable[[], Any]:
            head = delegate_numbers(values["head"], head_label)
            if len(head) != 1:
                raise FormProblem(t("tui.election.form.one_number", field=head_label))
            members = delegate_numbers(values["members"], members_label, allow_empty=True)
            chosen = [head[0], *(n for n in members if n != head[0])]
            ids = tuple(delegate_person_id(n) for n in chosen)

            def call() -> list[str]:
                found = [store.delegate(n) for n in chosen]
                missing = [n for n, d in zip(chosen, found, strict=True) if d is None]
                if missing:
                    raise FormProblem(t("tui.election.form.no_delegate", number=missing[0]))
                appointed = records.counters_appointed(e.id, ids, values[VOTE])
                store.record_election(lambda _b, now: appointed(now))
                return [d.full_name for d in found if d is not None]

            return call

        self.forms.form(
            build,
            t("tui.election.done.counters"),
            t("tui.election.action.appoint_counters"),
            t("tui.election.counters_help"),
            fields,
            votes=self._citable(e, MotionKind.PROCEDURAL_BODY),
            on_done=self._counters_named,
        )

    def _counters_named(self, names: list[str]) -> None:
        """Who was recorded, by name (the form took numbers), the head first."""
        self.desk.say(t("tui.election.counters_named", names=", ".join(names)), "green")

    def _step_prepare_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.prepare_box(e, step)

    def _step_seal_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.seal_box(e, step)

    def _step_open_voting(self, e: el.Election, step: NextAction) -> None:
        store, label = self.desk.store, t("tui.election.form.reason")

        def build(values: dict[str, str]) -> Callable[[], Any]:
            reason = values["reason"]
            return lambda: store.open_election_voting(e.id, step.round, reason)

        detail = [t("tui.election.open_warning")]
        ballots = self._printout(e, step.round, "ballots")
        if not ballots.exists():  # (printed elsewhere, perhaps: said, not refused)
            detail.append("⚠ " + t("tui.election.ballots_not_printed", path=str(ballots)))
        question = (
            t("tui.election.open_question", title=e.title),
            "\n".join(detail),
            t("tui.election.action.open_voting"),
        )
        self.forms.form(
            build,
            t("tui.election.done.voting"),
            t("tui.election.action.open_voting"),
            t("tui.election.open_help"),
            [Field("reason", label, required=False)],  # (only when nobody could be elected)
            question=question,
        )

    def _step_issue_ballots(self, e: el.Election, step: NextAction) -> None:
        self.forms.issue_ballots(e, step)

    def action_issue(self) -> None:
        e = self.election
        voting = [b for b in e.current.boxes if b.status is el.BoxStatus.VOTING] if e else []
        if e is not None and voting:
            self.forms.issue(e, e.current.number, voting[0].id)

    def _step_close_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.close_box(e, step)

    def _step_open_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.open_box(e, step)

    def _step_start_counting(self, e: el.Election, step: NextAction) -> None:
        label = t("tui.election.form.teams")
        modes = [(t(f"election.count_mode.{m.value}"), m.value) for m in el.CountMode]

        def build(values: dict[str, str]) -> Callable[[], Any]:
            teams = names(values, "teams", label)
            mode = el.CountMode(values[CHOICE])
            return self.forms.record(records.counting_started(e.id, step.round, mode, teams))

        self.forms.form(
            build,
            t("tui.election.done.counting"),
            t("tui.election.action.start_counting"),
            t("tui.election.counting_help"),
            [Field("teams", label, t("tui.election.team_default"))],
            choices=modes,
            choice=el.CountMode.BALLOTS.value,
            choice_label=t("tui.election.form.count_mode"),
        )

    def _step_box_counted(self, e: el.Election, step: NextAction) -> None:
        box = step.box or ""
        self.forms.confirm(
            t("tui.election.action.box_counted", box=box),
            t("tui.election.box_counted_help", box=box),
            records.box_counted(e.id, step.round, box),
            t("tui.election.done.box_counted", box=box),
        )

    def _step_sign(self, e: el.Election, step: NextAction) -> None:
        label = t("tui.election.form.signers")
        committee = self.forms.committee_names(e.current.committee or e.committee)

        def build(values: dict[str, str]) -> Callable[[], Any]:
            signers = names(values, "signers", label)
            return self.forms.record(records.minutes_signed(e.id, step.round, signers))

        self.forms.form(
            build,
            t("tui.election.done.signed"),
            t("tui.election.action.sign"),
            t("tui.election.sign_help"),
            [Field("signers", label, ", ".join(committee))],
        )

    def _step_announce(self, e: el.Election, step: NextAction) -> None:
        self.forms.confirm(
            t("tui.election.action.announce"),
            announcing_line(self.book, e, step.round),
            records.results_announced(e.id, step.round),
            t("tui.election.done.announced", title=e.title),
        )

    def _step_tie_break(self, e: el.Election, step: NextAction) -> None:
        self.forms.confirm(
            t("tui.election.action.tie_break"),
            elected_line(e),
            records.tie_break_round(e.id),
            t("tui.election.done.round_added"),
        )

    def _numbers_to_persons(
        self, e: el.Election, values: dict[str, str], field: str, label: str
    ) -> tuple[str, ...]:
        """Ballot numbers typed in a field, as the current round's person ids."""
        ballot = e.current.ballot
        chosen = []
        for text in values.get(field, "").replace(",", " ").split():
            if not text.isdigit() or not 1 <= int(text) <= len(ballot):
                raise FormProblem(t("tui.election.form.not_number", field=label, value=text))
            chosen.append(ballot[int(text) - 1])
        if not chosen:
            raise FormProblem(t("tui.election.form.names_required", field=label))
        return tuple(chosen)

    def _step_tie_decision(self, e: el.Election, step: NextAction) -> None:
        label, reason_label = t("tui.election.form.winners"), t("tui.election.form.reason")

        def build(values: dict[str, str]) -> Callable[[], Any]:
            winners = self._numbers_to_persons(e, values, "winners", label)
            reason, vote = values["reason"], values.get(VOTE, "")
            return self.forms.record(records.tie_resolved(e.id, step.round, winners, reason, vote))

        self.forms.form(
            build,
            t("tui.election.done.tie_decided"),
            t("tui.election.action.tie_decision"),
            elected_line(e),
            [Field("winners", label), Field("reason", reason_label)],
            votes=self._citable(e, MotionKind.OTHER),
        )

    def _step_next_round(self, e: el.Election, step: NextAction) -> None:
        choices = [(t("tui.election.another_round"), YES), (t("tui.election.stop"), NO)]
        reason_label = t("tui.election.form.reason")

        def build(values: dict[str, str]) -> Callable[[], Any]:
            vote = values[VOTE]
            if values[CHOICE] == YES:
                return self.forms.record(records.unfilled_round(e.id, vote))
            return self.forms.record(records.election_stopped(e.id, vote, values["reason"]))

        self.forms.form(
            build,
            t("tui.election.done.next_round"),
            t("tui.election.action.next_round"),
            elected_line(e),
            [Field("reason", reason_label, required=False)],  # (the reason for stopping)
            choices=choices,
            votes=self._citable(e, MotionKind.OTHER),
        )

    def _step_overflow(self, e: el.Election, step: NextAction) -> None:
        choices = [(t("tui.election.overflow_yes"), YES), (t("tui.election.overflow_no"), NO)]

        def build(values: dict[str, str]) -> Callable[[], Any]:
            accepted = values[CHOICE] == YES
            return self.forms.record(records.overflow_decided(e.id, accepted, values[VOTE]))

        self.forms.form(
            build,
            t("tui.election.done.overflow"),
            t("tui.election.action.overflow"),
            elected_line(e),
            choices=choices,
            votes=self._citable(e, MotionKind.OTHER),
        )

    def _step_alternates(self, e: el.Election, step: NextAction) -> None:
        self.forms.confirm(
            t("tui.election.action.alternates"),
            elected_line(e),
            records.alternates_round(e.id),
            t("tui.election.done.round_added"),
        )

    def _step_alternate_order(self, e: el.Election, step: NextAction) -> None:
        label, reason_label = t("tui.election.form.order"), t("tui.election.form.reason")
        ids = {c.person.full_name: c.id for c in e.candidates}

        def build(values: dict[str, str]) -> Callable[[], Any]:
            order = tuple(ids.get(n, n) for n in names(values, "order", label))
            reason = values["reason"]
            return self.forms.record(
                records.alternate_order_decided(e.id, order, reason, values[VOTE])
            )

        self.forms.form(
            build,
            t("tui.election.done.order"),
            t("tui.election.action.alternate_order"),
            elected_line(e),
            [Field("order", label), Field("reason", reason_label)],
            votes=self._citable(e, MotionKind.OTHER),
        )

    # ------------------------------------------------------------------ the list

    def action_nominate(self) -> None:
        e = self.election
        if e is None or e.current.approved_at is not None:
            return
        store = self.desk.store
        english = self.congress.rules.ruleset not in (
            RuleSetName.VN_PARTY_2014,
            RuleSetName.VN_PARTY_2024,
        )

        def send(n: Nomination, dialog: FormDialog[Any]) -> None:
            support = None
            if n.source is el.Source.NOMINATED:
                try:
                    support = whole({"s": n.support}, "s", t("tui.nominate.support"))
                except FormProblem as problem:
                    dialog.refused(str(problem))
                    return
            d = n.delegate
            person = delegate_person(
                d.number,
                d.full_name,
                d.date_of_birth,
                committee_member=d.kind is Kind.EX_OFFICIO,
                english=english,
            )

            def call() -> el.Election:
                present = store.snapshot().verdict.attendance.present
                counted = present if support is not None else None
                added = records.nominated(
                    e.id, person, n.source, n.nominator, n.nominator_on_committee, support, counted
                )
                return store.record_election(lambda _b, now: added(now))

            self.desk.write(
                call,
                done=lambda _: self.forms.finished(
                    dialog, t("tui.nominate.done", name=d.full_name)
                ),
                failed=dialog.refused,
            )

        self.app.push_screen(NominationDialog(send, store.search, e.title, 0))

    def action_withdrawal(self) -> None:
        e = self.election
        if e is None or e.current.approved_at is not None:
            return
        label, reason_label = t("tui.election.form.candidate"), t("tui.election.form.reason")
        listed = {c.person.full_name: c.id for c in e.on_list()}

        def build(values: dict[str, str]) -> Callable[[], Any]:
            name = values["name"].strip()
            person = listed.get(name)
            if person is None:
                raise FormProblem(t("tui.election.form.unknown_candidate", name=name or "—"))
            reason = values["reason"]
            return self.forms.record(records.withdrawal_requested(e.id, person, reason))

        self.forms.form(
            build,
            t("tui.election.done.withdrawal_requested"),
            t("tui.election.withdrawal_title"),
            t("tui.election.withdrawal_request_help", names=", ".join(listed)),
            [Field("name", label), Field("reason", reason_label)],
        )

    # ------------------------------------------------------------------ counting and printing

    def action_count(self) -> None:
        e = self.election
        if e is None or e.current.count is None:
            self._refused(t("tui.counting.not_started"))
            return
        self.counting = CountingScreen(self.desk, e.id, e.current.number)
        self.app.push_screen(self.counting, self._counting_closed)
        self.counting.show_book(self.book)

    def _counting_closed(self, _result: object = None) -> None:
        self.counting = None

    def output_folder(self) -> Path:
        """Next to the database file; the current directory for a database server."""
        url = self.desk.store.url
        if url.startswith("sqlite:///"):
            return Path(url.removeprefix("sqlite:///")).parent
        return Path.cwd()

    def action_print(self) -> None:
        e = self.election
        if e is None or e.current.approved_at is None:
            return
        r = e.current
        minutes = r.status in (
            el.RoundStatus.COUNTED,
            el.RoundStatus.SIGNED,
            el.RoundStatus.ANNOUNCED,
        )
        path = self._printout(e, r.number, "counting-minutes" if minutes else "ballots")
        if minutes:
            self._start_print(e, r.number, path, None, minutes=True)
            return
        label = t("tui.election.form.copies")

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            copies = None
            if values["copies"]:
                try:
                    copies = whole(values, "copies", label, minimum=1)
                except FormProblem as problem:
                    dialog.refused(str(problem))
                    return
            dialog.accepted(None)
            self._start_print(e, r.number, path, copies, minutes=False)

        def ask(values: dict[str, str]) -> tuple[str, str, str] | None:
            """Fewer ballots than voters in the hall: said, and confirmed, before printing."""
            text, present = values.get("copies", ""), self.desk.present
            caution = ballots_to_print(int(text), present) if text.isdigit() and present else None
            if caution is None:
                return None
            return (t("sanity.question_print"), caution.text(), t("tui.election.print_confirm"))

        self.app.push_screen(
            StepForm(
                send,
                t("tui.election.print_title", path=str(path)),
                t("tui.election.print_help"),
                [Field("copies", label, hint=t("tui.election.form.copies_hint"), required=False)],
                confirm=t("tui.election.print_confirm"),
                question=ask,
            )
        )

    def _printout(self, e: el.Election, round_no: int, kind: str) -> Path:
        """Where F6 writes a round's ballots or counting minutes."""
        return self.output_folder() / f"{e.id}-round-{round_no}-{kind}.pdf"

    def _start_print(
        self, e: el.Election, round_no: int, path: Path, copies: int | None, *, minutes: bool
    ) -> None:
        self.desk.say(t("tui.election.printing", path=str(path)))
        self._print(e, round_no, path, copies, minutes)

    @work(thread=True, group="election-print", exit_on_error=False)
    def _print(
        self, e: el.Election, round_no: int, path: Path, copies: int | None, minutes: bool
    ) -> None:
        """The counting minutes, or `copies` ballots (None: those present plus the margin)."""
        try:
            if minutes:
                from printouts.counting_minutes import write_counting_minutes

                names = self.desk.store.person_names()  # (the committee is recorded by id)
                write_counting_minutes(path, self.congress, e, round_no, names=names)
            else:
                from printouts.ballots import suggested_copies, write_ballots

                if copies is None:
                    copies = suggested_copies(self.desk.store.snapshot().verdict.attendance.present)
                write_ballots(path, self.congress, e, round_no, copies)
        except Exception as exc:  # said on the screen; nothing else depends on the file
            self.post_message(Printed(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(Printed(path))

    @on(Printed)
    def _printed(self, message: Printed) -> None:
        self.last_printed = message.path
        if message.path is not None:
            self.desk.say(t("tui.election.printed", path=str(message.path)), "green", bells=1)
        else:
            self._refused(t("tui.election.print_failed", detail=message.error))
