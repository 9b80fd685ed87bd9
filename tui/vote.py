"""F8: a show-of-hands vote, for speed under pressure: big numbers, the sectors as a grid, every
action on a key in the footer, and a confirmation before anything final.

The vote shown is the one being taken (else the running item's, else one counted and not yet
announced, else the latest; Enter in the list below shows another). F2 creates and opens the
running item's vote (a reason when the Store warns); tellers' entries go sector by sector (F3 or
Enter on a sector), each sector twice by different tellers who do not see each other's numbers;
F4 recounts a disputed sector; F5 is the quick "all present in favour" (two tellers); F6
announces; F9 corrects an announced result; Delete cancels the vote. The verdict, its arithmetic
and the rule come from session.tally; every write goes through the app's write queue.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Static

from session.agenda import AgendaState, ItemKind, MotionKind
from session.i18n import number, t
from session.votes import (
    HALL,
    SectorStatus,
    Vote,
    VoteBook,
    VoteStatus,
    options_for,
)
from tui.desk import Desk
from tui.desk_screen import DeskScreen
from tui.dialog import ConfirmScreen
from tui.feed import MeetingUpdate
from tui.forms import (
    CorrectionDialog,
    CountDialog,
    FormDialog,
    ProposalDialog,
    TellerDialog,
)
from tui.keys import VOTE_KEYS
from tui.meeting_view import (
    Numbers,
    focus_vote,
    numbers_line,
    option_label,
    sector_names,
    verdict_badge,
    verdict_details,
    verdict_history,
    verdict_text,
    vote_facts,
    vote_heading,
    vote_numbers,
    vote_progress,
    vote_row,
)
from tui.widgets.meeting import NowBar
from tui.widgets.redraw import Footer, show
from tui.widgets.sectors import SectorGrid
from tui.widgets.tables import FitColumn, FitTable, cell

TAKING = (VoteStatus.OPEN, VoteStatus.COUNTING)
# The votes list: the state and the result whole ("đã kiểm đếm xong", "KHÔNG ĐƯỢC THÔNG QUA"),
# the title takes what the table's width leaves (key, narrowest, share).
VOTE_COLUMNS: tuple[FitColumn, ...] = (("title", 20, 1), ("status", 16, 0), ("result", 20, 0))


def present_text(vote: Vote, code: str, sector: str) -> str:
    """Those present when the vote opened, for a teller counting `code`: the sector's (by the
    register's seating) first, when the register gives sectors."""
    snap = vote.snapshot
    if snap is None:
        return number(0)
    in_sector = snap.in_sector(code)
    if in_sector is None:
        return t("tui.count.present_hall", present=number(snap.present))
    return t(
        "tui.count.present_sector",
        sector_present=number(in_sector),
        sector=sector,
        present=number(snap.present),
    )


STATUSES = tuple(s.value for s in VoteStatus)
# The keys shown or hidden by the vote's state (see VoteScreen._allowed).
DYNAMIC_KEYS = (
    "open_vote",
    "count",
    "recount",
    "unanimous",
    "publish",
    "correct_vote",
    "cancel_vote",
)


@dataclass(frozen=True, slots=True)
class Opening:
    """What F2 found: the vote it opened, or (nothing written yet) the warnings that need the
    presidium's reason before the item's vote can be opened."""

    item: str
    title: str
    vote: Vote | None
    warnings: tuple[str, ...] = ()
    proposal: int | None = None  # the number put to the vote (the seats)


