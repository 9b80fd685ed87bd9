"""An example congress taken through every procedure the store records, so that its log holds
every kind of event there is (tests/db/test_event_codec.py reads each back through its codec).

The run is the same every time (a clock that moves a minute per change, the demo register of 30),
so its log can be kept as a fixture: tests/fixtures/every-event.jsonl, one stored event a
line, `{"kind": ..., "payload": ...}` with the payload exactly as the store wrote it. When a new
kind of event appears, add a step for it below, then

    uv run python -m tests.harness.every_event

appends to the fixture the events of the kinds it does not hold yet: the lines already there stay
as the code of their day wrote them, which is the point of keeping them.

The hall: 28 delegates with a vote (ex officio 1, 11, 21 and the officials); 7 is a guest and 13
an alternate. Official 30 is absent for the whole congress, so 27 voters are present and the
summoned-adjusted base is 27: a name needs 14 votes.
"""

import hashlib
import json
import sqlite3
import tempfile
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.store import Store
from session import elections as el
from session.agenda import AgendaItem, ItemKind, MotionKind, PlannedStart
from session.ballot_reading import Doubt, SheetPlace, marks_from_text, outcome
from session.ballots import BallotInput, InvalidReason, Person
from session.bodies import Body
from session.candidates import delegate_person, delegate_person_id
from session.count import CountMode, Totals
from session.demo import demo_register
from session.election_steps import election_from_spec
from session.majority import Ratio
from session.quorum import Status
from session.roles import Role
from session.rollcall import Mode
from session.tally import RuleSource, VoteBase, VoteRule

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "every-event.jsonl"
START = datetime(2025, 6, 20, 0, 30, tzinfo=UTC)  # 07:30 in Hà Nội, the first day

DOOR = "cửa-chính"
ABSENT, ALTERNATE, GUEST = 30, 13, 7
PRESENT = 27  # voters in the hall once the roll call is done
COUNTERS = (25, 26)  # the counting committee: official delegates, never candidates
SEALED_BY = ("Trần Văn Kiểm", "Lê Thị Phiếu")

COMMITTEE, POLL, STANDING = "committee", "committee-poll1", "btv"
DELEGATION, INSPECTION = "delegation", "ukt"
ELECTIONS: list[dict[str, object]] = [
    {"name": COMMITTEE, "kind": "committee", "title": "Bầu Ban Chấp hành khóa mới", "seats": 3,
     "tie_policy": "presidium_decides"},
    {"name": DELEGATION, "kind": "delegates_higher", "title": "Bầu đoàn đại biểu đi dự đại hội",
     "seats": 2, "alternates": 2},
    {"name": INSPECTION, "kind": "inspection_committee", "title": "Bầu Ủy ban Kiểm tra",
     "seats": 1},
]  # fmt: skip


@dataclass
class Clock:
    """A minute and some microseconds later at every reading (a real clock's times carry
    them): every run writes the same log."""

    minutes: int = 0

    def __call__(self) -> datetime:
        self.minutes += 1
        return START + timedelta(minutes=self.minutes, microseconds=self.minutes * 1013)


def every_event_store(url: str) -> Store:
    """The example congress at `url` (a SQLite file) taken through every procedure; the caller
    closes it."""
    data = tomllib.loads((ROOT / "examples" / "congress.toml").read_text(encoding="utf-8"))
    clock = Clock()
    store = Store.create(url, {**data, "elections": ELECTIONS}, clock=clock)
    try:
        store.import_register(demo_register(30), source="demo", digest="0" * 64)
        roll_call(store)
        roles(store, url, clock)
        agenda_changes(store)
        show_of_hands(store)
        committee_election(store, "item-20")
        delegation_election(store, "item-22")
        inspection_election(store, "item-22")
    except BaseException:
        store.close()
        raise
    return store


# ---------------------------------------------------------------- the roll call and the roles


