"""The venue's clock, ticking every second."""

from collections.abc import Callable
from datetime import datetime, tzinfo

from textual.widgets import Static

from session.i18n import t
from tui.view import local
from tui.widgets.redraw import show


class Clock(Static):
    def __init__(self, now: Callable[[], datetime], zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self._now = now
        self._zone = zone

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        moment = local(self._now(), self._zone)
        show(self, moment.strftime(t("tui.clock.datetime")))
