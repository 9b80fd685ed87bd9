"""Several terminals on one congress: real app processes on one SQLite file and on PostgreSQL.

Each terminal is ``tests/harness/terminal.py``: the real app headless, fed scans as commands, with
a change watcher (db/watch.py) reporting every move of the log it sees. The tests check what
each process said: who was admitted, who was already present, which events it saw and the
totals it shows. They assert behaviour only; bench/terminals.py measures the times.
"""

import multiprocessing as mp
import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import pytest

from db.store import Store
from session import i18n
from session.roles import Role
from session.rollcall import Reason
from session.votes import SectorStatus, VoteStatus
from tests.harness.pg_server import PrivateServer
from tests.harness.terminal import serve
from tests.harness.votes import PRESENT, admit, resolution

MakeStore = Callable[..., Store]
# Each terminal is forked from a server that has imported the app once: real, separate
# processes, without paying the app's import (1-3 s of CPU) five times on a 2-core machine.
FORKSERVER = mp.get_context("forkserver")
FORKSERVER.set_forkserver_preload(["tests.harness.terminal"])
DUPLICATES = 8  # cards also shown at a second door
WAIT_SECONDS = 120.0  # for a whole register on a loaded machine; the tests take ~10 s each


@dataclass(frozen=True, slots=True)
class Ack:
    station: str
    number: int
    reason: str
    seq: int


class Terminal:
    """One terminal process and every line it said (read by a thread, so nothing blocks it)."""

    def __init__(
        self, db: str, station: str, role: Role = Role.OPERATOR, sector: str | None = None
    ) -> None:
        self.station = station
        commands, self._commands = FORKSERVER.Pipe(duplex=False)
        self._lines, lines = FORKSERVER.Pipe(duplex=False)
        args = (db, station, commands, lines, role, sector)
        self.proc = FORKSERVER.Process(target=serve, args=args)
        self.proc.start()
        commands.close()  # the child's ends: closed here, so its death is an end of file
        lines.close()
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                line = str(self._lines.recv())
            except (EOFError, OSError):
                line = "EOF"
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
            if line == "EOF":
                return

    def send(self, *lines: str) -> None:
        """Queue commands (scans, SYNC) at once, as a scanner's queue of cards would be."""
        for line in lines:
            self._commands.send(line)

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        with self._changed:
            while not done():
                if "EOF" in self.lines or time.monotonic() > deadline:
                    notes = [ln for ln in self.lines if ln.startswith(("TIMEOUT", "ERROR", "NACK"))]
                    raise AssertionError(f"{self.station}: no {what}; {notes} {self.lines[-5:]}")
                self._changed.wait(0.5)

    def wait_for_acks(self, count: int) -> None:
        self.wait_until(lambda: len(self.acks) >= count, f"{count} ACKs")

    def words(self, tag: str) -> list[list[str]]:
        with self._changed:
            return [line.split()[1:] for line in self.lines if line.split()[:1] == [tag]]

    @property
    def acks(self) -> list[Ack]:
        return [Ack(self.station, int(n), r, int(s)) for n, r, s, _ in self.words("ACK")]

    @property
    def seen(self) -> int:
        """The last seq this terminal's watcher reported (or started from)."""
        seqs = [int(w[0]) for w in self.words("SEEN") + self.words("READY")]
        return max(seqs, default=-1)

    def total(self, seq: int) -> tuple[int, int]:
        """Those present (its store, its screen) once it has seen event `seq`."""
        self.send(f"SYNC {seq}")
        self.wait_until(lambda: any(w[0] == str(seq) for w in self.words("TOTAL")), "TOTAL")
        store, screen = next(w[1:] for w in self.words("TOTAL") if w[0] == str(seq))
        return int(store), int(screen)

    def rescan_refused(self, count: int) -> None:
        """Wait for `count` ACKs, scanning again each card refused as "not connected" (NACK)."""
        rescanned = 0
        while True:
            answered = count + rescanned
            self.wait_until(
                lambda n=answered: len(self.acks) + len(self.words("NACK")) >= n, f"{count} answers"
            )
            refused = self.words("NACK")
            if len(self.acks) >= count:
                return
            self.send(*(code for (code,) in refused[rescanned:]))
            rescanned = len(refused)

    def count(self, teller: str, *numbers: int) -> int:
        """A teller's count for its sector, typed into its form: the event it was stored as."""
        done = len(self.words("COUNTED"))
        self.send(f"COUNT {teller} " + " ".join(map(str, numbers)))
        self.wait_until(lambda: len(self.words("COUNTED")) > done or self._refused(), "COUNTED")
        assert not self._refused(), self.lines[-1]
        return int(self.words("COUNTED")[-1][0])

    def _refused(self) -> bool:
        return any(line.startswith("TIMEOUT") for line in self.lines)

    def show(self, seq: int) -> str:
        """The projector's text once it reflects event `seq`."""
        self.send(f"SHOW {seq}")
        self.wait_until(lambda: any(w[0] == str(seq) for w in self.words("SCREEN")), "SCREEN")
        return next(" ".join(w[1:]) for w in self.words("SCREEN") if w[0] == str(seq))

    def kill(self) -> None:
        assert self.proc.pid is not None
        os.kill(self.proc.pid, signal.SIGKILL)  # the power cord: no clean-up of any kind
        self.proc.join(timeout=30)
        self._end()

    def quit(self) -> None:
        self._commands.close()  # end of input: the terminal closes its app and its store
        self.proc.join(timeout=60)
        assert self.proc.exitcode == 0, f"{self.station} exited with {self.proc.exitcode}"
        self._end()

    def _end(self) -> None:
        self._reader.join(timeout=10)
        self._commands.close()
        self._lines.close()