def roll_call(store: Store) -> None:
    """Every voter in but the absent one; a refused and a confirmed scan; a guest without a card;
    an exit undone; a lost card; an alternate seated in the absent official's place, and not."""
    for d in store.delegates():
        if (d.votes and d.number != ABSENT) or d.number == ALTERNATE:
            store.scan(store.card_code(d.number, 0), Mode.ENTRY, DOOR)
    store.scan(store.card_code(2, 0), Mode.ENTRY, DOOR)  # already in: refused
    store.scan(store.card_code(2, 0), Mode.VOTING_CHECK, DOOR)  # may vote: confirmed
    store.manual(GUEST, Mode.ENTRY, DOOR, "Quên thẻ ở nhà khách")
    gone = store.scan(store.card_code(3, 0), Mode.EXIT, DOOR)
    assert gone.attendance_id is not None
    store.correct(gone.attendance_id, "Quét nhầm ở cửa ra", DOOR)
    store.reissue_card(4, "Mất thẻ")
    store.set_status(ABSENT, Status.ABSENT_WHOLE, "Ốm, vắng cả đại hội")
    store.activate_alternate(ABSENT, ALTERNATE, "Đại biểu dự khuyết thay thế")
    store.deactivate_alternate(ABSENT, ALTERNATE, "Nhầm người thay thế")


def roles(store: Store, url: str, clock: Clock) -> None:
    """A passphrase set; a door terminal signs in and takes a guest's exit (its events carry
    the role, which the hash covers)."""
    store.set_passphrase(Role.DOOR, "cửa chính 2025")
    with Store.open(url, terminal="door-2", clock=clock) as door:
        door.act_as(Role.DOOR, "Phạm Thị Cửa")
        assert not door.check_passphrase(Role.DOOR, "cửa phụ 2025")  # a wrong one, counted
        assert door.check_passphrase(Role.DOOR, "cửa chính 2025")  # the right one ends the count
        door.sign_in("cửa-phụ")
        door.scan(door.card_code(GUEST, 0), Mode.EXIT, "cửa-phụ")


# ---------------------------------------------------------------- the agenda, votes, bodies


def agenda_changes(store: Store) -> None:
    store.start_item("item-01")
    store.end_item("item-01")
    store.skip_item("item-02", "Đã giới thiệu ở phiên trước")
    store.move_item("item-05", "item-03")
    store.move_item("item-06", None)  # to the top
    extra = AgendaItem(
        key="",  # the store gives it the next key
        session="",  # it joins the session of the item it follows
        kind=ItemKind.VOTE,
        title="Biểu quyết mức đóng góp",
        presenter="Đoàn Chủ tịch",
        start=PlannedStart(1, 9 * 60),
        duration=10,
        motion=MotionKind.OTHER,
        majority=VoteRule(Ratio(2, 3, strict=False), VoteBase.PRESENT, RuleSource.ITEM),
    )
    store.insert_item(extra, "item-04")


def show_of_hands(store: Store) -> None:
    """Counted sector by sector (a dispute recounted), published, the presidium appointed by
    it, then corrected; another vote's unanimity withdrawn and the vote cancelled."""
    store.start_item("item-03")
    vote = store.create_vote("item-03").id
    store.open_vote(vote)
    store.enter_count(vote, "A", "Tổ 1", {"tan_thanh": 9, "khong_tan_thanh": 0, "y_kien_khac": 0})
    store.enter_count(vote, "A", "Tổ 2", {"tan_thanh": 8, "khong_tan_thanh": 1, "y_kien_khac": 0})
    store.recount_sector(vote, "A", "Hai tổ đếm lệch nhau")
    for sector, favour in (("A", 9), ("B", 9), ("C", 8)):
        counts = {"tan_thanh": favour, "khong_tan_thanh": 0, "y_kien_khac": 9 - favour}
        store.enter_count(vote, sector, "Tổ 1", counts)
        store.enter_count(vote, sector, "Tổ 2", counts)
    store.publish_vote(vote)
    store.appoint_body(
        Body.PRESIDIUM, ["Nguyễn Văn Khỏe", "Trần Thị Thu Hà"], vote, head="Nguyễn Văn Khỏe"
    )
    store.correct_vote(
        vote, {"tan_thanh": 25, "khong_tan_thanh": 1, "y_kien_khac": 1}, "Khu C đếm sai"
    )
    store.start_item("item-04")
    second = store.open_item_vote("item-04").id
    store.confirm_unanimous(second, "Tổ 1")
    store.withdraw_unanimous(second, "Có đại biểu giơ thẻ không tán thành")
    store.cancel_vote(second, "Biểu quyết lại sau giờ nghỉ")


