"""Figure 5 of bench/ballot_reading.py, the headline: four scanners filling folders at a
scanner's pace, four ``presidium read-ballots --watch`` processes reading them into the store,
the committee simulated, then the box counted and the result made ready."""

import heapq
import multiprocessing as mp
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ballot_reading import ROOT, TARGETS, WORKERS, check, committee_ballot, generate
from ballot_reading_box import BOX, COUNTERS, MACHINE, E, counting_store, store_source

from db.store import Store
from printouts.counting_minutes import write_counting_minutes
from session import elections as el
from session.ballot_reading import Verdict
from session.ballots import BallotInput, InvalidReason
from session.count import CountMode

# ----------------------------------------------------------------------------- part 5


@dataclass
class Scanner:
    """One scanner: its stack of files, its pace (sheets a second); drops each file into its
    folder (written beside it, then renamed in) once the file's last page is scanned."""

    number: int
    files: list[str]
    pages: dict[str, int]
    source: Path
    folder: Path
    pace: float
    landed: list[float] = field(default_factory=list)
    started: float = 0.0

    def run(self) -> None:
        self.started = time.time()
        due = self.started
        for f in self.files:
            due += self.pages[f] / self.pace
            time.sleep(max(0.0, due - time.time()))
            part = self.folder.parent / f"{self.folder.name}-{f}.part"
            shutil.copyfile(self.source / f, part)
            os.replace(part, self.folder / f)
            self.landed.append(time.time())


