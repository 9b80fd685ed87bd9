"""What the roll call and a door station share: a screen that takes card scans.

The congress's name and the clock on a title bar, the mode banner, the last result, the scan
field; the app owns the Store and the workers and calls these to put what they say on screen.
"""

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from session.congress import Congress
from session.rollcall import Mode
from tui.view import ResultView
from tui.widgets.banners import ModeBanner, ResultBanner
from tui.widgets.clock import Clock
from tui.widgets.scan_input import ScanField


class ScanScreen(Screen[None]):
    AUTO_FOCUS = "#scan"

    def __init__(
        self,
        congress: Congress,
        station: str,
        now: Callable[[], datetime],
        mode: Mode,
        *,
        screen_id: str,
    ) -> None:
        super().__init__(id=screen_id)
        self.congress = congress
        self.station = station
        self._now = now
        self._mode = mode

    def title_bar(self) -> ComposeResult:
        with Horizontal(id="titlebar"):
            yield Static(self.congress.name, markup=False, id="congress-name")
            yield Clock(self._now, self.congress.zone, id="clock")

    @property
    def mode(self) -> Mode:
        """The mode scans are taken in here, as last shown."""
        return self._mode

    def show_mode(self, mode: Mode) -> None:
        self._mode = mode
        self.query_one(ModeBanner).show(mode, self.station)

    def show_result(self, view: ResultView) -> None:
        self.query_one(ResultBanner).show(view)

    def focus_scan(self) -> None:
        self.query_one(ScanField).focus()

    @property
    def result_text(self) -> str:
        return self.query_one(ResultBanner).text