def decide(store: Store, item: str, motion: MotionKind, proposal: int | None = None) -> str:
    """A show-of-hands decision on the running item, unanimous and published: its vote id."""
    vote = store.open_item_vote(item, motion=motion, title=motion.value, proposal=proposal)
    store.confirm_unanimous(vote.id, "Tổ 1")
    store.confirm_unanimous(vote.id, "Tổ 2")
    return store.publish_vote(vote.id).id


# ---------------------------------------------------------------- elections


def put(store: Store, event: Callable[..., el.ElectionEvent], *fields: object) -> None:
    """Record `event(*fields, now)`: every election event's time is its last field."""
    store.record_election(lambda _book, now: event(*fields, now))


def person(store: Store, number: int) -> Person:
    d = store.delegate(number)
    assert d is not None
    return delegate_person(
        d.number, d.full_name, d.date_of_birth, committee_member=False, english=False
    )


def create(store: Store, name: str, item: str) -> None:
    """The election the congress file declares as `name`."""
    spec = next(s for s in store.congress.elections if s.name == name)
    ruleset = store.congress.rules.ruleset.value
    store.record_election(lambda _book, now: election_from_spec(spec, item, ruleset, now))


def created(
    store: Store,
    name: str,
    item: str,
    kind: el.ElectionKind,
    title: str,
    *,
    pool: str | None = None,
    parent: str | None = None,
) -> None:
    """An election the congress file does not declare: an opinion ballot on a list (`parent`),
    a body elected among another's members (`pool`)."""
    ruleset = store.congress.rules.ruleset.value
    store.record_election(
        lambda _book, now: el.create_election(
            name, item, kind, title, ruleset, now, pool=pool, parent=parent
        )
    )


def listed(store: Store, election: str, numbers: Sequence[int]) -> None:
    for number in numbers:
        candidate = person(store, number)
        put(store, el.CandidateAdded, election, candidate, el.Source.LIST, "", False, None, None)


def appoint_counters(store: Store, election: str, vote: str) -> None:
    head, member = (delegate_person_id(n) for n in COUNTERS)
    put(store, el.CountersAppointed, election, head, (head, member), vote)


def open_box(
    store: Store,
    election: str,
    n: int,
    returned: int,
    mode: CountMode,
    teams: tuple[str, ...] = ("A",),
    by_card: Sequence[tuple[int, int]] = (),
) -> None:
    """Round `n`'s one box sealed, voting opened, a ballot to every voter (to those in `by_card`,
    (number, card issue), at the ballot desk), the box closed and opened with `returned`
    ballots, and counting started."""
    put(store, el.BoxPrepared, election, n, "main", el.BoxKind.MAIN)
    put(store, el.BoxSealed, election, n, "main", SEALED_BY)
    store.open_election_voting(election, n)
    for number, issue in by_card:
        store.issue_ballot(election, n, "main", store.card_code(number, issue))
    put(store, el.BallotsIssued, election, n, "main", PRESENT - len(by_card), "")
    put(store, el.BoxClosed, election, n, "main")
    put(store, el.BoxOpened, election, n, "main", returned, SEALED_BY)
    put(store, el.CountingStarted, election, n, mode, teams)


