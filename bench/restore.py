"""SQLite copies and restore (issue 16): how long a copy takes, and how long until a second laptop
runs the congress again from the copy on a USB stick.

    uv run python bench/restore.py [--sizes 450 1600] [--runs 3]

For each register size, a congress with a full day's log is built in an SQLite file with the set-up
of bench/counting.py: every voting delegate scanned in at the morning's door, a fifth out and back
in at the break, every show-of-hands vote of the agenda taken, and a committee election with one
ballot per voter entered ballot by ballot, counted, signed and announced. Then:

- **snapshot**: what the operator's app does after every result and on its interval
  (db/backup.snapshot_everywhere): the snapshot beside the congress file (SQLite's online
  backup), and the same file copied to a second folder ("the USB stick") atomically and fsynced;
- on a "second laptop" (another folder, no congress file there yet):
  - **verify**: the copy checked as `restore` checks it (hash chain, replay, tables);
  - **restore**: `db.backup.restore` (verify the copy, copy it in with the backup API, verify the
    result), in this process;
  - **restore (command)**: `presidium restore --db NEW --from COPY --yes` as a new process, from
    its start to its exit (Python's start and imports included), as the operator types it;
  - **terminal open**: `presidium run` on the restored file as a new process would open it: from
    the process's start to the operator's app (headless) having read the counts and the meeting
    for the first time, i.e. the roll-call screen usable.

Each restore step runs --runs times (each into a fresh file); the table shows the median and
the slowest. Prints a table and writes bench/results/restore.json. The copy's own speed depends
on the second disk: here both folders are on the same disk (the machine's), so a USB stick (or a
network share) adds its write time (a file of the size shown at its write speed).
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting import (  # noqa: E402  (bench/counting.py's set-up: the same congress, the same ballots)
    BOX,
    COUNTERS,
    TEAM,
    E,
    admit,
    decide,
    prepare_election,
    random_ballots,
)
from machine import machine_facts  # noqa: E402  (this folder, as the script runs)

from db.backup import describe, restore, snapshot_everywhere  # noqa: E402
from db.store import Store  # noqa: E402
from session import elections as el  # noqa: E402
from session import i18n  # noqa: E402
from session.agenda import ItemKind  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402
from session.rollcall import Mode  # noqa: E402

LISTS = {450: (60, 50), 1600: (200, 170)}  # candidates and seats of the election, by size
BREAK_OUT = 5  # one voter in this many goes out at the break and comes back


# ----------------------------------------------------------------------------- the day


def a_full_day(db: str, size: int, seed: int) -> dict[str, float | int]:
    """The congress of `size` delegates through a whole day (see the module's text)."""
    started = time.perf_counter()
    with Store.create(db, demo_congress(size, date(2025, 6, 20)), terminal="bench") as store:
        store.import_register(demo_register(size), source="bench")
        voters = [d for d in store.delegates() if d.votes]
        admit(store, len(voters))
        candidates, seats = LISTS.get(size, (min(60, len(voters) // 4), min(50, len(voters) // 5)))
        items = store.agenda_state().items
        election_item = next(s.key for s in items if s.item.kind is ItemKind.ELECTION)
        for state in items:
            if state.key == election_item:
                break
            store.start_item(state.key)
            if state.item.kind is ItemKind.VOTE and state.item.motion is not None:
                decide(store, state.key, state.item.motion)
            if state.item.kind is ItemKind.BREAK and state.key == "item-13":
                for d in voters[::BREAK_OUT]:
                    code = store.card_code(d.number, d.card_issue)
                    store.scan(code, Mode.EXIT, "cửa-phụ")
                    store.scan(code, Mode.ENTRY, "cửa-phụ")
        prepare_election(store, candidates, seats, len(voters))
        for ballot in random_ballots(len(voters), candidates, seats, seed):
            store.enter_ballot(E, 1, TEAM, BOX, ballot)
        store.record_election(lambda b, now: el.BoxCounted(E, 1, BOX, now))
        store.record_election(lambda b, now: el.MinutesSigned(E, 1, COUNTERS, now))
        store.record_election(lambda b, now: el.ResultsAnnounced(E, 1, now))
        resolution = next(
            s for s in items if s.item.kind is ItemKind.VOTE and s.key > election_item
        )
        store.start_item(resolution.key)
        decide(store, resolution.key, resolution.item.motion)  # type: ignore[arg-type]
        events = store.last_seq()
    return {
        "delegates": size,
        "voters": len(voters),
        "ballots": len(voters),
        "events": events,
        "build_s": time.perf_counter() - started,
    }


# ----------------------------------------------------------------------------- the steps


def timed(step: "object", runs: int) -> list[float]:
    times = []
    for n in range(runs):
        started = time.perf_counter()
        step(n)  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def new_process(argv: list[str]) -> float:
    """Seconds from starting `argv` as a new process to its exit (status 0 required)."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return elapsed


def terminal_open(db: Path) -> float:
    """Seconds from starting a new process to the operator's app on `db` having read the counts
    and the meeting for the first time (the process reports it; see `open_and_report`)."""
    started = time.time()
    argv = [sys.executable, __file__, "--open", str(db), "--since", repr(started)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"the terminal did not open: {done.stderr.strip()[-2000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["open_s"])


async def open_and_report(db: str, since: float) -> None:
    """In the new process: open the store and the operator's app as `presidium run` does, wait
    for its first reads, print the seconds since `since` (the parent's clock at the start)."""
    from tui.app import make_app
    from tui.testing import pause

    store = Store.open(db, terminal="bench")
    app = make_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        while app.desk.seen is None or app.desk.meeting is None:
            await pause(pilot)
        shown = time.time() - since
    store.close()
    print(json.dumps({"open_s": shown}))


def measure(size: int, runs: int, seed: int, tmp: Path) -> dict[str, object]:
    db = tmp / "first-laptop" / "congress.db"
    db.parent.mkdir()
    row: dict[str, object] = dict(a_full_day(str(db), size, seed))
    row["db_mib"] = db.stat().st_size / (1 << 20)
    usb = tmp / "usb" / "presidium"
    usb.mkdir(parents=True)
    copies = []

    def take(n: int) -> None:
        with Store.open(str(db), terminal="bench") as store:
            written = snapshot_everywhere(store, db.parent / "backups", (usb,), keep=20)
        assert all(w.path is not None for w in written), written
        copies.append(written[1].path)

    with Store.open(str(db), terminal="bench"):  # the app holds it open meanwhile (WAL)
        snapshot_times = timed(take, runs)
    copy = copies[-1]
    assert copy is not None
    second = tmp / "second-laptop"
    second.mkdir()
    verify_times = timed(lambda n: describe(copy), runs)
    restore_times = timed(
        lambda n: restore(str(second / f"congress-{n}.db"), copy, lambda question: True), runs
    )
    command = [sys.executable, "-m", "presidium", "--lang", "en", "restore", "--from", str(copy)]
    command_times = [
        new_process([*command, "--db", str(second / f"by-command-{n}.db"), "--yes"])
        for n in range(runs)
    ]
    restored = second / "by-command-0.db"
    assert describe(restored)[0] == row["events"]
    open_times = [terminal_open(restored) for _ in range(runs)]
    for name, times in [
        ("snapshot", snapshot_times),
        ("verify", verify_times),
        ("restore", restore_times),
        ("restore_cmd", command_times),
        ("open", open_times),
    ]:
        row[f"{name}_s"] = statistics.median(times)
        row[f"{name}_max_s"] = max(times)
        row[f"{name}_all_s"] = [round(t, 4) for t in times]
    row["back_in_s"] = row["restore_cmd_s"] + row["open_s"]  # type: ignore[operator]
    return row


# ----------------------------------------------------------------------------- main

COLUMNS = [
    ("delegates", "delegates", "{:,}"),
    ("events", "events", "{:,}"),
    ("db_mib", "file MiB", "{:.1f}"),
    ("snapshot_s", "snapshot+copy s", "{:.2f}"),
    ("verify_s", "verify s", "{:.2f}"),
    ("restore_s", "restore s", "{:.2f}"),
    ("restore_cmd_s", "restore cmd s", "{:.2f}"),
    ("open_s", "terminal open s", "{:.2f}"),
    ("back_in_s", "cmd+open s", "{:.2f}"),
]


def print_table(rows: list[dict[str, object]]) -> None:
    widths = [max(len(title), 9) for _, title, _ in COLUMNS]
    print(" | ".join(f"{title:>{w}}" for (_, title, _), w in zip(COLUMNS, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        cells = [fmt.format(row[key]) for key, _, fmt in COLUMNS]
        print(" | ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    print("(medians; the slowest of each in the JSON)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[450, 1600])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "restore.json")
    parser.add_argument("--open", metavar="DB", help=argparse.SUPPRESS)  # (the new terminal)
    parser.add_argument("--since", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open:
        asyncio.run(open_and_report(args.open, args.since))
        return
    i18n.use("vi")
    load_before = os.getloadavg()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(measure(size, args.runs, args.seed, Path(tmp)))
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        **machine_facts(load_before),
        "runs": args.runs,
        "rows": rows,
    }
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
