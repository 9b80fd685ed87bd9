"""Helpers for the export tests (no tests here): a whole congress driven through the Store, with a
clock that moves one minute per transaction, so its log (and so its export) is the same on every
run and on both backends; and an exported CSV read back."""

import csv
import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.store import Store
from session import elections as el
from session.agenda import MotionKind
from session.ballots import BallotInput
from session.bodies import Body
from session.count import CountMode
from session.demo import demo_register
from session.quorum import Status
from session.register import DelegateRecord
from session.rollcall import Mode
from tests.conftest import EXAMPLES
from tests.harness.bch_election import counter_ids
from tests.harness.elections_kit import people

T0 = datetime(2025, 6, 20, 0, 20, tzinfo=UTC)  # 07:20 in Hà Nội, before the 07:30 flag
E = "bch"
ZERO = {"tan_thanh": 0, "khong_tan_thanh": 0, "y_kien_khac": 0}
VOID_REASON = "phiếu của tập khác, nhập nhầm"
FIX_REASON = "đọc nhầm số 1, phiếu gạch số 4"


class Clock:
    """One minute per call: the store reads it once per transaction."""

    def __init__(self, start: datetime = T0) -> None:
        self.at = start

    def __call__(self) -> datetime:
        self.at += timedelta(minutes=1)
        return self.at


@dataclass
class Congress:
    """What the driven congress did, for the tests to check the export against."""

    voters: list[int]  # admitted, in order
    absent: int  # recorded absent for the whole congress
    corrected_vote: str
    cancelled_vote: str
    elected: list[str]  # person ids, in order of votes
    interim_at: datetime  # a moment in the middle of the congress (after the credentials vote)


def admit(store: Store, how_many: int) -> list[int]:
    voters = [d for d in store.delegates() if d.votes][:how_many]
    for i, d in enumerate(voters):
        station = "cửa-chính" if i % 2 == 0 else "cửa-phụ"
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, station)
    return [d.number for d in voters]


def sector_vote(store: Store, item: str, counts: dict[str, dict[str, int]]) -> str:
    """A vote on the running item counted by two tellers per sector, then published."""
    vote = store.open_item_vote(item)
    for sector in ("A", "B", "C"):
        for teller in ("Tổ 1", "Tổ 2"):
            store.enter_count(vote.id, sector, teller, counts.get(sector, ZERO))
    return store.publish_vote(vote.id).id


def unanimous(store: Store, item: str, motion: MotionKind | None = None) -> str:
    vote = store.create_vote(item, motion=motion) if motion else None
    opened = store.open_vote(vote.id) if vote else store.open_item_vote(item)
    store.confirm_unanimous(opened.id, "Tổ 1")
    store.confirm_unanimous(opened.id, "Tổ 2")
    return store.publish_vote(opened.id).id


def _in_favour(n: int, against: int = 0, other: int = 0) -> dict[str, int]:
    return {"tan_thanh": n, "khong_tan_thanh": against, "y_kien_khac": other}


def election(store: Store, item: str, seats_vote: str, list_vote: str) -> list[str]:
    """Committee election, 3 seats, 4 candidates, 20 ballots, counted, signed and announced."""
    counters_vote = unanimous(store, item, MotionKind.PROCEDURAL_BODY)
    ruleset = store.congress.rules.ruleset.value
    kinds = el.ElectionKind.COMMITTEE
    store.record_election(
        lambda b, now: el.create_election(E, item, kinds, "Bầu BCH", ruleset, now)
    )
    store.record_election(
        lambda b, now: el.SeatsSet(E, 3, el.SeatsSource.VOTE, seats_vote, 0, "", now)
    )
    for person in people(4):
        store.record_election(
            lambda b, now, p=person: el.CandidateAdded(
                E, p, el.Source.LIST, "", False, None, None, now
            )
        )
    store.record_election(lambda b, now: el.ListApproved(E, 1, list_vote, now))
    head, member = counter_ids(store)
    store.record_election(
        lambda b, now: el.CountersAppointed(E, head, (head, member), counters_vote, now)
    )
    store.record_election(lambda b, now: el.BoxPrepared(E, 1, "main", el.BoxKind.MAIN, now))
    store.record_election(lambda b, now: el.BoxSealed(E, 1, "main", ("k1", "k2"), now))
    store.open_election_voting(E, 1)
    store.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", 20, "", now))
    store.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    store.record_election(lambda b, now: el.BoxOpened(E, 1, "main", 20, ("k1", "k2"), now))
    store.record_election(lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, ("A",), now))
    # A ballot of another pile entered by mistake, then voided (entry 1, kept in the trace);
    # entry 2 misread, then corrected.
    store.enter_ballot(E, 1, "A", "main", BallotInput.struck(1))
    store.record_election(lambda b, now: el.BallotVoided(E, 1, "A", 1, VOID_REASON, now))
    # ballot numbers: 4 struck on 14 ballots, 3 on 3, 2 on 3 -> votes 20, 17, 17, 6
    for struck in [1] + [4] * 13 + [3] * 3 + [2] * 3:
        store.enter_ballot(E, 1, "A", "main", BallotInput.struck(struck))
    store.record_election(
        lambda b, now: el.BallotCorrected(E, 1, "A", 2, BallotInput.struck(4), FIX_REASON, now)
    )
    store.record_election(lambda b, now: el.BoxCounted(E, 1, "main", now))
    store.record_election(lambda b, now: el.MinutesSigned(E, 1, ("k1", "k2"), now))
    final = store.record_election(lambda b, now: el.ResultsAnnounced(E, 1, now))
    return list(el.elected(final))


