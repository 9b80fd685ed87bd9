"""The secretariat's `--role speakers` terminal: the lists of speakers (tui.speakers) and
nothing else, with the red NOT CONNECTED banner every role terminal has."""

from textual.app import ComposeResult

from tui.speakers import SpeakersScreen
from tui.station_feed import StationUpdate
from tui.stations.terminal import ConnectionBanner, StationReady
from tui.view import ResultView


class SpeakersDesk(SpeakersScreen):
    """The secretariat's `--role speakers` terminal: the lists of speakers and nothing else."""

    # (Textual reads CSS_PATH next to the class's own module: the list of speakers', from here.)
    CSS_PATH = "../speakers.tcss"

    def compose(self) -> ComposeResult:
        yield ConnectionBanner(id="connection")
        yield from super().compose()

    def on_mount(self) -> None:
        self.post_message(StationReady())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return False  # (there is no roll call under it to go back to)
        return super().check_action(action, parameters)

    def action_close(self) -> None:
        """There is no roll call under it to go back to."""

    def show_result(self, view: ResultView) -> None:
        self.show_notice(view)

    def show_feed(self, update: StationUpdate) -> None:
        """The lists of speakers do not follow the counts in the hall."""

    def show_connected(self, connected: bool) -> None:
        self.query_one(ConnectionBanner).show(connected)
