"""What the presidium's screens over the roll call share (the agenda, the vote, the elections).

The title bar (the screen's name, the congress, the clock), the running item's bar and the
notice line where every result and refusal is said; Escape back to the roll call; a form that
succeeded closes and says so on the notice line. The app fills them through ``show_meeting``
once ``ready``.
"""

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from session.i18n import t
from tui.desk import Desk
from tui.forms import FormDialog
from tui.keys import translated
from tui.view import ResultView
from tui.widgets.clock import Clock
from tui.widgets.meeting import Notice, NowBar


class DeskScreen(Screen[None]):
    def __init__(self, desk: Desk, *, screen_id: str) -> None:
        super().__init__(id=screen_id)
        self._bindings = translated(self._bindings)
        self.desk = desk
        self.congress = desk.congress
        self.ready = False  # mounted: the app may fill it
        self._keys: tuple[bool | None, ...] | None = None  # the footer's keys as last offered

    def desk_bars(self, name_key: str) -> ComposeResult:
        """The title bar, the running item's bar and the notice line, ids prefixed by the
        screen's own (``vote-now``, ``vote-notice``...)."""
        with Horizontal(id="titlebar"):
            yield Static(t(name_key), markup=False, classes="screen-name")
            yield Static(self.congress.name, markup=False, id="congress-name")
            yield Clock(self.desk.store.clock, self.congress.zone, id="clock")
        yield NowBar(self.desk.store.clock, id=f"{self.id}-now")
        yield Notice(id=f"{self.id}-notice")

    def show_notice(self, view: ResultView) -> None:
        if self.ready:
            self.query_one(Notice).show(view)

    def action_close(self) -> None:
        self.desk.back_to_rollcall()

    def _finished(self, dialog: FormDialog[Any], text: str) -> None:
        dialog.accepted(None)
        self.desk.say(text)
