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

# The words an election's rule and outcome are said in, defined beside the rules they belong to
# and part of this package's vocabulary (its callers have always found them here).
from session.ballots import BallotFormat, ElectionError
from session.count import CountMode
from session.elections.building import (
    ballot_entered,
    create_election,
    default_rule,
    may_receive_ballot,
    next_seq,
    voting_warnings,
)
from session.elections.events import (
    EVENT_KINDS,
    EVENT_TYPES,
    AlternateOrderDecided,
    BallotCorrected,
    BallotEntered,
    BallotIssuedTo,
    BallotRead,
    BallotsIssued,
    BallotVoided,
    BatchAccepted,
    BoxClosed,
    BoxCounted,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    CandidateAdded,
    CountersAppointed,
    CountingStarted,
    ElectionCreated,
    ElectionEvent,
    ElectionStopped,
    ListApproved,
    ListCut,
    MinutesSigned,
    OverflowDecided,
    ReadingDecided,
    ResultsAnnounced,
    RoundAdded,
    SeatsSet,
    SheetEntered,
    TieResolved,
    VotingOpened,
    WithdrawalDecided,
    WithdrawalRequested,
    decode,
)
from session.elections.list_steps import candidate_among, delegate_number, poll_outcome
from session.elections.outcome import (
    ElectionOutcome,
    PhaseState,
    alternate_slots,
    elected,
    outcome,
    overflow_of,
)
from session.elections.reading_steps import ballot_read, reading_decided
from session.elections.readings import (
    BoxCounting,
    DecidedSheet,
    ReadingCounts,
    ReadingMinutes,
    SheetKey,
    box_reading_counts,
    pending_readings,
    reading_at,
    reading_counts,
    reading_minutes,
    readings_of,
    sheet_read_in,
)
from session.elections.reducer import apply, replay
from session.elections.reports import (
    next_alternate,
    outcome_of,
    reading_json,
    round_outcomes,
    to_json,
)
from session.elections.state import (
    AlternateOrder,
    Box,
    Candidate,
    CountingCommittee,
    Election,
    ElectionBook,
    ListCutRecord,
    OverflowDecision,
    Reading,
    ReadingDecision,
    Round,
    Stop,
    TieDecision,
    Withdrawal,
)
from session.elections.vocabulary import (
    NOMINATION_POOLS,
    PARTY_RULE,
    POOLS,
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
    Step,
    VotingWarning,
)
from session.majority import Ratio
from session.results import ELECTION_BASES, Purpose, TiePolicy
from session.tally import VoteBase, VoteRule

__all__ = [
    "ELECTION_BASES",
    "EVENT_KINDS",
    "EVENT_TYPES",
    "NOMINATION_POOLS",
    "PARTY_RULE",
    "POOLS",
    "SURPLUS_REQUIRED",
    "AlternateOrder",
    "AlternateOrderDecided",
    "BallotCorrected",
    "BallotEntered",
    "BallotFormat",
    "BallotIssuedTo",
    "BallotRead",
    "BallotVoided",
    "BallotsIssued",
    "BatchAccepted",
    "Box",
    "BoxClosed",
    "BoxCounted",
    "BoxCounting",
    "BoxKind",
    "BoxOpened",
    "BoxPrepared",
    "BoxSealed",
    "BoxStatus",
    "Candidate",
    "CandidateAdded",
    "CandidateStatus",
    "CountMode",
    "CountersAppointed",
    "CountingCommittee",
    "CountingStarted",
    "DecidedSheet",
    "Election",
    "ElectionBook",
    "ElectionCreated",
    "ElectionError",
    "ElectionEvent",
    "ElectionKind",
    "ElectionOutcome",
    "ElectionStopped",
    "ListApproved",
    "ListCut",
    "ListCutRecord",
    "MinutesSigned",
    "OverflowDecided",
    "OverflowDecision",
    "Phase",
    "PhaseState",
    "Purpose",
    "Ratio",
    "Reading",
    "ReadingCounts",
    "ReadingDecided",
    "ReadingDecision",
    "ReadingMinutes",
    "ResultsAnnounced",
    "Round",
    "RoundAdded",
    "RoundReason",
    "RoundStatus",
    "SeatsSet",
    "SeatsSource",
    "SheetEntered",
    "SheetKey",
    "Source",
    "Step",
    "Stop",
    "TieDecision",
    "TiePolicy",
    "TieResolved",
    "VoteBase",
    "VoteRule",
    "VotingOpened",
    "VotingWarning",
    "Withdrawal",
    "WithdrawalDecided",
    "WithdrawalRequested",
    "alternate_slots",
    "apply",
    "ballot_entered",
    "ballot_read",
    "box_reading_counts",
    "candidate_among",
    "create_election",
    "decode",
    "default_rule",
    "delegate_number",
    "elected",
    "may_receive_ballot",
    "next_alternate",
    "next_seq",
    "outcome",
    "outcome_of",
    "overflow_of",
    "pending_readings",
    "poll_outcome",
    "reading_at",
    "reading_counts",
    "reading_decided",
    "reading_json",
    "reading_minutes",
    "readings_of",
    "replay",
    "round_outcomes",
    "sheet_read_in",
    "to_json",
    "voting_warnings",
]