class Launch(Protocol):
    def __call__(
        self, db: str, station: str, role: Role = ..., sector: str | None = ...
    ) -> Terminal: ...


@pytest.fixture
def launch() -> Iterator[Launch]:
    """Starts terminals; any still running after the test (one that failed) is killed, so no
    terminal outlives its test holding the database open."""
    started: list[Terminal] = []

    def launch(
        db: str, station: str, role: Role = Role.OPERATOR, sector: str | None = None
    ) -> Terminal:
        started.append(Terminal(db, station, role, sector))
        return started[-1]

    yield launch
    for terminal in started:
        if terminal.proc.is_alive():
            terminal.kill()


def start(launch: Launch, db: str, stations: dict[str, Role]) -> dict[str, Terminal]:
    """Start the terminals together (their start-ups overlap) and wait until each is ready."""
    terminals = {station: launch(db, station, role) for station, role in stations.items()}
    for terminal in terminals.values():
        terminal.wait_until(lambda t=terminal: bool(t.words("READY")), "READY")
    return terminals


def plans_with_duplicates(
    codes: list[str], doors: list[str], duplicates: int, rng: random.Random
) -> dict[str, list[str]]:
    """The register shuffled and dealt to the doors; `duplicates` cards also shown at another
    door (a delegate who tries a second door, a copied card)."""
    shuffled = rng.sample(codes, len(codes))
    plans = {door: shuffled[i :: len(doors)] for i, door in enumerate(doors)}
    for code in rng.sample(codes, duplicates):
        door = rng.choice([d for d in doors if code not in plans[d]])
        plans[door].insert(rng.randrange(len(plans[door]) + 1), code)
    return plans


def scan_everything(terminals: dict[str, Terminal], plans: dict[str, list[str]]) -> None:
    for door, codes in plans.items():
        terminals[door].send(*codes)
    for door, codes in plans.items():
        terminals[door].wait_for_acks(len(codes))


def assert_all_agree(terminals: dict[str, Terminal], store: Store, present: int) -> None:
    """Every terminal's watcher saw the last event by itself, and every one shows the same."""
    last = store.last_seq()
    for t in terminals.values():
        t.wait_until(lambda t=t: t.seen >= last, f"SEEN {last}")
    totals = {name: t.total(last) for name, t in terminals.items()}
    assert set(totals.values()) == {(present, present)}, totals
    assert store.snapshot().verdict.attendance.present == present
    assert not [line for t in terminals.values() for line in t.lines if "TIMEOUT" in line]


