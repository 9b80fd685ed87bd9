"""Helpers shared by the election tests (no tests here): a clock, candidates, and a driver that
takes an election through its steps by applying events, as the store will."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from session import elections as el
from session.ballots import BallotInput, InvalidReason, Person
from session.count import CountMode, Totals
from session.elections import (
    BallotIssuedTo,
    BallotsIssued,
    BoxClosed,
    BoxCounted,
    BoxKind,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    CandidateAdded,
    CountersAppointed,
    CountingStarted,
    Election,
    ElectionBook,
    ElectionEvent,
    ElectionKind,
    ListApproved,
    MinutesSigned,
    ResultsAnnounced,
    SeatsSet,
    SeatsSource,
    SheetEntered,
    Source,
    VotingOpened,
)
from session.results import TiePolicy
from session.tally import Snapshot

T0 = datetime(2025, 6, 20, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
PARTY = "vn_party_2014"
SECTION_11 = Snapshot(present=287, entitled=300, adjusted=290)

GIVEN = ["An", "Bình", "Chi", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Khoa",
         "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phong", "Phương", "Quang",
         "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vân", "Yến"]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quốc", "Thu", "Hữu", "Ngọc"]


def person(i: int, prefix: str = "p", committee_member: bool = False) -> Person:
    """A distinct candidate for every i (names repeat, ids and dates of birth do not)."""
    return Person(
        f"{prefix}{i:03d}",
        FAMILY[i % len(FAMILY)],
        MIDDLE[(i // len(FAMILY)) % len(MIDDLE)],
        GIVEN[(i * 7) % len(GIVEN)],
        date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
        delegate=i,
        committee_member=committee_member,
    )


def people(n: int, prefix: str = "p", start: int = 1) -> list[Person]:
    return [person(i, prefix) for i in range(start, start + n)]


COUNTERS = ("k1", "k2", "k3")


@dataclass
class Run:
    """Applies events one by one, keeping the log, with a clock that moves a minute per event."""

    book: ElectionBook = field(default_factory=ElectionBook)
    log: list[ElectionEvent] = field(default_factory=list)
    minute: int = 0

    def now(self) -> datetime:
        self.minute += 1
        return T0 + timedelta(minutes=self.minute)

    def do(self, event: ElectionEvent) -> "Run":
        self.book = el.apply(self.book, event)
        self.log.append(event)
        return self

    def e(self, election: str) -> Election:
        found = self.book.get(election)
        assert found is not None
        return found

    # ------------------------------------------------ the list

    def create(
        self,
        election: str = "bch",
        kind: ElectionKind = ElectionKind.COMMITTEE,
        ruleset: str = PARTY,
        **options: object,
    ) -> "Run":
        return self.do(
            el.create_election(
                election, "elect", kind, f"Bầu {election}", ruleset, self.now(), **options
            )  # type: ignore[arg-type]
        )

    def seats(self, seats: int, election: str = "bch", alternates: int = 0) -> "Run":
        delegation = self.e(election).kind is ElectionKind.DELEGATES_HIGHER
        source = SeatsSource.ALLOCATED if delegation else SeatsSource.VOTE
        vote = "" if delegation else "vote-01"
        alt_vote = "vote-02" if alternates else ""
        return self.do(SeatsSet(election, seats, source, vote, alternates, alt_vote, self.now()))

    def add(self, persons: Iterable[Person], election: str = "bch") -> "Run":
        for p in persons:
            self.do(CandidateAdded(election, p, Source.LIST, "", False, None, None, self.now()))
        return self

    def nominate(
        self, p: Person, support: int, present: int = 287, election: str = "bch", **kw: object
    ) -> "Run":
        source = kw.pop("source", Source.NOMINATED)
        nominator = str(kw.pop("nominator", "Đại biểu số 12"))
        on_committee = bool(kw.pop("nominator_on_committee", False))
        return self.do(
            CandidateAdded(
                election,
                p,
                source,
                nominator,
                on_committee,
                support,
                present,
                self.now(),  # type: ignore[arg-type]
            )
        )

    def approve(self, election: str = "bch", round_no: int | None = None) -> "Run":
        number = round_no or self.e(election).current.number
        return self.do(ListApproved(election, number, f"vote-list-{number}", self.now()))

    # ------------------------------------------------ boxes and voting

    def counters(self, election: str = "bch", members: Sequence[str] = COUNTERS) -> "Run":
        return self.do(
            CountersAppointed(election, members[0], tuple(members), "vote-kp", self.now())
        )

    def boxes(self, election: str = "bch", boxes: Sequence[str] = ("main",)) -> "Run":
        number = self.e(election).current.number
        for i, box in enumerate(boxes):
            kind = BoxKind.MAIN if i == 0 else BoxKind.AUXILIARY
            self.do(BoxPrepared(election, number, box, kind, self.now()))
            self.do(BoxSealed(election, number, box, COUNTERS[:2], self.now()))
        return self

    def vote(
        self,
        election: str = "bch",
        snapshot: Snapshot = SECTION_11,
        issued: Mapping[str, int] | None = None,
        returned: Mapping[str, int] | None = None,
    ) -> "Run":
        """Open voting, issue, close and open every box (`returned` found in each)."""
        e = self.e(election)
        r = e.current
        if e.committee is None:
            self.counters(election)
        if not r.boxes:
            self.boxes(election)
        r = self.e(election).current
        self.do(VotingOpened(election, r.number, snapshot, "", self.now()))
        issued = issued or {r.boxes[0].id: snapshot.present}
        returned = returned or issued
        for box, n in issued.items():
            self.do(BallotsIssued(election, r.number, box, n, "", self.now()))
        for b in r.boxes:
            self.do(BoxClosed(election, r.number, b.id, self.now()))
            self.do(
                BoxOpened(election, r.number, b.id, returned.get(b.id, 0), COUNTERS, self.now())
            )
        return self

    # ------------------------------------------------ counting

    def start_count(
        self,
        election: str = "bch",
        mode: CountMode = CountMode.BALLOTS,
        teams: Sequence[str] = ("A",),
    ) -> "Run":
        number = self.e(election).current.number
        return self.do(CountingStarted(election, number, mode, tuple(teams), self.now()))

    def ballots(
        self,
        ballots: Iterable[BallotInput],
        election: str = "bch",
        team: str = "A",
        box: str = "main",
        batch: str = "",
    ) -> "Run":
        number = self.e(election).current.number
        for b in ballots:
            self.do(el.ballot_entered(self.book, election, number, team, box, b, self.now(), batch))
        return self

    def sheet(
        self,
        votes_by_person: Mapping[str, int],
        valid: int,
        invalid: Mapping[InvalidReason, int],
        election: str = "bch",
        team: str = "A",
        box: str = "main",
    ) -> "Run":
        """Per-candidate totals (by person id; 0 for the others) from a tally sheet."""
        e = self.e(election)
        r = e.current
        votes = [votes_by_person.get(p, 0) for p in r.ballot]
        totals = Totals.of(votes, valid, invalid)
        return self.do(SheetEntered(election, r.number, team, box, "", totals, "", self.now()))

    def finish(self, election: str = "bch") -> "Run":
        """Count every box, sign the minutes, announce."""
        r = self.e(election).current
        for b in r.boxes:
            self.do(BoxCounted(election, r.number, b.id, self.now()))
        self.do(MinutesSigned(election, r.number, COUNTERS, self.now()))
        return self.do(ResultsAnnounced(election, r.number, self.now()))

    def by_sheet(
        self,
        votes_by_person: Mapping[str, int],
        valid: int,
        invalid: Mapping[InvalidReason, int],
        election: str = "bch",
        snapshot: Snapshot = SECTION_11,
        issued: int | None = None,
        returned: int | None = None,
    ) -> "Run":
        """A whole round counted from one tally sheet, through to the announcement."""
        box = "main"
        n_returned = returned if returned is not None else valid + sum(invalid.values())
        n_issued = issued if issued is not None else snapshot.present
        self.vote(election, snapshot, {box: n_issued}, {box: n_returned})
        self.start_count(election, CountMode.SHEETS)
        self.sheet(votes_by_person, valid, invalid, election)
        return self.finish(election)


def committee(
    seats: int,
    candidates: Sequence[Person],
    election: str = "bch",
    tie_policy: TiePolicy = TiePolicy.REVOTE_TIED,
    ruleset: str = PARTY,
    kind: ElectionKind = ElectionKind.COMMITTEE,
    **options: object,
) -> Run:
    """An election with its seats set and its list approved."""
    run = Run()
    run.create(election, kind, ruleset, tie_policy=tie_policy, **options)
    run.seats(seats, election)
    run.add(candidates, election)
    return run.approve(election)


def issue_to(run: Run, delegate: int, election: str = "bch", box: str = "main") -> Run:
    number = run.e(election).current.number
    return run.do(BallotIssuedTo(election, number, box, delegate, run.now()))