class VoteScreen(DeskScreen):
    CSS_PATH = "vote.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in VOTE_KEYS]
    AUTO_FOCUS = "#sectors"

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, screen_id="vote")
        self.names = sector_names(self.congress)
        self.book: VoteBook = VoteBook()
        self.state: AgendaState | None = None
        self.pinned: str | None = None  # the vote the operator chose in the list
        self._active: str | None = None  # the vote being taken, as last seen
        self.vote: Vote | None = None
        self._options = options_for(self.congress.rules.ruleset.value)
        self._rows: list[tuple[str, tuple[str, ...]]] | None = None  # the list as shown

    def compose(self) -> ComposeResult:
        yield from self.desk_bars("tui.vote.screen")
        yield Static(markup=False, id="vote-heading")
        yield Static(markup=False, id="vote-facts")
        with Horizontal(id="vote-numbers"):
            for i in range(3):
                with Vertical(classes=f"number-box option-{i}"):
                    yield Static(markup=False, classes="number-label", id=f"label-{i}")
                    yield Digits("", id=f"number-{i}")
            with Vertical(classes="number-box not-voting"):
                yield Static(t("vote.not_voting"), markup=False, classes="number-label")
                yield Digits("", id="number-not-voting")
            with Vertical(classes="number-box present"):
                yield Static(
                    t("tui.vote.present"), markup=False, classes="number-label", id="present-label"
                )
                yield Digits("", id="number-present")
        yield Static(markup=False, id="vote-numbers-line")  # (the numbers on 24 lines)
        yield Static(markup=False, id="vote-progress")
        codes = [s.code for s in self.congress.sectors] or [HALL]
        yield SectorGrid(codes, self.names, id="sectors")
        with Vertical(id="verdict"):
            yield Static(markup=False, id="verdict-badge")
            yield Static(markup=False, id="verdict-text")
            yield Static(markup=False, id="verdict-details")
            yield Static(markup=False, id="verdict-history")
        yield FitTable(VOTE_COLUMNS, id="votes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#vote-numbers").border_title = t("tui.vote.numbers_none")
        self.query_one("#verdict").border_title = t("tui.vote.verdict")
        table = self.query_one("#votes", DataTable)
        table.border_title = t("tui.vote.list")
        table.add_column(t("tui.vote.col.item"), key="item", width=6)
        table.add_column(t("tui.vote.col.title"), key="title", width=VOTE_COLUMNS[0][1])
        table.add_column(t("tui.vote.col.status"), key="status", width=VOTE_COLUMNS[1][1])
        table.add_column(t("tui.vote.col.result"), key="result", width=VOTE_COLUMNS[2][1])
        self.ready = True
        self.show_meeting(self.desk.meeting)

    # ------------------------------------------------------------------ what the app calls

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        if meeting is None or not self.ready:
            return
        self.query_one(NowBar).show(meeting)
        self.book = meeting.book
        self.state = meeting.agenda
        active = self.book.active.id if self.book.active is not None else None
        if active is not None and active != self._active:
            self.pinned = None  # a vote has just opened (here or elsewhere): show it
        self._active = active
        self._fill_list()
        self._draw()

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        vote = focus_vote(self.book, self.state, self.pinned) if self.state else None
        self.vote = vote
        zone = self.congress.zone
        heading = self.query_one("#vote-heading", Static)
        for name in STATUSES:
            heading.set_class(vote is not None and vote.status.value == name, f"-{name}")
        options = vote.options if vote is not None else self._options
        for i, option in enumerate(options):
            show(self.query_one(f"#label-{i}", Static), option_label(option))
        if vote is None:
            show(heading, self._no_vote_text())
            show(self.query_one("#vote-facts", Static), "")
            show(self.query_one("#vote-progress", Static), "")
            for i in range(3):
                self.query_one(f"#number-{i}", Digits).update("")
            self.query_one("#number-not-voting", Digits).update("")
            self.query_one("#number-present", Digits).update("")
            self.query_one("#vote-numbers").border_title = t("tui.vote.numbers_none")
            show(self.query_one("#vote-numbers-line", Static), "")
        else:
            show(heading, vote_heading(vote))
            show(self.query_one("#vote-facts", Static), vote_facts(vote, zone))
            show(self.query_one("#vote-progress", Static), vote_progress(vote, zone))
            numbers = self.numbers(vote)
            self.query_one("#vote-numbers").border_title = numbers.label
            for i, value in enumerate(numbers.options):
                self.query_one(f"#number-{i}", Digits).update(value)
            self.query_one("#number-not-voting", Digits).update(numbers.not_voting)
            self.query_one("#number-present", Digits).update(numbers.present)
            show(self.query_one("#vote-numbers-line", Static), numbers_line(vote, numbers))
        self.query_one(SectorGrid).show(vote)
        self._draw_verdict(vote)
        self.refresh_keys(tuple(self._allowed(action) for action in DYNAMIC_KEYS))

    def numbers(self, vote: Vote) -> Numbers:
        """The big numbers as this screen shows them (a teller's: their sector's present)."""
        return vote_numbers(vote)

    def _draw_verdict(self, vote: Vote | None) -> None:
        verdict = vote.verdict if vote is not None else None
        panel = self.query_one("#verdict")
        panel.set_class(verdict is not None and verdict.passed, "-passed")
        panel.set_class(verdict is not None and not verdict.passed, "-failed")
        badge = verdict_badge(verdict) if verdict is not None else ""
        text = verdict_text(verdict) if verdict is not None else t("tui.vote.no_verdict")
        show(self.query_one("#verdict-badge", Static), badge)
        show(self.query_one("#verdict-text", Static), text)
        details = verdict_details(vote) if vote is not None else ""
        show(self.query_one("#verdict-details", Static), details)
        history = verdict_history(vote, self.congress.zone) if vote is not None else []
        show(self.query_one("#verdict-history", Static), "\n".join(history))

    def _no_vote_text(self) -> str:
        running = self.state.current_item if self.state is not None else None
        if running is None:
            return t("tui.vote.none_idle")
        if running.item.kind is not ItemKind.VOTE:
            return t("tui.vote.none_not_vote", title=running.item.title)
        return t("tui.vote.none_ready", title=running.item.title)

    def _fill_list(self) -> None:
        rows = [(vote.id, vote_row(vote, self.state)) for vote in reversed(self.book.votes)]
        if rows == self._rows:
            return  # a change elsewhere (the agenda, a scan): the list as it was
        self._rows = rows
        table = self.query_one("#votes", DataTable)
        table.clear()
        for key, row in rows:
            table.add_row(*(cell(x) for x in row), key=key)

    @on(DataTable.RowSelected, "#votes")
    def _vote_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.pinned = event.row_key.value
            self._draw()
            self.query_one(SectorGrid).focus()

    @on(SectorGrid.Chosen)
    def _sector_chosen(self, message: SectorGrid.Chosen) -> None:
        message.stop()
        self.action_count()

    # ------------------------------------------------------------------ state

    def _running_vote_item(self) -> str | None:
        """The running item, when F2 may open a vote on it (none taken or decided yet)."""
        running = self.state.current_item if self.state is not None else None
        if running is None or running.item.kind is not ItemKind.VOTE or self.book.active:
            return None
        decided = (VoteStatus.COUNTED, VoteStatus.PUBLISHED)
        if any(v.status in decided for v in self.book.for_item(running.key)):
            return None
        return running.key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = self._allowed(action)
        return True if allowed is None or allowed else None

    def _allowed(self, action: str) -> bool | None:
        """Whether a key that depends on the vote's state applies now (None: any other)."""
        vote = self.vote
        status = vote.status if vote is not None else None
        return {
            "open_vote": self._running_vote_item() is not None,
            "count": status in TAKING,
            "recount": status in (*TAKING, VoteStatus.COUNTED),
            "unanimous": status in TAKING,
            "publish": status is VoteStatus.COUNTED,
            "correct_vote": status is VoteStatus.PUBLISHED,
            "cancel_vote": status in (VoteStatus.DRAFT, *TAKING, VoteStatus.COUNTED),
        }.get(action)

    # ------------------------------------------------------------------ actions

    def _refused(self, text: str) -> None:
        self.desk.say(text, "red", bells=3)

    def action_open_vote(self) -> None:
        item = self._running_vote_item()
        if item is None:
            self._refused(self._no_vote_text() if self.vote is None else t("tui.vote.cannot_open"))
            return
        store = self.desk.store
        found = self.state.find(item) if self.state is not None else None
        title = found.item.title if found is not None else item

        def call(proposal: int | None) -> Opening:
            check = store.opening_check(item)
            if check.warnings:
                return Opening(item, title, None, check.explained(), proposal)
            return Opening(item, title, store.open_item_vote(item, proposal=proposal))

        if found is not None and found.item.motion is MotionKind.SEAT_COUNT:
            # The number of seats is put to the vote, and the election takes it from there.
            def send(number: int, dialog: FormDialog[Any]) -> None:
                def opened(opening: Opening) -> None:
                    dialog.accepted(None)
                    self._opening(opening)

                self.desk.write(lambda: call(number), done=opened, failed=dialog.refused)

            self.app.push_screen(ProposalDialog(send, title))
            return
        self.desk.write(lambda: call(None), done=self._opening)

    def _opening(self, opening: Opening) -> None:
        self.pinned = None
        if opening.vote is not None:
            self.desk.say(t("tui.vote.done.opened", title=opening.vote.title), "green", bells=1)
            return
        store, item, proposal = self.desk.store, opening.item, opening.proposal
        help_text = "\n".join([t("tui.open.help"), *(f"⚠ {w}" for w in opening.warnings)])
        self.ask_reason(
            (t("tui.open.title", title=opening.title), help_text, t("tui.open.confirm")),
            lambda reason: store.open_item_vote(item, reason, proposal=proposal),
            lambda reason, v: t("tui.vote.done.opened_despite", title=v.title, reason=reason),
        )

    def _sector_title(self, code: str) -> str:
        name = self.names.get(code, code)
        return name if name.startswith(code) else f"{code} · {name}"

    def action_count(self) -> None:
        vote = self.vote
        code = self.query_one(SectorGrid).selected
        if vote is None or vote.status not in TAKING or code is None:
            return
        sector = vote.sector(code)
        if sector is None:
            return
        if sector.status is SectorStatus.CONFIRMED:
            self._refused(t("tui.count.is_confirmed", sector=self._sector_title(code)))
            return
        if sector.status is SectorStatus.DISPUTED:
            self._refused(t("tui.count.is_disputed", sector=self._sector_title(code)))
            return
        store, vote_id = self.desk.store, vote.id
        first = sector.entries[0].teller if sector.entries else None
        title = self._sector_title(code)

        def send(request: tuple[str, dict[str, str]], dialog: FormDialog[Any]) -> None:
            teller, counts = request
            self.desk.write(
                lambda: store.enter_count(vote_id, code, teller, counts),
                done=lambda v: self._counted(dialog, v, code),
                failed=dialog.refused,
            )

        present = present_text(vote, code, self._sector_title(code))
        self.app.push_screen(
            CountDialog(send, title, len(sector.entries) + 1, first, vote.options, present)
        )

    def _counted(self, dialog: FormDialog[Any], vote: Vote, code: str) -> None:
        dialog.accepted(None)
        sector = vote.sector(code)
        title = self._sector_title(code)
        if vote.status is VoteStatus.COUNTED:
            self.desk.say(t("tui.vote.done.counted", title=vote.title), "green", bells=1)
        elif sector is not None and sector.status is SectorStatus.DISPUTED:
            self.desk.say(t("tui.vote.done.disputed", sector=title), "red", bells=3)
        elif sector is not None and sector.status is SectorStatus.CONFIRMED:
            self.desk.say(t("tui.vote.done.confirmed", sector=title), "green", bells=1)
        else:
            self.desk.say(t("tui.vote.done.first", sector=title))

    def action_recount(self) -> None:
        vote = self.vote
        if vote is None or vote.status not in (*TAKING, VoteStatus.COUNTED):
            return
        store, vote_id = self.desk.store, vote.id
        if vote.unanimous:
            self.ask_reason(
                (t("tui.withdraw.title"), t("tui.withdraw.help"), t("tui.withdraw.confirm")),
                lambda reason: store.withdraw_unanimous(vote_id, reason),
                lambda _reason, _: t("tui.vote.done.withdrawn"),
            )
            return
        code = self.query_one(SectorGrid).selected
        sector = vote.sector(code) if code is not None else None
        if code is None or sector is None:
            return
        if not sector.entries:
            self._refused(t("tui.recount.nothing", sector=self._sector_title(code)))
            return
        title = self._sector_title(code)
        disputed = sector.status is SectorStatus.DISPUTED
        help_text = t("tui.recount.help_disputed") if disputed else t("tui.recount.help")
        self.ask_reason(
            (t("tui.recount.title", sector=title), help_text, t("tui.recount.confirm")),
            lambda reason: store.recount_sector(vote_id, code, reason),
            lambda _reason, _: t("tui.vote.done.recount", sector=title),
        )

    def action_unanimous(self) -> None:
        vote = self.vote
        if vote is None or vote.status not in TAKING:
            return
        store, vote_id = self.desk.store, vote.id

        def send(teller: str, dialog: FormDialog[Any]) -> None:
            self.desk.write(
                lambda: store.confirm_unanimous(vote_id, teller),
                done=lambda v: self._unanimous_done(dialog, v, teller),
                failed=dialog.refused,
            )

        present = vote.snapshot.present if vote.snapshot else 0
        self.app.push_screen(TellerDialog(send, present, [e.teller for e in vote.unanimous]))

    def _unanimous_done(self, dialog: FormDialog[Any], vote: Vote, teller: str) -> None:
        dialog.accepted(None)
        if vote.status is VoteStatus.COUNTED:
            self.desk.say(t("tui.vote.done.counted", title=vote.title), "green", bells=1)
        else:
            self.desk.say(t("tui.vote.done.unanimous_first", teller=teller))

    def action_publish(self) -> None:
        vote = self.vote
        if vote is None or vote.status is not VoteStatus.COUNTED or vote.verdict is None:
            return
        store, vote_id, title = self.desk.store, vote.id, vote.title
        detail = verdict_text(vote.verdict) + "\n" + verdict_details(vote)

        def published(_: object) -> None:
            self.desk.say(t("tui.vote.done.published", title=title), "green", bells=1)
            self.desk.vote_announced(vote_id)

        def answered(yes: bool | None) -> None:
            if yes:
                self.desk.write(lambda: store.publish_vote(vote_id), done=published)

        self.app.push_screen(
            ConfirmScreen(t("tui.publish.question", title=title), detail, t("tui.publish.confirm")),
            answered,
        )

    def action_correct_vote(self) -> None:
        vote = self.vote
        if vote is None or vote.status is not VoteStatus.PUBLISHED or vote.verdict is None:
            return
        store, vote_id, title = self.desk.store, vote.id, vote.title

        def send(request: tuple[dict[str, str], str], dialog: FormDialog[Any]) -> None:
            counts, reason = request
            self.desk.write(
                lambda: store.correct_vote(vote_id, counts, reason),
                done=lambda _: self._finished(
                    dialog, t("tui.vote.done.corrected", title=title, reason=reason)
                ),
                failed=dialog.refused,
            )

        self.app.push_screen(
            CorrectionDialog(
                send,
                title,
                verdict_text(vote.verdict),
                vote.options,
                vote.verdict.tally.as_tuple(),
            )
        )

    def action_cancel_vote(self) -> None:
        vote = self.vote
        if vote is None or vote.status in (VoteStatus.PUBLISHED, VoteStatus.CANCELLED):
            return
        store, vote_id, title = self.desk.store, vote.id, vote.title

        def ask(reason: str) -> tuple[str, str, str]:
            return (
                t("tui.cancel_vote.question", title=title),
                t("tui.cancel_vote.warning", reason=reason or "—"),
                t("tui.cancel_vote.confirm"),
            )

        self.ask_reason(
            (t("tui.cancel_vote.title", title=title), t("tui.cancel_vote.help"),
             t("tui.cancel_vote.confirm")),
            lambda reason: store.cancel_vote(vote_id, reason),
            lambda reason, _: t("tui.vote.done.cancelled", title=title, reason=reason),
            ask,
        )  # fmt: skip
