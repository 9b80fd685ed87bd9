"""Keys land in the field they were typed into, at any typing speed.

Textual hands each key to the widget that has the focus *when the app reads the key*, by putting
it on that widget's queue. A Tab, an Enter or a function key moves the focus only once it has been
handled: the key goes up from the focused widget to the app, whose bindings run the action (the
Tab's "next field", a screen's F-key), or the form answers Enter, or a dialog is mounted. Keys
typed faster than that went to the field the cursor was leaving ("Tổ A1 Tab 2" gave the teller
"Tổ A12"; a passphrase typed after a quick Tab landed in the name field).

So the app holds the keys that come after a key that is not a character (:class:`KeyQueue`), until
the screen and the app have handled it and whatever that caused (:func:`settled`), then lets them
through in the order they came. Characters are not held: a scanner's 36 digits go straight to
their field, and its Enter, which moves no focus, holds nothing back (cards 100 ms apart at a
busy door would otherwise queue behind each other's redraws). Nothing is reordered or dropped.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

SETTLE_ROUNDS = 40  # each round lets every queue move one step (a Tab climbs ~6 widgets)
SETTLE_LIMIT = 1.0  # seconds: a screen never quiet (a busy redraw) lets the keys go after this
# (0.5 s let a Tab's keys go ahead of it on a test machine loaded three times over)


def may_move_focus(character: str | None) -> bool:
    """Whether a key may move the focus or change the screen: anything but a character."""
    return character is None or not character.isprintable()


def _pumps(app: App[Any]) -> list[MessagePump]:
    """The app and its active screen with every widget on it."""
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return [app]
    return [app, *screen.walk_children(with_self=True)]


def _quiet(pump: MessagePump, app: App[Any]) -> bool:
    """Nothing left to handle but keys the app has not read yet (they will be held)."""
    queued = list(getattr(pump._message_queue, "_queue", ()))  # (asyncio.Queue's deque)
    if pump is not app:
        return not queued
    return all(isinstance(m, events.Key) and not m.is_forwarded for m in queued)


async def _round(pumps: list[MessagePump], deadline: float) -> None:
    """Until each pump has handled what was on its queue when the round began."""
    left = 0
    done = asyncio.Event()

    def one() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for pump in pumps:
        if pump.call_later(one):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), max(deadline - time.monotonic(), 0.001))


async def settled(app: App[Any]) -> None:
    """Return once the app and the screen's widgets have handled every message but unread keys,
    including those their handling posted (a key climbing to the app's bindings, a focus change,
    a Submitted, a dialog's mount), or after SETTLE_LIMIT."""
    deadline = time.monotonic() + SETTLE_LIMIT
    for _ in range(SETTLE_ROUNDS):
        if time.monotonic() >= deadline:
            return
        await _round(_pumps(app), deadline)
        if all(_quiet(pump, app) for pump in _pumps(app)):
            return


class KeyQueue:
    """The keys that wait while one that may move the focus is being handled.

    `take(key)` is the app's own handling of a key (the scan sniffer, then Textual's); it
    answers True when the key moved no focus whatever it is (a scan's Enter), so nothing waits
    for it. `wait()` runs :func:`settled`, then calls :meth:`release` on the app's queue.
    """

    def __init__(
        self,
        take: Callable[[events.Key], Awaitable[bool]],
        wait: Callable[[], None],
    ) -> None:
        self._take = take
        self._wait = wait
        self.holding = False
        self._held: list[events.Key] = []

    async def key(self, event: events.Key) -> None:
        """A key read by the app: handled now, or held behind the one still being handled."""
        if self.holding:
            self._held.append(event)
            return
        await self._handle(event)

    async def _handle(self, event: events.Key) -> None:
        still = await self._take(event)
        if may_move_focus(event.character) and not still:
            self.holding = True
            self._wait()  # -> release() once settled

    async def release(self) -> None:
        """The key that held the others is handled: the next ones go, in order, until one of
        them holds the rest again."""
        self.holding = False
        while self._held and not self.holding:
            await self._handle(self._held.pop(0))
