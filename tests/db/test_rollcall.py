"""What one scan means: station mode × card × delegate state."""

import itertools
from datetime import UTC, datetime

import pytest

from session.cards import CardCode, CardProblem, CardRejection
from session.quorum import Kind, Status
from session.rollcall import Action, Colour, DelegateState, Mode, Reason, ScanDecision, decide
from tests.harness.rollcall import card

G, Y, R = Colour.GREEN, Colour.YELLOW, Colour.RED
ENTRY, EXIT, CHECK = Mode.ENTRY, Mode.EXIT, Mode.VOTING_CHECK
SINCE = datetime(2025, 6, 20, 7, 45, tzinfo=UTC)


def delegate(
    kind: Kind = Kind.OFFICIAL,
    status: Status = Status.SUMMONED,
    present: bool = False,
    issue: int = 1,
) -> DelegateState:
    return DelegateState(
        17,
        kind,
        status,
        issue,
        present,
        SINCE if present else None,
        "cửa-chính" if present else None,
    )


def D(colour: Colour, reason: Reason, action: Action | None = None) -> ScanDecision:
    return ScanDecision(colour, reason, action)


# ---------------------------------------------------------------- the table

OFF, EXO, ALT, GST = Kind.OFFICIAL, Kind.EX_OFFICIO, Kind.ALTERNATE, Kind.GUEST
SUM, EXC, WHOLE, REJ, EXM = (
    Status.SUMMONED,
    Status.ABSENT_EXCUSED,
    Status.ABSENT_WHOLE,
    Status.CREDENTIAL_REJECTED,
    Status.EXEMPT,
)
IN, OUT = True, False

ADMIT = D(G, Reason.ADMITTED, Action.CHECK_IN)
ADMIT_GUEST = D(G, Reason.ADMITTED_GUEST, Action.CHECK_IN)
ADMIT_ALTERNATE = D(G, Reason.ADMITTED_ALTERNATE, Action.CHECK_IN)
ALREADY = D(Y, Reason.ALREADY_PRESENT)
LEAVE = D(G, Reason.EXIT_RECORDED, Action.CHECK_OUT)
NOT_IN = D(Y, Reason.NOT_IN_HALL)
ENTITLED = D(G, Reason.ENTITLED_PRESENT)
ENTITLED_IN = D(G, Reason.ENTITLED_ADMITTED, Action.CHECK_IN)
NOT_ENTITLED = D(R, Reason.NOT_ENTITLED)
WHOLE_ABSENT = D(Y, Reason.ABSENT_WHOLE)
REJECTED = D(R, Reason.CREDENTIAL_REJECTED)

# (mode, kind, status, present) -> decision, for a current, valid card
TABLE = {
    # entry
    (ENTRY, OFF, SUM, OUT): ADMIT,
    (ENTRY, EXO, SUM, OUT): ADMIT,
    (ENTRY, OFF, EXC, OUT): ADMIT,  # back after an excused absence
    (ENTRY, OFF, EXM, OUT): ADMIT,  # an exempted member who comes counts (§2.2)
    (ENTRY, ALT, SUM, OUT): ADMIT_ALTERNATE,  # attends, does not count until activated
    (ENTRY, GST, SUM, OUT): ADMIT_GUEST,
    (ENTRY, OFF, SUM, IN): ALREADY,
    (ENTRY, GST, SUM, IN): ALREADY,
    (ENTRY, OFF, WHOLE, OUT): WHOLE_ABSENT,
    (ENTRY, EXO, WHOLE, OUT): WHOLE_ABSENT,
    (ENTRY, OFF, REJ, OUT): REJECTED,
    (ENTRY, OFF, REJ, IN): REJECTED,
    # exit
    (EXIT, OFF, SUM, IN): LEAVE,
    (EXIT, GST, SUM, IN): LEAVE,
    (EXIT, ALT, SUM, IN): LEAVE,
    (EXIT, OFF, EXC, IN): LEAVE,
    (EXIT, OFF, SUM, OUT): NOT_IN,
    (EXIT, GST, SUM, OUT): NOT_IN,
    (EXIT, OFF, WHOLE, OUT): NOT_IN,
    (EXIT, OFF, REJ, IN): LEAVE,  # anyone in the hall may leave, whatever the congress decided
    (EXIT, OFF, REJ, OUT): REJECTED,
    # voting check
    (CHECK, OFF, SUM, IN): ENTITLED,
    (CHECK, EXO, SUM, IN): ENTITLED,
    (CHECK, OFF, SUM, OUT): ENTITLED_IN,  # came in without scanning at the door
    (CHECK, EXO, EXC, OUT): ENTITLED_IN,
    (CHECK, OFF, EXM, OUT): ENTITLED_IN,
    (CHECK, GST, SUM, IN): NOT_ENTITLED,  # admitted at the door, refused at the vote
    (CHECK, GST, SUM, OUT): NOT_ENTITLED,
    (CHECK, ALT, SUM, IN): NOT_ENTITLED,  # an alternate votes only once activated
    (CHECK, OFF, WHOLE, OUT): WHOLE_ABSENT,
    (CHECK, OFF, REJ, IN): REJECTED,
    (CHECK, EXO, REJ, OUT): REJECTED,
}


