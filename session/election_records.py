"""Every step of an election as the Store records it, by name.

The screens and the commands never construct an election event themselves: each step has a
builder here that takes what the person decided and returns the record, to be stamped with the
time the Store writes it (`Record`). So the order of an event's fields, and the values a step
leaves empty (a seats vote has no alternates; a tie-break round adds nobody), are written once.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from session.ballots import BallotInput, Person
from session.count import CountMode, Totals
from session.elections import (
    AlternateOrderDecided,
    BallotCorrected,
    BallotsIssued,
    BallotVoided,
    BatchAccepted,
    BoxClosed,
    BoxCounted,
    BoxKind,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    CandidateAdded,
    CountersAppointed,
    CountingStarted,
    ElectionEvent,
    ElectionStopped,
    ListApproved,
    ListCut,
    MinutesSigned,
    OverflowDecided,
    ResultsAnnounced,
    RoundAdded,
    RoundReason,
    SeatsSet,
    SeatsSource,
    SheetEntered,
    Source,
    TieResolved,
    WithdrawalDecided,
    WithdrawalRequested,
)

Record = Callable[[datetime], ElectionEvent]

# ---------------------------------------------------------------- the seats and the list


def seats_voted(election: str, seats: int, vote: str) -> Record:
    """The seats as the congress voted them (the vote cited)."""
    return lambda at: SeatsSet(
        election, seats, SeatsSource.VOTE, vote, alternate_seats=0, alternate_vote="", at=at
    )


def seats_allocated(election: str, seats: int, alternates: int, alternates_vote: str) -> Record:
    """A delegation's official seats, allocated from above, and the alternates the congress
    voted (none: no vote cited)."""
    return lambda at: SeatsSet(
        election, seats, SeatsSource.ALLOCATED, "", alternates, alternates_vote, at
    )


def listed(election: str, person: Person, at: datetime) -> CandidateAdded:
    """A name from the convening committee's list (added in a batch, with others)."""
    return CandidateAdded(election, person, Source.LIST, "", False, None, None, at)


def nominated(
    election: str,
    person: Person,
    source: Source,
    nominator: str,
    nominator_on_committee: bool,
    support: int | None,
    present: int | None,
) -> Record:
    """A name put on the list: from the list, nominated at the congress (by whom, with how many
    supporting of how many present) or self-nominated."""
    return lambda at: CandidateAdded(
        election, person, source, nominator, nominator_on_committee, support, present, at
    )


def withdrawal_requested(election: str, person: str, reason: str) -> Record:
    return lambda at: WithdrawalRequested(election, person, reason, at)


def withdrawal_decided(election: str, person: str, allowed: bool, vote: str) -> Record:
    return lambda at: WithdrawalDecided(election, person, allowed, vote, at)


def list_cut(election: str, poll: str) -> Record:
    """The opinion ballot `poll` applied to the list."""
    return lambda at: ListCut(election, poll, at)


def list_approved(election: str, round_no: int, vote: str) -> Record:
    return lambda at: ListApproved(election, round_no, vote, at)


def counters_appointed(election: str, members: Sequence[str], vote: str) -> Record:
    """The counting committee, its head first (delegate person ids)."""
    return lambda at: CountersAppointed(election, members[0], tuple(members), vote, at)


# ---------------------------------------------------------------- the boxes


def box_prepared(election: str, round_no: int, box: str, kind: BoxKind) -> Record:
    return lambda at: BoxPrepared(election, round_no, box, kind, at)


def box_sealed(election: str, round_no: int, box: str, by: Sequence[str]) -> Record:
    return lambda at: BoxSealed(election, round_no, box, tuple(by), at)


def ballots_issued(election: str, round_no: int, box: str, count: int) -> Record:
    return lambda at: BallotsIssued(election, round_no, box, count, "", at)


def box_closed(election: str, round_no: int, box: str) -> Record:
    return lambda at: BoxClosed(election, round_no, box, at)


def box_opened(election: str, round_no: int, box: str, returned: int, by: Sequence[str]) -> Record:
    return lambda at: BoxOpened(election, round_no, box, returned, tuple(by), at)


# ---------------------------------------------------------------- counting


def counting_started(
    election: str,
    round_no: int,
    mode: CountMode,
    teams: Sequence[str],
    reader: str | None = None,
) -> Record:
    """How the round is counted; `reader`: the team (one of `teams`) whose ballots a machine
    reads (issue 14), None when no machine reads."""
    return lambda at: CountingStarted(election, round_no, mode, tuple(teams), at, reader or None)


def sheet_entered(
    election: str, round_no: int, team: str, box: str, totals: Totals, reason: str
) -> Record:
    """A team's tally sheet for a box (a later one for the same box replaces it, with the
    reason)."""
    return lambda at: SheetEntered(election, round_no, team, box, "", totals, reason, at)


def ballot_corrected(
    election: str, round_no: int, team: str, seq: int, ballot: BallotInput, reason: str
) -> Record:
    return lambda at: BallotCorrected(election, round_no, team, seq, ballot, reason, at)


def ballot_voided(election: str, round_no: int, team: str, seq: int, reason: str) -> Record:
    return lambda at: BallotVoided(election, round_no, team, seq, reason, at)


def batch_accepted(election: str, round_no: int, batch: str, team: str, reason: str) -> Record:
    """After a recount, one team's figures for a batch the two teams counted differently."""
    return lambda at: BatchAccepted(election, round_no, batch, team, reason, at)


def box_counted(election: str, round_no: int, box: str) -> Record:
    return lambda at: BoxCounted(election, round_no, box, at)


def minutes_signed(election: str, round_no: int, signers: Sequence[str]) -> Record:
    return lambda at: MinutesSigned(election, round_no, tuple(signers), at)


def results_announced(election: str, round_no: int) -> Record:
    return lambda at: ResultsAnnounced(election, round_no, at)


# ---------------------------------------------------------------- after a round


def tie_break_round(election: str) -> Record:
    """A further ballot among the tied (the rule decides it: no vote cited)."""
    return lambda at: RoundAdded(election, RoundReason.TIE_BREAK, (), "", at)


def unfilled_round(election: str, vote: str) -> Record:
    """Another round for the unfilled seats, as the congress voted."""
    return lambda at: RoundAdded(election, RoundReason.UNFILLED, (), vote, at)


def alternates_round(election: str) -> Record:
    """A delegation's ballot for its alternate seats."""
    return lambda at: RoundAdded(election, RoundReason.ALTERNATES, (), "", at)


def tie_resolved(
    election: str, round_no: int, winners: Sequence[str], reason: str, vote: str
) -> Record:
    return lambda at: TieResolved(election, round_no, tuple(winners), reason, vote, at)


def election_stopped(election: str, vote: str, reason: str) -> Record:
    """The seats left unfilled, as the congress voted."""
    return lambda at: ElectionStopped(election, vote, reason, at)


def overflow_decided(election: str, accepted: bool, vote: str) -> Record:
    """Whether those beyond a delegation's official seats become its alternates."""
    return lambda at: OverflowDecided(election, accepted, vote, at)


def alternate_order_decided(election: str, order: Sequence[str], reason: str, vote: str) -> Record:
    return lambda at: AlternateOrderDecided(election, tuple(order), reason, vote, at)