@pytest.mark.slow
def test_four_doors_and_an_operator(make_store: MakeStore, db_url: str, launch: Launch) -> None:
    store = make_store(db_url, delegates=40)
    voters = [d for d in store.delegates() if d.votes]
    codes = {store.card_code(d.number, d.card_issue): d.number for d in voters}
    doors = ["door-1", "door-2", "door-3", "door-4"]
    plans = plans_with_duplicates(list(codes), doors, DUPLICATES, rng=random.Random(6))
    terminals = start(launch, db_url, {"desk": Role.OPERATOR} | dict.fromkeys(doors, Role.DOOR))

    scan_everything(terminals, plans)

    acks = [a for door in doors for a in terminals[door].acks]
    assert len(acks) == sum(len(p) for p in plans.values())
    admitted = Counter(a.number for a in acks if a.reason == Reason.ADMITTED.value)
    assert admitted == Counter(codes.values()), "each delegate admitted exactly once"
    others = [a for a in acks if a.reason != Reason.ADMITTED.value]
    assert {a.reason for a in others} == {Reason.ALREADY_PRESENT.value}
    assert len(others) == DUPLICATES, "every duplicate reported as already present"
    assert set(store.check_in_counts().values()) == {1}
    assert len({a.seq for a in acks}) == len(acks), "one event per scan"
    assert_all_agree(terminals, store, present=len(voters))
    assert terminals["desk"].acks == []  # the operator only followed
    for t in terminals.values():
        t.quit()
    assert store.verify() is None


@pytest.mark.slow
def test_a_door_killed_mid_scan_and_restarted(
    make_store: MakeStore, db_url: str, launch: Launch
) -> None:
    """The power cord of one door pulled while the other keeps scanning: nothing acknowledged
    is lost, nothing is doubled, and the door restarted picks up where the others are."""
    store = make_store(db_url, delegates=40)
    voters = [d for d in store.delegates() if d.votes]
    codes = {store.card_code(d.number, d.card_issue): d.number for d in voters}
    plans = plans_with_duplicates(list(codes), ["door-1", "door-2"], DUPLICATES, random.Random(8))
    doors = {"door-1": Role.DOOR, "door-2": Role.DOOR}
    terminals = start(launch, db_url, doors)  # each also follows the other
    door1, door2 = terminals["door-1"], terminals["door-2"]

    door1.send(*plans["door-1"])
    door2.send(*plans["door-2"])
    door2.wait_for_acks(6)
    door2.kill()  # more of its cards are still queued on its command pipe
    before_kill = door2.acks
    recorded = set(store.check_in_counts())
    acknowledged = {a.number for a in before_kill if a.reason == Reason.ADMITTED.value}
    assert acknowledged <= recorded, "an acknowledged scan was lost"

    terminals["door-2"] = door2 = launch(db_url, "door-2", Role.DOOR)
    door2.wait_until(lambda: bool(door2.words("READY")), "READY")
    door2.send(*plans["door-2"])  # its whole queue again
    door1.wait_for_acks(len(plans["door-1"]))
    door2.wait_for_acks(len(plans["door-2"]))

    acks = door1.acks + before_kill + door2.acks
    admitted = Counter(a.number for a in acks if a.reason == Reason.ADMITTED.value)
    assert max(admitted.values()) == 1, "a delegate admitted twice"
    # A scan stored in the instant before the kill, not yet on screen, has no ACK: its card
    # then shows "already present" after the restart. Nothing else may lack an admission.
    unacknowledged = set(codes.values()) - set(admitted)
    assert len(unacknowledged) <= 1
    assert {a.reason for a in acks} <= {Reason.ADMITTED.value, Reason.ALREADY_PRESENT.value}
    assert set(store.check_in_counts().values()) == {1}
    assert set(store.check_in_counts()) == set(codes.values())
    assert_all_agree(terminals, store, present=len(voters))
    for t in terminals.values():
        t.quit()
    assert store.verify() is None


