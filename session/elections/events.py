"""Every election event, as recorded in the audit log (session.codec writes and reads them)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from session import codec
from session.ballot_reading import Verdict
from session.ballots import (
    BallotInput,
    BallotOrder,
    ElectionError,
    Person,
)
from session.count import (
    CountMode,
    Totals,
)
from session.elections.vocabulary import (
    BoxKind,
    ElectionKind,
    RoundReason,
    SeatsSource,
    Source,
)
from session.results import (
    Purpose,
    TiePolicy,
)
from session.tally import Snapshot, VoteRule

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
    (double entry). `reader`: the team whose ballots a machine reads (issue 14; it enters ballot
    by ballot whatever the mode), None when no machine reads; left out of the payload while
    None, so the events written before it hash as they did."""

    KIND: ClassVar[str] = "election_counting_started"
    election: str
    round: int
    mode: CountMode
    teams: tuple[str, ...]
    at: datetime
    reader: str | None = field(default=None, metadata=codec.options(omit_none=True))


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
class BallotRead(codec.Event):
    """One paper ballot read by the machine for the reader team (issue 14): where the sheet is
    (image SHA-256, file name, page, slot, sheet number), what its code said, a mark per row
    (session.ballot_reading.marks_text) and the doubts (Doubt values), the verdict by rule and
    the ballot the count takes (valid or invalid; None while undecided). `seq`: the reader
    team's entry when the ballot is entered now, 0 when the committee must decide first."""

    KIND: ClassVar[str] = "election_ballot_read"
    election: str
    round: int
    team: str
    box: str
    batch: str
    image: str
    file: str
    page: int
    slot: int
    sheet: int
    code: str
    marks: str
    doubts: tuple[str, ...]
    verdict: Verdict
    ballot: BallotInput | None
    seq: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ReadingDecided(codec.Event):
    """The counting committee's decision on a sheet the machine left undecided (the sheet by
    image, page and slot): the ballot the count takes and why; `seq` is the reader team's
    entry for it."""

    KIND: ClassVar[str] = "election_reading_decided"
    election: str
    round: int
    image: str
    page: int
    slot: int
    ballot: BallotInput
    reason: str
    seq: int
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
    | BallotRead
    | ReadingDecided
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
    BallotRead,
    ReadingDecided,
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
