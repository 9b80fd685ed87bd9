"""The roll call's decisions: what a scan means, given the station's mode and the delegate's state.

A scan never flips presence. Entry admits or says "already present since …"; exit records a
departure or says "not in the hall"; a voting check confirms a voter and refuses anyone who may not
vote. Every refusal names its reason (a translation key), and only green results change state.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from session.cards import CardCode, CardRejection
from session.quorum import Kind, Status, has_vote


class Mode(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"
    VOTING_CHECK = "voting_check"


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Action(StrEnum):
    """What a decision writes to the attendance record, if anything."""

    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"


class Reason(StrEnum):
    """Translation keys under 'scan.' for every result a station can show."""

    ADMITTED = "admitted"
    ADMITTED_GUEST = "admitted_guest"
    ADMITTED_ALTERNATE = "admitted_alternate"
    EXIT_RECORDED = "exit_recorded"
    ENTITLED_PRESENT = "entitled_present"
    ENTITLED_ADMITTED = "entitled_admitted"
    ALREADY_PRESENT = "already_present"
    NOT_IN_HALL = "not_in_hall"
    ABSENT_WHOLE = "absent_whole"
    UNKNOWN_NUMBER = "unknown_number"
    REVOKED = "revoked"
    UNISSUED = "unissued"
    CREDENTIAL_REJECTED = "credential_rejected"
    NOT_ENTITLED = "not_entitled"
    EMPTY = "empty"
    MALFORMED = "malformed"
    OTHER_CONGRESS = "other_congress"
    FORGED = "forged"


@dataclass(frozen=True, slots=True)
class DelegateState:
    """What the roll call knows about a delegate when the card is scanned."""

    number: int
    kind: Kind
    status: Status
    card_issue: int
    present: bool
    since: datetime | None = None
    station: str | None = None
    activated: bool = False  # an alternate seated in place of an absent official: votes

    @property
    def votes(self) -> bool:
        return has_vote(self.kind, self.activated)


@dataclass(frozen=True, slots=True)
class ScanDecision:
    colour: Colour
    reason: Reason
    action: Action | None = None


def decide(
    mode: Mode, card: CardCode | CardRejection, delegate: DelegateState | None
) -> ScanDecision:
    """The result of one scan at a station in `mode`."""
    if isinstance(card, CardRejection):
        return ScanDecision(Colour.RED, Reason(card.problem.value))
    if delegate is None:
        return ScanDecision(Colour.RED, Reason.UNKNOWN_NUMBER)
    if card.issue < delegate.card_issue:
        return ScanDecision(Colour.RED, Reason.REVOKED)
    if card.issue > delegate.card_issue:
        return ScanDecision(Colour.RED, Reason.UNISSUED)
    if mode is Mode.EXIT:
        # Anyone in the hall may leave, even one whose credentials the congress has just
        # rejected: refusing the exit would keep them "present" for ever.
        if delegate.present:
            return ScanDecision(Colour.GREEN, Reason.EXIT_RECORDED, Action.CHECK_OUT)
        if delegate.status is Status.CREDENTIAL_REJECTED:
            return ScanDecision(Colour.RED, Reason.CREDENTIAL_REJECTED)
        return ScanDecision(Colour.YELLOW, Reason.NOT_IN_HALL)
    if delegate.status is Status.CREDENTIAL_REJECTED:
        return ScanDecision(Colour.RED, Reason.CREDENTIAL_REJECTED)
    if delegate.status is Status.ABSENT_WHOLE and not delegate.present:
        return ScanDecision(Colour.YELLOW, Reason.ABSENT_WHOLE)
    if mode is Mode.VOTING_CHECK:
        if not delegate.votes:
            return ScanDecision(Colour.RED, Reason.NOT_ENTITLED)
        if delegate.present:
            return ScanDecision(Colour.GREEN, Reason.ENTITLED_PRESENT)
        return ScanDecision(Colour.GREEN, Reason.ENTITLED_ADMITTED, Action.CHECK_IN)
    if delegate.present:
        return ScanDecision(Colour.YELLOW, Reason.ALREADY_PRESENT)
    if delegate.kind is Kind.ALTERNATE and not delegate.activated:
        return ScanDecision(Colour.GREEN, Reason.ADMITTED_ALTERNATE, Action.CHECK_IN)
    if not delegate.votes:
        return ScanDecision(Colour.GREEN, Reason.ADMITTED_GUEST, Action.CHECK_IN)
    return ScanDecision(Colour.GREEN, Reason.ADMITTED, Action.CHECK_IN)
