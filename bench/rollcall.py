"""Roll-call speed, measured through the real app (headless), with durable commits.

    uv run python bench/rollcall.py [--sizes 300 1600 10000] [--scans N] [--no-cards]
                                    [--pace idle|overlap|both] [--gap-ms 100]

For each register size: start-up time to a usable screen, the time from a scan's Enter to the
result on screen (p50, p99, max) over a whole register (capped by --scans), peak memory, and the
time to write every card as PDF. Prints a table and writes bench/results/rollcall.json.

Two paces, each on a fresh congress (``--pace``, default ``idle``):

- **idle**: the next card once the app is idle again after a result (its reads done), as at a
  door where cards come a second or more apart. Columns ``p50_ms``, ``p99_ms``, ``max_ms``.
- **overlap**: a busy door, cards ``--gap-ms`` apart (100 ms) on a fixed clock whatever the app
  is doing, so a scan may arrive while the previous scan's reads (the feed read after its
  commit) still run. A thread plays the terminal driver: it posts each card's 36 digits to the
  app's loop as Textual's driver does (``asyncio.run_coroutine_threadsafe``), then the Enter
  ``--typing-ms`` later (10 ms, a scanner's typing); the time runs from that Enter being posted
  to the ``on_result`` hook, so time spent queued behind the app's own work counts. Results are
  matched to their scan by the card number in the ``ScanResult`` (results may come for scan k
  after scan k+1 was typed); a result that matches no scan, or a scan with no result, is counted
  (``overlap_unmatched``, ``overlap_missing``). ``overlap_late_max_ms`` is how late the driver
  thread posted an Enter against its slot (it waits for the GIL like the real driver thread).
  When the app is slower than the door the scans queue, and the latencies grow with the length
  of the run: ``overlap_achieved_per_s`` (results per second, from the first Enter to the last
  result) below ``overlap_offered_per_s``, and ``overlap_first_tenth_p50_ms`` against
  ``overlap_last_tenth_p50_ms``, show it. The bench waits for every result, however late.
  Columns ``overlap_p50_ms``, ``overlap_p99_ms``, ``overlap_max_ms``.

Targets (issue 2): p99 < 50 ms at 1,600 and < 100 ms at 10,000; start-up < 1.5 s; cards for
1,600 under 10 s. Issue 12: overlapping scans (cards 100 ms apart) p99 < 30 ms at 1,600:

    uv run python bench/rollcall.py --sizes 1600 --pace overlap --no-cards
"""

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_facts  # noqa: E402  (this folder, as the script runs)

from db.store import ScanResult, Store  # noqa: E402
from session import i18n  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402

STUCK = 30.0  # overlap: seconds with no result at all before the bench gives up


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def measure_app(db: str, scans: int) -> dict[str, float]:
    """The idle pace: each card once the app is idle again after the result before."""
    from tui.app import make_app
    from tui.testing import scan_burst

    store = Store.open(db, terminal="bench")
    codes = [store.card_code(d.number, d.card_issue) for d in store.delegates()][:scans]
    shown: asyncio.Queue[float] = asyncio.Queue()

    def on_result(_: ScanResult) -> None:
        shown.put_nowait(time.perf_counter())

    started = time.perf_counter()
    app = make_app(store, station="bench", on_result=on_result)
    latencies: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        startup = time.perf_counter() - started
        for code in codes:
            enter_at = await scan_burst(pilot, code, wait=False)
            done_at = await asyncio.wait_for(shown.get(), timeout=30)
            latencies.append((done_at - enter_at) * 1000)
            # The next card once the app is idle again (Textual's 20 ms idle check), as at a door,
            # where cards come a second or more apart: not while this scan's reads still run.
            await pilot.pause()
    store.close()
    return {
        "startup_s": startup,
        "scans": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
    }


def card_plan(store: Store, scans: int) -> list[tuple[int, str]]:
    """The first `scans` delegates' card numbers and codes."""
    return [(d.number, store.card_code(d.number, d.card_issue)) for d in store.delegates()][:scans]


def drive(
    app: Any,
    loop: asyncio.AbstractEventLoop,
    plan: list[tuple[int, str]],
    slots: list[float],
    typing: float,
    entered: dict[int, float],
    late: list[float],
) -> None:
    """The terminal driver's thread at a busy door: each card's digits `typing` seconds before
    its slot, its Enter at the slot, posted to the app's loop as Textual's driver posts keys."""
    from textual import events

    from tui.testing import key_event

    def post(event: events.Key) -> None:
        asyncio.run_coroutine_threadsafe(app._post_message(event), loop)

    for (number, code), slot in zip(plan, slots, strict=True):
        wait = slot - typing - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        for char in code:
            post(key_event(char))
        wait = slot - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        enter = events.Key("enter", "\r")  # (stamped now, as the driver stamps a key it reads)
        entered[number] = now = time.perf_counter()  # (before the post: never after its result)
        late.append(now - slot)
        post(enter)


