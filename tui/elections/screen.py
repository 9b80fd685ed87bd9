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

This module holds the screen itself: its layout, what it draws, its keys, and the table of the
form F2 opens for each step (:meth:`ElectionScreen._steps`). The steps' forms are grouped by
concept in the mixins it inherits (:mod:`tui.elections.step_group`): the list of candidates
(list_steps, with the decisions they cite), the round and its boxes (round_steps, with the
printouts), the results (result_steps).
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from session import elections as el
from session.agenda import AgendaState, ItemKind
from session.decisions import belongs_here
from session.election_steps import Action, NextAction, blockers, next_action, undeclared
from session.i18n import t
from session.votes import VoteBook
from tui.desk import Desk
from tui.desk_screen import DeskScreen
from tui.elections.counting import CountingScreen
from tui.elections.list_steps import ListSteps
from tui.elections.printing import Printing
from tui.elections.result_steps import ResultSteps
from tui.elections.round_steps import RoundSteps
from tui.elections.step_forms import BoxSteps
from tui.elections.view import (
    BOX_COLUMNS,
    box_row,
    candidate_columns,
    candidate_rows,
    current_result,
    elected_line,
    election_heading,
    election_row,
    facts,
    next_line,
)
from tui.feed import MeetingUpdate
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


class ElectionScreen(ListSteps, RoundSteps, ResultSteps, DeskScreen):
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
        self.refresh_keys(tuple(self._allowed(action) for action in DYNAMIC_KEYS))

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

    def _step_wait_poll(self, e: el.Election, step: NextAction) -> None:
        self.pinned = step.election
        self._draw()

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

    @on(Printing.Printed)
    def _printed(self, message: Printing.Printed) -> None:
        self.last_printed = message.path
        if message.path is not None:
            self.desk.say(t("tui.election.printed", path=str(message.path)), "green", bells=1)
        else:
            self._refused(t("tui.election.print_failed", detail=message.error))
