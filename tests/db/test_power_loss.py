"""Pull the power cord: SIGKILL the app mid-stream and find every acknowledged scan, once."""

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from db.store import Store
from session.rollcall import Mode

MakeStore = Callable[..., Store]
ROOT = Path(__file__).resolve().parents[2]
# 46 voting delegates; the app is killed once 25 scans are acknowledged, with the rest of the
# codes still queued on its stdin. (Every acknowledged scan is checked, and every scan again
# after the restart: more delegates would check the same thing more times.)
DELEGATES = 50
ACKED_BEFORE_KILL = 25


def _start_driver(db: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.scan_driver", "--db", db, "--station", "door-1"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.strip() == "READY", first + (proc.stderr.read() if proc.stderr else "")
    return proc


def _close(proc: subprocess.Popen[str]) -> None:
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


def _feed_until(
    proc: subprocess.Popen[str], codes: list[str], acks_wanted: int
) -> list[tuple[int, str, int]]:
    """Write all codes at once (as a fast scanner queue would) and read ACKs until enough."""
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(code + "\n" for code in codes))
    proc.stdin.flush()
    acks = []
    while len(acks) < acks_wanted:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "driver died"
        if line.startswith("ACK "):
            _, number, reason, attendance = line.split()
            acks.append((int(number), reason, int(attendance)))
    return acks


@pytest.mark.slow
def test_sigkill_mid_stream_loses_no_acknowledged_scan(
    make_store: MakeStore, sqlite_url: str
) -> None:
    store = make_store(sqlite_url, delegates=DELEGATES)
    voters = [d for d in store.delegates() if d.votes]
    codes = [store.card_code(d.number, d.card_issue) for d in voters]
    store.close()
    assert len(codes) > 1.5 * ACKED_BEFORE_KILL  # plenty still queued at the kill

    proc = _start_driver(sqlite_url)
    acks = _feed_until(proc, codes, acks_wanted=ACKED_BEFORE_KILL)
    os.kill(proc.pid, signal.SIGKILL)  # mid-stream: more codes are still queued on its stdin
    proc.wait(timeout=30)
    _close(proc)

    admitted = {n for n, reason, _ in acks if reason == "admitted"}
    assert len(admitted) == ACKED_BEFORE_KILL
    with Store.open(sqlite_url) as reopened:
        counts = reopened.check_in_counts()
        assert admitted <= set(counts), "an acknowledged scan was lost"
        assert set(counts.values()) == {1}, "a scan was recorded twice"
        assert reopened.verify() is None
        recorded = set(counts)

    # Restart and scan everything again: the recorded ones are "already present", the rest admitted.
    proc = _start_driver(sqlite_url)
    acks = _feed_until(proc, codes, acks_wanted=len(codes))
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=60)
    _close(proc)
    reasons = {n: reason for n, reason, _ in acks}
    assert {n for n, r in reasons.items() if r == "already_present"} == recorded
    assert {n for n, r in reasons.items() if r == "admitted"} == {
        d.number for d in voters
    } - recorded
    with Store.open(sqlite_url) as final:
        assert set(final.check_in_counts().values()) == {1}
        assert final.snapshot().verdict.attendance.present == len(voters)
        assert final.verify() is None


def test_durable_commit_settings_survive_reopen(make_store: MakeStore, sqlite_url: str) -> None:
    """The WAL journal is a property of the file: a reopened database is still in WAL mode."""
    store = make_store(sqlite_url, delegates=5)
    store.scan(store.card_code(1, 0), Mode.ENTRY, "d")
    store.close()
    with Store.open(sqlite_url) as again, again.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
