"""What the agenda and vote screens may ask of the app: the Store (to build calls), the latest
agenda and votes, and the write queue.

The screens never call the Store themselves: they hand a call to :meth:`Desk.write`, which runs it
on the app's FIFO write queue in a thread worker and answers on the UI thread, with the result
(`done`) or the Store's refusal as text (`failed`).
"""

from collections.abc import Callable
from typing import Any, Protocol

from db.store import Store
from session.congress import Congress
from tui.feed import MeetingUpdate
from tui.messages import Done, Failed


class Desk(Protocol):
    store: Store
    congress: Congress
    meeting: MeetingUpdate | None
    signed_in: bool  # False before a person signs in, and while a terminal is handed over
    present: int  # voting delegates in the hall, as last read (0 before the first read)

    def write(
        self,
        call: Callable[[], Any],
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> None:
        """Run `call` on the write queue; `done(result)` or `failed(text)` on the UI thread.

        Without `failed`, a refusal is said on the screen (red, with bells).
        """
        ...

    def say(self, text: str, colour: str = "info", bells: int = 0) -> None:
        """A line on the agenda and vote screens' notice strip (like a scan's result)."""
        ...

    def back_to_rollcall(self) -> None: ...

    def vote_announced(self, vote: str) -> None:
        """A vote was announced at this terminal (the election that asked for it goes on)."""
        ...
