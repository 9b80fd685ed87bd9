"""The counting room's terminal: it waits for a round to be counted, then opens its counting
screen, which it cannot leave.

The counting screen is the operator's (:class:`tui.elections.counting.CountingScreen`) with every
action outside the role's rights switched off (hidden from the footer and refused).
"""

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from session import elections as el
from session.i18n import t
from tui.desk import Desk
from tui.elections.counting import CountingScreen
from tui.feed import MeetingUpdate
from tui.keys import COUNTING_KEYS
from tui.role_keys import RoleKeys
from tui.station_feed import StationUpdate
from tui.stations.terminal import ConnectionBanner, StationReady
from tui.view import READY, ResultView
from tui.widgets.redraw import Footer


def counting_round(book: el.ElectionBook, election: str | None) -> tuple[str, int] | None:
    """The round whose ballots are being counted now (of `election`, if given)."""
    for e in book.elections:
        if election is not None and e.id != election:
            continue
        r = e.current
        if r.count is not None and r.status is el.RoundStatus.COUNTING:
            return e.id, r.number
    return None


class CountingStation(CountingScreen):
    """The counting screen of one round, which the counting room cannot leave."""

    # (Textual reads CSS_PATH next to the class's own module: the counting screen's, from here.)
    CSS_PATH = "../elections/election.tcss"
    ACTIONS: ClassVar[frozenset[str]] = frozenset(k.action for k in COUNTING_KEYS)

    def __init__(self, desk: Desk, keys: RoleKeys, election: str, round_no: int) -> None:
        super().__init__(desk, election, round_no)
        self.allowed = keys

    def compose(self) -> ComposeResult:
        yield ConnectionBanner(id="connection")
        yield from super().compose()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ACTIONS and not self.allowed.may(f"counting.{action}"):
            return False
        return super().check_action(action, parameters)

    def action_close(self) -> None:
        """The counting room has nowhere else to go."""

    def say(self, text: str, colour: str) -> None:
        self._say(text, colour)


class CountingDesk(Screen[None]):
    """The counting room's terminal: waits for a round to be counted, then opens its screen."""

    CSS_PATH = "stations.tcss"

    def __init__(self, desk: Desk, keys: RoleKeys, election: str | None) -> None:
        super().__init__(id="counting-desk")
        self.desk = desk
        self.allowed = keys
        self.election = election
        self.station: CountingStation | None = None

    def compose(self) -> ComposeResult:
        yield ConnectionBanner(id="connection")
        yield Static(t("roles.counting.heading"), markup=False, classes="role-heading")
        yield Static(t("roles.counting.waiting"), markup=False, id="counting-waiting")
        yield Footer()

    def on_mount(self) -> None:
        self.post_message(StationReady())

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        if meeting is None:
            return
        found = counting_round(meeting.elections, self.election)
        showing = self.station
        # (Not over the sign-in of a terminal being handed over: it opens once they are in.)
        if (
            found is not None
            and self.desk.signed_in
            and (showing is None or (showing.election_id, showing.round_no) != found)
        ):
            self._open(*found)
        if self.station is not None:
            self.station.show_book(meeting.elections)

    def _open(self, election: str, round_no: int) -> None:
        if self.station is not None and self.app.screen is self.station:
            self.app.pop_screen()
        self.station = CountingStation(self.desk, self.allowed, election, round_no)
        self.app.push_screen(self.station)

    def show_result(self, view: ResultView) -> None:
        """On the counting screen's status line (a ballot's own result is said there already)."""
        if view.colour == READY or self.station is None or not self.station.is_mounted:
            return
        self.station.say(view.headline, "red" if view.colour == "red" else "green")

    def show_feed(self, update: StationUpdate) -> None:
        """The counting room counts ballots, not those present."""

    def show_connected(self, connected: bool) -> None:
        self.query_one(ConnectionBanner).show(connected)
        if self.station is not None and self.station.is_mounted:
            self.station.query_one(ConnectionBanner).show(connected)
