"""Failover (issue 16): the primary killed while doors scan, its standby promoted by command;
and what waiting for the standby costs a scan, beside a single server.

    uv run python bench/failover.py [--kills 20] [--doors 3] [--delegates 300] [--scans 500]
                                    [--seed 16]

Every server is a private PostgreSQL server on this machine (tests/harness/standby_pair.py:
initdb, ports on 127.0.0.1) with durable commits (fsync on, as at a venue; the tests' servers
run without fsync).

**Kills** (``--kills``, each on a fresh pair): a primary with the demo congress of
``--delegates`` delegates, its standby set up with ``presidium standby setup`` (synchronous,
``remote_apply``); ``--doors`` door processes (tests/harness/door_process.py) given both hosts
(``target_session_attrs=read-write``) scan the voting delegates' cards, each door its share,
scanning again what the Store could not record, and writing each acknowledged scan with its
wall-clock time (``time.time()``) once the Store has answered. Once a random number of scans is
acknowledged (seeded: between a tenth and a half of the cards), and a random 0-50 ms later, the
primary's postmaster is SIGKILLed and ``presidium standby promote`` run at once, in this process
(so neither a technician's reaction nor the command's interpreter start is in the figures; the
latter is measured on its own, ``command_start_s``). The doors finish by themselves. Then, per
kill:

- ``before``: scans acknowledged before the kill (ack time before the kill's wall-clock time);
- ``lost``: acknowledged scans (before or after the kill) not present on the new primary;
  ``doubled``: check-ins beyond one per delegate there; ``verify``: the chain and tables verify;
- the old primary is then started again on its data folder to read its own log: a scan whose
  check-in is on the new primary and not on the old one was written by the new primary;
  ``to_first_s`` is from the kill to the first scan the new primary acknowledged;
  ``old_late``: scans the old primary still acknowledged after the kill signal (commits the
  standby had applied as the postmaster died: they are on both; how long after the kill is in
  the JSON, ``old_late_ms``); ``unsent``: check-ins the old primary had committed and neither
  sent nor acknowledged (their doors scanned them again);
- ``promote_s``: how long the promote command took; ``doors_s``: from the kill until every door
  had scanned all its cards.

**Latency**: ``--scans`` scans by one door's loop (``Store.scan``, as the door process calls it,
each timed from the call to the Store's answer, its commit included) against a single server
with no standby and against a primary with its synchronous standby, alternately (scan i on one,
then on the other, who goes first alternating), each its own congress of the same size; the
first few scans of each (connections opening) are not timed.

Prints two tables and writes bench/results/failover.json.
"""

import argparse
import contextlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting import percentile, register_size  # noqa: E402
from machine import machine_facts  # noqa: E402  (this folder, as the script runs)

from db.standby import cluster_state  # noqa: E402
from db.store import Store  # noqa: E402
from session import i18n  # noqa: E402
from session.demo import demo_congress  # noqa: E402
from session.rollcall import Action, Mode, Reason  # noqa: E402
from tests.harness.door_process import read_acks  # noqa: E402
from tests.harness.pg_server import pg_bin  # noqa: E402
from tests.harness.standby_pair import StandbyPair  # noqa: E402

START = date(2025, 6, 20)
JITTER_S = 0.05  # the kill comes up to this long after the chosen number of acknowledgements
ACKS_WAIT_S = 120.0  # the longest the doors may take to reach it
DOORS_WAIT_S = 300.0  # the longest the doors may take to finish after the kill
WARM_UP = 5  # latency: scans of each server not timed (connections opening)
COMMAND_RUNS = 3

Ack = tuple[int, str, float]  # delegate number, reason, time.time() of the Store's answer


# ----------------------------------------------------------------------------- doors


@dataclass
class Door:
    process: subprocess.Popen[bytes]
    acks: Path


def start_doors(url: str, codes: list[str], doors: int, folder: Path) -> list[Door]:
    """`doors` door processes, each scanning its share of `codes` into `url`."""
    started = []
    for i in range(doors):
        mine, acks = folder / f"codes-{i}.txt", folder / f"acks-{i}.txt"
        mine.write_text("\n".join(codes[i::doors]) + "\n")
        acks.write_text("")
        command = [sys.executable, "-m", "tests.harness.door_process", url, f"door-{i}",
                   str(mine), str(acks)]  # fmt: skip
        started.append(Door(subprocess.Popen(command, cwd=ROOT), acks))
    return started


