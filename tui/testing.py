"""Helpers for driving the app headless (tests, benchmarks, screenshots): no pytest here.

A scanner types faster than ``pilot.press`` (about 63 ms per key), so :func:`type_burst` posts
the key events straight to the app, as the terminal driver would.
"""

import io
import time
from typing import Any

from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.worker import Worker

# Workers that run as long as the app does (the change watcher): never waited for.
STANDING_GROUPS = frozenset({"watch"})


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


def type_burst(app: App[Any], text: str, *, enter: bool = True) -> None:
    """Post `text` (and Enter) as one fast burst of key events, like a USB scanner."""
    for char in text:
        app.post_message(key_event(char))
    if enter:
        app.post_message(events.Key("enter", "\r"))


async def scan_burst(pilot: Pilot[Any], code: str, *, wait: bool = True) -> float:
    """Scan `code` as a USB scanner would; returns ``time.perf_counter()`` at the Enter.

    The characters are posted and handled first (a scanner types them over a few milliseconds
    before its Enter), then Enter: what follows is the latency the door staff see. With `wait`,
    returns once the result is handled and the workers are idle.
    """
    app = pilot.app
    type_burst(app, code, enter=False)
    await pilot.pause()
    enter_at = time.perf_counter()
    app.post_message(events.Key("enter", "\r"))
    if wait:
        await settle(pilot)
    return enter_at


async def settle(pilot: Pilot[Any], rounds: int = 50) -> None:
    """Wait until the app's workers are done and their messages handled (the standing ones
    excepted: they end with the app)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        pending = _passing_workers(app)
        if pending:  # (an empty list would make Textual wait for every worker)
            await app.workers.wait_for_complete(pending)
        await pilot.pause()
        if not getattr(app, "busy", False) and not any(w.is_running for w in _passing_workers(app)):
            return
        await pilot.pause(0.02)


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
