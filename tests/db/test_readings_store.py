"""The Store's record of ballots read by machine (issue 14), on a real SQLite file and on
PostgreSQL: a reading is one event in one transaction, a sheet read twice is refused and says
where it went, the committee's decision enters the ballot, the log replays and verifies, and the
counting room (its rights; on PostgreSQL its own login) may record both."""

from collections.abc import Callable

import pytest
from sqlmodel import Session

from db.elections import elections_in
from db.store import Store, StoreError
from session import elections as el
from session.ballot_reading import Doubt, RowMark, SheetPlace, Verdict, outcome
from session.ballots import BallotInput, ElectionError, InvalidReason
from session.count import CountMode, Totals, differences
from session.roles import Role, rights
from tests.harness.bch_election import E, election_ready_to_vote
from tests.harness.pg_logins import PASSPHRASES, set_every_login
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]
K, S, U = RowMark.KEPT, RowMark.STRUCK, RowMark.UNSURE
MACHINE, HAND = "Máy", "Tổ 1"
FOUND = 3
IMAGE = "c0" * 32


def counting(store: Store, mode: CountMode = CountMode.BALLOTS, hand: bool = False) -> None:
    """bch (4 names, 3 seats: a strike-out list) with FOUND ballots in its box and counting
    started with the machine as a team (and the committee's hand team beside it)."""
    admit_voters(store, 30)
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    teams = (HAND, MACHINE) if hand else (MACHINE,)
    store.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", FOUND, "", now))
    store.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    store.record_election(lambda b, now: el.BoxOpened(E, 1, "main", FOUND, ("k1", "k2"), now))
    store.record_election(lambda b, now: el.CountingStarted(E, 1, mode, teams, now, MACHINE))


def place(sheet: int) -> SheetPlace:
    return SheetPlace(IMAGE, "hom-chinh.pdf", sheet, 1, sheet)


def record(
    store: Store, sheet: int, marks: tuple[RowMark, ...], doubts: tuple[Doubt, ...] = ()
) -> el.Election:
    got = outcome(el.BallotFormat.STRIKE_OUT, 4, 3, marks, doubts)
    return store.record_reading(E, 1, "main", "", place(sheet), "bch-1", marks, doubts, got)


def test_readings_and_a_decision_through_the_store(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    counting(store)
    before = store.last_seq()
    e = record(store, 1, (K, S, K, K))
    assert store.last_seq() == before + 1  # one event
    assert store.events()[-1].kind == "election_ballot_read"
    record(store, 2, (S, S, S, S))  # every name struck: invalid by rule
    e = record(store, 3, (K, U, S, K), (Doubt.OUTSIDE_ROWS,))
    r = e.current
    assert r.count is not None
    assert [x.verdict for x in r.readings] == [Verdict.VALID, Verdict.INVALID, Verdict.UNDECIDED]
    assert [b.seq for b in r.count.team(MACHINE).ballots] == [1, 2]
    with pytest.raises(ElectionError) as exc:
        store.record_election(lambda b, now: el.BoxCounted(E, 1, "main", now))
    assert exc.value.key == "readings_pending"

    decided = BallotInput.struck(2, 3)
    e = store.decide_reading(E, 1, place(3).key, decided, "dòng 2 gạch rõ")
    r = e.current
    assert r.count is not None and el.pending_readings(r) == ()
    assert r.count.team(MACHINE).ballots[-1].ballot == decided
    assert store.events()[-1].kind == "election_reading_decided"
    store.record_election(lambda b, now: el.BoxCounted(E, 1, "main", now))
    minutes = el.reading_minutes(store.election_book().get(E).current)  # type: ignore[union-attr]
    (box,) = minutes.boxes
    assert (box.counts.read, box.counts.valid, box.counts.invalid, box.counts.decided) == (
        3,
        1,
        1,
        1,
    )
    assert [d.reason for d in minutes.decided] == ["dòng 2 gạch rõ"]
    # a fresh replay of the log gives the same book, and the chain verifies
    with Store.open(db_url, terminal="auditor") as fresh, Session(fresh.reader) as s:
        assert elections_in(s) == store.election_book()
    assert store.verify() is None


def test_a_sheet_read_twice_is_refused_and_nothing_is_stored(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url)
    counting(store)
    record(store, 1, (K, S, K, K))
    seq = store.last_seq()
    with pytest.raises(ElectionError) as exc:
        record(store, 1, (S, S, K, K))
    assert exc.value.key == "sheet_already_read"
    assert exc.value.params["box"] == "main" and exc.value.params["file"] == "hom-chinh.pdf"
    assert store.last_seq() == seq
    e = store.election_book().get(E)
    assert e is not None and len(e.current.readings) == 1


def test_machine_beside_a_hand_count_from_tally_sheets(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    counting(store, CountMode.SHEETS, hand=True)
    for sheet, marks in enumerate([(K, S, K, K), (K, K, S, S), (S, K, K, K)], 1):
        record(store, sheet, marks)
    sheet = Totals.of([2, 3, 2, 2], 3, {})  # the committee's tally: one vote for no. 2 too many
    e = store.record_election(
        lambda b, now: el.SheetEntered(E, 1, HAND, "main", "", sheet, "", now)
    )
    assert e.current.count is not None
    (diff,) = differences(e.current.count)
    assert diff.candidates == ((2, 3, 2),)
    with pytest.raises(ElectionError) as exc:  # the machine's team enters no tally sheet
        store.record_election(
            lambda b, now: el.SheetEntered(E, 1, MACHINE, "main", "x", sheet, "", now)
        )
    assert exc.value.key == "reader_enters_ballots"


def test_the_counting_room_may_record_readings(make_store: MakeStore, sqlite_url: str) -> None:
    store = make_store(sqlite_url)
    counting(store)
    assert rights(Role.COUNTING).may_record(el.BallotRead.KIND)
    assert rights(Role.COUNTING).may_record(el.ReadingDecided.KIND)
    store.records = rights(Role.COUNTING).records  # as a counting terminal is
    record(store, 1, (K, U, K, K))
    e = store.decide_reading(E, 1, place(1).key, BallotInput.spoilt(InvalidReason.OTHER), "rách")
    assert e.current.count is not None and e.current.count.team(MACHINE).entered == 1
    store.records = rights(Role.TELLER).records  # a teller's terminal may not
    with pytest.raises(StoreError):
        record(store, 2, (K, S, K, K))


@pytest.mark.pg
def test_a_counting_login_records_a_reading_on_postgresql(
    make_store: MakeStore, pg_url: str
) -> None:
    owner = make_store(pg_url, delegates=40)
    set_every_login(owner)
    counting(owner)
    with Store.open_as(owner.url, Role.COUNTING, PASSPHRASES[Role.COUNTING]) as room:
        record(room, 1, (K, S, K, K))
        record(room, 2, (K, U, K, K))
        e = room.decide_reading(E, 1, place(2).key, BallotInput.struck(2), "vết mực")
    assert e.current.count is not None and e.current.count.team(MACHINE).entered == 2
    assert [ev.role for ev in owner.events()[-3:]] == ["counting"] * 3
    assert owner.verify() is None
