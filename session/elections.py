"""Secret-ballot elections (bầu cử bằng phiếu kín) as a pure, event-sourced reducer
(domain rules 4, 5, 6, 11, 12.5–12.15).

An election belongs to an agenda item and runs in rounds. Round 1:

1. **created**: its kind (committee, standing committee, secretary, deputy secretary,
   inspection committee, inspection chair, delegation to the higher congress, opinion ballot),
   threshold rule and tie policy; a secretary, deputy secretary or standing committee takes its
   candidates from an elected committee (`pool`), an inspection chair from the inspection
   committee.
2. **seats**: voted by show of hands (the vote's id is recorded), except a delegation's official
   seats, which are allocated from above (its alternates are voted).
3. **candidates**: the convening committee's list, nominations and self-nominations at the
   congress (admitted under the Party rule sets only with the support of more than 30 % of those
   present; a convening-committee member may neither nominate nor stand off the list), and
   withdrawal requests decided by the congress.
4. **list approved** (show of hands) once it passes the surplus check of session.surplus; a
   list over the cap is cut first by an opinion ballot (an `opinion_poll` election with the
   list's election as `parent`, then :class:`ListCut`). From here the ballot order is fixed and
   the ballots can be printed.
5. **boxes** prepared (main; auxiliary where allowed), each inspected empty and **sealed** by
   named members; the **counting committee** (not on the list) appointed.
6. **voting opened**: attendance frozen (present, entitled, summoned-adjusted base); ballots
   issued per box; each box **closed**, then **opened** for counting with the ballots found.
7. **counting** (session.count): ballot by ballot or from tally sheets, by one team or two
   (double entry); each box **counted** when its figures reconcile; the **minutes signed** when
   the round's figures reconcile; the results **announced**.

Then (session.results) either every seat is filled, or a tie at the cut-off waits for the tie
policy (a tie-break round, the older candidate, or the presidium's recorded decision), or seats
are unfilled and the congress votes another round (remaining seats, remaining candidates plus
any names it adds) or to stop. A delegation fills its official seats first, then its alternates
on the alternate ballot over the rest of the same list (those who passed beyond the official
seats become alternates directly if the congress so votes).

`apply(book, event)` returns the new ElectionBook or raises ElectionError (a key under
'election.error.'). The store persists `(event.KIND, event.payload())` and replays with
`decode` (and `apply(..., replaying=True)`: see there).

The counting committee is chosen from the register: its members are delegates' person ids
(session.candidates.delegate_person_id), none of them a candidate on the list; the store checks
that they are official delegates. Logs written before that rule hold free-text names: they
still replay, and print as written.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from session import codec
from session.ballots import (
    PARTY_RULESETS,
    BallotFormat,
    BallotInput,
    BallotOrder,
    ElectionError,
    Person,
    ballot_format,
    ballot_order,
    order_for,
)
from session.count import (
    Count,
    CountMode,
    Problem,
    Reconciliation,
    Totals,
    accept_batch,
    correct_ballot,
    differences,
    enter_ballot,
    enter_sheet,
    new_count,
    reconcile,
    void_ballot,
)
from session.majority import Ratio
from session.quorum import Member
from session.results import (
    ELECTION_BASES,
    Contender,
    Purpose,
    RoundResult,
    Tie,
    TiePolicy,
    decide_round,
    election_base,
    order_by_votes,
)
from session.surplus import (
    SurplusCheck,
    check_surplus,
    opinion_keep,
    outside_nominee_admitted,
)
from session.tally import Snapshot, VoteBase, VoteRule
from session.text import nfc


class ElectionKind(StrEnum):
    """Domain rules 4.1."""

    COMMITTEE = "committee"  # cấp ủy / ban chấp hành
    STANDING_COMMITTEE = "standing_committee"  # ban thường vụ
    SECRETARY = "secretary"  # bí thư
    DEPUTY_SECRETARY = "deputy_secretary"  # phó bí thư
    INSPECTION_COMMITTEE = "inspection_committee"  # ủy ban kiểm tra
    INSPECTION_CHAIR = "inspection_chair"  # chủ nhiệm ủy ban kiểm tra
    DELEGATES_HIGHER = "delegates_higher"  # đoàn đại biểu dự đại hội cấp trên
    OPINION_POLL = "opinion_poll"  # lấy phiếu xin ý kiến / phiếu giới thiệu


# Whose elected members a kind takes its candidates from (244 Art 19(9); domain rules 4.1).
POOLS: dict[ElectionKind, frozenset[ElectionKind]] = {
    ElectionKind.STANDING_COMMITTEE: frozenset({ElectionKind.COMMITTEE}),
    ElectionKind.SECRETARY: frozenset({ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE}),
    ElectionKind.DEPUTY_SECRETARY: frozenset(
        {ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE}
    ),
    ElectionKind.INSPECTION_CHAIR: frozenset({ElectionKind.INSPECTION_COMMITTEE}),
}
NOMINATION_POOLS = frozenset({ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE})
SURPLUS_REQUIRED = frozenset({ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE})
PARTY_RULE = Ratio(1, 2, strict=True)


class Source(StrEnum):
    LIST = "list"  # the convening committee's list
    NOMINATED = "nominated"  # nominated at the congress by a delegate
    SELF = "self"  # self-nominated
    ADDED = "added"  # added to a later round by a congress vote


class CandidateStatus(StrEnum):
    ON_LIST = "on_list"
    NOT_ADMITTED = "not_admitted"  # nominated without the support of > 30 % of those present
    WITHDRAWN = "withdrawn"  # withdrawal allowed by the congress
    CUT = "cut"  # left the list by the opinion ballot


class SeatsSource(StrEnum):
    VOTE = "vote"  # decided by a show-of-hands vote
    ALLOCATED = "allocated"  # allocated by the higher committee (a delegation's official seats)


class BoxKind(StrEnum):
    MAIN = "main"
    AUXILIARY = "auxiliary"  # hòm phiếu phụ, carried to those who cannot reach the hall


class BoxStatus(StrEnum):
    PREPARED = "prepared"
    SEALED = "sealed"  # inspected empty and sealed
    VOTING = "voting"
    CLOSED = "closed"
    OPENED = "opened"  # opened for counting
    COUNTED = "counted"
    SIGNED = "signed"  # the counting minutes signed


_BOX_ORDER = {s: i for i, s in enumerate(BoxStatus)}


class Phase(StrEnum):
    MAIN = "main"  # the seats (a delegation's official delegates)
    ALTERNATE = "alternate"  # a delegation's alternates


class RoundReason(StrEnum):
    FIRST = "first"
    UNFILLED = "unfilled"  # seats left unfilled: the congress voted another round
    TIE_BREAK = "tie_break"  # a further ballot among candidates tied at the cut-off
    ALTERNATES = "alternates"  # a delegation's alternate ballot


class RoundStatus(StrEnum):
    LIST = "list"  # the list is being drawn up
    LIST_APPROVED = "list_approved"  # ballots can be printed
    VOTING = "voting"
    CLOSED = "closed"  # every box closed
    COUNTING = "counting"
    COUNTED = "counted"  # every box counted
    SIGNED = "signed"  # the counting minutes signed
    ANNOUNCED = "announced"


class VotingWarning(StrEnum):
    EMPTY_BASE = "empty_base"
    NO_CANDIDATE_CAN_PASS = "no_candidate_can_pass"  # 2 × present ≤ base under the Party rule


class Step(StrEnum):
    """What the election waits for next."""

    SEATS = "seats"
    LIST = "list"  # nominations, withdrawals, the surplus check, then the list vote
    VOTING = "voting"  # boxes, counting committee, voting, closing
    COUNTING = "counting"
    SIGNING = "signing"
    ANNOUNCING = "announcing"
    TIE = "tie"  # a tie at the cut-off, per the tie policy
    NEXT_ROUND = "next_round"  # seats unfilled: the congress votes another round or to stop
    OVERFLOW = "overflow"  # delegation: do those beyond the official seats become alternates?
    ALTERNATES = "alternates"  # delegation: the alternate ballot
    ALTERNATE_ORDER = "alternate_order"  # alternates tied on votes: their order to decide
    COMPLETE = "complete"
    STOPPED = "stopped"  # the congress voted to stop with seats left empty


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


# ---------------------------------------------------------------- outcome


@dataclass(frozen=True, slots=True)
class PhaseState:
    phase: Phase
    seats: int
    elected: tuple[str, ...]  # in order of election: round, then rank
    tie: Tie | None  # pending in the phase's last round
    tie_round: int | None
    unfilled: int  # seats neither filled nor waiting on a tie
    in_progress: bool  # the phase's last round is not announced yet
    stopped: bool

    @property
    def done(self) -> bool:
        return self.stopped or (not self.in_progress and self.tie is None and self.unfilled == 0)


def _phase(e: Election, phase: Phase) -> PhaseState | None:
    rounds = [r for r in e.rounds if r.phase is phase]
    if not rounds:
        return None
    if phase is Phase.MAIN:
        seats = e.seats if e.seats is not None else e.rounds[0].seats
    else:
        seats = e.alternate_seats - (len(e.overflow.persons) if _overflow_accepted(e) else 0)
    elected: list[str] = []
    last = rounds[-1]
    tie = None
    for r in rounds:
        if r.announced_at is None:
            continue
        res = e.result(r.number)
        assert res is not None
        if e.purpose is not Purpose.NOMINATION:
            elected.extend(res.elected)
        if r.tie_decision is not None:
            elected.extend(r.tie_decision.winners)
        elif r is last and res.tie is not None:
            tie = res.tie
    in_progress = last.announced_at is None
    waiting = tie.seats if tie else 0
    unfilled = 0 if e.purpose is Purpose.NOMINATION else max(seats - len(elected) - waiting, 0)
    if in_progress:
        unfilled = max(seats - len(elected), 0)
    stopped = any(s.phase is phase for s in e.stops)
    return PhaseState(
        phase,
        seats,
        tuple(elected),
        tie,
        last.number if tie else None,
        unfilled,
        in_progress,
        stopped,
    )


def _overflow_accepted(e: Election) -> bool:
    return e.overflow is not None and e.overflow.accepted


def overflow_of(e: Election) -> tuple[str, ...]:
    """Delegation: candidates who passed the threshold in a main round but got no official seat,
    in order of those votes (high to low; ballot order among equals)."""
    main = _phase(e, Phase.MAIN)
    if main is None:
        return ()
    elected = set(main.elected)
    best: dict[str, tuple[int, int, int]] = {}
    for r in e.rounds:
        if r.phase is not Phase.MAIN or r.announced_at is None:
            continue
        res = e.result(r.number)
        assert res is not None
        for row in res.rows:
            if row.passed and row.person not in elected and row.person not in best:
                best[row.person] = (-row.votes, r.number, row.number)
    still = {c.person.id for c in e.on_list()}
    return tuple(p for p in sorted(best, key=lambda p: best[p]) if p in still)


def _remaining(e: Election, phase: Phase) -> tuple[str, ...]:
    """Who another round of `phase` would list: the last regular round's ballot, less everyone
    elected (in any phase) and everyone no longer on the list."""
    regular = [r for r in e.rounds if r.phase is phase and r.reason is not RoundReason.TIE_BREAK]
    if not regular:
        return ()
    elected = set(_all_elected(e))
    still = {c.person.id for c in e.on_list()}
    return tuple(p for p in regular[-1].ballot if p not in elected and p in still)


def _all_elected(e: Election) -> tuple[str, ...]:
    out: list[str] = []
    for phase in Phase:
        state = _phase(e, phase)
        if state is not None:
            out.extend(state.elected)
    if _overflow_accepted(e):
        assert e.overflow is not None
        out.extend(e.overflow.persons)
    return tuple(out)


def alternate_slots(e: Election) -> tuple[tuple[str, ...], ...]:
    """A delegation's alternates in substitution order: those taken from the overflow first
    (by their votes on the official ballot), then those of the alternate ballot (round by round,
    by votes). A slot with several people is a tie the policy could not order: it waits for
    :class:`AlternateOrderDecided` (whose order, once recorded, is returned instead)."""
    if e.alternate_order is not None:
        return tuple((p,) for p in e.alternate_order.order)
    slots: list[tuple[str, ...]] = []
    dob = {c.person.id: c.person.date_of_birth for c in e.candidates}
    if _overflow_accepted(e):
        assert e.overflow is not None
        votes = _main_votes(e)
        entries = [(p, votes[p], dob[p]) for p in e.overflow.persons]
        slots.extend(order_by_votes(entries, e.tie_policy))
    for r in e.rounds:
        if r.phase is not Phase.ALTERNATE or r.announced_at is None:
            continue
        res = e.result(r.number)
        assert res is not None
        winners = list(res.elected)
        if r.tie_decision is not None:
            winners.extend(r.tie_decision.winners)
        entries = [(p, res.row(p).votes, dob[p]) for p in winners]
        slots.extend(order_by_votes(entries, e.tie_policy))
    return tuple(slots)


def _main_votes(e: Election) -> dict[str, int]:
    votes: dict[str, int] = {}
    for r in e.rounds:
        if r.phase is Phase.MAIN and r.announced_at is not None:
            res = e.result(r.number)
            assert res is not None
            for row in res.rows:
                if row.passed:
                    votes.setdefault(row.person, row.votes)
    return votes


@dataclass(frozen=True, slots=True)
class ElectionOutcome:
    step: Step
    round: int  # the current round
    elected: tuple[str, ...]  # the seats (a delegation's official delegates)
    unfilled: int
    tie: Tie | None
    tie_round: int | None
    remaining: tuple[str, ...]  # who another round would list
    overflow: tuple[str, ...]  # delegation
    alternates: tuple[tuple[str, ...], ...]  # delegation, substitution order (see alternate_slots)
    alternate_unfilled: int

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step.value,
            "round": self.round,
            "elected": list(self.elected),
            "unfilled": self.unfilled,
            "tie": None
            if self.tie is None
            else {
                "round": self.tie_round,
                "persons": list(self.tie.persons),
                "seats": self.tie.seats,
                "votes": self.tie.votes,
            },
            "remaining": list(self.remaining),
            "overflow": list(self.overflow),
            "alternates": [list(s) for s in self.alternates],
            "alternate_unfilled": self.alternate_unfilled,
        }


_STEP_OF_ROUND = {
    RoundStatus.LIST: Step.LIST,
    RoundStatus.LIST_APPROVED: Step.VOTING,
    RoundStatus.VOTING: Step.VOTING,
    RoundStatus.CLOSED: Step.COUNTING,
    RoundStatus.COUNTING: Step.COUNTING,
    RoundStatus.COUNTED: Step.SIGNING,
    RoundStatus.SIGNED: Step.ANNOUNCING,
}


def outcome(e: Election) -> ElectionOutcome:
    """Where the election stands: who is elected, what waits, and the next step."""
    last = e.current
    main = _phase(e, Phase.MAIN)
    alt = _phase(e, Phase.ALTERNATE)
    assert main is not None
    state = alt if last.phase is Phase.ALTERNATE and alt is not None else main
    overflow = overflow_of(e) if e.kind is ElectionKind.DELEGATES_HIGHER else ()
    alternates = alternate_slots(e) if e.kind is ElectionKind.DELEGATES_HIGHER else ()
    filled_alternates = sum(len(s) for s in alternates)
    alt_unfilled = max(e.alternate_seats - filled_alternates, 0)

    if e.seats is None and e.kind is not ElectionKind.OPINION_POLL:
        step = Step.SEATS
    elif last.status is not RoundStatus.ANNOUNCED:
        step = _STEP_OF_ROUND[last.status]
    elif state.stopped and (last.phase is Phase.ALTERNATE or not _wants_alternates(e)):
        step = Step.STOPPED
    elif state.tie is not None and not state.stopped:
        step = Step.TIE
    elif state.unfilled > 0 and not state.stopped:
        step = Step.NEXT_ROUND
    elif last.phase is Phase.MAIN and _wants_alternates(e):
        if overflow and e.overflow is None:
            step = Step.OVERFLOW
        elif _alternate_seats_left(e) > 0:
            step = Step.ALTERNATES
        else:
            step = _order_step(alternates)
    elif e.kind is ElectionKind.DELEGATES_HIGHER:
        step = _order_step(alternates) if not state.stopped else Step.STOPPED
    else:
        step = Step.COMPLETE
    remaining = _remaining(e, state.phase) if step is Step.NEXT_ROUND else ()
    return ElectionOutcome(
        step,
        last.number,
        main.elected,
        main.unfilled,
        state.tie,
        state.tie_round,
        remaining,
        overflow,
        alternates,
        alt_unfilled,
    )


def _order_step(slots: Sequence[tuple[str, ...]]) -> Step:
    return Step.ALTERNATE_ORDER if any(len(s) > 1 for s in slots) else Step.COMPLETE


def _wants_alternates(e: Election) -> bool:
    """A delegation with alternate seats whose alternate phase has not started."""
    return (
        e.kind is ElectionKind.DELEGATES_HIGHER
        and e.alternate_seats > 0
        and not any(r.phase is Phase.ALTERNATE for r in e.rounds)
    )


def _alternate_seats_left(e: Election) -> int:
    taken = len(e.overflow.persons) if _overflow_accepted(e) and e.overflow else 0
    return e.alternate_seats - taken


def elected(e: Election) -> tuple[str, ...]:
    """The seats filled so far, in order of election."""
    main = _phase(e, Phase.MAIN)
    return main.elected if main else ()


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class ElectionCreated(codec.Event):
    KIND: ClassVar[str] = "election_created"
    election: str
    item: str
    kind: ElectionKind
    title: str
    ruleset: str
    rule: VoteRule
    tie_policy: TiePolicy
    purpose: Purpose
    pool: str | None
    parent: str | None
    auxiliary_boxes: bool
    order: BallotOrder
    at: datetime


@dataclass(frozen=True, slots=True)
class SeatsSet(codec.Event):
    """The number of seats: voted (`vote` = the show-of-hands vote's id) or, for a delegation's
    official seats, allocated from above; a delegation's alternates are voted."""

    KIND: ClassVar[str] = "election_seats_set"
    election: str
    seats: int
    source: SeatsSource
    vote: str
    alternate_seats: int
    alternate_vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CandidateAdded(codec.Event):
    """A name for the list of round 1: the convening committee's (source list), or nominated at
    the congress (by `nominator`; `nominator_on_committee` when a convening-committee member
    nominates) or self-nominated, with the support it got among those present."""

    KIND: ClassVar[str] = "election_candidate_added"
    election: str
    person: Person
    source: Source
    nominator: str
    nominator_on_committee: bool
    support: int | None
    present: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class WithdrawalRequested(codec.Event):
    KIND: ClassVar[str] = "election_withdrawal_requested"
    election: str
    person: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class WithdrawalDecided(codec.Event):
    """The congress's decision (by show of hands or ballot: `vote`) on a withdrawal request."""

    KIND: ClassVar[str] = "election_withdrawal_decided"
    election: str
    person: str
    allowed: bool
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ListCut(codec.Event):
    """Apply an opinion ballot's result to the list it was held on: the names it did not keep
    leave the list."""

    KIND: ClassVar[str] = "election_list_cut"
    election: str
    poll: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ListApproved(codec.Event):
    KIND: ClassVar[str] = "election_list_approved"
    election: str
    round: int
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CountersAppointed(codec.Event):
    """The counting committee (ban kiểm phiếu), elected by show of hands from the delegates:
    their person ids (session.candidates.delegate_person_id), the head among the members, none
    a candidate on the list (domain rules 4.8)."""

    KIND: ClassVar[str] = "election_counters_appointed"
    election: str
    head: str
    members: tuple[str, ...]
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BoxPrepared(codec.Event):
    KIND: ClassVar[str] = "election_box_prepared"
    election: str
    round: int
    box: str
    kind: BoxKind
    at: datetime


@dataclass(frozen=True, slots=True)
class BoxSealed(codec.Event):
    """Inspected empty and sealed, by the named people."""

    KIND: ClassVar[str] = "election_box_sealed"
    election: str
    round: int
    box: str
    by: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class VotingOpened(codec.Event):
    """Voting starts: the attendance is frozen; every box goes from sealed to voting. With a
    warning (nobody could pass), `reason` records the presidium's confirmation."""

    KIND: ClassVar[str] = "election_voting_opened"
    election: str
    round: int
    snapshot: Snapshot
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BallotsIssued(codec.Event):
    """`count` more ballots handed out at a box (negative, with a reason, to correct)."""

    KIND: ClassVar[str] = "election_ballots_issued"
    election: str
    round: int
    box: str
    count: int
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BallotIssuedTo(codec.Event):
    """One ballot handed to a delegate whose card was scanned at the ballot desk: a second
    ballot to the same delegate in the same round is refused."""

    KIND: ClassVar[str] = "election_ballot_issued_to"
    election: str
    round: int
    box: str
    delegate: int
    at: datetime


@dataclass(frozen=True, slots=True)
class BoxClosed(codec.Event):
    KIND: ClassVar[str] = "election_box_closed"
    election: str
    round: int
    box: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BoxOpened(codec.Event):
    """Opened for counting, by the named members; `returned` ballots were found in it."""

    KIND: ClassVar[str] = "election_box_opened"
    election: str
    round: int
    box: str
    returned: int
    by: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class CountingStarted(codec.Event):
    """How this round is counted: ballot by ballot or from tally sheets, by one team or two
    (double entry)."""

    KIND: ClassVar[str] = "election_counting_started"
    election: str
    round: int
    mode: CountMode
    teams: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class BallotEntered(codec.Event):
    """One ballot read by `team`: its `seq` is the team's next number (1, 2...)."""

    KIND: ClassVar[str] = "election_ballot_entered"
    election: str
    round: int
    team: str
    seq: int
    box: str
    batch: str
    ballot: BallotInput
    at: datetime


@dataclass(frozen=True, slots=True)
class BallotCorrected(codec.Event):
    KIND: ClassVar[str] = "election_ballot_corrected"
    election: str
    round: int
    team: str
    seq: int
    ballot: BallotInput
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BallotVoided(codec.Event):
    """Team `team`'s entry `seq` taken out of the count, with the reason (entered twice, or for
    a box that did not hold it). It stays in the team's ballots for the trace and the minutes;
    the team's next entry still takes the next seq."""

    KIND: ClassVar[str] = "election_ballot_voided"
    election: str
    round: int
    team: str
    seq: int
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SheetEntered(codec.Event):
    """A tally sheet's per-candidate totals (in ballot order) for a batch of a box."""

    KIND: ClassVar[str] = "election_sheet_entered"
    election: str
    round: int
    team: str
    box: str
    batch: str
    totals: Totals
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BatchAccepted(codec.Event):
    KIND: ClassVar[str] = "election_batch_accepted"
    election: str
    round: int
    batch: str
    team: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class BoxCounted(codec.Event):
    KIND: ClassVar[str] = "election_box_counted"
    election: str
    round: int
    box: str
    at: datetime


@dataclass(frozen=True, slots=True)
class MinutesSigned(codec.Event):
    KIND: ClassVar[str] = "election_minutes_signed"
    election: str
    round: int
    signers: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class ResultsAnnounced(codec.Event):
    """Read to the congress (a nomination ballot: reported to the presidium)."""

    KIND: ClassVar[str] = "election_results_announced"
    election: str
    round: int
    at: datetime


@dataclass(frozen=True, slots=True)
class TieResolved(codec.Event):
    """The presidium's decision on a tie at the cut-off (policy presidium_decides, or an
    older-wins tie the dates of birth cannot settle): who takes the seats, and why."""

    KIND: ClassVar[str] = "election_tie_resolved"
    election: str
    round: int
    winners: tuple[str, ...]
    reason: str
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class RoundAdded(codec.Event):
    """Another round: a tie-break among the tied, a round for unfilled seats (voted by the
    congress, with any names it added), or a delegation's alternate ballot."""

    KIND: ClassVar[str] = "election_round_added"
    election: str
    reason: RoundReason
    additions: tuple[Person, ...]
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ElectionStopped(codec.Event):
    """The congress voted to hold no further round: the seats stay empty (for a delegation's
    official seats, the alternate ballot may still follow)."""

    KIND: ClassVar[str] = "election_stopped"
    election: str
    vote: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OverflowDecided(codec.Event):
    """Delegation: whether those who passed beyond the official seats become alternates."""

    KIND: ClassVar[str] = "election_overflow_decided"
    election: str
    accepted: bool
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AlternateOrderDecided(codec.Event):
    """Delegation: the order of alternates tied on votes, as decided (presidium, or a re-vote)."""

    KIND: ClassVar[str] = "election_alternate_order_decided"
    election: str
    order: tuple[str, ...]
    reason: str
    vote: str
    at: datetime


ElectionEvent = (
    ElectionCreated
    | SeatsSet
    | CandidateAdded
    | WithdrawalRequested
    | WithdrawalDecided
    | ListCut
    | ListApproved
    | CountersAppointed
    | BoxPrepared
    | BoxSealed
    | VotingOpened
    | BallotsIssued
    | BallotIssuedTo
    | BoxClosed
    | BoxOpened
    | CountingStarted
    | BallotEntered
    | BallotCorrected
    | BallotVoided
    | SheetEntered
    | BatchAccepted
    | BoxCounted
    | MinutesSigned
    | ResultsAnnounced
    | TieResolved
    | RoundAdded
    | ElectionStopped
    | OverflowDecided
    | AlternateOrderDecided
)
EVENT_TYPES: tuple[type[codec.Event], ...] = (
    ElectionCreated,
    SeatsSet,
    CandidateAdded,
    WithdrawalRequested,
    WithdrawalDecided,
    ListCut,
    ListApproved,
    CountersAppointed,
    BoxPrepared,
    BoxSealed,
    VotingOpened,
    BallotsIssued,
    BallotIssuedTo,
    BoxClosed,
    BoxOpened,
    CountingStarted,
    BallotEntered,
    BallotCorrected,
    BallotVoided,
    SheetEntered,
    BatchAccepted,
    BoxCounted,
    MinutesSigned,
    ResultsAnnounced,
    TieResolved,
    RoundAdded,
    ElectionStopped,
    OverflowDecided,
    AlternateOrderDecided,
)
_BY_KIND = codec.by_kind(*EVENT_TYPES)
EVENT_KINDS = frozenset(_BY_KIND)


def decode(kind: str, payload: Mapping[str, Any]) -> ElectionEvent:
    """The event a stored (kind, payload) pair describes; ElectionError('bad_event'), or
    'bad_time' for a time without its zone, otherwise."""
    event: ElectionEvent = codec.decode(_BY_KIND, kind, payload, ElectionError)
    return event


# ---------------------------------------------------------------- building events


def default_rule(ruleset: str, base: VoteBase | None = None) -> VoteRule:
    """More than half of the summoned-adjusted base under the Party rule sets (domain rules
    4.9); of the ballots cast under Robert's Rules; of the valid ballots otherwise. `base`
    overrides the base."""
    if base is None:
        if ruleset in PARTY_RULESETS:
            base = VoteBase.SUMMONED_ADJUSTED
        elif ruleset == "roberts_rules":
            base = VoteBase.CAST
        else:
            base = VoteBase.VALID
    return VoteRule(PARTY_RULE, base)


def create_election(
    election_id: str,
    item: str,
    kind: ElectionKind,
    title: str,
    ruleset: str,
    at: datetime,
    *,
    rule: VoteRule | None = None,
    tie_policy: TiePolicy = TiePolicy.REVOTE_TIED,
    purpose: Purpose | None = None,
    pool: str | None = None,
    parent: str | None = None,
    auxiliary_boxes: bool | None = None,
    order: BallotOrder | None = None,
) -> ElectionCreated:
    """An ElectionCreated with the rule set's defaults: the threshold of `default_rule`, no
    auxiliary box under the Party rule sets (domain rules 4.8), Vietnamese ballot order under
    them and English order otherwise; an opinion ballot is a list cut with a `parent`, else a
    nomination ballot."""
    if purpose is None:
        if kind is ElectionKind.OPINION_POLL:
            purpose = Purpose.LIST_CUT if parent is not None else Purpose.NOMINATION
        else:
            purpose = Purpose.ELECT
    return ElectionCreated(
        election_id,
        item,
        kind,
        nfc(title),
        str(ruleset),
        rule or default_rule(ruleset),
        tie_policy,
        purpose,
        pool,
        parent,
        (str(ruleset) not in PARTY_RULESETS) if auxiliary_boxes is None else auxiliary_boxes,
        order or order_for(ruleset),
        at,
    )


def next_seq(book: ElectionBook, election_id: str, round_no: int, team: str) -> int:
    """The seq the team's next ballot takes."""
    r = _election(book, election_id).round(round_no)
    if r.count is None:
        return 1
    return len(r.count.team(team).ballots) + 1


def ballot_entered(
    book: ElectionBook,
    election_id: str,
    round_no: int,
    team: str,
    box: str,
    ballot: BallotInput,
    at: datetime,
    batch: str = "",
) -> BallotEntered:
    """The event for the team's next ballot (its seq filled in)."""
    seq = next_seq(book, election_id, round_no, team)
    return BallotEntered(election_id, round_no, team, seq, box, batch, ballot, at)


def may_receive_ballot(member: Member) -> bool:
    """Domain rules 1.1, 5.3, 12.14: official delegates, ex-officio members and alternates
    activated in place of an absent official (Member.activated), whose credentials stand, get a
    ballot; guests, alternates not activated and rejected delegates do not. The store checks
    this before recording a BallotIssuedTo."""
    return member.votes


def voting_warnings(e: Election, snapshot: Snapshot) -> tuple[VotingWarning, ...]:
    """What the presidium must confirm before voting opens: no candidate could pass even with
    every present voter's ballot (under the Party rule: 2 × present ≤ base)."""
    if e.purpose is not Purpose.ELECT or e.rule.base not in (
        VoteBase.SUMMONED_ADJUSTED,
        VoteBase.ENTITLED,
        VoteBase.PRESENT,
    ):
        return ()
    empty = Totals.zero(0)
    base = election_base(e.rule.base, snapshot, empty)
    if base <= 0:
        return (VotingWarning.EMPTY_BASE,)
    if not e.rule.ratio.met(snapshot.present, base):
        return (VotingWarning.NO_CANDIDATE_CAN_PASS,)
    return ()


# ---------------------------------------------------------------- the reducer


def _election(book: ElectionBook, election_id: str) -> Election:
    e = book.get(election_id)
    if e is None:
        raise ElectionError("unknown_election", election=election_id)
    return e


def _put(book: ElectionBook, e: Election) -> ElectionBook:
    return ElectionBook(tuple(e if x.id == e.id else x for x in book.elections))


def _put_round(e: Election, r: Round) -> Election:
    return replace(e, rounds=tuple(r if x.number == r.number else x for x in e.rounds))


def _put_box(r: Round, box: Box) -> Round:
    return replace(r, boxes=tuple(box if b.id == box.id else b for b in r.boxes))


def _reason(reason: str) -> str:
    reason = nfc(reason)
    if not reason:
        raise ElectionError("reason_required")
    return reason


def _vote_ref(vote: str) -> str:
    vote = nfc(vote)
    if not vote:
        raise ElectionError("vote_required")
    return vote


def apply(book: ElectionBook, event: ElectionEvent, *, replaying: bool = False) -> ElectionBook:
    """The book after `event`, or ElectionError naming why it cannot happen.

    `replaying`: the event is read back from the log, not a new one. A check added after events
    were first recorded (a box's entries bounded by the ballots found in it) holds for new
    events only, so a log written before it still replays and verifies; the blockers of
    session.election_steps then say what to put right (void the extra entries)."""
    if not isinstance(event.at, datetime) or event.at.tzinfo is None:
        raise ElectionError("bad_time", value=event.at)
    if isinstance(event, ElectionCreated):
        return _create(book, event)
    e = _election(book, event.election)
    return _put(book, _apply(book, e, event, replaying))


def _apply(book: ElectionBook, e: Election, event: ElectionEvent, replaying: bool) -> Election:
    match event:
        case SeatsSet():
            return _seats(e, event)
        case CandidateAdded():
            return _add_candidate(book, e, event)
        case WithdrawalRequested():
            return _request_withdrawal(e, event)
        case WithdrawalDecided():
            return _decide_withdrawal(e, event)
        case ListCut():
            return _cut(book, e, event)
        case ListApproved():
            return _approve(book, e, event)
        case CountersAppointed():
            return _counters(e, event)
        case BoxPrepared():
            return _prepare_box(e, event)
        case BoxSealed():
            return _seal_box(e, event)
        case VotingOpened():
            return _open_voting(e, event)
        case BallotsIssued():
            return _issue(e, event)
        case BallotIssuedTo():
            return _issue_to(e, event)
        case BoxClosed():
            return _close_box(e, event)
        case BoxOpened():
            return _open_box(e, event)
        case CountingStarted():
            return _start_count(e, event)
        case BallotEntered():
            r, box = _counting_box(e, event.round, event.box)
            assert r.count is not None
            found = None if replaying else box.returned
            count = enter_ballot(
                r.count, event.team, event.seq, box.id, event.batch, event.ballot, event.at, found
            )
            return _put_round(e, replace(r, count=count))
        case BallotCorrected():
            r = _entry_round(e, event.round, event.team, event.seq)
            assert r.count is not None
            count = correct_ballot(
                r.count, event.team, event.seq, event.ballot, event.reason, event.at
            )
            return _put_round(e, replace(r, count=count))
        case BallotVoided():
            r = _entry_round(e, event.round, event.team, event.seq)
            assert r.count is not None
            count = void_ballot(r.count, event.team, event.seq, event.reason, event.at)
            return _put_round(e, replace(r, count=count))
        case SheetEntered():
            r, box = _counting_box(e, event.round, event.box)
            assert r.count is not None
            found = None if replaying else box.returned
            count = enter_sheet(
                r.count,
                event.team,
                box.id,
                event.batch,
                event.totals,
                event.reason,
                event.at,
                found,
            )
            return _put_round(e, replace(r, count=count))
        case BatchAccepted():
            r = _counting_round(e, event.round)
            assert r.count is not None
            box_id = r.count.batch_box.get(event.batch)
            if box_id is None:
                raise ElectionError("unknown_batch", batch=event.batch)
            _counting_box(e, event.round, box_id)
            count = accept_batch(r.count, event.batch, event.team, event.reason, event.at)
            return _put_round(e, replace(r, count=count))
        case BoxCounted():
            return _count_box(e, event)
        case MinutesSigned():
            return _sign(e, event)
        case ResultsAnnounced():
            r = e.round(event.round)
            if r.status is RoundStatus.ANNOUNCED:
                raise ElectionError("already_announced", round=r.number)
            if r.status is not RoundStatus.SIGNED:
                raise ElectionError("not_signed", round=r.number)
            return _put_round(e, replace(r, announced_at=event.at))
        case TieResolved():
            return _resolve_tie(e, event)
        case RoundAdded():
            return _add_round(e, event)
        case ElectionStopped():
            return _stop(e, event)
        case OverflowDecided():
            return _decide_overflow(e, event)
        case AlternateOrderDecided():
            return _decide_order(e, event)
    raise ElectionError("bad_event", kind=type(event).__name__)  # pragma: no cover


def _create(book: ElectionBook, ev: ElectionCreated) -> ElectionBook:
    if not nfc(ev.election):
        raise ElectionError("election_id_required")
    if book.get(ev.election) is not None:
        raise ElectionError("duplicate_election", election=ev.election)
    if not nfc(ev.title):
        raise ElectionError("title_required")
    if ev.rule.base not in ELECTION_BASES:
        raise ElectionError("bad_base", base=ev.rule.base.value)
    poll = ev.kind is ElectionKind.OPINION_POLL
    if poll == (ev.purpose is Purpose.ELECT):
        raise ElectionError("bad_purpose", kind=ev.kind.value, purpose=ev.purpose.value)
    if ev.purpose is Purpose.LIST_CUT:
        parent = book.get(ev.parent or "")
        if parent is None:
            raise ElectionError("parent_required")
        if parent.kind is ElectionKind.OPINION_POLL or parent.current.approved_at is not None:
            raise ElectionError("bad_parent", election=parent.title)
    elif ev.parent is not None:
        raise ElectionError("bad_parent", election=ev.parent)
    allowed = NOMINATION_POOLS if ev.purpose is Purpose.NOMINATION else POOLS.get(ev.kind)
    if allowed is not None:
        pool = book.get(ev.pool or "")
        if pool is None:
            raise ElectionError("pool_required", kind=ev.kind.value)
        if pool.kind not in allowed:
            raise ElectionError("bad_pool", election=pool.title, kind=pool.kind.value)
    elif ev.pool is not None:
        raise ElectionError("bad_pool", election=ev.pool, kind=ev.kind.value)
    seats = None
    if ev.purpose is Purpose.NOMINATION:
        seats = 1  # one name each (domain rules 6.1)
    e = Election(
        id=ev.election,
        item=ev.item,
        kind=ev.kind,
        title=nfc(ev.title),
        ruleset=ev.ruleset,
        rule=ev.rule,
        tie_policy=ev.tie_policy,
        purpose=ev.purpose,
        pool=ev.pool,
        parent=ev.parent,
        auxiliary_boxes=ev.auxiliary_boxes,
        order=ev.order,
        created_at=ev.at,
        seats=seats,
        rounds=(Round(1, Phase.MAIN, RoundReason.FIRST, 0),),
    )
    return ElectionBook((*book.elections, e))


def _list_open(e: Election) -> Round:
    """Round 1's list can still change."""
    r = e.rounds[0]
    if r.approved_at is not None:
        raise ElectionError("list_approved", election=e.title)
    return r


def _seats(e: Election, ev: SeatsSet) -> Election:
    _list_open(e)
    if e.kind is ElectionKind.OPINION_POLL:
        raise ElectionError("seats_derived", election=e.title)
    if ev.seats < 1 or ev.alternate_seats < 0:
        raise ElectionError("bad_seats", seats=ev.seats)
    delegation = e.kind is ElectionKind.DELEGATES_HIGHER
    if delegation and ev.source is not SeatsSource.ALLOCATED:
        raise ElectionError("delegation_seats_allocated")
    if not delegation and ev.source is not SeatsSource.VOTE:
        raise ElectionError("seats_need_vote")
    if not delegation and ev.alternate_seats:
        raise ElectionError("alternates_only_for_delegation")
    if ev.source is SeatsSource.VOTE:
        _vote_ref(ev.vote)
    if ev.alternate_seats:
        _vote_ref(ev.alternate_vote)
    return replace(
        e,
        seats=ev.seats,
        alternate_seats=ev.alternate_seats,
        seats_source=ev.source,
        seats_vote=nfc(ev.vote),
        alternate_vote=nfc(ev.alternate_vote),
    )


def _pool_members(book: ElectionBook, e: Election) -> frozenset[str] | None:
    if e.pool is None:
        return None
    pool = book.get(e.pool)
    assert pool is not None
    return frozenset(elected(pool))


def _add_candidate(book: ElectionBook, e: Election, ev: CandidateAdded) -> Election:
    _list_open(e)
    person = ev.person
    if not person.id or not person.given:
        raise ElectionError("name_required")
    if e.candidate(person.id) is not None:
        raise ElectionError("duplicate_candidate", name=person.full_name)
    if ev.source is Source.ADDED:
        raise ElectionError("bad_source", source=ev.source.value)
    pool = _pool_members(book, e)
    if pool is not None and person.id not in pool:
        raise ElectionError("not_in_pool", name=person.full_name, pool=e.pool)
    if e.purpose is Purpose.LIST_CUT:
        parent = book.get(e.parent or "")
        assert parent is not None
        c = parent.candidate(person.id)
        if c is None or c.status is not CandidateStatus.ON_LIST:
            raise ElectionError("not_on_parent_list", name=person.full_name)
    status = CandidateStatus.ON_LIST
    support = ev.support
    present = ev.present
    if ev.source is not Source.LIST:
        if ev.source is Source.NOMINATED:
            if not nfc(ev.nominator):
                raise ElectionError("nominator_required")
            if ev.nominator_on_committee and e.party:
                raise ElectionError("committee_member_off_list", name=person.full_name)
        if ev.source is Source.SELF and person.committee_member and e.party:
            raise ElectionError("committee_member_self_nomination", name=person.full_name)
        if e.party and e.purpose is Purpose.ELECT:
            if support is None or present is None:
                raise ElectionError("support_required")
            if present < 1 or not 0 <= support <= present:
                raise ElectionError("bad_support", support=support, present=present)
            if not outside_nominee_admitted(support, present):
                status = CandidateStatus.NOT_ADMITTED
    candidate = Candidate(person, ev.source, status, 1, ev.at, nfc(ev.nominator), support, present)
    return replace(e, candidates=(*e.candidates, candidate))


def _list_of_current(e: Election, person: str) -> Round:
    """The current round's list still changes and `person` is on it."""
    r = e.current
    if r.approved_at is not None:
        raise ElectionError("withdrawal_after_list_vote", election=e.title)
    c = e.candidate(person)
    if c is None or c.status is not CandidateStatus.ON_LIST:
        raise ElectionError("not_on_list", person=person)
    if r.number > 1 and person not in r.persons:
        raise ElectionError("not_on_list", person=person)
    return r


def _request_withdrawal(e: Election, ev: WithdrawalRequested) -> Election:
    _list_of_current(e, ev.person)
    if any(w.person == ev.person and w.allowed is None for w in e.withdrawals):
        raise ElectionError("withdrawal_pending", person=ev.person)
    w = Withdrawal(ev.person, nfc(ev.reason), ev.at)
    return replace(e, withdrawals=(*e.withdrawals, w))


def _decide_withdrawal(e: Election, ev: WithdrawalDecided) -> Election:
    _list_of_current(e, ev.person)
    pending = next(
        (i for i, w in enumerate(e.withdrawals) if w.person == ev.person and w.allowed is None),
        None,
    )
    if pending is None:
        raise ElectionError("no_withdrawal_request", person=ev.person)
    vote = _vote_ref(ev.vote)
    decided = replace(e.withdrawals[pending], allowed=ev.allowed, vote=vote, decided_at=ev.at)
    withdrawals = (*e.withdrawals[:pending], decided, *e.withdrawals[pending + 1 :])
    candidates = e.candidates
    if ev.allowed:
        candidates = tuple(
            replace(c, status=CandidateStatus.WITHDRAWN) if c.person.id == ev.person else c
            for c in e.candidates
        )
    return replace(e, withdrawals=withdrawals, candidates=candidates)


def poll_outcome(poll: Election) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An opinion ballot's (kept, cut) names; ElectionError while it is not settled."""
    state = outcome(poll)
    if state.step is not Step.COMPLETE:
        raise ElectionError("poll_not_settled", election=poll.title)
    kept = set(state.elected)
    listed = poll.rounds[0].ballot
    return tuple(p for p in listed if p in kept), tuple(p for p in listed if p not in kept)


def _cut(book: ElectionBook, e: Election, ev: ListCut) -> Election:
    _list_open(e)
    poll = _election(book, ev.poll)
    if poll.purpose is not Purpose.LIST_CUT or poll.parent != e.id:
        raise ElectionError("bad_poll", election=poll.title)
    if any(c.poll == poll.id for c in e.cuts):
        raise ElectionError("poll_applied", election=poll.title)
    _kept, cut = poll_outcome(poll)
    removed = frozenset(cut)
    candidates = tuple(
        replace(c, status=CandidateStatus.CUT)
        if c.person.id in removed and c.status is CandidateStatus.ON_LIST
        else c
        for c in e.candidates
    )
    record = ListCutRecord(poll.id, tuple(cut), ev.at)
    return replace(e, candidates=candidates, cuts=(*e.cuts, record))


def _approve(book: ElectionBook, e: Election, ev: ListApproved) -> Election:
    r = e.round(ev.round)
    if r is not e.current:
        raise ElectionError("not_current_round", round=ev.round)
    if r.approved_at is not None:
        raise ElectionError("list_approved", election=e.title)
    if e.pending_withdrawals():
        raise ElectionError("withdrawals_pending", count=len(e.pending_withdrawals()))
    on_list = {c.person.id for c in e.on_list()}
    persons = tuple(c.person.id for c in e.on_list()) if r.number == 1 else r.persons
    persons = tuple(p for p in persons if p in on_list)
    if not persons:
        raise ElectionError("empty_list")
    if r.number == 1 and e.purpose is Purpose.ELECT:
        _vote_ref(ev.vote)  # the congress votes the list before any ballot is printed
    seats = r.seats
    if r.number == 1:
        if e.purpose is Purpose.LIST_CUT:
            seats = _poll_seats(book, e, persons)
            e = replace(e, seats=seats)
        elif e.purpose is Purpose.NOMINATION:
            seats = 1
        else:
            if e.seats is None:
                raise ElectionError("seats_missing", election=e.title)
            seats = e.seats
            check = check_surplus(
                e.seats + e.alternate_seats,
                len(persons),
                limited=e.party,
                required=e.party and e.kind in SURPLUS_REQUIRED,
            )
            if not check.ok:
                raise ElectionError(
                    f"surplus_{check.status.value}",
                    seats=check.seats,
                    candidates=check.candidates,
                    max_candidates=check.max_candidates,
                    max_surplus=check.max_surplus,
                    excess=check.excess,
                )
    ordered = tuple(p.id for p in ballot_order(e.people(persons), e.order))
    approved = replace(
        r, seats=seats, persons=persons, ballot=ordered, list_vote=nfc(ev.vote), approved_at=ev.at
    )
    return _put_round(e, approved)


def _poll_seats(book: ElectionBook, poll: Election, persons: Sequence[str]) -> int:
    """How many names an opinion ballot keeps: the parent's list ends at seats + max surplus,
    and the names not on the opinion ballot stay on it."""
    parent = _election(book, poll.parent or "")
    if parent.seats is None:
        raise ElectionError("parent_seats_missing", election=parent.title)
    if parent.rounds[0].approved_at is not None:
        raise ElectionError("list_approved", election=parent.title)
    listed = {c.person.id for c in parent.on_list()}
    outside = next((p for p in persons if p not in listed), None)
    if outside is not None:
        raise ElectionError("not_on_parent_list", name=outside)
    if not parent.party:
        raise ElectionError("poll_not_needed", election=parent.title)
    try:
        keep = opinion_keep(
            parent.seats + parent.alternate_seats, len(persons), len(listed) - len(persons)
        )
    except ValueError:
        raise ElectionError("poll_cannot_cut", election=parent.title) from None
    if keep >= len(persons):
        raise ElectionError("poll_not_needed", election=parent.title)
    return keep


def delegate_number(person: str) -> int | None:
    """The delegate number in a delegate's person id ("d00012" -> 12: the inverse of
    session.candidates.delegate_person_id); None for any other id or free-text name."""
    digits = person[1:]
    if person[:1] == "d" and digits.isascii() and digits.isdigit():
        return int(digits)
    return None


def candidate_among(
    e: Election, members: Iterable[str], persons: Iterable[str] | None = None
) -> Candidate | None:
    """The first candidate on the list (of `persons`, a round's ballot; default: everyone on
    the list) that one of `members` is: by person id, or by delegate number when the candidate
    carries one (a candidate imported with another id is still that delegate)."""
    on_ballot = None if persons is None else frozenset(persons)
    listed = [c for c in e.on_list() if on_ballot is None or c.person.id in on_ballot]
    for member in members:
        number = delegate_number(member)
        for c in listed:
            if c.person.id == member or (number is not None and c.person.delegate == number):
                return c
    return None


def _refuse_candidate_counter(e: Election, candidate: Candidate | None) -> None:
    """Domain rules 4.8: the counting committee's members are not on the election list. The
    reducer knows candidates' names, which is what the refusal shows."""
    if candidate is not None:
        raise ElectionError(
            "counter_is_candidate", name=candidate.person.full_name, election=e.title
        )


def _counters(e: Election, ev: CountersAppointed) -> Election:
    members = tuple(nfc(m) for m in ev.members)
    if not members or not all(members) or len(set(members)) != len(members):
        raise ElectionError("bad_counters")
    head = nfc(ev.head)
    if head not in members:
        raise ElectionError("head_not_member", head=head)
    status = e.current.status
    if status not in (RoundStatus.LIST, RoundStatus.LIST_APPROVED, RoundStatus.ANNOUNCED):
        raise ElectionError("round_in_progress", round=e.current.number)
    _refuse_candidate_counter(e, candidate_among(e, (head, *members)))
    committee = CountingCommittee(head, members, _vote_ref(ev.vote), ev.at)
    return replace(e, committee=committee)


def _before_voting(e: Election, number: int) -> Round:
    r = e.round(number)
    if r is not e.current:
        raise ElectionError("not_current_round", round=number)
    if r.status not in (RoundStatus.LIST, RoundStatus.LIST_APPROVED):
        raise ElectionError("voting_started", round=number)
    return r


def _prepare_box(e: Election, ev: BoxPrepared) -> Election:
    r = _before_voting(e, ev.round)
    box_id = nfc(ev.box)
    if not box_id:
        raise ElectionError("box_id_required")
    if r.box(box_id) is not None:
        raise ElectionError("duplicate_box", box=box_id)
    if ev.kind is BoxKind.AUXILIARY and not e.auxiliary_boxes:
        raise ElectionError("auxiliary_not_allowed")
    box = Box(box_id, ev.kind, BoxStatus.PREPARED, ev.at)
    return _put_round(e, replace(r, boxes=(*r.boxes, box)))


def _box(r: Round, box_id: str) -> Box:
    box = r.box(box_id)
    if box is None:
        raise ElectionError("unknown_box", box=box_id)
    return box


def _seal_box(e: Election, ev: BoxSealed) -> Election:
    r = _before_voting(e, ev.round)
    box = _box(r, ev.box)
    if box.status is not BoxStatus.PREPARED:
        raise ElectionError("box_already_sealed", box=box.id)
    by = tuple(nfc(x) for x in ev.by if nfc(x))
    if not by:
        raise ElectionError("sealed_by_required", box=box.id)
    sealed = replace(box, status=BoxStatus.SEALED, sealed_by=by, sealed_at=ev.at)
    return _put_round(e, _put_box(r, sealed))


def _open_voting(e: Election, ev: VotingOpened) -> Election:
    r = e.round(ev.round)
    if r is not e.current:
        raise ElectionError("not_current_round", round=ev.round)
    if r.status is RoundStatus.LIST:
        raise ElectionError("list_not_approved", election=e.title)
    if r.status is not RoundStatus.LIST_APPROVED:
        raise ElectionError("voting_started", round=r.number)
    if e.committee is None:
        raise ElectionError("no_counting_committee")
    # names may have joined the list since the committee was appointed (a later round's)
    _refuse_candidate_counter(e, candidate_among(e, e.committee.members, r.ballot))
    if not any(b.kind is BoxKind.MAIN for b in r.boxes):
        raise ElectionError("no_main_box")
    unsealed = [b.id for b in r.boxes if b.status is not BoxStatus.SEALED]
    if unsealed:
        raise ElectionError("box_not_sealed", box=unsealed[0])
    snap = ev.snapshot
    if min(snap.present, snap.entitled, snap.adjusted) < 0 or snap.present > snap.entitled:
        raise ElectionError("bad_snapshot")
    warnings = voting_warnings(e, snap)
    reason = nfc(ev.reason)
    if warnings and not reason:
        raise ElectionError("confirmation_required", warning=warnings[0].value)
    boxes = tuple(replace(b, status=BoxStatus.VOTING) for b in r.boxes)
    opened = replace(
        r,
        boxes=boxes,
        snapshot=snap,
        warnings=warnings,
        open_reason=reason,
        voting_at=ev.at,
        committee=e.committee,
    )
    return _put_round(e, opened)


def _voting_box(e: Election, number: int, box_id: str) -> tuple[Round, Box]:
    r = e.round(number)
    box = _box(r, box_id)
    if box.status is not BoxStatus.VOTING:
        key = "box_closed" if box.reached(BoxStatus.CLOSED) else "box_not_voting"
        raise ElectionError(key, box=box.id)
    return r, box


def _issue(e: Election, ev: BallotsIssued) -> Election:
    r, box = _voting_box(e, ev.round, ev.box)
    if ev.count == 0:
        raise ElectionError("bad_count", value=ev.count)
    if ev.count < 0:
        _reason(ev.reason)
    issued = box.issued + ev.count
    if issued < 0:
        raise ElectionError("issued_negative", box=box.id)
    assert r.snapshot is not None
    return _put_round(e, _put_box(r, replace(box, issued=issued)))


def _issue_to(e: Election, ev: BallotIssuedTo) -> Election:
    r, box = _voting_box(e, ev.round, ev.box)
    if ev.delegate in r.issued_to:
        raise ElectionError("already_issued", delegate=ev.delegate)
    r = replace(r, issued_to=r.issued_to | {ev.delegate})
    return _put_round(e, _put_box(r, replace(box, issued=box.issued + 1)))


def _close_box(e: Election, ev: BoxClosed) -> Election:
    r = e.round(ev.round)
    box = _box(r, ev.box)
    if box.reached(BoxStatus.CLOSED):
        raise ElectionError("box_already_closed", box=box.id)
    if box.status is not BoxStatus.VOTING:
        raise ElectionError("box_not_voting", box=box.id)
    return _put_round(e, _put_box(r, replace(box, status=BoxStatus.CLOSED, closed_at=ev.at)))


def _open_box(e: Election, ev: BoxOpened) -> Election:
    r = e.round(ev.round)
    box = _box(r, ev.box)
    if box.reached(BoxStatus.OPENED):
        raise ElectionError("box_already_opened", box=box.id)
    if box.status is not BoxStatus.CLOSED:
        raise ElectionError("box_not_closed", box=box.id)
    if ev.returned < 0:
        raise ElectionError("bad_count", value=ev.returned)
    by = tuple(nfc(x) for x in ev.by if nfc(x))
    if not by:
        raise ElectionError("opened_by_required", box=box.id)
    opened = replace(
        box, status=BoxStatus.OPENED, returned=ev.returned, opened_by=by, opened_at=ev.at
    )
    return _put_round(e, _put_box(r, opened))


def _start_count(e: Election, ev: CountingStarted) -> Election:
    r = e.round(ev.round)
    if r.snapshot is None:
        raise ElectionError("voting_not_opened", round=r.number)
    if r.count is not None:
        raise ElectionError("counting_started", round=r.number)
    count = new_count(len(r.ballot), r.seats, ev.mode, ev.teams)
    return _put_round(e, replace(r, count=count))


def _counting_round(e: Election, number: int) -> Round:
    r = e.round(number)
    if r.count is None:
        raise ElectionError("counting_not_started", round=number)
    if r.signed_at is not None:
        raise ElectionError("minutes_signed", round=number)
    return r


def _counting_box(e: Election, number: int, box_id: str) -> tuple[Round, Box]:
    """A box whose ballots can be entered: opened for counting, not yet counted (a box cannot
    be counted before it is closed and opened)."""
    r = _counting_round(e, number)
    box = _box(r, box_id)
    if box.reached(BoxStatus.COUNTED):
        raise ElectionError("box_counted", box=box.id)
    if box.status is not BoxStatus.OPENED:
        raise ElectionError("box_not_opened", box=box.id)
    return r, box


def _entry_round(e: Election, number: int, team: str, seq: int) -> Round:
    """The round of an entry that may change (corrected or voided): counting, the entry known,
    its box not counted yet."""
    r = _counting_round(e, number)
    assert r.count is not None
    ballots = r.count.team(team).ballots
    if not 1 <= seq <= len(ballots):
        raise ElectionError("unknown_ballot", team=team, seq=seq)
    _counting_box(e, number, ballots[seq - 1].box)
    return r


def _count_box(e: Election, ev: BoxCounted) -> Election:
    r, box = _counting_box(e, ev.round, ev.box)
    count = r.count
    assert count is not None and box.returned is not None
    for team in count.teams:
        entered = count.standing(team.name, box.id)  # voided entries do not count
        if entered != box.returned:
            raise ElectionError(
                "box_incomplete", box=box.id, team=team.name, entered=entered, returned=box.returned
            )
    diffs = [d for d in differences(count) if d.box == box.id]
    if diffs:
        raise ElectionError("double_entry_differs", box=box.id, batches=len(diffs))
    check = reconcile(box.issued, box.returned, count.totals(box.id), r.seats)
    problems = [p for p in check.problems if p.key != "returned_above_issued"]
    if problems:
        raise problems[0].error()
    counted = replace(box, status=BoxStatus.COUNTED, counted_at=ev.at)
    return _put_round(e, _put_box(r, counted))


def _sign(e: Election, ev: MinutesSigned) -> Election:
    r = e.round(ev.round)
    if r.signed_at is not None:
        raise ElectionError("minutes_signed", round=r.number)
    if r.count is None:
        raise ElectionError("counting_not_started", round=r.number)
    waiting = [b.id for b in r.boxes if not b.reached(BoxStatus.COUNTED)]
    if waiting:
        raise ElectionError("box_not_counted", box=waiting[0])
    if differences(r.count):
        raise ElectionError("double_entry_differs", box="*", batches=len(differences(r.count)))
    check = r.reconciliation()
    assert check is not None
    if check.problems:
        raise check.problems[0].error()
    signers = tuple(nfc(s) for s in ev.signers if nfc(s))
    if not signers:
        raise ElectionError("signers_required")
    boxes = tuple(replace(b, status=BoxStatus.SIGNED) for b in r.boxes)
    return _put_round(e, replace(r, boxes=boxes, signed_by=signers, signed_at=ev.at))


def _announced_last(e: Election) -> Round:
    last = e.current
    if last.announced_at is None:
        raise ElectionError("round_not_announced", round=last.number)
    return last


def _resolve_tie(e: Election, ev: TieResolved) -> Election:
    last = _announced_last(e)
    if ev.round != last.number:
        raise ElectionError("not_current_round", round=ev.round)
    if e.stops and any(s.phase is last.phase for s in e.stops):
        raise ElectionError("election_stopped", election=e.title)
    res = e.result(last.number)
    assert res is not None
    if res.tie is None or last.tie_decision is not None:
        raise ElectionError("no_tie", round=last.number)
    if e.tie_policy is TiePolicy.REVOTE_TIED:
        raise ElectionError("tie_needs_revote", round=last.number)
    winners = tuple(ev.winners)
    if len(set(winners)) != len(winners) or len(winners) != res.tie.seats:
        raise ElectionError("bad_tie_winners", seats=res.tie.seats)
    if any(w not in res.tie.persons for w in winners):
        raise ElectionError("bad_tie_winners", seats=res.tie.seats)
    decision = TieDecision(winners, _reason(ev.reason), nfc(ev.vote), ev.at)
    return _put_round(e, replace(last, tie_decision=decision))


def _add_round(e: Election, ev: RoundAdded) -> Election:
    last = _announced_last(e)
    state = _phase(e, last.phase)
    assert state is not None
    additions = tuple(ev.additions)
    vote = nfc(ev.vote)
    if e.purpose is Purpose.NOMINATION:
        raise ElectionError("nomination_single_round")
    match ev.reason:
        case RoundReason.TIE_BREAK:
            if state.stopped or state.tie is None:
                raise ElectionError("no_tie", round=last.number)
            if additions:
                raise ElectionError("no_additions_to_tie_break")
            phase, seats, persons = last.phase, state.tie.seats, state.tie.persons
        case RoundReason.UNFILLED:
            if state.stopped:
                raise ElectionError("election_stopped", election=e.title)
            if state.tie is not None:
                raise ElectionError("tie_pending", round=last.number)
            if state.unfilled <= 0:
                raise ElectionError("seats_filled", election=e.title)
            _vote_ref(vote)
            phase, seats = last.phase, state.unfilled
            persons = _remaining(e, last.phase)
        case RoundReason.ALTERNATES:
            if e.kind is not ElectionKind.DELEGATES_HIGHER or e.alternate_seats <= 0:
                raise ElectionError("no_alternates", election=e.title)
            if last.phase is not Phase.MAIN or not state.done:
                raise ElectionError("official_seats_pending", election=e.title)
            if overflow_of(e) and e.overflow is None:
                raise ElectionError("overflow_undecided", election=e.title)
            seats = _alternate_seats_left(e)
            if seats <= 0:
                raise ElectionError("alternates_filled", election=e.title)
            phase = Phase.ALTERNATE
            taken = set(_all_elected(e))
            still = {c.person.id for c in e.on_list()}
            regular = [
                r
                for r in e.rounds
                if r.phase is Phase.MAIN and r.reason is not RoundReason.TIE_BREAK
            ]
            persons = tuple(p for p in regular[-1].ballot if p not in taken and p in still)
        case _:
            raise ElectionError("bad_round_reason", reason=ev.reason.value)
    if additions:
        _vote_ref(vote)
    number = last.number + 1
    candidates = list(e.candidates)
    for person in additions:
        if e.candidate(person.id) is not None:
            raise ElectionError("duplicate_candidate", name=person.full_name)
        candidates.append(Candidate(person, Source.ADDED, CandidateStatus.ON_LIST, number, ev.at))
    persons = (*persons, *(p.id for p in additions))
    if not persons:
        raise ElectionError("empty_list")
    new = Round(number, phase, ev.reason, seats, tuple(persons), vote)
    return replace(e, candidates=tuple(candidates), rounds=(*e.rounds, new))


def _stop(e: Election, ev: ElectionStopped) -> Election:
    last = _announced_last(e)
    state = _phase(e, last.phase)
    assert state is not None
    if state.stopped:
        raise ElectionError("election_stopped", election=e.title)
    if state.tie is None and state.unfilled <= 0:
        raise ElectionError("seats_filled", election=e.title)
    stop = Stop(last.phase, _vote_ref(ev.vote), nfc(ev.reason), ev.at)
    return replace(e, stops=(*e.stops, stop))


def _decide_overflow(e: Election, ev: OverflowDecided) -> Election:
    if e.kind is not ElectionKind.DELEGATES_HIGHER:
        raise ElectionError("no_alternates", election=e.title)
    last = _announced_last(e)
    state = _phase(e, Phase.MAIN)
    assert state is not None
    if last.phase is not Phase.MAIN or not state.done:
        raise ElectionError("official_seats_pending", election=e.title)
    if e.overflow is not None:
        raise ElectionError("overflow_decided", election=e.title)
    persons = overflow_of(e)
    if not persons:
        raise ElectionError("no_overflow", election=e.title)
    if ev.accepted and len(persons) > e.alternate_seats:
        raise ElectionError(
            "overflow_exceeds_alternates", overflow=len(persons), seats=e.alternate_seats
        )
    decision = OverflowDecision(ev.accepted, persons, _vote_ref(ev.vote), ev.at)
    return replace(e, overflow=decision)


def _decide_order(e: Election, ev: AlternateOrderDecided) -> Election:
    if e.kind is not ElectionKind.DELEGATES_HIGHER:
        raise ElectionError("no_alternates", election=e.title)
    if e.alternate_order is not None:
        raise ElectionError("alternate_order_decided", election=e.title)
    state = outcome(e)
    if state.step is not Step.ALTERNATE_ORDER:
        raise ElectionError("alternate_order_not_needed", election=e.title)
    slots = state.alternates
    order = tuple(ev.order)
    expected = [p for slot in slots for p in slot]
    if sorted(order) != sorted(expected) or len(set(order)) != len(order):
        raise ElectionError("bad_alternate_order")
    i = 0
    for slot in slots:  # only the order inside a tied slot may change
        if set(order[i : i + len(slot)]) != set(slot):
            raise ElectionError("bad_alternate_order")
        i += len(slot)
    decision = AlternateOrder(order, _reason(ev.reason), nfc(ev.vote), ev.at)
    return replace(e, alternate_order=decision)


def replay(events: Iterable[ElectionEvent]) -> ElectionBook:
    """The book a log gives (read back: see `apply`'s `replaying`)."""
    book = ElectionBook()
    for event in events:
        book = apply(book, event, replaying=True)
    return book


# ---------------------------------------------------------------- alternates at the higher congress


def next_alternate(e: Election, activated: Iterable[str] = ()) -> str:
    """The alternate who takes the next absent official's place (domain rules 5.3): the first
    in substitution order not yet activated. ElectionError while their order is undecided (a
    tie) or when none is left. The store then marks the official `replaced_by_alternate` (see
    session.results.activation_base_change: the base gains the official's place back)."""
    if e.kind is not ElectionKind.DELEGATES_HIGHER:
        raise ElectionError("no_alternates", election=e.title)
    done = set(activated)
    for slot in alternate_slots(e):
        left = [p for p in slot if p not in done]
        if not left:
            continue
        if len(left) > 1:
            raise ElectionError("alternate_order_undecided", persons=", ".join(left))
        return left[0]
    raise ElectionError("no_alternate_left", election=e.title)


def outcome_of(book: ElectionBook, election_id: str) -> ElectionOutcome:
    return outcome(_election(book, election_id))


def round_outcomes(e: Election) -> tuple[tuple[int, RoundResult], ...]:
    """Every signed round's result, for `presidium results --json` and the minutes."""
    out = []
    for r in e.rounds:
        res = e.result(r.number)
        if res is not None:
            out.append((r.number, res))
    return tuple(out)


def _iso(at: datetime) -> str:
    return at.isoformat()


def _box_json(b: Box) -> dict[str, object]:
    return {
        "id": b.id,
        "kind": b.kind.value,
        "status": b.status.value,
        "sealed_by": list(b.sealed_by),
        "sealed_at": None if b.sealed_at is None else _iso(b.sealed_at),
        "closed_at": None if b.closed_at is None else _iso(b.closed_at),
        "opened_by": list(b.opened_by),
        "opened_at": None if b.opened_at is None else _iso(b.opened_at),
        "issued": b.issued,
        "returned": b.returned,
    }


def _trace_json(r: Round) -> dict[str, list[dict[str, object]]]:
    """The entries corrected and voided in a round's count, in the order they were made."""
    trace = r.count.trace() if r.count is not None else ()
    return {
        "corrections": [
            {"team": x.team, "seq": x.seq, "box": x.box, "before": x.before.to_json(),
             "after": x.after.to_json(), "reason": x.reason, "at": _iso(x.at)}
            for x in trace
            if x.after is not None
        ],
        "voided": [
            {"team": x.team, "seq": x.seq, "box": x.box, "ballot": x.before.to_json(),
             "reason": x.reason, "at": _iso(x.at)}
            for x in trace
            if x.after is None
        ],
    }  # fmt: skip


def to_json(e: Election) -> dict[str, object]:
    """Everything `presidium results --json` shows of an election: its rule, list and every
    round (ballot order, attendance, boxes, reconciliation figures, and once the minutes are
    signed the per-candidate votes, percentages in hundredths and outcomes), then where it
    stands. A nomination ballot's rounds carry "presidium_only": true."""
    rounds = []
    for r in e.rounds:
        check = r.reconciliation()
        res = e.result(r.number)
        rounds.append(
            {
                "number": r.number,
                "phase": r.phase.value,
                "reason": r.reason.value,
                "status": r.status.value,
                "seats": r.seats,
                "format": r.format.value if r.ballot else None,
                "ballot": [
                    {"number": i, "person": p.id, "full_name": p.full_name}
                    for i, p in enumerate(e.people(r.ballot), 1)
                ],
                "decision_vote": r.decision_vote,
                "list_vote": r.list_vote,
                "snapshot": None if r.snapshot is None else r.snapshot.to_json(),
                "counting_committee": None
                if r.committee is None
                else {"head": r.committee.head, "members": list(r.committee.members)},
                "boxes": [_box_json(b) for b in r.boxes],
                **_trace_json(r),
                "reconciliation": None if check is None else check.to_json(),
                "result": None if res is None else res.to_json(),
                "tie_decision": None
                if r.tie_decision is None
                else {
                    "winners": list(r.tie_decision.winners),
                    "reason": r.tie_decision.reason,
                    "vote": r.tie_decision.vote,
                },
                "signed_by": list(r.signed_by),
                "announced_at": None if r.announced_at is None else _iso(r.announced_at),
            }
        )
    return {
        "id": e.id,
        "item": e.item,
        "kind": e.kind.value,
        "purpose": e.purpose.value,
        "title": e.title,
        "ruleset": e.ruleset,
        "rule": e.rule.to_json(),
        "tie_policy": e.tie_policy.value,
        "seats": e.seats,
        "alternate_seats": e.alternate_seats,
        "seats_source": None if e.seats_source is None else e.seats_source.value,
        "candidates": [
            {
                **c.person.to_json(),
                "source": c.source.value,
                "status": c.status.value,
                "round": c.round,
                "support": c.support,
                "present": c.present,
            }
            for c in e.candidates
        ],
        "withdrawals": [
            {"person": w.person, "reason": w.reason, "allowed": w.allowed, "vote": w.vote}
            for w in e.withdrawals
        ],
        "rounds": rounds,
        "outcome": outcome(e).to_json(),
    }