def _quarters(files: list[str], k: int) -> list[list[str]]:
    size = -(-len(files) // k)
    return [files[i * size : (i + 1) * size] for i in range(k)]


def committee_finish(arrivals: list[float], deciders: int, each: float) -> float:
    """When `deciders` members taking `each` seconds a sheet, in order of arrival, are done."""
    free = [0.0] * deciders
    done = 0.0
    for t in sorted(arrivals):
        start = max(heapq.heappop(free), t)
        heapq.heappush(free, start + each)
        done = max(done, start + each)
    return done


def part_headline(
    n: int, seed: int, tmp: Path, dpi: float, scanners: int, decide_s: float, deciders: int,
    stall_s: float,
) -> dict[str, object]:  # fmt: skip
    db = str(tmp / "headline.db")
    started = time.perf_counter()
    counting_store(db, 200, 180, n, (MACHINE,), CountMode.BALLOTS)
    setup_s = time.perf_counter() - started
    source = store_source(db, "200")
    stock = tmp / "headline-stock"
    stock.mkdir()
    with mp.get_context("fork").Pool(WORKERS) as pool:
        scans = generate(pool, "headline", source, n, seed + 1299709, stock, dpi)
    print(f"  headline: store in {setup_s:.0f} s, {n} ballots generated in "
          f"{scans.generate_s:.0f} s", flush=True)  # fmt: skip
    rng = random.Random(seed)
    machines = []
    for i, files in enumerate(_quarters(scans.files, scanners), 1):
        folder = tmp / f"scanner-{i}"
        folder.mkdir()
        machines.append(Scanner(i, files, scans.pages, stock, folder, rng.uniform(1.0, 2.0)))
    logs = tmp / "watch-logs"
    logs.mkdir()
    watchers = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for m in machines:
        out = (logs / f"watch-{m.number}.log").open("w")
        watchers.append((subprocess.Popen(
            [sys.executable, "-m", "presidium", "read-ballots", str(m.folder), "--watch",
             "--db", db, "--election", E, "--box", BOX, "--batch", f"may-{m.number}",
             "--lang", "en"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
        ), out))  # fmt: skip
    # the watchers ready (their "watching" line) before the first sheet is scanned
    deadline = time.time() + 120
    while time.time() < deadline:
        texts = [(logs / f"watch-{m.number}.log").read_text() for m in machines]
        if all("atch" in t for t in texts) or any(p.poll() is not None for p, _ in watchers):
            break
        time.sleep(0.2)
    threads = [threading.Thread(target=m.run, daemon=True) for m in machines]
    for t in threads:
        t.start()
    expected = len(scans.truth)
    first_seen: dict[tuple[str, int, int], float] = {}
    no_truth = 0
    errors: list[str] = []
    last_change, last_count = time.time(), -1
    with Store.open(db, terminal="counting-screen", operator="bench") as store:
        while True:
            time.sleep(0.5)
            election = store.election_book().get(E)
            assert election is not None
            readings = election.current.readings
            now = time.time()
            for r in el.pending_readings(election.current):
                if r.key in first_seen:
                    continue
                first_seen[r.key] = now
                truth = scans.truth.get((r.place.file, r.place.page, r.place.slot))
                if truth is None:
                    no_truth += 1
                    ballot = BallotInput.spoilt(InvalidReason.OTHER, "bench: no truth")
                else:
                    ballot = committee_ballot(scans.fmt, truth)
                store.decide_reading(E, 1, r.key, ballot, "bench")
            if len(readings) != last_count:
                last_change, last_count = now, len(readings)
            scanned = not any(t.is_alive() for t in threads)
            dead = [
                m.number
                for m, (p, _) in zip(machines, watchers, strict=True)
                if p.poll() is not None
            ]
            if dead:
                errors.append(f"a watcher stopped: {dead}")
                break
            if scanned and len(readings) >= expected and not el.pending_readings(election.current):
                break
            if scanned and now - last_change > stall_s:
                errors.append(f"no new reading for {stall_s:.0f} s: {len(readings)}/{expected}")
                break
        for p, _ in watchers:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p, out in watchers:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            out.close()
        # the record, read back from the store: when each sheet was recorded
        election = store.election_book().get(E)
        assert election is not None
        pending = el.pending_readings(election.current)
        for r in pending:  # read after the last poll
            truth = scans.truth.get((r.place.file, r.place.page, r.place.slot))
            ballot = (BallotInput.spoilt(InvalidReason.OTHER, "bench: no truth") if truth is None
                      else committee_ballot(scans.fmt, truth))  # fmt: skip
            store.decide_reading(E, 1, r.key, ballot, "bench")
            first_seen.setdefault(r.key, time.time())
        readings = election.current.readings
        count_started = time.perf_counter()
        result_ok, count_error = True, ""
        try:
            store.record_election(lambda b, now: el.BoxCounted(E, 1, BOX, now))
            store.record_election(lambda b, now: el.MinutesSigned(E, 1, COUNTERS, now))
            counted = store.election_book().get(E)
            assert counted is not None
            result = counted.result(1)
            result_ok = result is not None
            write_counting_minutes(tmp / "minutes.pdf", store.congress, counted, 1)
        except Exception as exc:  # report, do not hide: the box could not be counted
            result_ok, count_error = False, f"{type(exc).__name__}: {exc}"
        count_s = time.perf_counter() - count_started
    landed = [t for m in machines for t in m.landed]
    scan_start = min(m.started for m in machines)
    last_scan = max(landed) if landed else scan_start
    recorded = [r.at.timestamp() for r in readings]
    read_done = max(recorded) if recorded else last_scan
    arrivals = [r.at.timestamp() for r in readings if r.verdict is Verdict.UNDECIDED]
    committee_done = committee_finish(arrivals, deciders, decide_s) if arrivals else read_done
    ready = max(read_done, committee_done) + count_s
    c = check(scans, ((r.place.file, r.place.page, r.place.slot, r.marks, r.verdict,
                       [d.value for d in r.doubts]) for r in readings))  # fmt: skip
    return {
        "ballots": n, "files": len(scans.files), "scanners": scanners,
        "scanner_pace_sheets_per_s": [round(m.pace, 2) for m in machines],
        "setup_s": round(setup_s, 1), "generate_s": round(scans.generate_s, 1),
        "scanning_s": round(last_scan - scan_start, 1),
        "reading_lag_after_last_sheet_s": round(read_done - last_scan, 1),
        "undecided": len(arrivals), "deciders": deciders, "decide_s_each": decide_s,
        "committee_backlog_after_reading_s": round(max(0.0, committee_done - read_done), 1),
        "counting_s": round(count_s, 2), "result_ready": result_ok, "count_error": count_error,
        "headline_s": round(ready - last_scan, 1),
        "total_from_first_sheet_s": round(ready - scan_start, 1),
        "deciders_for_target": deciders_needed(arrivals, last_scan, read_done, count_s,
                                               decide_s),
        "readings": len(readings), "expected": expected, "undecided_without_truth": no_truth,
        "errors": errors, "check": c.to_json(),
    }  # fmt: skip


def deciders_needed(
    arrivals: list[float], last_scan: float, read_done: float, count_s: float, each: float
) -> int | None:
    """The fewest committee members (deciding side by side) that meet the headline target."""
    for k in range(1, 41):
        done = committee_finish(arrivals, k, each) if arrivals else read_done
        if max(read_done, done) + count_s - last_scan < TARGETS["headline_s"]:
            return k
    return None