@pytest.mark.slow
def test_two_tellers_count_a_vote_while_the_projector_follows(
    make_store: MakeStore, db_url: str, launch: Launch
) -> None:
    """Sectors A and B counted at their own teller terminals (two tellers each, the second
    blind to the first), sector C at the presidium's desk; the projector follows it all."""
    i18n.use("en")  # the terminals speak English: the projector's text is compared in English
    store = make_store(db_url)
    admit(store, PRESENT)
    item = resolution(store)
    store.start_item(item)
    vote = store.open_item_vote(item)
    tellers = {s: launch(db_url, f"teller-{s}", Role.TELLER, s) for s in ("A", "B")}
    projector = launch(db_url, "projector", Role.DISPLAY)
    for terminal in (*tellers.values(), projector):
        terminal.wait_until(lambda t=terminal: bool(t.words("READY")), "READY")
    shown = projector.show(store.last_seq())
    assert vote.title in shown and i18n.t("roles.display.sectors", confirmed=0, sectors=3) in shown

    counts = {"A": (13, 1, 0), "B": (5, 0, 0), "C": (1, 0, 0)}
    for sector in ("A", "B"):
        for person in ("Tổ-1", "Tổ-2"):
            seq = tellers[sector].count(person, *counts[sector])
            event = store.events()[-1] if store.last_seq() == seq else None
            assert event is not None and (event.role, event.terminal) == (
                "teller",
                f"teller-{sector}",
            )
    shown = projector.show(store.last_seq())
    assert i18n.t("roles.display.sectors", confirmed=2, sectors=3) in shown
    options = [o.value for o in vote.options]
    for person in ("Tổ-1", "Tổ-2"):
        store.enter_count(vote.id, "C", person, dict(zip(options, counts["C"], strict=True)))
    shown = projector.show(store.last_seq())
    assert i18n.t("roles.display.to_announce") in shown

    counted = next(v for v in store.vote_book().votes if v.id == vote.id)
    assert counted.status is VoteStatus.COUNTED
    assert set(counted.sectors_with(SectorStatus.CONFIRMED)) == {"A", "B", "C"}
    published = store.publish_vote(vote.id)
    assert published.verdict is not None
    assert i18n.t("roles.display.no_vote") in projector.show(store.last_seq())
    for terminal in (*tellers.values(), projector):
        terminal.quit()
    assert store.verify() is None


@pytest.mark.pg
@pytest.mark.slow
def test_the_postgresql_server_restarted_mid_session(
    make_store: MakeStore, private_pg: PrivateServer, launch: Launch
) -> None:
    """The server restarts between two waves of scans (a server of this test's own): every
    terminal reconnects by itself, nothing acknowledged is lost, nothing is doubled."""
    url = private_pg.url
    store = make_store(url, delegates=40)
    voters = [d for d in store.delegates() if d.votes]
    codes = {store.card_code(d.number, d.card_issue): d.number for d in voters}
    doors = ["door-1", "door-2"]
    plans = plans_with_duplicates(list(codes), doors, DUPLICATES, rng=random.Random(9))
    terminals = start(launch, url, {"desk": Role.OPERATOR} | dict.fromkeys(doors, Role.DOOR))
    halves = {door: len(plan) // 2 for door, plan in plans.items()}

    scan_everything(terminals, {door: plan[: halves[door]] for door, plan in plans.items()})
    before = store.last_seq()
    private_pg.restart()
    for door, plan in plans.items():
        terminals[door].send(*plan[halves[door] :])
    for door, plan in plans.items():
        terminals[door].rescan_refused(len(plan))

    assert store.last_seq() > before, "nothing was written after the restart"
    acks = [a for door in doors for a in terminals[door].acks]
    admitted = Counter(a.number for a in acks if a.reason == Reason.ADMITTED.value)
    assert admitted == Counter(codes.values()), "each delegate admitted exactly once"
    assert {a.reason for a in acks} == {Reason.ADMITTED.value, Reason.ALREADY_PRESENT.value}
    assert_all_agree(terminals, store, present=len(voters))
    for terminal in terminals.values():
        terminal.quit()
    assert store.verify() is None
