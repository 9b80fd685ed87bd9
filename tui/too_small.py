"""Under 80×24 the screens cannot show every figure: a notice says so (Esc goes on anyway), and
goes away once the terminal is large enough."""

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.geometry import Size

from session.i18n import t
from tui.dialog import NoticeScreen

MIN_SIZE = (80, 24)  # the smallest terminal every screen is laid out for
TOO_SMALL = "too-small"


def too_small(size: Size) -> bool:
    return size.width < MIN_SIZE[0] or size.height < MIN_SIZE[1]


class SizeWatch:
    def __init__(self, app: App[Any], closed: Callable[[], None]) -> None:
        self.app = app
        self.closed = closed  # after the notice closes (the focus goes back)
        self.dismissed = False  # the operator chose to go on at this size

    def resized(self, size: Size) -> None:
        app = self.app
        shown = [s for s in app.screen_stack if s.id == TOO_SMALL]
        if too_small(size) and not shown and not self.dismissed:
            text = t("tui.too_small.text", width=size.width, height=size.height)
            notice = NoticeScreen(t("tui.too_small.title"), text, id=TOO_SMALL)
            app.push_screen(notice, self._closed)
        elif not too_small(size):
            self.dismissed = False
            if shown and app.screen is shown[0]:
                app.pop_screen()

    def _closed(self, _result: object = None) -> None:
        if too_small(self.app.size):
            self.dismissed = True  # Esc: the operator goes on as it is
        self.closed()
