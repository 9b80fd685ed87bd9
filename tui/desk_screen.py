"""What the presidium's screens over the roll call share (the agenda, the vote, the elections).

The title bar (the screen's name, the congress, the clock), the running item's bar and the
notice line where every result and refusal is said; Escape back to the roll call; a form that
succeeded closes and says so on the notice line. The app fills them through ``show_meeting``
once ``ready``.
"""

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from session.i18n import t
from tui.desk import Desk
from tui.forms import FormDialog, Question, ReasonDialog
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

    def refresh_keys(self, keys: tuple[bool | None, ...]) -> None:
        """Rebuild the footer only when one of the screen's keys comes or goes (`keys`: each
        state-dependent key's check now, in the screen's own order)."""
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    def action_close(self) -> None:
        self.desk.back_to_rollcall()

    def ask_reason(
        self,
        texts: tuple[str, str, str],
        change: Callable[[str], Any],
        said: Callable[[str, Any], str],
        ask: Callable[[str], Question] | None = None,
    ) -> None:
        """A change that needs a reason: the form (`texts`: its title, help and action; `ask`:
        "are you sure?" first), then `change(reason)` on the write queue. A refusal stays in
        the form; once done it closes and the notice line says `said(reason, result)`."""

        def send(reason: str, dialog: FormDialog[Any]) -> None:
            self.desk.write(
                lambda: change(reason),
                done=lambda result: self._finished(dialog, said(reason, result)),
                failed=dialog.refused,
            )

        self.app.push_screen(ReasonDialog(send, *texts, ask))

    def _finished(self, dialog: FormDialog[Any], text: str) -> None:
        dialog.accepted(None)
        self.desk.say(text)
