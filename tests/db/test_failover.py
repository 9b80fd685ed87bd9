"""A primary and its standby on this machine, set up with `presidium standby setup` (issue 16):
door processes scanning the register, the primary's postmaster SIGKILLed mid-stream, the
standby promoted with `presidium standby promote`; every scan acknowledged before the kill is on
the new primary, none doubled, the chain verifies, the doors carry on by themselves. And a lost
standby: the primary goes on alone, and the log says so."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.standby import NAME, STANDBY_ATTACHED, STANDBY_LOST, cluster_state, config_files
from db.store import Store
from db.watch import Watcher
from presidium.cli import main
from session.i18n import t
from session.rollcall import Mode
from tests.conftest import ROOT
from tests.harness.pg_server import pg_bin
from tests.harness.standby_pair import StandbyPair

pytestmark = [pytest.mark.slow, pytest.mark.pg]
DOORS = 3


@pytest.fixture
def pair(congress_data: dict[str, Any]) -> Iterator[StandbyPair]:
    if pg_bin() is None:
        pytest.skip("no PostgreSQL server programs on this machine")
    pair = StandbyPair(congress_data, 150)
    try:
        yield pair
    finally:
        pair.close()


def acknowledged(path: Path) -> list[int]:
    """The delegates a door has acknowledged so far (whole lines only: the last one may be
    being written)."""
    return [int(line.split()[0]) for line in path.read_text().split("\n")[:-1] if line.strip()]


def start_doors(pair: StandbyPair, tmp_path: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    doors = []
    for i in range(DOORS):
        codes, acks = tmp_path / f"codes-{i}.txt", tmp_path / f"acks-{i}.txt"
        codes.write_text("\n".join(pair.codes[i::DOORS]) + "\n")
        acks.write_text("")
        command = [sys.executable, "-m", "tests.harness.door_process", pair.both(),
                   f"door-{i}", str(codes), str(acks)]  # fmt: skip
        doors.append((subprocess.Popen(command, cwd=ROOT), acks))
    return doors


def wait_for_acks(doors: list[tuple[subprocess.Popen[bytes], Path]], at_least: int) -> None:
    """Until the doors have acknowledged `at_least` scans, each of them some (every door is
    scanning when the primary dies: a loaded machine starts them slowly)."""
    deadline = time.monotonic() + 60
    while sum(len(acknowledged(a)) for _, a in doors) < at_least or any(
        len(acknowledged(a)) < 3 for _, a in doors
    ):
        assert time.monotonic() < deadline, "the doors did not scan"
        time.sleep(0.05)


def test_killing_the_primary_mid_stream_loses_no_acknowledged_scan(
    pair: StandbyPair, tmp_path: Path
) -> None:
    pair.set_up()
    (primary, standby) = cluster_state(pair.both())
    assert not primary.standby and primary.synchronous is not None
    assert primary.synchronous.name == NAME and primary.commit == "remote_apply"
    assert standby.standby

    doors = start_doors(pair, tmp_path)
    wait_for_acks(doors, 30)  # mid-stream
    pair.kill_primary()
    before = {n for _, acks in doors for n in acknowledged(acks)}
    pair.promote()
    for process, _ in doors:
        assert process.wait(timeout=120) == 0  # the doors carried on by themselves
    scanned = [n for _, acks in doors for n in acknowledged(acks)]
    assert len(scanned) == len(pair.codes)

    with Store.open(pair.both()) as store:
        present = {d.number for d in store.delegates() if d.present}
        assert before <= present  # every scan acknowledged before the kill survived it
        assert present == set(scanned)
        check_ins = [e.payload["number"] for e in store.events() if e.kind == "check_in"]
        assert sorted(check_ins) == sorted(set(check_ins))  # none doubled
        assert store.verify() is None
    (new_primary, old) = reversed(cluster_state(pair.both()))
    assert not new_primary.standby and new_primary.synchronous is None  # it commits alone
    assert not old.reachable


def test_the_watcher_and_a_store_find_the_new_primary_by_themselves(
    pair: StandbyPair,
) -> None:
    pair.set_up()
    with Store.open(pair.both()) as store, Watcher.for_store(store) as watcher:
        seen = store.last_seq()
        store.scan(pair.codes[0], Mode.ENTRY, "d")
        assert watcher.wait(timeout=5) == seen + 1
        pair.kill_primary()
        assert watcher.wait(timeout=1) is None
        pair.promote()
        deadline = time.monotonic() + 30
        while True:  # the store's next write reaches the new primary (its pool reconnects)
            try:
                store.scan(pair.codes[1], Mode.ENTRY, "d")
                break
            except Exception:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert watcher.wait(timeout=10) == seen + 2  # the watcher resumed from the log
        assert watcher.connected


def test_a_lost_standby_lets_the_primary_go_on_and_the_log_says_so(
    pair: StandbyPair, tmp_path: Path
) -> None:
    pair.set_up()
    guard = subprocess.Popen(
        [sys.executable, "-m", "presidium", "--lang", "en", "standby", "guard", "--db",
         pair.primary_url(), "--grace", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        with Store.open(pair.primary_url()) as store:
            store.scan(pair.codes[0], Mode.ENTRY, "d")
            pair.stop_standby()
            started = time.monotonic()
            # this scan waits for the standby, then goes on once the guard lets the primary
            # commit alone (after the grace of 2 s)
            store.scan(pair.codes[1], Mode.ENTRY, "d")
            assert time.monotonic() - started < 15
            deadline = time.monotonic() + 10  # (the guard records it just after)
            while STANDBY_LOST not in [e.kind for e in store.events()]:
                assert time.monotonic() < deadline, "the log does not say the standby was lost"
                time.sleep(0.1)
            (primary,) = cluster_state(pair.primary_url())
            assert primary.waits_for == "" and primary.synchronous is None
            assert store.verify() is None
    finally:
        guard.terminate()
        out, _ = guard.communicate(timeout=30)
    assert t("standby.cli.standby_lost", "en") in out
    assert STANDBY_ATTACHED not in out


def test_a_copy_without_configuration_gets_a_minimal_one(tmp_path: Path) -> None:
    """A primary that keeps its configuration in /etc (Debian) leaves none in the copy."""
    (tmp_path / "pg_hba.conf").write_text("host congress all 192.168.50.0/24 scram-sha-256\n")
    config_files(tmp_path)
    assert (tmp_path / "postgresql.conf").read_text().startswith("# Written by presidium")
    assert "192.168.50.0/24" in (tmp_path / "pg_hba.conf").read_text()  # its own is kept


def test_promoting_while_the_primary_answers_is_refused(
    pair: StandbyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misread NOT CONNECTED (one door's cable out) must not make two primaries."""
    pair.set_up()
    argv = ["--lang", "en", "standby", "promote", "--db", pair.both()]
    assert main(argv) == 1
    where = f"127.0.0.1:{pair.primary.port}"
    assert t("standby.error.primary_alive", "en", where=where) in capsys.readouterr().err
    (primary, standby) = cluster_state(pair.both())
    assert not primary.standby and standby.standby  # nothing changed
