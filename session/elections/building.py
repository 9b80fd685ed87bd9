"""Building the first events of an election and checking a ballot's recipient."""

from datetime import datetime

from session.ballots import (
    PARTY_RULESETS,
    BallotInput,
    BallotOrder,
    order_for,
)
from session.count import (
    Totals,
)
from session.elections.events import (
    BallotEntered,
    ElectionCreated,
)
from session.elections.state import (
    Election,
    ElectionBook,
    find,
)
from session.elections.vocabulary import (
    PARTY_RULE,
    ElectionKind,
    VotingWarning,
)
from session.quorum import Member
from session.results import (
    Purpose,
    TiePolicy,
    election_base,
)
from session.tally import Snapshot, VoteBase, VoteRule
from session.text import nfc

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
    r = find(book, election_id).round(round_no)
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
