"""Roll-call speed, measured through the real app (headless), with durable commits.

    uv run python bench/rollcall.py [--sizes 300 1600 10000] [--scans N] [--no-cards]

For each register size: start-up time to a usable screen, the time from a scan's Enter to the
result on screen (p50, p99, max) over a whole register (capped by --scans), peak memory, and the
time to write every card as PDF. Prints a table and writes bench/results/rollcall.json.
Targets (issue 2): p99 < 50 ms at 1,600 and < 100 ms at 10,000; start-up < 1.5 s; cards for
1,600 under 10 s.
"""

import argparse
import asyncio
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.store import ScanResult, Store  # noqa: E402
from session import i18n  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def measure_app(db: str, scans: int) -> dict[str, float]:
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
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "rollcall.json")
    args = parser.parse_args()
    i18n.use("vi")
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            build(db, size)
            row: dict[str, float | int | None] = {"delegates": size}
            row.update(asyncio.run(measure_app(str(db), min(size, args.scans))))
            row["cards_s"] = None if args.no_cards else measure_cards(str(db), Path(tmp) / "c.pdf")
            # ru_maxrss is in KiB on Linux; it is the peak of this process so far (sizes ascend).
            row["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append(row)
            print_row(row, header=len(rows) == 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "python": sys.version.split()[0],
                "when": time.strftime("%Y-%m-%d %H:%M:%S"),
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"\nwritten to {args.out}")


def print_row(row: dict[str, float | int | None], header: bool) -> None:
    columns = [
        "delegates",
        "scans",
        "startup_s",
        "p50_ms",
        "p99_ms",
        "max_ms",
        "cards_s",
        "peak_rss_mib",
    ]
    if header:
        print(" | ".join(f"{c:>12}" for c in columns))
        print("-+-".join("-" * 12 for _ in columns))
    cells = []
    for c in columns:
        value = row.get(c)
        cells.append(
            f"{'-':>12}"
            if value is None
            else f"{value:>12.3f}"
            if isinstance(value, float)
            else f"{value:>12}"
        )
    print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
