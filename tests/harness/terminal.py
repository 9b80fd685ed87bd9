"""A terminal of a multi-terminal congress: the real app headless, plus a change watcher.

    python -m tests.harness.terminal --db PATH_OR_URL --station NAME [--role ROLE [--sector S]]

or, from a test, :func:`serve` in a child process (a forkserver that has imported this module
once starts each terminal in a fraction of the 1-3 s an import of the app costs).

Commands, one a line (stdin, or the `commands` connection):

* a card code: scanned as a USB scanner would (a burst of keys and Enter), at an operator's or a
  door station's terminal;
* ``SYNC <seq>``: wait until this terminal's watcher has seen event `seq`, then report the count
  of those present as this terminal knows it (its store) and as its screen shows it (once the
  app's own refresh caught up): the roll call's, a door station's or the projector's count;
* ``COUNT <teller> <n> <n> ...``: at a teller's terminal, the show-of-hands count of its sector
  for the open vote, typed into the count form (F3) by `teller` (no spaces), one number per
  option in the vote's order;
* ``SHOW <seq>``: at the projector, wait until its screen reflects event `seq`, then say what it
  shows;
* end of input: quit.

Answers, one a line (stdout, or the `lines` connection); times are ``time.monotonic_ns()``, one
clock for every process of the host, so a test can compare them across processes:

* ``READY <seq>``: the app is up and the watcher follows the log from event `seq`;
* ``ACK <number> <reason> <seq> <ns>``: a scan's result is on screen (`seq` its event);
* ``NACK <code>``: a door station refused the scan as "not connected" (nothing stored: the
  door staff scan the card again);
* ``SEEN <seq> <ns>``: the watcher reported that the log moved to `seq`;
* ``TOTAL <seq> <present in the store> <present on screen>``: the answer to ``SYNC``;
* ``COUNTED <seq> <ns>``: the count form was confirmed and the count stored as event `seq`;
* ``SCREEN <seq> <the projector's text, lines joined by " | ">``: the answer to ``SHOW``;
* ``TIMEOUT <what>``: something did not happen in time (the test fails on it);
* ``ERROR <traceback on one line>``: the terminal crashed (from :func:`serve`).
"""

import argparse
import asyncio
import contextlib
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from db.store import ScanResult, Store
from db.watch import Watcher
from session import i18n
from session.roles import Role
from tui.app import PresidiumApp, make_app
from tui.forms import CountDialog
from tui.stations.display import DisplayScreen
from tui.stations.door import DoorScreen
from tui.testing import scan_burst, screen_text, settle
from tui.view import ready_view

SYNC_SECONDS = 30.0  # generous: a loaded CI machine runs six of these processes at once

Emit = Callable[[str], None]
ReadLine = Callable[[], str]  # the next command; "" at the end


def follow(watcher: Watcher, emit: Emit) -> None:
    """Report every move of the log until the watcher is closed (the watcher thread's body)."""
    while True:
        seq = watcher.wait(1.0)
        if seq is not None:
            emit(f"SEEN {seq} {time.monotonic_ns()}")
        elif watcher.closed:
            return


def screen_present(app: PresidiumApp) -> int | None:
    """The count of those present as the terminal's screen shows it."""
    if isinstance(app.home, DoorScreen):
        return int(app.home.hall_present or -1)
    if isinstance(app.home, DisplayScreen):
        return int(app.home.query_one("#display-present").value or -1)  # type: ignore[attr-defined]
    counts = app.rollcall.query_one("#counts", Static)  # the roll call: its first number
    found = re.search(r"\d+", str(counts.content))
    return int(found.group()) if found else None


async def sync(pilot: Pilot[Any], store: Store, watcher: Watcher, seq: int, emit: Emit) -> None:
    deadline = time.monotonic() + SYNC_SECONDS
    while watcher.last < seq:
        if time.monotonic() > deadline:
            emit(f"TIMEOUT seen {watcher.last} < {seq}")
            return
        await asyncio.sleep(0.02)
    present = (await asyncio.to_thread(store.snapshot)).verdict.attendance.present
    app = pilot.app
    assert isinstance(app, PresidiumApp)
    shown = screen_present(app)
    while shown != present and time.monotonic() < deadline:  # the app refreshes on its own
        await pilot.pause(0.05)
        shown = screen_present(app)
    emit(f"TOTAL {seq} {present} {shown}")


async def count(pilot: Pilot[Any], store: Store, words: list[str], emit: Emit) -> None:
    """A teller types the sector's count into the count form and confirms it."""
    teller, numbers = words[0], words[1:]
    await pilot.press("f3")
    await settle(pilot)
    dialog = pilot.app.screen
    if not isinstance(dialog, CountDialog):
        emit(f"TIMEOUT count form ({type(dialog).__name__} instead)")
        return
    dialog.query_one("#teller", Input).value = teller
    fields = [f for f in dialog.query(Input) if f.id and f.id.startswith("count-")]
    for field, value in zip(fields, numbers, strict=True):
        field.value = value
    dialog.query_one("#confirm", Button).press()
    await settle(pilot)
    if pilot.app.screen is dialog:  # refused: the form says why and stays
        said = " ".join(screen_text(pilot.app).split())
        emit(f"TIMEOUT count refused: {said}")
        return
    emit(f"COUNTED {await asyncio.to_thread(store.last_seq)} {time.monotonic_ns()}")


