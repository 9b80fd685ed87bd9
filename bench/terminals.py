"""Terminals: how soon a commit at one terminal is known at another, with 8 doors scanning.

    uv run python bench/terminals.py [--backends sqlite postgresql] [--doors 8]
                                     [--rates 8 16 32 64 128 256 512] [--seconds 5]
                                     [--scans 200] [--delegates 1600] [--pg postgresql://...]

For each backend, a fresh congress (an SQLite file, or a fresh PostgreSQL database beside the
one named by ``--pg``, dropped afterwards), then separate processes:

- **door stations** (``--doors``), each with its own store as a door terminal has, scanning its
  share of the register through ``store.scan`` (each scan one durable write transaction and one
  event; entry on the first pass over its cards, exit on the second, and so on). The doors
  scan at a fixed pace, together ``--rates`` scans per second, each step lasting ``--seconds``
  or long enough for ``--scans`` scans; a scan is due at its slot, and a door that falls
  behind starts the next one late.
- **another terminal** that follows the log as the app would with db/watch.py: a ``Watcher``
  wakes it, then it reads what changed (``tui.feed.read_feed``: the counts, the quorum and the
  delegates the new events name);
- **the operator's app** itself (headless, Textual's test driver, its own watcher and store),
  unless ``--no-app``: the time its roll-call screen is given the change.

Measured, per step:

- **wait**: from a scan's due time to its result at the door (the commit done), i.e. how long
  the door staff wait, queueing included. "Sustained" is the highest rate of the ladder whose
  achieved rate is within 5 % of the offered one with no scan waiting more than 100 ms; the
  same with 99 % of the scans under 100 ms is given beside it. The ladder stops when the doors
  achieve less than 90 % of the offered rate. Each door makes a few scans first, unmeasured,
  as a terminal has after its first minutes;
- **seen**: from the door's result (its commit returned) to the other terminal's watcher
  reporting a seq at least as new; **read**: to that terminal having read the change;
  **shown**: to the operator's app having put it on its roll-call screen (the widgets updated;
  the terminal's repaint follows within a frame).

The doors are store-level processes, not the full app (eight Textual apps on a 2-core machine
would measure their rendering, not the database; the app adds its own time on top). Prints a
table and writes bench/results/terminals.json.

Target (issue 12): with 8 doors at 16 scans/s, a change read at another terminal ("read") at
p99 under 150 ms, on SQLite and on PostgreSQL:

    uv run python bench/terminals.py --doors 8 --rates 16
"""

import argparse
import bisect
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_facts  # noqa: E402  (this folder, as the script runs)

from db.store import Store  # noqa: E402
from db.watch import Watcher  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402
from session.rollcall import Mode  # noqa: E402

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
WAIT_LIMIT_MS = 100.0
WARM_UP = 3  # scans per door before the clock runs
SATURATED = 0.9  # achieved under this share of the offered rate: the ladder stops
CTX = mp.get_context("spawn")


@dataclass(frozen=True, slots=True)
class Scan:
    seq: int
    due_ns: int
    start_ns: int
    done_ns: int


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# ----------------------------------------------------------------------------- processes


def door(url: str, station: str, codes: list[str], steps: "Queue[Any]", out: "Queue[Any]") -> None:
    """A door station: for each step (scans per second, seconds, start), scan at that pace."""
    store = Store.open(url, terminal=station)
    try:
        # Warm up as a terminal is after its first scans (connection, compiled statements).
        for n in range(WARM_UP):
            scan_one(store, station, codes, n)
        done = WARM_UP
        out.put(("ready", station))
        while (step := steps.get()) is not None:
            rate, seconds, start_ns = step
            scans, done = scan_step(store, station, codes, done, rate, seconds, start_ns)
            out.put(("step", station, scans))
    except Exception as exc:  # the bench reports it and stops
        out.put(("error", station, f"{type(exc).__name__}: {exc}"))
    finally:
        store.close()