def appoint_bodies(store: Store, vote: str) -> None:
    """The presidium, the secretariat and the credentials committee, elected by one vote; the
    counting committee is left for the election (its own, per election)."""
    names = [d.full_name for d in store.delegates() if d.votes]
    store.appoint_body(Body.PRESIDIUM, names[:3], vote, head=names[0])
    store.appoint_body(Body.SECRETARIAT, names[3:5], vote, head=names[3])
    store.appoint_body(Body.CREDENTIALS_COMMITTEE, names[5:8], vote)


def morning(store: Store) -> tuple[list[int], int, str, str]:
    """Roll call (an exit, a mistaken exit undone, an absence), items 1 to 10 with their votes
    (one corrected after publication, one cancelled) and the congress's bodies: (voters,
    absent, corrected, cancelled)."""
    voters = admit(store, 21)
    last = store.scan(store.card_code(voters[-1], 0), Mode.EXIT, "cửa-phụ")  # leaves again
    wrong = store.manual(voters[0], Mode.EXIT, "cửa-chính", "bấm nhầm")  # a mistaken exit...
    assert last.attendance_id and wrong.attendance_id
    store.correct(wrong.attendance_id, "bấm nhầm nút ra", "cửa-chính")  # ...undone
    absent = next(d.number for d in store.delegates() if d.votes and not d.present)
    store.set_status(absent, Status.ABSENT_WHOLE, "ốm nằm viện")
    for key in ("item-01", "item-02", "item-03"):
        store.start_item(key)
    appoint_bodies(store, unanimous(store, "item-03"))
    store.start_item("item-04")
    corrected = sector_vote(store, "item-04", {"A": _in_favour(10), "B": _in_favour(8, 1)})
    store.correct_vote(corrected, _in_favour(19, 1), "Tổ 2 đếm sót khu C")
    for key in ("item-05", "item-06"):
        store.start_item(key)
        unanimous(store, key)
    for key in ("item-07", "item-08", "item-09", "item-10"):
        store.start_item(key)
    cancelled = store.open_item_vote("item-10")
    store.cancel_vote(cancelled.id, "mở nhầm trước khi đọc báo cáo")
    credentials = store.open_item_vote("item-10")
    for sector, counts in {"A": _in_favour(12), "B": _in_favour(6, 0, 1), "C": ZERO}.items():
        for teller in ("Tổ 1", "Tổ 2"):
            store.enter_count(credentials.id, sector, teller, counts)
    store.publish_vote(credentials.id)
    return voters[:20], absent, corrected, cancelled.id


def afternoon(store: Store) -> list[str]:
    """Items 11 to 25: a complete committee election (its seats and list voted first); the
    nomination ballot and the delegation skipped with reasons. Those elected."""
    for key in ("item-11", "item-12", "item-13", "item-14", "item-15", "item-16", "item-17"):
        store.start_item(key)
    store.start_item("item-18")
    seats = unanimous(store, "item-18")
    store.start_item("item-19")
    approved = unanimous(store, "item-19")
    store.start_item("item-20")
    elected = election(store, "item-20", seats, approved)
    store.end_item("item-20")
    store.skip_item("item-21", "Bí thư do Ban Chấp hành bầu tại hội nghị lần thứ nhất")
    store.skip_item("item-22", "Đại hội cấp trên chưa phân bổ số đại biểu")
    store.start_item("item-23")
    unanimous(store, "item-23")
    store.start_item("item-24")
    store.start_item("item-25")
    store.end_item("item-25")
    return elected


def run_congress(store: Store) -> Congress:
    """The whole congress: the morning, then the afternoon."""
    voters, absent, corrected, cancelled = morning(store)
    interim_at = store.clock.at  # type: ignore[attr-defined]
    elected = afternoon(store)
    return Congress(voters, absent, corrected, cancelled, elected, interim_at)


def driven(make_store: Callable[..., Store], url: str) -> tuple[Store, Congress]:
    store = make_store(url, delegates=30, clock=Clock())
    return store, run_congress(store)


# One card key for every congress these tests build, so two databases of the same congress
# (SQLite and PostgreSQL) log the same key fingerprint and export the same bytes.
CARD_KEY = "5e" * 32


def new_store(path: str, register: list[DelegateRecord] | None = None) -> Store:
    """A congress from examples/congress.toml with 30 demo delegates (or `register`) and the
    one-minute clock."""
    data = tomllib.loads((EXAMPLES / "congress.toml").read_text(encoding="utf-8"))
    store = Store.create(path, data, clock=Clock(), card_key=CARD_KEY)
    store.import_register(register or demo_register(30), source="test")
    return store


def hold(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Congress]:
    """A SQLite congress held from the first scan to the closing flag (for a module fixture)."""
    path = str(tmp_path_factory.mktemp("congress") / "congress.db")
    with new_store(path) as store:
        return path, run_congress(store)


def load_csv(path: Path) -> list[dict[str, str]]:
    """An exported CSV's rows (checked first: a BOM for Excel, RFC 4180's CRLF line endings)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # a BOM for Excel, CRLF
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