async def show(pilot: Pilot[Any], seq: int, emit: Emit) -> None:
    """What the projector shows once its screen reflects event `seq`."""
    app = pilot.app
    assert isinstance(app, PresidiumApp)
    deadline = time.monotonic() + SYNC_SECONDS
    while (app.desk.meeting is None or app.desk.meeting.seq < seq) and time.monotonic() < deadline:
        await pilot.pause(0.02)
    await settle(pilot)
    screen = app.home
    if (
        not isinstance(screen, DisplayScreen)
        or app.desk.meeting is None
        or app.desk.meeting.seq < seq
    ):
        emit(f"TIMEOUT show {seq}")
        return
    emit(f"SCREEN {seq} " + screen.text.replace("\n", " | "))


async def drive(
    db: str,
    station: str,
    read_line: ReadLine,
    emit: Emit,
    role: Role = Role.OPERATOR,
    sector: str | None = None,
) -> None:
    i18n.use("en")
    store = Store.open(db, terminal=station)
    shown = asyncio.Queue[ScanResult]()

    def on_result(result: ScanResult) -> None:
        number = result.delegate.number if result.delegate else 0
        emit(f"ACK {number} {result.decision.reason.value} {result.seq} {time.monotonic_ns()}")
        shown.put_nowait(result)

    watcher = Watcher(store.url)
    thread = threading.Thread(target=follow, args=(watcher, emit), daemon=True)
    thread.start()
    app = make_app(
        store, station=station, on_result=on_result, role=role, sector=sector, sign_in=False
    )
    app.animation_level = "none"
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        emit(f"READY {watcher.last}")
        while line := (await asyncio.to_thread(read_line)).strip():
            command, *words = line.split()
            if command == "SYNC":
                await sync(pilot, store, watcher, int(words[0]), emit)
                continue
            if command == "COUNT":
                await count(pilot, store, words, emit)
                continue
            if command == "SHOW":
                await show(pilot, int(words[0]), emit)
                continue
            await scan_door(pilot, line, shown, emit)
        await settle(pilot)  # no refresh of the app's in flight while it closes
    watcher.close()
    thread.join(timeout=5)
    store.close()


async def scan_door(
    pilot: Pilot[Any], code: str, shown: "asyncio.Queue[ScanResult]", emit: Emit
) -> None:
    """Scan `code`; wait for its result (ACK) or a door's "not connected" refusal (NACK)."""
    app = pilot.app
    assert isinstance(app, PresidiumApp)
    door = app.home if isinstance(app.home, DoorScreen) else None
    if door is not None:
        door.show_result(ready_view())  # so a refusal on the banner is this scan's
    await scan_burst(pilot, code, wait=False)
    refusal = i18n.t("roles.not_connected.scan")
    deadline = time.monotonic() + SYNC_SECONDS
    while time.monotonic() < deadline:
        try:
            await asyncio.wait_for(shown.get(), timeout=0.05)
            return  # on_result said ACK
        except TimeoutError:
            if door is not None and refusal in door.result_text:
                emit(f"NACK {code}")
                return
    shown_now = " ".join(door.result_text.split()) if door is not None else ""
    connected = app.desk.connected
    emit(f"TIMEOUT scan {code} (connected {connected}, writing {app.busy}, shows {shown_now})")


def locked(emit: Emit) -> Emit:
    """`emit` made safe for the watcher thread and the app's loop (whole lines, never mixed)."""
    lock = threading.Lock()

    def emit_locked(line: str) -> None:
        with lock:
            emit(line)

    return emit_locked


def serve(
    db: str,
    station: str,
    commands: Connection,
    lines: Connection,
    role: Role = Role.OPERATOR,
    sector: str | None = None,
) -> None:
    """A child process's body: commands and answers over two one-way connections."""

    def read_line() -> str:
        try:
            return str(commands.recv())
        except EOFError:
            return ""

    emit = locked(lines.send)
    try:
        asyncio.run(drive(db, station, read_line, emit, role, sector))
    except BaseException:  # the test sees why in the lines it reads, then the exit code
        with contextlib.suppress(OSError):
            emit("ERROR " + traceback.format_exc().replace("\n", " | "))
        raise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--station", required=True)
    parser.add_argument("--role", type=Role, default=Role.OPERATOR)
    parser.add_argument("--sector")
    args = parser.parse_args()
    emit = locked(lambda line: print(line, flush=True))
    asyncio.run(drive(args.db, args.station, sys.stdin.readline, emit, args.role, args.sector))


if __name__ == "__main__":
    main()
