"""The roll-call screen: the running agenda item, mode, last result, scan field, counts and gauge,
units, missing, recent.

The app owns the Store and the workers; this screen only puts what they say on screen.
"""

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message

from session.congress import Congress
from session.i18n import t
from session.rollcall import Mode
from tui.feed import FeedUpdate, MeetingUpdate
from tui.scan_screen import ScanScreen
from tui.view import ResultView, ready_view
from tui.widgets.banners import ModeBanner, ResultBanner
from tui.widgets.meeting import NowBar
from tui.widgets.redraw import Footer
from tui.widgets.scan_input import ScanField
from tui.widgets.tables import MissingTable, RecentScans, UnitsTable
from tui.widgets.vitals import Vitals


class RollCallReady(Message):
    """The screen and all its widgets are mounted: the app may start filling them."""


class RollCallScreen(ScanScreen):
    CSS_PATH = "rollcall.tcss"

    def __init__(
        self, congress: Congress, station: str, now: Callable[[], datetime], mode: Mode
    ) -> None:
        super().__init__(congress, station, now, mode, screen_id="rollcall")

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
