"""What every role terminal's home screen shares: the message it posts once mounted, and the red
NOT CONNECTED banner.

Each role but the operator has one home screen: the door station (:mod:`.door`), the teller's
vote screen (:mod:`.teller`), the counting desk (:mod:`.counting_room`), the projector
(:mod:`.display`). Once mounted it posts :class:`StationReady`, and the app starts reading for it;
the app then tells it (show_feed, show_meeting, show_result, show_connected) what it read
(:class:`tui.station_feed.StationUpdate`, the agenda and votes), the result of the last write, and
whether the database answers: a terminal that lost it shows a red "not connected" until a read
succeeds again, and takes nothing meanwhile.
"""

from textual.message import Message
from textual.widgets import Static

from session.i18n import t


class StationReady(Message):
    """A role's home screen is mounted: the app may start reading for it."""


class ConnectionBanner(Static):
    """Nothing while the database answers; a red, full-width "NOT CONNECTED" while it does not."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(t("roles.not_connected.banner"), markup=False, id=id)
        self.add_class("connection-banner")
        self.display = False

    def show(self, connected: bool) -> None:
        self.display = not connected

    @property
    def lost(self) -> bool:
        return bool(self.display)