def scan_one(store: Store, station: str, codes: list[str], done: int) -> int:
    """The door's next card: entry on even passes over its cards, exit on odd ones, so every
    scan changes the attendance. Returns the event's seq."""
    mode = Mode.ENTRY if (done // len(codes)) % 2 == 0 else Mode.EXIT
    return store.scan(codes[done % len(codes)], mode, station).seq or 0


def scan_step(
    store: Store, station: str, codes: list[str], done: int, rate: float, seconds: float, start: int
) -> tuple[list[tuple[int, int, int, int]], int]:
    """Scan at `rate` per second for `seconds` from `start` (ns): the scans, and how many the
    door has made in all."""
    interval = int(1e9 / rate)
    due = start + random.randrange(interval)  # the doors' slots do not line up
    end = start + int(seconds * 1e9)
    scans = []
    while due < end:
        now = time.monotonic_ns()
        if due > now:
            time.sleep((due - now) / 1e9)
        began = time.monotonic_ns()
        seq = scan_one(store, station, codes, done)
        scans.append((seq, due, began, time.monotonic_ns()))
        done += 1
        due += interval
    return scans, done


def follower(url: str, stop: Event, out: "Queue[Any]") -> None:
    """Another terminal: woken by the watcher, it reads what changed as the app's feed does."""
    from tui.feed import read_feed  # no Textual in it: the reads the roll-call screen needs

    store = Store.open(url, terminal="display")
    watcher = Watcher(store.url)
    seen: int | None = watcher.last
    read_feed(store, None)  # the first full load, as the app does at start
    records = []
    out.put(("ready", "display"))
    while not stop.is_set():
        seq = watcher.wait(0.2)
        if seq is None:
            continue
        woke = time.monotonic_ns()
        update = read_feed(store, seen)
        seen = update.seq if update is not None else seen
        records.append((seq, woke, time.monotonic_ns()))
    watcher.close()
    store.close()
    out.put(("follower", "display", records))


def app_follower(url: str, stop: Event, out: "Queue[Any]") -> None:
    """The operator's app, headless: when each change reached its roll-call screen."""
    import asyncio

    from tui.app import make_app
    from tui.feed import FeedUpdate
    from tui.testing import settle

    async def run() -> list[tuple[int, int, int]]:
        store = Store.open(url, terminal="desk")
        app = make_app(store, station="desk")
        records: list[tuple[int, int, int]] = []
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            show_feed = app.rollcall.show_feed

            def shown(update: FeedUpdate) -> None:
                show_feed(update)
                now = time.monotonic_ns()
                records.append((update.seq, now, now))

            app.rollcall.show_feed = shown  # type: ignore[method-assign]
            out.put(("ready", "app"))
            while not stop.is_set():
                await asyncio.sleep(0.1)
        store.close()
        return records

    out.put(("follower", "app", asyncio.run(run())))


# ----------------------------------------------------------------------------- measuring


def appearance(scans: list[Scan], records: list[tuple[int, int, int]]) -> dict[str, float]:
    """For each scan, the first wake-up that reported its seq or a newer one (records are in
    time order and their seqs grow)."""
    seqs = [r[0] for r in records]
    seen_ms, read_ms = [], []
    for scan in scans:
        i = bisect.bisect_left(seqs, scan.seq)
        if i == len(records):
            continue  # never seen: counted below
        seen_ms.append((records[i][1] - scan.done_ns) / 1e6)
        read_ms.append((records[i][2] - scan.done_ns) / 1e6)
    return {
        "seen_p50_ms": statistics.median(seen_ms),
        "seen_p99_ms": percentile(seen_ms, 0.99),
        "seen_max_ms": max(seen_ms),
        "read_p50_ms": statistics.median(read_ms),
        "read_p99_ms": percentile(read_ms, 0.99),
        "never_seen": len(scans) - len(seen_ms),
    }


def shown_on_screen(scans: list[Scan], records: list[tuple[int, int, int]]) -> dict[str, float]:
    """The app's side: from each scan's commit to its roll-call screen showing it."""
    times = appearance(scans, records)
    return {
        "shown_p50_ms": times["seen_p50_ms"],
        "shown_p99_ms": times["seen_p99_ms"],
        "shown_max_ms": times["seen_max_ms"],
        "never_shown": times["never_seen"],
    }


def step_row(rate: float, seconds: float, scans: list[Scan]) -> dict[str, Any]:
    waits = [(s.done_ns - s.due_ns) / 1e6 for s in scans]
    service = [(s.done_ns - s.start_ns) / 1e6 for s in scans]
    span = (max(s.done_ns for s in scans) - min(s.due_ns for s in scans)) / 1e9
    achieved = len(scans) / max(span, seconds)
    return {
        "offered_per_s": rate,
        "achieved_per_s": achieved,
        "scans": len(scans),
        "wait_p50_ms": statistics.median(waits),
        "wait_p99_ms": percentile(waits, 0.99),
        "wait_max_ms": max(waits),
        "commit_p50_ms": statistics.median(service),
        "sustained": achieved >= 0.95 * rate and max(waits) <= WAIT_LIMIT_MS,
        "sustained_p99": achieved >= 0.95 * rate and percentile(waits, 0.99) <= WAIT_LIMIT_MS,
    }


# ----------------------------------------------------------------------------- running


@contextmanager
def fresh_database(backend: str, pg: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield str(Path(tmp) / "terminals.db")
        return
    import psycopg

    name = f"presidium_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(pg, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(url: str, delegates: int) -> list[str]:
    """The congress and its register; the voting delegates' card codes."""
    with Store.create(url, demo_congress(delegates, date(2025, 6, 20)), terminal="bench") as s:
        s.import_register(demo_register(delegates), source="bench")
        return [s.card_code(d.number, d.card_issue) for d in s.delegates() if d.votes]


def expect(out: "Queue[Any]", kind: str, count: int) -> list[tuple[Any, ...]]:
    messages = []
    while len(messages) < count:
        message = out.get(timeout=300)
        if message[0] == "error":
            raise SystemExit(f"{message[1]}: {message[2]}")
        if message[0] == kind:
            messages.append(message)
    return messages


def run_backend(backend: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    with fresh_database(backend, args.pg) as url:
        codes = build(url, args.delegates)
        random.Random(1).shuffle(codes)
        out: Queue[Any] = CTX.Queue()
        stop = CTX.Event()
        followers = [CTX.Process(target=follower, args=(url, stop, out))]
        if args.app:
            followers.append(CTX.Process(target=app_follower, args=(url, stop, out)))
        for f in followers:
            f.start()
        queues = [CTX.Queue() for _ in range(args.doors)]
        doors = [
            CTX.Process(target=door, args=(url, f"door-{i + 1}", codes[i :: args.doors], q, out))
            for i, q in enumerate(queues)
        ]
        for p in doors:
            p.start()
        expect(out, "ready", args.doors + len(followers))
        rows = []
        for rate in args.rates:
            seconds = max(args.seconds, args.scans / rate)  # enough scans for a p99
            start = time.monotonic_ns() + int(0.5e9)
            for q in queues:
                q.put((rate / args.doors, seconds, start))
            scans = [Scan(*s) for m in expect(out, "step", args.doors) for s in m[2]]
            row = {"backend": backend, **step_row(rate, seconds, scans), "_scans": scans}
            rows.append(row)
            if row["achieved_per_s"] < SATURATED * rate:
                break  # the doors cannot keep up: higher rates only lengthen the queue
            time.sleep(0.5)  # let the follower drain before the next step
        for q in queues:
            q.put(None)
        for p in doors:
            p.join(timeout=60)
        time.sleep(0.5)
        stop.set()
        records = {m[1]: m[2] for m in expect(out, "follower", len(followers))}
        for f in followers:
            f.join(timeout=60)
    for row in rows:
        scans = row.pop("_scans")
        row.update(appearance(scans, records["display"]))
        if "app" in records:
            row.update(shown_on_screen(scans, records["app"]))
    return rows


COLUMNS = [
    ("backend", "backend", "{:>10}"),
    ("offered_per_s", "offered/s", "{:>9.0f}"),
    ("achieved_per_s", "achieved/s", "{:>10.1f}"),
    ("wait_p50_ms", "wait p50", "{:>8.1f}"),
    ("wait_p99_ms", "wait p99", "{:>8.1f}"),
    ("wait_max_ms", "wait max", "{:>8.1f}"),
    ("seen_p50_ms", "seen p50", "{:>8.1f}"),
    ("seen_p99_ms", "seen p99", "{:>8.1f}"),
    ("read_p50_ms", "read p50", "{:>8.1f}"),
    ("read_p99_ms", "read p99", "{:>8.1f}"),
    ("shown_p50_ms", "shown p50", "{:>9.1f}"),
    ("shown_p99_ms", "shown p99", "{:>9.1f}"),
    ("sustained", "max ok", "{!s:>6}"),
    ("sustained_p99", "p99 ok", "{!s:>6}"),
]


def print_rows(rows: list[dict[str, Any]]) -> None:
    columns = [c for c in COLUMNS if c[0] in rows[0]]
    print(" | ".join(f"{title:>{len(fmt.format(rows[0][key]))}}" for key, title, fmt in columns))
    for row in rows:
        print(" | ".join(fmt.format(row[key]) for key, _, fmt in columns))


def sustained(rows: list[dict[str, Any]]) -> str:
    """The highest rate of the ladder that met each criterion (a lower step that missed is
    shown in the table: on a shared machine one stall can spoil a step)."""

    def best(key: str) -> float:
        return max((r["offered_per_s"] for r in rows if r[key]), default=0.0)

    return (
        f"sustained {best('sustained'):.0f} scans/s with no scan waiting over 100 ms, "
        f"{best('sustained_p99'):.0f} scans/s with 99 % under 100 ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--doors", type=int, default=8)
    parser.add_argument("--rates", type=float, nargs="+", default=[8, 16, 32, 64, 128, 256, 512])
    parser.add_argument("--seconds", type=float, default=5.0, help="shortest step")
    parser.add_argument("--scans", type=int, default=200, help="fewest scans in a step")
    parser.add_argument("--delegates", type=int, default=1600)
    parser.add_argument(
        "--no-app", dest="app", action="store_false", help="no operator app among the followers"
    )
    parser.add_argument("--pg", default=os.environ.get("PRESIDIUM_TEST_PG", PG_DEFAULT))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "terminals.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    rows = []
    for backend in args.backends:
        backend_rows = run_backend(backend, args)
        print_rows(backend_rows)
        print(f"{backend}: {sustained(backend_rows)}\n", flush=True)
        rows += backend_rows
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                **machine_facts(load_before),
                "doors": args.doors,
                "seconds_per_step": args.seconds,
                "scans_per_step": args.scans,
                "delegates": args.delegates,
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
