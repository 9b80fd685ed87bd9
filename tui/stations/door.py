"""A door station: one scan field and a result the size of the screen, and nothing else.

The door staff look up from the queue for a colour: green (let in), yellow (already in: look at
the delegate), red (refuse, send to the desk). The mode (entry or exit, F3) is a wide banner in
its own colour, and the station's own count of admissions is in big digits. When the database
does not answer, a red NOT CONNECTED covers the top and no scan is taken until it answers again.

The app owns the Store and the workers; this screen only puts what they say on screen.
"""

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from session.congress import Congress
from session.i18n import number, t
from session.rollcall import Mode
from tui.feed import MeetingUpdate
from tui.scan_screen import ScanScreen
from tui.station_feed import StationUpdate
from tui.stations.terminal import ConnectionBanner, StationReady
from tui.view import ready_view
from tui.widgets.banners import ModeBanner, ResultBanner
from tui.widgets.redraw import Footer
from tui.widgets.scan_input import ScanField


class DoorScreen(ScanScreen):
    CSS_PATH = "door.tcss"

    def __init__(
        self, congress: Congress, station: str, now: Callable[[], datetime], mode: Mode
    ) -> None:
        super().__init__(congress, station, now, mode, screen_id="door")

    def compose(self) -> ComposeResult:
        yield from self.title_bar()
        yield ConnectionBanner(id="connection")
        yield ModeBanner(id="door-mode")
        yield ResultBanner(id="door-result")
        with Horizontal(id="door-counts"):
            with Vertical(classes="door-count"):
                yield Static(
                    t("roles.door.admitted_here", station=self.station),
                    markup=False,
                    classes="door-count-label",
                )
                yield Digits("0", id="admitted-here")
            with Vertical(classes="door-count"):
                yield Static(markup=False, id="present-label", classes="door-count-label")
                yield Digits("0", id="present")
        yield ScanField(t("tui.scan.placeholder"), id="scan")
        yield Footer()

    def on_mount(self) -> None:
        self.show_mode(self._mode)
        self.show_result(ready_view())
        self.post_message(StationReady())

    # ------------------------------------------------------------------ what the app calls

    def show_feed(self, update: StationUpdate) -> None:
        here = update.admitted_here or 0
        self.query_one("#admitted-here", Digits).update(str(here))
        att = update.snapshot.verdict.attendance
        self.query_one("#present", Digits).update(str(att.present))
        self.query_one("#present-label", Static).update(
            t("roles.door.present", summoned=number(att.summoned))
        )

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        """A door needs no agenda."""

    def show_connected(self, connected: bool) -> None:
        self.query_one(ConnectionBanner).show(connected)
        self.set_class(not connected, "-lost")

    # ------------------------------------------------------------------ for tests

    @property
    def admitted_here(self) -> str:
        return str(self.query_one("#admitted-here", Digits).value)

    @property
    def hall_present(self) -> str:
        return str(self.query_one("#present", Digits).value)

    @property
    def connected(self) -> bool:
        return not self.query_one(ConnectionBanner).lost