async def measure_overlap(db: str, scans: int, gap: float, typing: float) -> dict[str, float]:
    """The overlapping pace: cards `gap` seconds apart whatever the app is doing."""
    from tui.app import make_app
    from tui.testing import settle

    store = Store.open(db, terminal="bench")
    plan = card_plan(store, scans)
    entered: dict[int, float] = {}
    shown: dict[int, float] = {}
    unmatched: list[int | None] = []

    def on_result(result: ScanResult) -> None:
        now = time.perf_counter()
        number = result.number
        if number is None or number not in entered or number in shown:
            unmatched.append(number)
            return
        shown[number] = now

    app = make_app(store, station="bench", on_result=on_result)
    late: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)  # the first load done: the door opens
        start = time.perf_counter() + 0.2
        slots = [start + k * gap for k in range(len(plan))]
        driver = threading.Thread(
            target=drive,
            args=(app, asyncio.get_running_loop(), plan, slots, typing, entered, late),
            daemon=True,
        )
        driver.start()
        # Every result in, however far behind the app falls; given up only if none comes for
        # STUCK seconds (closing the app under a queue of scans would fail them).
        progress, seen = time.perf_counter(), 0
        while driver.is_alive() or len(shown) < len(plan):
            await asyncio.sleep(0.05)
            if len(shown) + len(unmatched) > seen:
                progress, seen = time.perf_counter(), len(shown) + len(unmatched)
            elif not driver.is_alive() and time.perf_counter() - progress > STUCK:
                break
        driver.join(timeout=5)
        await settle(pilot)
    store.close()
    latencies = [(shown[n] - entered[n]) * 1000 for n, _ in plan if n in shown]
    tenth = max(1, len(latencies) // 10)  # a queue that grows shows as a later tenth slower
    span = max(shown.values()) - min(entered.values())
    return {
        "overlap_gap_ms": gap * 1000,
        "overlap_scans": len(latencies),
        "overlap_offered_per_s": 1 / gap,
        "overlap_achieved_per_s": len(latencies) / span,
        "overlap_p50_ms": statistics.median(latencies),
        "overlap_p99_ms": percentile(latencies, 0.99),
        "overlap_max_ms": max(latencies),
        "overlap_first_tenth_p50_ms": statistics.median(latencies[:tenth]),
        "overlap_last_tenth_p50_ms": statistics.median(latencies[-tenth:]),
        "overlap_late_max_ms": max(late) * 1000,
        "overlap_missing": len(plan) - len(latencies),
        "overlap_unmatched": len(unmatched),
    }


def measure_cards(db: str, out: Path) -> float:
    from printouts.cards import card_data, write_cards

    with Store.open(db) as store:
        started = time.perf_counter()
        write_cards(out, store.congress, card_data(store))
        return time.perf_counter() - started


def build(db: Path, size: int) -> None:
    with Store.create(str(db), demo_congress(size, date(2025, 6, 20)), terminal="bench") as store:
        store.import_register(demo_register(size), source="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1600, 10000])
    parser.add_argument("--scans", type=int, default=2000, help="scans per size (at most)")
    parser.add_argument("--no-cards", action="store_true")
    parser.add_argument(
        "--pace",
        choices=["idle", "overlap", "both"],
        default="idle",
        help="idle: the next card once the app is idle; overlap: cards --gap-ms apart",
    )
    parser.add_argument("--gap-ms", type=float, default=100.0, help="overlap: between cards")
    parser.add_argument(
        "--typing-ms", type=float, default=10.0, help="overlap: from a card's digits to its Enter"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "rollcall.json")
    args = parser.parse_args()
    i18n.use("vi")
    load_before = os.getloadavg()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            row: dict[str, float | int | None] = {"delegates": size}
            scans = min(size, args.scans)
            db = Path(tmp) / "bench.db"
            build(db, size)
            if args.pace in ("idle", "both"):
                row.update(asyncio.run(measure_app(str(db), scans)))
            if args.pace in ("overlap", "both"):
                fresh = Path(tmp) / "overlap.db"  # every card admitted, as in the idle pace
                build(fresh, size)
                gap, typing = args.gap_ms / 1000, args.typing_ms / 1000
                row.update(asyncio.run(measure_overlap(str(fresh), scans, gap, typing)))
            row["cards_s"] = None if args.no_cards else measure_cards(str(db), Path(tmp) / "c.pdf")
            # ru_maxrss is in KiB on Linux; it is the peak of this process so far (sizes ascend).
            row["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append(row)
            print_row(row, header=len(rows) == 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                **machine_facts(load_before),
                "pace": args.pace,
                "gap_ms": args.gap_ms,
                "typing_ms": args.typing_ms,
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"\nwritten to {args.out}")


COLUMNS = [
    "delegates",
    "scans",
    "startup_s",
    "p50_ms",
    "p99_ms",
    "max_ms",
    "overlap_scans",
    "overlap_achieved_per_s",
    "overlap_p50_ms",
    "overlap_p99_ms",
    "overlap_max_ms",
    "cards_s",
    "peak_rss_mib",
]


def print_row(row: dict[str, float | int | None], header: bool) -> None:
    """One line of the table (a column that was not measured shows "-")."""
    widths = [max(12, len(c)) for c in COLUMNS]
    if header:
        print(" | ".join(f"{c:>{w}}" for c, w in zip(COLUMNS, widths, strict=True)))
        print("-+-".join("-" * w for w in widths))
    cells = []
    for c, w in zip(COLUMNS, widths, strict=True):
        value = row.get(c)
        cells.append(
            f"{'-':>{w}}"
            if value is None
            else f"{value:>{w}.3f}"
            if isinstance(value, float)
            else f"{value:>{w}}"
        )
    print(" | ".join(cells), flush=True)
    if row.get("overlap_missing") or row.get("overlap_unmatched"):
        print(
            f"  overlap: {row['overlap_missing']} scans without a result, "
            f"{row['overlap_unmatched']} results matching no scan",
            flush=True,
        )


if __name__ == "__main__":
    main()
