"""A terminal of a multi-terminal congress: the real app headless, plus a change watcher.

    python -m tests.harness.terminal --db PATH_OR_URL --station NAME

or, from a test, :func:`serve` in a child process (a forkserver that has imported this module
once starts each terminal in a fraction of the 1-3 s an import of the app costs).

Commands, one a line (stdin, or the `commands` connection):

* a card code: scanned as a USB scanner would (a burst of keys and Enter);
* ``SYNC <seq>``: wait until this terminal's watcher has seen event `seq`, then report the count
  of those present as this terminal knows it (its store) and as its screen shows it (once the
  app's own refresh caught up);
* end of input: quit.

Answers, one a line (stdout, or the `lines` connection); times are ``time.monotonic_ns()``, one
clock for every process of the host, so a test can compare them across processes:

* ``READY <seq>``: the app is up and the watcher follows the log from event `seq`;
* ``ACK <number> <reason> <seq> <ns>``: a scan's result is on screen (`seq` its event);
* ``SEEN <seq> <ns>``: the watcher reported that the log moved to `seq`;
* ``TOTAL <seq> <present in the store> <present on screen>``: the answer to ``SYNC``;
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
from textual.widgets import Static

from db.store import ScanResult, Store
from db.watch import Watcher
from session import i18n
from tui.app import make_app
from tui.testing import scan_burst, settle

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


def screen_present(pilot: Pilot[Any]) -> int | None:
    """The count of those present as the roll-call screen shows it (its first number)."""
    counts = pilot.app.rollcall.query_one("#counts", Static)
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
    shown = screen_present(pilot)
    while shown != present and time.monotonic() < deadline:  # the app refreshes on its own poll
        await pilot.pause(0.05)
        shown = screen_present(pilot)
    emit(f"TOTAL {seq} {present} {shown}")


async def drive(db: str, station: str, read_line: ReadLine, emit: Emit) -> None:
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
    app = make_app(store, station=station, on_result=on_result)
    app.animation_level = "none"
    async with app.run_test(size=(160, 50)) as pilot:
        emit(f"READY {watcher.last}")
        while line := (await asyncio.to_thread(read_line)).strip():
            if line.startswith("SYNC "):
                await sync(pilot, store, watcher, int(line.split()[1]), emit)
                continue
            await scan_burst(pilot, line, wait=False)
            try:
                await asyncio.wait_for(shown.get(), timeout=SYNC_SECONDS)
            except TimeoutError:
                emit(f"TIMEOUT scan {line}")
        await settle(pilot)  # no refresh of the app's in flight while it closes
    watcher.close()
    thread.join(timeout=5)
    store.close()


def locked(emit: Emit) -> Emit:
    """`emit` made safe for the watcher thread and the app's loop (whole lines, never mixed)."""
    lock = threading.Lock()

    def emit_locked(line: str) -> None:
        with lock:
            emit(line)

    return emit_locked


def serve(db: str, station: str, commands: Connection, lines: Connection) -> None:
    """A child process's body: commands and answers over two one-way connections."""

    def read_line() -> str:
        try:
            return str(commands.recv())
        except EOFError:
            return ""

    emit = locked(lines.send)
    try:
        asyncio.run(drive(db, station, read_line, emit))
    except BaseException:  # the test sees why in the lines it reads, then the exit code
        with contextlib.suppress(OSError):
            emit("ERROR " + traceback.format_exc().replace("\n", " | "))
        raise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--station", required=True)
    args = parser.parse_args()
    emit = locked(lambda line: print(line, flush=True))
    asyncio.run(drive(args.db, args.station, sys.stdin.readline, emit))


if __name__ == "__main__":
    main()
