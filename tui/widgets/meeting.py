"""Lines every screen shows: the running agenda item with its timing, and the last notice.

The status line ticks every second from the agenda the app last read (the app reads it again only
when the event log moved): no database read per tick.
"""

from collections.abc import Callable
from datetime import datetime

from textual.widgets import Static

from session.agenda import Level
from session.i18n import t
from tui.feed import MeetingUpdate
from tui.meeting_view import IDLE, now_line
from tui.view import READY, ResultView
from tui.widgets.banners import COLOURS
from tui.widgets.redraw import show

LEVELS = (IDLE, *(level.value for level in Level))


class NowBar(Static):
    """'▶ Adoption of the Resolution · 03:12 of 05:00 (01:48 left)', coloured by how it stands."""

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(t("tui.now.loading"), markup=False, id=id, classes="now-bar")
        self._now = now
        self._meeting: MeetingUpdate | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show(self, meeting: MeetingUpdate | None) -> None:
        self._meeting = meeting
        self.tick()

    def tick(self) -> None:
        if self._meeting is None:
            return
        text, level = now_line(self._meeting.agenda, self._meeting.book, self._now())
        for name in LEVELS:
            self.set_class(name == level, f"-{name}")
        show(self, text)

    @property
    def text(self) -> str:
        return str(self.content)


class Notice(Static):
    """One line under the status line of the agenda and vote screens: the last scan's result
    (cards are taken on every screen) or what the last action did, in its colour."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(t("tui.notice.ready"), markup=False, id=id, classes="notice -ready")

    def show(self, view: ResultView) -> None:
        for colour in COLOURS:
            self.set_class(colour == view.colour, f"-{colour}")
        if view.colour == READY:
            show(self, t("tui.notice.ready"))
            return
        body = f"{view.who} — {view.headline}" if view.who else view.headline
        if view.detail:
            body += " · " + view.detail
        show(self, f"{view.time}  {body}" if view.time else body)

    @property
    def text(self) -> str:
        return str(self.content)

    @property
    def colour(self) -> str:
        return next((c for c in COLOURS if self.has_class(f"-{c}")), READY)
