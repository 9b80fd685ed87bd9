"""Helpers for driving the app headless (tests, benchmarks, screenshots): no pytest here.

A scanner types faster than ``pilot.press`` (about 63 ms per key), so :func:`type_burst` posts
the key events straight to the app, as the terminal driver would.

Textual's pilot waits for the app to be idle by sleeping 20 ms at a time until a 20 ms sleep
passes with no CPU used, twice per ``pilot.press``: with :func:`settle` after each key, some 80 ms
per key on top of the work the key causes, whatever that work is. :func:`pause` and
:func:`settle` watch the same things (messages handled, the process idle, the screen brought up
to date) in 2 ms steps, and :func:`press` posts the keys as the terminal driver would and settles
after each.
"""

import asyncio
import io
import time
import unicodedata
import weakref
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.worker import Worker

# Workers that run as long as the app does (the change watcher): never waited for.
STANDING_GROUPS = frozenset({"watch"})
# The process is idle once a sleep of IDLE_STEP seconds passes with less than IDLE_CPU of it
# spent on the CPU (by any thread), as in Textual's wait_for_idle (20 ms and 5 %).
IDLE_STEP = 0.002
IDLE_CPU = 0.05
IDLE_MAX = 1.0  # a process never idle (another test's threads): go on after this long
# A person's keys come at least this far apart; Ctrl keys closer to the key before are taken for
# a scanner's garbage and dropped (session.scanner.MAX_GAP, tui.app._sniff).
HUMAN_GAP = 0.1
_last_key: "weakref.WeakKeyDictionary[App[Any], float]" = weakref.WeakKeyDictionary()


def key_event(char: str) -> events.Key:
    """The Key event a terminal sends for `char` (control characters included)."""
    if char in ("\r", "\n"):
        return events.Key("enter" if char == "\r" else "ctrl+j", char)
    if char == "\t":
        return events.Key("tab", char)
    if char == "\x1b":
        return events.Key("escape", char)
    if len(char) == 1 and ord(char) < 32:
        return events.Key(f"ctrl+{chr(ord(char) + 96)}", char)
    return events.Key(_character_to_key(char), char)


def named_key(key: str) -> events.Key:
    """The Key event for a key named as ``pilot.press`` names it ("f2", "ctrl+e", "a", "/")."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        name = _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        char: str | None = unicodedata.lookup(name)
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Each key as the terminal driver would send it, then :func:`settle`: what
    ``pilot.press(key)`` and ``settle(pilot)`` do, without their fixed waits. A Ctrl key comes at
    least HUMAN_GAP after the key before it, as a person would type it."""
    app = pilot.app
    for key in keys:
        event = named_key(key)
        if key.startswith("ctrl+"):
            wait = _last_key.get(app, 0.0) + HUMAN_GAP - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
                event = named_key(key)  # (stamped now)
        app.post_message(event)
        _last_key[app] = time.monotonic()
        await settle(pilot)


def type_burst(app: App[Any], text: str, *, enter: bool = True) -> None:
    """Post `text` (and Enter) as one fast burst of key events, like a USB scanner."""
    for char in text:
        app.post_message(key_event(char))
    if enter:
        app.post_message(events.Key("enter", "\r"))
    _last_key[app] = time.monotonic()


async def scan_burst(pilot: Pilot[Any], code: str, *, wait: bool = True) -> float:
    """Scan `code` as a USB scanner would; returns ``time.perf_counter()`` at the Enter.

    The characters are posted and handled first (a scanner types them over a few milliseconds
    before its Enter), then Enter: what follows is the latency the door staff see. With `wait`,
    returns once the result is handled and the workers are idle.
    """
    app = pilot.app
    type_burst(app, code, enter=False)
    await pause(pilot)
    enter_at = time.perf_counter()
    app.post_message(events.Key("enter", "\r"))
    _last_key[app] = time.monotonic()
    if wait:
        await settle(pilot)
    return enter_at


async def settle(pilot: Pilot[Any], seconds: float = 5.0) -> None:
    """Wait until the app's workers are done and their messages handled (the standing ones
    excepted: they end with the app); at most about `seconds` between them."""
    app = pilot.app
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        await pause(pilot)
        pending = _passing_workers(app)
        if pending:  # (an empty list would make Textual wait for every worker)
            await app.workers.wait_for_complete(pending)
        await pause(pilot)
        if not getattr(app, "busy", False) and not any(w.is_running for w in _passing_workers(app)):
            return
        await asyncio.sleep(IDLE_STEP)


async def pause(pilot: Pilot[Any]) -> None:
    """``pilot.pause()`` in finer steps: the messages queued on the app and its screen handled,
    the process idle, and the pending layout and repaint done on the screen and on those seen
    beneath it (a dialog's screen refreshes on its own timer otherwise)."""
    app = pilot.app
    await pilot._wait_for_screen()
    await _wait_for_idle()
    for screen in [*app._background_screens, app.screen]:
        screen._on_timer_update()


async def _wait_for_idle() -> None:
    started = time.monotonic()
    while time.monotonic() - started < IDLE_MAX:
        cpu = time.process_time()
        await asyncio.sleep(IDLE_STEP)
        if time.process_time() - cpu < IDLE_STEP * IDLE_CPU:
            return


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Let the app run until `condition()` holds (a timer, another terminal's change read), then
    :func:`settle`; fails after `seconds`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"still waiting after {seconds} s")
        await pause(pilot)
        await asyncio.sleep(IDLE_STEP * 5)
    await settle(pilot)


async def caught_up(pilot: Pilot[Any], seconds: float = 5.0) -> None:
    """Once the app has read the whole log: what another terminal wrote (the change watcher
    wakes it), then settled."""
    app: Any = pilot.app
    store = app.store
    await wait_for(
        pilot,
        lambda: app.desk.meeting is not None and app.desk.meeting.seq == store.last_seq(),
        seconds,
    )


def _passing_workers(app: App[Any]) -> list[Worker[Any]]:
    return [w for w in app.workers if w.group not in STANDING_GROUPS]


def screen_text(app: App[Any]) -> str:
    """Everything on the terminal now (the active screen over those beneath), as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system=None,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()
