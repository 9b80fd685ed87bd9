"""The store's cached election book (db.elections): a ballot reads only the events after the
cache, yet the book is always the one a fresh replay of the log gives, whatever other terminals
appended and whatever was rolled back (SQLite and PostgreSQL)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlmodel import Session

from db.elections import elections_in
from db.store import Store
from session import elections as el
from session.ballots import BallotInput
from session.count import CountMode
from session.rollcall import Mode
from tests.harness.bch_election import E, election_ready_to_vote
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]
BALLOTS = 30


def _counting(store: Store, teams: tuple[str, ...] = ("A",)) -> None:
    """Voting done, the box opened with BALLOTS ballots, counting started by `teams`."""
    admit_voters(store, BALLOTS)
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    store.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", BALLOTS, "", now))
    store.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    store.record_election(lambda b, now: el.BoxOpened(E, 1, "main", BALLOTS, ("k1", "k2"), now))
    store.record_election(lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, teams, now))


def _replayed(url: str) -> el.ElectionBook:
    """The book as a fresh replay of the whole log tells it (no cache involved)."""
    with Store.open(url, terminal="auditor") as fresh, Session(fresh.reader) as s:
        return elections_in(s)


def _ballot(i: int) -> BallotInput:
    return BallotInput.struck(1 + i % 4)


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The kinds of the election events decoded, in order: those read from the log, and each
    new event as the log will return it."""
    seen: list[str] = []
    decode = el.decode

    def counting(kind: str, payload: Any) -> el.ElectionEvent:
        seen.append(kind)
        return decode(kind, payload)

    monkeypatch.setattr(el, "decode", counting)
    yield seen


def test_another_terminals_events_are_read_not_the_cache_trusted(
    make_store: MakeStore, db_url: str
) -> None:
    first = make_store(db_url, delegates=40)
    _counting(first, teams=("A", "B"))
    for i in range(5):
        first.enter_ballot(E, 1, "A", "main", _ballot(i))
    assert first.election_book() == _replayed(db_url)  # the cache is warm

    with Store.open(db_url, terminal="counting-2") as second:
        for i in range(3):  # the other team, and one more of team A, from another terminal
            second.enter_ballot(E, 1, "B", "main", _ballot(i))
        second.enter_ballot(E, 1, "A", "main", _ballot(5))

    election = first.enter_ballot(E, 1, "A", "main", _ballot(6))

    assert election == _replayed(db_url).get(E)
    count = election.current.count
    assert count is not None
    assert [b.seq for b in count.team("A").ballots] == list(range(1, 8))  # none counted twice
    assert count.team("B").entered == 3
    assert first.election_book() == _replayed(db_url)
    assert first.verify() is None


def test_a_change_rolled_back_after_it_was_built_leaves_no_trace(
    make_store: MakeStore, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(sqlite_url, delegates=40)
    _counting(store)
    for i in range(3):
        store.enter_ballot(E, 1, "A", "main", _ballot(i))

    def fail(*_: object) -> int:  # the ballot was judged and applied; now the write fails
        raise RuntimeError("disk gone")

    with monkeypatch.context() as patch:
        patch.setattr(store, "_add_event", fail)
        with pytest.raises(RuntimeError):
            store.enter_ballot(E, 1, "A", "main", BallotInput.struck(1, 2, 3, 4))
    # Meanwhile a door admits someone: the log moves past the seq the lost ballot would have had.
    latecomer = next(d for d in store.delegates() if d.votes and not d.present)
    with Store.open(sqlite_url, terminal="door-2") as door:
        door.scan(door.card_code(latecomer.number, 0), Mode.ENTRY, "door-2")
    election = store.enter_ballot(E, 1, "A", "main", _ballot(3))

    assert election == _replayed(sqlite_url).get(E)
    count = election.current.count
    assert count is not None
    assert [b.ballot for b in count.team("A").ballots] == [_ballot(i) for i in range(4)]


def test_a_ballot_reads_only_the_events_after_the_cache(
    make_store: MakeStore, db_url: str, decoded: list[str]
) -> None:
    store = make_store(db_url, delegates=40)
    _counting(store)
    for i in range(20):
        store.enter_ballot(E, 1, "A", "main", _ballot(i))
    decoded.clear()

    store.enter_ballot(E, 1, "A", "main", _ballot(20))
    # Only the new ballot itself, as the log will hold it: not the ~35 events before it.
    assert decoded == [el.BallotEntered.KIND]

    with Store.open(db_url, terminal="counting-2") as other:
        other.enter_ballot(E, 1, "A", "main", _ballot(21))
    decoded.clear()
    store.election_book()
    assert decoded == [el.BallotEntered.KIND]  # the other terminal's ballot, read once
    decoded.clear()
    store.election_book()
    assert decoded == []  # nothing new


def test_a_refused_event_changes_neither_log_nor_book(
    make_store: MakeStore, sqlite_url: str
) -> None:
    store = make_store(sqlite_url, delegates=40)
    _counting(store)
    store.enter_ballot(E, 1, "A", "main", _ballot(0))
    before = store.last_seq()

    with pytest.raises(el.ElectionError):  # a number not on the ballot
        store.enter_ballot(E, 1, "A", "main", BallotInput.struck(99))

    assert store.last_seq() == before
    assert store.enter_ballot(E, 1, "A", "main", _ballot(1)) == _replayed(sqlite_url).get(E)
