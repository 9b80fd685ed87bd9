"""An election's state: candidates, rounds, boxes, the counting committee, the book of elections."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from session.ballot_reading import Doubt, SheetPlace, Verdict
from session.ballots import (
    PARTY_RULESETS,
    BallotFormat,
    BallotInput,
    BallotOrder,
    ElectionError,
    Person,
    ballot_format,
)
from session.count import (
    Count,
    Problem,
    Reconciliation,
    reconcile,
)
from session.elections.vocabulary import (
    _BOX_ORDER,
    SURPLUS_REQUIRED,
    BoxKind,
    BoxStatus,
    CandidateStatus,
    ElectionKind,
    Phase,
    RoundReason,
    RoundStatus,
    SeatsSource,
    Source,
    VotingWarning,
)
from session.results import (
    Contender,
    Purpose,
    RoundResult,
    TiePolicy,
    decide_round,
)
from session.surplus import (
    SurplusCheck,
    check_surplus,
)
from session.tally import Snapshot, VoteRule

# ---------------------------------------------------------------- state


@dataclass(frozen=True, slots=True)
class Candidate:
    person: Person
    source: Source
    status: CandidateStatus
    round: int  # the round whose list the candidate joined
    at: datetime
    nominator: str = ""
    support: int | None = None  # those supporting the introduction (outside nominees)
    present: int | None = None  # those present when it was asked

    @property
    def id(self) -> str:
        return self.person.id


@dataclass(frozen=True, slots=True)
class Withdrawal:
    person: str
    reason: str
    requested_at: datetime
    allowed: bool | None = None  # None: not yet decided
    vote: str = ""
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CountingCommittee:
    head: str  # delegates' person ids ("d00012"; free-text names in older logs)
    members: tuple[str, ...]
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    kind: BoxKind
    status: BoxStatus
    prepared_at: datetime
    sealed_by: tuple[str, ...] = ()
    sealed_at: datetime | None = None
    closed_at: datetime | None = None
    opened_by: tuple[str, ...] = ()
    opened_at: datetime | None = None
    returned: int | None = None  # ballots found in the box
    issued: int = 0
    counted_at: datetime | None = None

    def reached(self, status: BoxStatus) -> bool:
        return _BOX_ORDER[self.status] >= _BOX_ORDER[status]


@dataclass(frozen=True, slots=True)
class TieDecision:
    """A tie decided by the presidium (or the congress on its proposal), recorded."""

    winners: tuple[str, ...]
    reason: str
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReadingDecision:
    """The counting committee's decision on a sheet the machine could not call: the ballot the
    count takes (marks, or invalid with its reason), why, and the reader team's entry."""

    ballot: BallotInput
    reason: str
    seq: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Reading:
    """One paper ballot as the machine read it (issue 14): where it is, the box and batch it
    was counted in, what its code said, its marks (session.ballot_reading.marks_text) and
    doubts, the verdict by rule, and the reader team's entry for it (`seq`; 0 while the
    committee has not decided an undecided one, whose entry is then the decision's)."""

    place: SheetPlace
    box: str
    batch: str
    code: str
    marks: str
    doubts: tuple[Doubt, ...]
    verdict: Verdict
    ballot: BallotInput | None  # what the count took by rule; None while undecided
    seq: int
    at: datetime
    decision: ReadingDecision | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return self.place.key

    @property
    def pending(self) -> bool:
        """Waiting for the counting committee's decision."""
        return self.verdict is Verdict.UNDECIDED and self.decision is None

    @property
    def counted(self) -> BallotInput | None:
        """The ballot the count took for this sheet (by rule or by decision), None if pending."""
        return self.decision.ballot if self.decision is not None else self.ballot

    @property
    def entry(self) -> int:
        """The reader team's entry for this sheet (0 while pending)."""
        return self.decision.seq if self.decision is not None else self.seq


@dataclass(frozen=True, slots=True)
class Round:
    number: int
    phase: Phase
    reason: RoundReason
    seats: int  # 0 until the list is approved for round 1
    persons: tuple[str, ...] = ()  # who this round is for (round 1: decided at approval)
    decision_vote: str = ""  # the congress's vote to hold it (unfilled seats, additions)
    ballot: tuple[str, ...] = ()  # ballot order, fixed when the list is approved
    list_vote: str = ""
    approved_at: datetime | None = None
    boxes: tuple[Box, ...] = ()
    snapshot: Snapshot | None = None
    warnings: tuple[VotingWarning, ...] = ()
    open_reason: str = ""
    voting_at: datetime | None = None
    committee: CountingCommittee | None = None  # as it was when voting opened
    issued_to: frozenset[int] = frozenset()  # delegate numbers given a ballot
    count: Count | None = None
    signed_by: tuple[str, ...] = ()
    signed_at: datetime | None = None
    announced_at: datetime | None = None
    tie_decision: TieDecision | None = None
    readings: tuple[Reading, ...] = ()  # the sheets a machine read, in the order read

    @property
    def status(self) -> RoundStatus:
        if self.announced_at is not None:
            return RoundStatus.ANNOUNCED
        if self.signed_at is not None:
            return RoundStatus.SIGNED
        if self.approved_at is None:
            return RoundStatus.LIST
        if self.snapshot is None:
            return RoundStatus.LIST_APPROVED
        if all(b.reached(BoxStatus.COUNTED) for b in self.boxes):
            return RoundStatus.COUNTED
        if self.count is not None or any(b.reached(BoxStatus.OPENED) for b in self.boxes):
            return RoundStatus.COUNTING
        if all(b.reached(BoxStatus.CLOSED) for b in self.boxes):
            return RoundStatus.CLOSED
        return RoundStatus.VOTING

    @property
    def format(self) -> BallotFormat:
        return ballot_format(len(self.ballot), self.seats)

    def box(self, box_id: str) -> Box | None:
        return next((b for b in self.boxes if b.id == box_id), None)

    def number_of(self, person: str) -> int:
        """The ballot number of `person` in this round (1-based)."""
        return self.ballot.index(person) + 1

    @property
    def issued(self) -> int:
        return sum(b.issued for b in self.boxes)

    @property
    def returned(self) -> int:
        return sum(b.returned or 0 for b in self.boxes)

    def reconciliation(self) -> Reconciliation | None:
        """The round's figures for the counting minutes (None before counting starts)."""
        if self.count is None:
            return None
        return reconcile(self.issued, self.returned, self.count.totals(), self.seats)

    def standing_problems(self) -> tuple[Problem, ...]:
        """The reconciliation's problems that stand now: while a box is still being counted,
        ballots returned but not yet entered are work to do, not a mismatch."""
        check = self.reconciliation()
        if check is None:
            return ()
        if all(b.reached(BoxStatus.COUNTED) for b in self.boxes):
            return check.problems
        return tuple(p for p in check.problems if p.key != "sum_mismatch")