@pytest.mark.parametrize(
    ("situation", "expected"), TABLE.items(), ids=[" ".join(str(x) for x in k) for k in TABLE]
)
def test_decision_table(situation: tuple[Mode, Kind, Status, bool], expected: ScanDecision) -> None:
    mode, kind, status, present = situation
    assert decide(mode, card(), delegate(kind, status, present)) == expected


def test_guest_admitted_at_the_door_but_refused_at_a_voting_check() -> None:
    guest = delegate(GST)
    assert decide(ENTRY, card(), guest) == ADMIT_GUEST
    assert decide(CHECK, card(), delegate(GST, present=True)) == NOT_ENTITLED


# ---------------------------------------------------------------- bad cards


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("problem", list(CardProblem))
def test_rejected_cards_are_red_whatever_the_delegate(mode: Mode, problem: CardProblem) -> None:
    for state in (None, delegate(), delegate(present=True)):
        decision = decide(mode, CardRejection(problem), state)
        assert decision == D(R, Reason(problem.value))


@pytest.mark.parametrize("mode", list(Mode))
def test_unknown_number(mode: Mode) -> None:
    assert decide(mode, card(), None) == D(R, Reason.UNKNOWN_NUMBER)


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("present", [True, False])
def test_revoked_card(mode: Mode, present: bool) -> None:
    """A reissued card bumps the issue: the old card verifies but is refused, even at the exit."""
    assert decide(mode, card(issue=1), delegate(present=present, issue=2)) == D(R, Reason.REVOKED)
    assert decide(mode, card(issue=0), delegate(present=present, issue=5)) == D(R, Reason.REVOKED)


@pytest.mark.parametrize("mode", list(Mode))
def test_unissued_card(mode: Mode) -> None:
    """An issue newer than any printed one can only be forged."""
    assert decide(mode, card(issue=3), delegate(issue=2)) == D(R, Reason.UNISSUED)


# ---------------------------------------------------------------- invariants over every case

ALL_STATES = [
    delegate(kind, status, present, issue)
    for kind, status, present, issue in itertools.product(Kind, Status, (True, False), (0, 1, 2))
]
ALL_CARDS: list[CardCode | CardRejection] = [card(0), card(1), card(2)] + [
    CardRejection(p) for p in CardProblem
]


def _cases() -> list[tuple[Mode, CardCode | CardRejection, DelegateState | None]]:
    return [(m, c, d) for m in Mode for c in ALL_CARDS for d in [None, *ALL_STATES]]


def test_only_green_results_change_state() -> None:
    for mode, c, d in _cases():
        decision = decide(mode, c, d)
        if decision.action is not None:
            assert decision.colour is G, (mode, c, d, decision)
        if decision.colour is not G:
            assert decision.action is None


def test_a_scan_never_flips_presence() -> None:
    """Entry never checks out, exit never checks in, a present delegate is never checked in
    again and an absent one never checked out."""
    for mode, c, d in _cases():
        action = decide(mode, c, d).action
        if action is Action.CHECK_IN:
            assert mode is not EXIT and d is not None and not d.present
        if action is Action.CHECK_OUT:
            assert mode is EXIT and d is not None and d.present


def test_already_present_is_yellow_and_repeats() -> None:
    state = delegate(present=True)
    for _ in range(3):
        assert decide(ENTRY, card(), state) == ALREADY


def test_only_the_current_card_of_a_known_delegate_can_be_green() -> None:
    for mode, c, d in _cases():
        if decide(mode, c, d).colour is G:
            assert isinstance(c, CardCode) and d is not None and c.issue == d.card_issue


def test_a_voting_check_confirms_only_voters() -> None:
    for _, c, d in _cases():
        decision = decide(CHECK, c, d)
        if decision.colour is G:
            assert d is not None
            assert d.kind in (OFF, EXO)
            assert d.status is not REJ
            assert d.status is not WHOLE or d.present  # absent for the whole congress: refused


def test_rejected_credentials_never_enter_or_vote() -> None:
    for mode, c, d in _cases():
        if d is not None and d.status is REJ and mode is not EXIT:
            assert decide(mode, c, d).colour is R


def test_every_reason_is_reachable() -> None:
    seen = {decide(m, c, d).reason for m, c, d in _cases()}
    assert seen == set(Reason)