def sheet(store: Store, election: str, n: int, votes: Mapping[int, int]) -> None:
    """Round `n` counted from one tally sheet of every present voter's ballot, valid: `votes`
    by delegate number (0 for the others)."""
    open_box(store, election, n, PRESENT, CountMode.SHEETS)
    e = store.election_book().get(election)
    assert e is not None
    by_person = {delegate_person_id(number): count for number, count in votes.items()}
    totals = Totals.of([by_person.get(p, 0) for p in e.round(n).ballot], PRESENT, {})
    put(store, el.SheetEntered, election, n, "A", "main", "", totals, "")
    finish(store, election, n)


MACHINE = "Máy đọc phiếu"


def read_by_machine(store: Store, election: str, n: int) -> None:
    """Round `n` (two names, one seat) counted twice: a machine reads every ballot (issue 14;
    one sheet in doubt, which the committee decides) and the committee counts by hand into one
    tally sheet; the two agree. 11 for the first name, 8 for the second, 8 with both struck."""
    put(store, el.BoxPrepared, election, n, "main", el.BoxKind.MAIN)
    put(store, el.BoxSealed, election, n, "main", SEALED_BY)
    store.open_election_voting(election, n)
    put(store, el.BallotsIssued, election, n, "main", PRESENT, "")
    put(store, el.BoxClosed, election, n, "main")
    put(store, el.BoxOpened, election, n, "main", PRESENT, SEALED_BY)
    teams = ("A", MACHINE)
    store.record_election(
        lambda _b, now: el.CountingStarted(election, n, CountMode.SHEETS, teams, now, MACHINE)
    )
    image = hashlib.sha256(f"{election}-{n}.pdf".encode()).hexdigest()
    rows = ["ks"] * 10 + ["sk"] * 8 + ["ss"] * 8 + ["k?"]
    for i, text in enumerate(rows, 1):
        marks = marks_from_text(text)
        doubts = (Doubt.OUTSIDE_ROWS,) if "?" in text else ()
        got = outcome(el.BallotFormat.STRIKE_OUT, 2, 1, marks, doubts)
        where = SheetPlace(image, f"{election}-{n}.pdf", (i + 1) // 2, 2 - i % 2, i)
        store.record_reading(election, n, "main", "", where, f"{election}/{n}", marks, doubts, got)
    decided = BallotInput.struck(2)
    store.decide_reading(election, n, (image, 14, 1), decided, "Nét gạch mờ, tên số 1 còn nguyên")
    all_struck = {InvalidReason.ALL_STRUCK_WITH_SURPLUS: 8}
    put(
        store, el.SheetEntered, election, n, "A", "main", "", Totals.of([11, 8], 19, all_struck), ""
    )
    finish(store, election, n)


def finish(store: Store, election: str, n: int) -> None:
    put(store, el.BoxCounted, election, n, "main")
    put(store, el.MinutesSigned, election, n, SEALED_BY)
    put(store, el.ResultsAnnounced, election, n)


def committee_election(store: Store, item: str) -> None:
    """Five on the list for three seats (one nominee not admitted, a withdrawal refused) is over
    the cap: an opinion ballot cuts a name. Round 1, counted twice by hand, fills no seat;
    round 2 adds a name and ends in a tie the presidium decides. The standing committee is then
    created, to be chosen among those elected."""
    store.start_item(item)
    create(store, COMMITTEE, item)
    seats = decide(store, item, MotionKind.SEAT_COUNT, proposal=3)
    put(store, el.SeatsSet, COMMITTEE, 3, el.SeatsSource.VOTE, seats, 0, "")
    listed(store, COMMITTEE, (2, 3, 4, 5, 6))
    nominee = person(store, 8)  # 5 of 27 for them: not admitted (more than 30 % needed)
    nominated = (el.Source.NOMINATED, "Đại biểu số 9", False, 5, PRESENT)
    put(store, el.CandidateAdded, COMMITTEE, nominee, *nominated)
    put(store, el.WithdrawalRequested, COMMITTEE, delegate_person_id(6), "Lý do sức khỏe")
    refused = decide(store, item, MotionKind.WITHDRAWAL)
    put(store, el.WithdrawalDecided, COMMITTEE, delegate_person_id(6), False, refused)
    counters = decide(store, item, MotionKind.PROCEDURAL_BODY)
    opinion_ballot(store, item, counters)
    put(store, el.ListCut, COMMITTEE, POLL)
    put(store, el.ListApproved, COMMITTEE, 1, decide(store, item, MotionKind.ELECTION_LIST))
    appoint_counters(store, COMMITTEE, counters)
    open_box(store, COMMITTEE, 1, 6, CountMode.BALLOTS, ("A", "B"), by_card=((2, 0), (4, 1)))
    counted_twice(store)
    finish(store, COMMITTEE, 1)
    again = decide(store, item, MotionKind.OTHER)
    put(store, el.RoundAdded, COMMITTEE, el.RoundReason.UNFILLED, (person(store, 9),), again)
    put(store, el.ListApproved, COMMITTEE, 2, "")
    sheet(store, COMMITTEE, 2, {2: 27, 3: 20, 4: 15, 5: 15})  # 4 and 5 tie for the third seat
    tied = (delegate_person_id(4),)
    put(store, el.TieResolved, COMMITTEE, 2, tied, "Đoàn Chủ tịch quyết định", again)
    standing = el.ElectionKind.STANDING_COMMITTEE
    created(store, STANDING, item, standing, "Bầu Ban Thường vụ", pool=COMMITTEE)


def opinion_ballot(store: Store, item: str, counters: str) -> None:
    """The opinion ballot over the committee's list keeps four of its five names."""
    poll = el.ElectionKind.OPINION_POLL
    created(store, POLL, item, poll, "Lấy phiếu xin ý kiến", parent=COMMITTEE)
    listed(store, POLL, (2, 3, 4, 5, 6))
    put(store, el.ListApproved, POLL, 1, "")
    appoint_counters(store, POLL, counters)
    sheet(store, POLL, 1, {2: 27, 3: 27, 4: 27, 5: 27})


def counted_twice(store: Store) -> None:
    """Six ballots read by two teams: A voids a wrong entry and enters it again, B corrects
    one; in the second batch they differ and A's figures are taken."""
    struck, kept = BallotInput.struck, BallotInput.kept
    ballots = {
        "A": (struck(1), struck(1), struck(2), struck(4)),
        "B": (struck(1), struck(1), struck(2), struck(2)),
    }
    for team, read in ballots.items():
        for ballot in read:
            store.enter_ballot(COMMITTEE, 1, team, "main", ballot, batch="tập 1")
    put(store, el.BallotVoided, COMMITTEE, 1, "A", 4, "Nhập nhầm phiếu")
    store.enter_ballot(COMMITTEE, 1, "A", "main", struck(3), batch="tập 1")
    put(store, el.BallotCorrected, COMMITTEE, 1, "B", 4, struck(3), "Đọc lại phiếu")
    spoilt = BallotInput.spoilt(InvalidReason.SIGNED_OR_MARKED, "có chữ ký")
    second = {"A": (kept(1, 2), spoilt), "B": (kept(1, 3), spoilt)}
    for team, read in second.items():
        for ballot in read:
            store.enter_ballot(COMMITTEE, 1, team, "main", ballot, batch="tập 2")
    put(store, el.BatchAccepted, COMMITTEE, 1, "tập 2", "A", "Kiểm lại: tổ A đúng")


def delegation_election(store: Store, item: str) -> None:
    """Two official seats and two alternates: a third name passes beyond the seats, the
    congress does not make it an alternate, and the alternate ballot ties two names, whose
    order the congress then decides."""
    store.start_item(item)
    create(store, DELEGATION, item)
    alternates = decide(store, item, MotionKind.SEAT_COUNT, proposal=2)
    put(store, el.SeatsSet, DELEGATION, 2, el.SeatsSource.ALLOCATED, "", 2, alternates)
    listed(store, DELEGATION, (14, 15, 16, 17, 18))
    put(store, el.ListApproved, DELEGATION, 1, decide(store, item, MotionKind.ELECTION_LIST))
    appoint_counters(store, DELEGATION, decide(store, item, MotionKind.PROCEDURAL_BODY))
    sheet(store, DELEGATION, 1, {14: 20, 15: 18, 16: 15, 17: 1})
    decision = decide(store, item, MotionKind.OTHER)
    put(store, el.OverflowDecided, DELEGATION, False, decision)
    put(store, el.RoundAdded, DELEGATION, el.RoundReason.ALTERNATES, (), "")
    put(store, el.ListApproved, DELEGATION, 2, "")
    sheet(store, DELEGATION, 2, {16: 15, 17: 15})
    order = (delegate_person_id(17), delegate_person_id(16))
    put(store, el.AlternateOrderDecided, DELEGATION, order, "Bốc thăm", decision)


def inspection_election(store: Store, item: str) -> None:
    """Two names for one seat, counted by a machine beside the committee's tally sheet, neither
    with enough votes: the congress stops the election."""
    create(store, INSPECTION, item)
    seats = decide(store, item, MotionKind.SEAT_COUNT, proposal=1)
    put(store, el.SeatsSet, INSPECTION, 1, el.SeatsSource.VOTE, seats, 0, "")
    listed(store, INSPECTION, (19, 20))
    put(store, el.ListApproved, INSPECTION, 1, decide(store, item, MotionKind.ELECTION_LIST))
    appoint_counters(store, INSPECTION, decide(store, item, MotionKind.PROCEDURAL_BODY))
    read_by_machine(store, INSPECTION, 1)
    stop = decide(store, item, MotionKind.OTHER)
    put(store, el.ElectionStopped, INSPECTION, stop, "Để khuyết, bầu bổ sung sau")


# ---------------------------------------------------------------- the log as stored


@dataclass(frozen=True, slots=True)
class Stored:
    """One row of the event table as the database holds it (the payload as its JSON text)."""

    seq: int
    at: str
    kind: str
    payload: str
    terminal: str
    operator: str
    prev_hash: str
    hash: str
    role: str


def stored_rows(url: str) -> list[Stored]:
    """Every event of the SQLite file at `url`, read past the store: the bytes it wrote."""
    with sqlite3.connect(url) as db:
        rows = db.execute(
            "SELECT seq, at, kind, payload, terminal, operator, prev_hash, hash, role"
            " FROM event ORDER BY seq"
        ).fetchall()
    return [Stored(*row) for row in rows]


def _line_start(kind: str) -> str:
    return f'{{"kind": {json.dumps(kind, ensure_ascii=False)}, "payload": '


def fixture_line(kind: str, payload: str) -> str:
    """`{"kind": ..., "payload": ...}` with the payload's stored text as it is."""
    return f"{_line_start(kind)}{payload}}}"


def fixture_payloads(fixture: Path = FIXTURE) -> list[tuple[str, str]]:
    """(kind, payload text as stored) of every line of the fixture, the text cut out of the line
    as it is (not parsed and written again)."""
    found = []
    for line in fixture.read_text(encoding="utf-8").splitlines():
        kind = str(json.loads(line)["kind"])
        start = _line_start(kind)
        assert line.startswith(start) and line.endswith("}"), line
        found.append((kind, line[len(start) : -1]))
    return found


def add_to_fixture(url: str, fixture: Path = FIXTURE) -> list[str]:
    """Append to `fixture` the events of `url` whose kinds it does not hold yet; the kinds
    added."""
    lines = fixture.read_text(encoding="utf-8").splitlines() if fixture.exists() else []
    held = {json.loads(line)["kind"] for line in lines}
    new = [row for row in stored_rows(url) if row.kind not in held]
    lines += [fixture_line(row.kind, row.payload) for row in new]
    fixture.parent.mkdir(parents=True, exist_ok=True)
    fixture.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return sorted({row.kind for row in new})


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = str(Path(tmp) / "congress.db")
        every_event_store(url).close()
        added = add_to_fixture(url)
    print(f"{FIXTURE.relative_to(ROOT)}: added {', '.join(added) or 'nothing'}")


if __name__ == "__main__":
    main()