@dataclass(frozen=True, slots=True)
class Stop:
    phase: Phase
    vote: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OverflowDecision:
    accepted: bool
    persons: tuple[str, ...]  # the overflow, in order of votes
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AlternateOrder:
    order: tuple[str, ...]
    reason: str
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ListCutRecord:
    poll: str
    removed: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class Election:
    id: str
    item: str  # the agenda item's key
    kind: ElectionKind
    title: str
    ruleset: str
    rule: VoteRule
    tie_policy: TiePolicy
    purpose: Purpose
    pool: str | None  # the election whose elected members are the only possible candidates
    parent: str | None  # an opinion ballot cutting this election's list
    auxiliary_boxes: bool
    order: BallotOrder
    created_at: datetime
    seats: int | None = None
    alternate_seats: int = 0
    seats_source: SeatsSource | None = None
    seats_vote: str = ""
    alternate_vote: str = ""
    candidates: tuple[Candidate, ...] = ()
    withdrawals: tuple[Withdrawal, ...] = ()
    committee: CountingCommittee | None = None
    rounds: tuple[Round, ...] = ()
    stops: tuple[Stop, ...] = ()
    overflow: OverflowDecision | None = None
    alternate_order: AlternateOrder | None = None
    cuts: tuple[ListCutRecord, ...] = ()

    @property
    def party(self) -> bool:
        return self.ruleset in PARTY_RULESETS

    def candidate(self, person: str) -> Candidate | None:
        return next((c for c in self.candidates if c.person.id == person), None)

    def on_list(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.status is CandidateStatus.ON_LIST)

    def round(self, number: int) -> Round:
        if not 1 <= number <= len(self.rounds):
            raise ElectionError("unknown_round", election=self.title, round=number)
        return self.rounds[number - 1]

    @property
    def current(self) -> Round:
        return self.rounds[-1]

    def people(self, persons: Iterable[str]) -> tuple[Person, ...]:
        by_id = {c.person.id: c.person for c in self.candidates}
        return tuple(by_id[p] for p in persons)

    def ballot(self, number: int | None = None) -> tuple[Person, ...]:
        """The ballot of a round (the current one by default) in order: number = position + 1."""
        r = self.current if number is None else self.round(number)
        return self.people(r.ballot)

    def pending_withdrawals(self) -> tuple[Withdrawal, ...]:
        return tuple(w for w in self.withdrawals if w.allowed is None)

    def surplus(self) -> SurplusCheck | None:
        """The current list of round 1 against the surplus rules (None: no seats yet, or an
        opinion ballot)."""
        if self.seats is None or self.kind is ElectionKind.OPINION_POLL:
            return None
        return check_surplus(
            self.seats + self.alternate_seats,
            len(self.on_list()),
            limited=self.party,
            required=self.party and self.kind in SURPLUS_REQUIRED,
        )

    def result(self, number: int, provisional: bool = False) -> RoundResult | None:
        """A round's result: once its minutes are signed, or (provisional) from the running
        count. None when nothing is counted yet."""
        r = self.round(number)
        if r.count is None or r.snapshot is None:
            return None
        if not provisional and r.signed_at is None:
            return None
        contenders = [
            Contender(p.id, i, p.date_of_birth) for i, p in enumerate(self.people(r.ballot), 1)
        ]
        return decide_round(
            contenders,
            r.count.totals(),
            r.seats,
            self.rule,
            r.snapshot,
            self.tie_policy,
            self.purpose,
        )


@dataclass(frozen=True, slots=True)
class ElectionBook:
    elections: tuple[Election, ...] = ()

    def get(self, election_id: str) -> Election | None:
        return next((e for e in self.elections if e.id == election_id), None)

    def for_item(self, item: str) -> tuple[Election, ...]:
        return tuple(e for e in self.elections if e.item == item)


def find(book: ElectionBook, election_id: str) -> Election:
    """The election `election_id` of `book`, or ElectionError naming it."""
    e = book.get(election_id)
    if e is None:
        raise ElectionError("unknown_election", election=election_id)
    return e
