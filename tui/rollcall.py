"""The roll-call screen: the running agenda item, mode, last result, scan field, counts and gauge,
units, missing, recent; and the roll call's own actions (F2 a manual check-in, F4 a correction,
F5 an absence, F6 a new card), each a dialog whose answer goes to the desk's write queue.

The desk owns the Store and the workers; this screen asks it and puts what it says on screen.
"""

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message

from db.store import AttendanceEntry
from session.i18n import t
from session.rollcall import Mode
from tui.desk import CardReissued, Desk, SheetWritten
from tui.feed import FeedUpdate, MeetingUpdate
from tui.keys import ROLLCALL_KEYS, translated
from tui.modals import (
    AbsenceRequest,
    AbsenceScreen,
    CorrectionRequest,
    CorrectionScreen,
    ManualCheckInScreen,
    ManualRequest,
    NewCardScreen,
    ReissueRequest,
    ReissueScreen,
)
from tui.scan_screen import ScanScreen
from tui.view import INFO, ResultView, ready_view, who_line
from tui.widgets.banners import ModeBanner, ResultBanner
from tui.widgets.meeting import NowBar
from tui.widgets.redraw import Footer
from tui.widgets.scan_input import ScanField
from tui.widgets.tables import MissingTable, RecentScans, UnitsTable
from tui.widgets.vitals import Vitals

RECENT_ENTRIES = 30  # entries offered for correction


class RollCallReady(Message):
    """The screen and all its widgets are mounted: the app may start filling them."""


class RollCallScreen(ScanScreen):
    CSS_PATH = "rollcall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in ROLLCALL_KEYS]

    def __init__(self, desk: Desk, mode: Mode) -> None:
        super().__init__(desk.congress, desk.station, desk.store.clock, mode, screen_id="rollcall")
        self._bindings = translated(self._bindings)
        self.desk = desk
        self.last_sheet: SheetWritten | None = None  # the last new card's sheet

    def compose(self) -> ComposeResult:
        yield from self.title_bar()
        yield NowBar(self._now, id="rollcall-now")
        yield ModeBanner(id="mode")
        yield ResultBanner(id="result")
        yield ScanField(t("tui.scan.placeholder"), id="scan")
        with Horizontal(id="middle"):
            yield Vitals(id="vitals")
            yield RecentScans(id="recent")
        with Horizontal(id="lists"):
            yield UnitsTable(id="units")
            yield MissingTable(id="missing")
        yield Footer()

    def on_mount(self) -> None:
        self.show_mode(self._mode)
        self.show_result(ready_view(), remember=False)
        self.post_message(RollCallReady())

    # ------------------------------------------------------------------ what the app calls

    def show_result(self, view: ResultView, *, remember: bool = True) -> None:
        super().show_result(view)
        if remember:
            self.query_one(RecentScans).add(view)

    def show_feed(self, update: FeedUpdate) -> None:
        vitals = self.query_one(Vitals)
        vitals.show(update.snapshot.verdict)
        vitals.show_doors(update.snapshot.doors, self.congress.zone)
        self.query_one(UnitsTable).show(update.snapshot.units)
        missing = self.query_one(MissingTable)
        if update.missing is not None:
            missing.load(update.missing)
        elif missing.loaded:
            missing.apply(update.changed)

    def show_meeting(self, meeting: MeetingUpdate) -> None:
        self.query_one(NowBar).show(meeting)

    # ------------------------------------------------------------------ the roll call's actions

    def _dialog_closed(self) -> None:
        if self.app.screen is self:
            self.focus_scan()

    def action_manual(self) -> None:
        mode = self.mode
        self.app.push_screen(
            ManualCheckInScreen(self.desk.store.search, mode),
            lambda request: self._manual_chosen(request, mode),
        )

    def _manual_chosen(self, request: ManualRequest | None, mode: Mode) -> None:
        self._dialog_closed()
        if request is not None:
            self.desk.manual(request.delegate.number, mode, request.reason)

    def action_correct(self) -> None:
        self.app.push_screen(
            CorrectionScreen(self._recent, self.congress.zone), self._correction_chosen
        )

    def _recent(self, number: int | None) -> list[AttendanceEntry]:
        return self.desk.recent_entries(RECENT_ENTRIES, number)

    def _correction_chosen(self, request: CorrectionRequest | None) -> None:
        """The dialog asked "are you sure?" already, naming the entry."""
        self._dialog_closed()
        if request is not None:
            self.desk.correct(request.entry.id, request.reason)

    def action_absence(self) -> None:
        self.app.push_screen(AbsenceScreen(self.desk.store.search), self._absence_chosen)

    def _absence_chosen(self, request: AbsenceRequest | None) -> None:
        self._dialog_closed()
        if request is not None:
            self.desk.set_status(request.delegate.number, request.status, request.reason)

    def action_reissue(self) -> None:
        self.app.push_screen(ReissueScreen(self.desk.store.search), self._reissue_chosen)

    def _reissue_chosen(self, request: ReissueRequest | None) -> None:
        """The dialog asked "are you sure?" already: the old card is revoked now."""
        self._dialog_closed()
        if request is not None:
            self.desk.reissue(request.delegate.number, request.reason, to=self)

    @on(CardReissued)
    def _card_reissued(self, message: CardReissued) -> None:
        d = message.delegate
        who = who_line(d) if d else str(message.number)
        text = t("tui.reissue.done", who=who)
        detail = t("tui.reissue.old_revoked")
        self.desk.show(ResultView(INFO, text, detail=detail, time=self.desk.now_text()))
        self.app.push_screen(
            NewCardScreen(d, message.number, message.code), lambda _: self._dialog_closed()
        )
        self.desk.write_sheet(message.number, d.card_issue if d else 0, to=self)
        self.desk.read()

    @on(SheetWritten)
    def _sheet_written(self, message: SheetWritten) -> None:
        if message.path is not None:
            text = t("tui.card.sheet_written", path=str(message.path))
            self.notify(text, title=t("tui.card.title"))
        else:
            text = t("tui.card.sheet_failed", detail=message.error)
            self.notify(text, title=t("tui.card.title"), severity="error")
        self.last_sheet = message
        screen = self.app.screen
        if isinstance(screen, NewCardScreen) and screen.number == message.number:
            screen.sheet_done(text)