def all_acks(doors: list[Door]) -> list[Ack]:
    return [a for d in doors for a in read_acks(str(d.acks))]


def wait_for_acks(doors: list[Door], at_least: int) -> None:
    deadline = time.monotonic() + ACKS_WAIT_S
    while len(all_acks(doors)) < at_least:
        if all(d.process.poll() is not None for d in doors):
            raise SystemExit(f"the doors stopped before {at_least} scans were acknowledged")
        if time.monotonic() > deadline:
            raise SystemExit(f"the doors did not reach {at_least} scans in {ACKS_WAIT_S:.0f} s")
        time.sleep(0.01)


def finish(doors: list[Door]) -> list[int | None]:
    """Each door's exit status (None: still scanning after DOORS_WAIT_S, then killed)."""
    deadline = time.monotonic() + DOORS_WAIT_S
    codes = []
    for d in doors:
        try:
            codes.append(d.process.wait(timeout=max(0.1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            d.process.kill()
            d.process.wait()
            codes.append(None)
    return codes


def quietly(step: Callable[[], None]) -> None:
    """A `presidium` command run in this process, its printed steps kept out of the table
    (shown if it fails)."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            step()
    except BaseException:
        print(out.getvalue(), file=sys.stderr)
        raise


# ----------------------------------------------------------------------------- kills


def check_ins_of(url: str) -> tuple[list[tuple[int, str]], set[int], bool]:
    """The log's check-ins (delegate number, event hash), who is present, whether it verifies."""
    with Store.open(url, terminal="bench") as store:
        check_ins = [(int(str(e.payload["number"])), e.hash)
                     for e in store.events() if e.kind == "check_in"]  # fmt: skip
        present = {d.number for d in store.delegates() if d.present}
        return check_ins, present, store.verify() is None


def old_primary_check_ins(pair: StandbyPair) -> set[str]:
    """The killed primary started again on its data folder (crash recovery; nothing reaches it
    now: the doors are done): the hashes of the check-ins in its log."""
    for attempt in range(10):  # (its orphaned backends may take a moment to go)
        try:
            pair.primary.pg_ctl("-o", pair.primary.options, "-w", "start")
            break
        except subprocess.CalledProcessError:
            if attempt == 9:
                raise
            time.sleep(0.5)
    check_ins, _, _ = check_ins_of(pair.primary_url())
    return {h for _, h in check_ins}


def one_kill(args: argparse.Namespace, rng: random.Random, folder: Path) -> dict[str, Any]:
    pair = StandbyPair(demo_congress(args.delegates, START), args.delegates, fsync=True)
    doors: list[Door] = []
    try:
        quietly(pair.set_up)
        cards = len(pair.codes)
        target = rng.randint(max(1, cards // 10), cards // 2)
        jitter = rng.uniform(0, JITTER_S)
        doors = start_doors(pair.both(), pair.codes, args.doors, folder)
        wait_for_acks(doors, target)
        time.sleep(jitter)
        pair.kill_primary()
        killed = time.time()
        killed_at = time.monotonic()
        quietly(pair.promote)
        promote_s = time.monotonic() - killed_at
        exits = finish(doors)
        doors_s = time.monotonic() - killed_at
        acks = all_acks(doors)
        check_ins, present, verifies = check_ins_of(pair.both())
        (new_primary,) = [s for s in cluster_state(pair.both()) if s.reachable]
        old_hashes = old_primary_check_ins(pair)
    finally:
        for d in doors:
            if d.process.poll() is None:
                d.process.kill()
                d.process.wait()
        pair.close()
    new_hash = dict(check_ins)
    per_delegate = Counter(n for n, _ in check_ins)

    def by_old(ack: Ack) -> bool:
        number, reason, at = ack
        if at <= killed:
            return True
        return reason != Reason.ALREADY_PRESENT and new_hash.get(number) in old_hashes

    by_new = sorted(at for n, r, at in acks if not by_old((n, r, at)))
    acked = {n for n, _, _ in acks}
    return {
        "target": target,
        "cards": cards,
        "before": sum(1 for _, _, at in acks if at <= killed),
        "lost": len(acked - present),
        "doubled": sum(c - 1 for c in per_delegate.values()),
        "verify": verifies,
        "complete": len(acks) == cards and acked == present and exits == [0] * len(doors),
        "new_primary_writable": not new_primary.standby,
        "to_first_s": (by_new[0] - killed) if by_new else None,
        "old_late": sum(1 for a in acks if a[2] > killed and by_old(a)),
        "old_late_ms": [
            round((a[2] - killed) * 1000, 3) for a in acks if a[2] > killed and by_old(a)
        ],
        "unsent": len(old_hashes - set(new_hash.values())),
        "promote_s": promote_s,
        "doors_s": doors_s,
    }


def kill_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    firsts = [r["to_first_s"] for r in rows if r["to_first_s"] is not None]
    promotes = [r["promote_s"] for r in rows]
    return {
        "kills": len(rows),
        "before": sum(r["before"] for r in rows),
        "lost": sum(r["lost"] for r in rows),
        "doubled": sum(r["doubled"] for r in rows),
        "not_verified": sum(1 for r in rows if not r["verify"]),
        "incomplete": sum(1 for r in rows if not r["complete"]),
        "old_late": sum(r["old_late"] for r in rows),
        "unsent": sum(r["unsent"] for r in rows),
        "to_first_p50_s": statistics.median(firsts) if firsts else None,
        "to_first_min_s": min(firsts, default=None),
        "to_first_max_s": max(firsts, default=None),
        "promote_p50_s": statistics.median(promotes) if promotes else None,
        "promote_max_s": max(promotes, default=None),
    }


# ----------------------------------------------------------------------------- latency


def timed_scans(stores: list[tuple[str, Store, list[str]]], order: list[int]) -> dict[str, list]:
    """Each card of `order` scanned on every store in turn (who goes first alternating); ms."""
    times: dict[str, list[float]] = {name: [] for name, _, _ in stores}
    for i, k in enumerate(order):
        for name, store, codes in stores if i % 2 == 0 else stores[::-1]:
            began = time.perf_counter()
            result = store.scan(codes[k], Mode.ENTRY, "door-1")
            took = (time.perf_counter() - began) * 1000
            assert result.decision.action is Action.CHECK_IN, result.decision
            if i >= WARM_UP:
                times[name].append(took)
    return times


def command_start(url: str) -> list[float]:
    """`presidium standby status` as a new process, as a technician types a command: s."""
    command = [sys.executable, "-m", "presidium", "--lang", "en", "standby", "status", "--db", url]
    runs = []
    for _ in range(COMMAND_RUNS):
        began = time.monotonic()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)
        runs.append(time.monotonic() - began)
    return runs


def latency(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    size = register_size(args.scans + WARM_UP)
    congress = demo_congress(size, START)
    single = StandbyPair(congress, size, fsync=True)  # never set up: one server, no standby
    pair = None
    try:
        pair = StandbyPair(congress, size, fsync=True)
        quietly(pair.set_up)
        order = list(range(args.scans + WARM_UP))
        rng.shuffle(order)
        with (
            Store.open(single.primary_url(), terminal="door/single") as alone,
            Store.open(pair.both(), terminal="door/pair") as waiting,
        ):
            stores = [
                ("single server", alone, single.codes),
                ("primary + synchronous standby", waiting, pair.codes),
            ]
            times = timed_scans(stores, order)
        primary = cluster_state(pair.both())[0]
        synchronous = primary.synchronous is not None and primary.commit == "remote_apply"
        starts = command_start(pair.both())
    finally:
        single.close()
        if pair is not None:
            pair.close()
    rows = [{"server": name, **latency_row(ms)} for name, ms in times.items()]
    return {"delegates": size, "rows": rows, "synchronous_throughout": synchronous,
            "command_start_s": starts, "latencies_ms": times}  # fmt: skip


def latency_row(ms: list[float]) -> dict[str, Any]:
    return {
        "scans": len(ms),
        "p50_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms),
        "mean_ms": statistics.fmean(ms),
    }


# ----------------------------------------------------------------------------- the tables

KILL_COLUMNS = [
    ("kill", "kill", "{}"),
    ("before", "acked before", "{}"),
    ("lost", "lost", "{}"),
    ("doubled", "doubled", "{}"),
    ("verify", "verifies", "{}"),
    ("complete", "doors done", "{}"),
    ("to_first_s", "kill→1st ack s", "{:.2f}"),
    ("promote_s", "promote s", "{:.2f}"),
    ("old_late", "old late", "{}"),
    ("unsent", "unsent", "{}"),
    ("doors_s", "doors s", "{:.1f}"),
]
LATENCY_COLUMNS = [
    ("server", "server", "{}"),
    ("scans", "scans", "{}"),
    ("p50_ms", "p50 ms", "{:.2f}"),
    ("p95_ms", "p95 ms", "{:.2f}"),
    ("p99_ms", "p99 ms", "{:.2f}"),
    ("max_ms", "max ms", "{:.2f}"),
    ("mean_ms", "mean ms", "{:.2f}"),
]


def print_rows(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]],
               header: bool = True) -> None:  # fmt: skip
    """Lines of a table (a value that is None shows "-"), each column as wide as its title or
    its widest value in `rows` (lines printed one at a time line up when the titles are wider)."""
    cells = [["-" if r[k] is None else fmt.format(r[k]) for k, _, fmt in columns] for r in rows]
    widths = [max(len(t), 7, *(len(c[i]) for c in cells)) for i, (_, t, _) in enumerate(columns)]
    if header:
        print(" | ".join(f"{t:>{w}}" for (_, t, _), w in zip(columns, widths, strict=True)))
        print("-+-".join("-" * w for w in widths))
    for line in cells:
        print(" | ".join(f"{c:>{w}}" for c, w in zip(line, widths, strict=True)), flush=True)


def print_summary(summary: dict[str, Any], measured: dict[str, Any] | None) -> None:
    s = summary
    if s["kills"]:
        print(
            f"\n{s['kills']} kills: {s['lost']} acknowledged scans lost ({s['before']} "
            f"acknowledged before the kills), {s['doubled']} doubled, {s['not_verified']} not "
            f"verified, {s['incomplete']} incomplete; kill to the first scan on the new primary "
            f"p50 {s['to_first_p50_s']:.2f} s (min {s['to_first_min_s']:.2f}, max "
            f"{s['to_first_max_s']:.2f}); promote command p50 {s['promote_p50_s']:.2f} s (max "
            f"{s['promote_max_s']:.2f})"
        )
    if measured is None:
        return
    single, pair = (r["p50_ms"] for r in measured["rows"])
    print(
        f"\nsynchronous replication (remote_apply) adds {pair - single:.2f} ms to a scan's p50; "
        "both servers and the standby on this machine (127.0.0.1, fsync on): no network round "
        "trip is in these figures"
        + ("" if measured["synchronous_throughout"] else " (THE STANDBY DROPPED OUT)")
    )
    starts = ", ".join(f"{x:.2f}" for x in measured["command_start_s"])
    print(f"a presidium command as a new process (standby status): {starts} s")


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--doors", type=int, default=3)
    parser.add_argument("--delegates", type=int, default=300)
    parser.add_argument("--scans", type=int, default=500, help="latency: scans of each server")
    parser.add_argument("--no-latency", dest="latency", action="store_false")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "failover.json")
    args = parser.parse_args()
    if pg_bin() is None:
        raise SystemExit("no PostgreSQL server programs on this machine (pg_ctl)")
    i18n.use("en")
    rng = random.Random(args.seed)
    load_before = os.getloadavg()
    began = time.monotonic()
    kills = []
    for k in range(args.kills):
        with tempfile.TemporaryDirectory() as tmp:
            row = {"kill": k + 1, **one_kill(args, rng, Path(tmp))}
        kills.append(row)
        print_rows([row], KILL_COLUMNS, header=k == 0)
    summary = kill_summary(kills)
    measured = latency(args, rng) if args.latency else None
    if measured is not None:
        print()
        print_rows(measured["rows"], LATENCY_COLUMNS)
    print_summary(summary, measured)
    duration = time.monotonic() - began
    print(f"\n{duration:.0f} s in all")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        **machine_facts(load_before),
        "duration_s": duration,
        "seed": args.seed,
        "doors": args.doors,
        "delegates": args.delegates,
        "servers": "private PostgreSQL servers on 127.0.0.1, fsync on, synchronous_commit "
        "remote_apply with the standby",
        "kill_summary": summary,
        "kills": kills,
        "latency": measured,
    }
    args.out.write_text(json.dumps(report, indent=2))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
