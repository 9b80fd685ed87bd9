"""Who may do what at a terminal: the six roles, what each may reach, and their passphrases.

A congress has one operator (everything), door stations (scans at one door), tellers (show-of-hands
counts of their sector, and the ballot boxes' own steps: prepared, sealed, ballots issued, closed,
opened for counting), the counting room (the ballots of one election round), the secretariat's desk
of the lists of speakers and the projector (read-only). The app installs only a role's own
screens and offers only its keys (tui.role_keys); the Store refuses to append any event kind
outside :meth:`Rights.may_record`, so a slip in a screen still cannot write what the role may not.

Passphrases are kept as scrypt hashes with a random salt per role, compared in constant time.
Wrong ones are events too (SIGN_IN_REFUSED, at the terminal that typed them): the wait they bring
(:func:`retry_wait`) is read back from the log, so restarting a terminal does not reset it.
Pure: no Textual, no SQL.
"""

import hashlib
import hmac
import math
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from session.election_steps import Action
from session.elections import (
    BallotCorrected,
    BallotEntered,
    BallotRead,
    BallotsIssued,
    BallotVoided,
    BatchAccepted,
    Box,
    BoxClosed,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    BoxStatus,
    Election,
    ElectionBook,
    ReadingDecided,
    Round,
    RoundStatus,
    SheetEntered,
)
from session.i18n import Refusal
from session.rollcall import Mode
from session.speakers import EVENT_KINDS as SPEAKER_KINDS
from session.votes import CountEntered, UnanimousConfirmed


class Role(StrEnum):
    OPERATOR = "operator"
    DOOR = "door"
    TELLER = "teller"
    COUNTING = "counting"
    DISPLAY = "display"
    SPEAKERS = "speakers"  # the secretariat's desk that runs the lists of speakers (issue 15)

    @property
    def needs_passphrase(self) -> bool:
        """Every role but the projector, which can change nothing, signs in."""
        return self is not Role.DISPLAY

    @property
    def scans(self) -> bool:
        """The roles that take cards at a door station (the others' station is their role)."""
        return self in (Role.OPERATOR, Role.DOOR)


class RoleError(Refusal):
    prefix = "roles.error."


class SignInWait(RoleError):
    """Wrong passphrases at this terminal: nothing is checked for `seconds` more. `wrong`: this
    attempt was checked and wrong (and brought the wait); else it came too soon, unchecked."""

    def __init__(self, seconds: float, *, wrong: bool) -> None:
        super().__init__("wait_wrong" if wrong else "wait", seconds=math.ceil(seconds))
        self.seconds = seconds
        self.wrong = wrong


# Events about the roles themselves, in the audit log like everything else.
SIGNED_IN = "role_signed_in"
PASSPHRASE_SET = "role_passphrase_set"
# A wrong passphrase typed at a terminal (the attempt itself is never recorded), and the right
# one after wrong ones, which ends their wait (appended only then: a sign-in without a wrong
# passphrase before it adds nothing).
SIGN_IN_REFUSED = "role_sign_in_refused"
SIGN_IN_CLEARED = "role_sign_in_cleared"
SIGN_IN_KINDS = frozenset({SIGNED_IN, SIGN_IN_REFUSED, SIGN_IN_CLEARED})

# What a door's scans append: an admission or exit, or the refused / confirmed scan.
SCAN_KINDS = frozenset({"check_in", "check_out", "scan_refused", "scan_confirmed"})

# What a teller does at the ballot box, named as the election's own steps (session.election_steps)
# so the teller's keys open the election screen's forms for them. Opening voting, counting,
# signing the minutes and the results stay with the presidium and the counting committee.
TELLER_BOX_STEPS: tuple[Action, ...] = (
    Action.PREPARE_BOX,
    Action.SEAL_BOX,
    Action.ISSUE_BALLOTS,
    Action.CLOSE_BOX,
    Action.OPEN_BOX,
)
BOX_KINDS = frozenset(
    {BoxPrepared.KIND, BoxSealed.KIND, BallotsIssued.KIND, BoxClosed.KIND, BoxOpened.KIND}
)


@dataclass(frozen=True, slots=True)
class Rights:
    role: Role
    records: frozenset[str] | None  # the event kinds it may append; None: any
    modes: tuple[Mode, ...] = ()  # the scan modes the station cycles through; () takes no scans

    def may_record(self, kind: str) -> bool:
        return self.records is None or kind in self.records

    @property
    def takes_scans(self) -> bool:
        return bool(self.modes)


RIGHTS: dict[Role, Rights] = {
    Role.OPERATOR: Rights(Role.OPERATOR, None, (Mode.ENTRY, Mode.EXIT, Mode.VOTING_CHECK)),
    Role.DOOR: Rights(Role.DOOR, SCAN_KINDS | SIGN_IN_KINDS, (Mode.ENTRY, Mode.EXIT)),
    # Opening, recounting, announcing and correcting a vote are the presidium's decisions; so
    # are an election's steps beyond the box (TELLER_BOX_STEPS).
    Role.TELLER: Rights(
        Role.TELLER,
        frozenset({CountEntered.KIND, UnanimousConfirmed.KIND}) | SIGN_IN_KINDS | BOX_KINDS,
    ),
    # Boxes counted, tallies and signing the minutes stay on the election screen (the presidium's).
    Role.COUNTING: Rights(
        Role.COUNTING,
        frozenset(
            {
                BallotEntered.KIND,
                BallotRead.KIND,
                ReadingDecided.KIND,
                BallotCorrected.KIND,
                BallotVoided.KIND,
                SheetEntered.KIND,
                BatchAccepted.KIND,
            }
        )
        | SIGN_IN_KINDS,
    ),
    Role.DISPLAY: Rights(Role.DISPLAY, frozenset()),
    # The lists of speakers only: who speaks is the presidium's call, which the secretariat's
    # desk carries out; the agenda, the votes and the roll call stay with the operator.
    Role.SPEAKERS: Rights(Role.SPEAKERS, SPEAKER_KINDS | SIGN_IN_KINDS),
}


def rights(role: Role) -> Rights:
    return RIGHTS[role]


# ---------------------------------------------------------------- the teller's ballot boxes

# A round is at the boxes from its list's approval (boxes are prepared and sealed) until every
# box is counted.
AT_BOXES = frozenset(
    {RoundStatus.LIST_APPROVED, RoundStatus.VOTING, RoundStatus.CLOSED, RoundStatus.COUNTING}
)
# The box status each step starts from (the reducer refuses any other; this only says which
# keys to offer). Preparing makes a new box, so it starts from none.
_STEP_FROM: dict[Action, BoxStatus] = {
    Action.SEAL_BOX: BoxStatus.PREPARED,
    Action.ISSUE_BALLOTS: BoxStatus.VOTING,
    Action.CLOSE_BOX: BoxStatus.VOTING,
    Action.OPEN_BOX: BoxStatus.CLOSED,
}


def box_election(book: ElectionBook, running: str | None) -> Election | None:
    """The election whose current round is at the ballot boxes (the running agenda item's
    first), or None."""
    at_boxes = [e for e in book.elections if e.current.status in AT_BOXES]
    on_item = [e for e in at_boxes if e.item == running]
    found = on_item or at_boxes
    return found[0] if found else None


def box_steps(r: Round, box: Box | None) -> frozenset[Action]:
    """The teller's steps that apply now: a new box while voting has not opened, and the next
    steps of `box` (the one the teller chose)."""
    steps: set[Action] = set()
    if r.status in (RoundStatus.LIST, RoundStatus.LIST_APPROVED):
        steps.add(Action.PREPARE_BOX)
    if box is not None:
        steps |= {a for a, status in _STEP_FROM.items() if box.status is status}
    return frozenset(steps)


# ---------------------------------------------------------------- passphrases

MIN_LENGTH = 8
SALT_BYTES = 16
KEY_BYTES = 32
# scrypt's cost: about 50 ms and 16 MiB per check on a laptop; slow enough to make guessing a
# stolen hash expensive, fast enough for a sign-in.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
FREE_ATTEMPTS = 3  # wrong passphrases before each further attempt must wait
MAX_DELAY = 30.0


@dataclass(frozen=True, slots=True)
class Passphrase:
    """What is stored for a role: the salt, the scrypt key and its cost (never the passphrase)."""

    salt: str  # hex
    digest: str  # hex
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC: the same Vietnamese passphrase typed on two keyboards may arrive composed or not.
    data = unicodedata.normalize("NFC", passphrase).encode()
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=KEY_BYTES)


def check_new(passphrase: str) -> None:
    """Refuse a passphrase too short to be one."""
    if len(passphrase.strip()) < MIN_LENGTH:
        raise RoleError("too_short", minimum=MIN_LENGTH)


def hash_passphrase(passphrase: str, salt: bytes | None = None) -> Passphrase:
    check_new(passphrase)
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return Passphrase(salt.hex(), digest.hex())


def matches(stored: Passphrase, attempt: str) -> bool:
    """Whether `attempt` is the passphrase, compared in constant time."""
    key = _key(attempt, bytes.fromhex(stored.salt), stored.n, stored.r, stored.p)
    return hmac.compare_digest(key, bytes.fromhex(stored.digest))


def retry_delay(failures: int) -> float:
    """Seconds to wait before the next attempt after `failures` wrong passphrases in a row:
    none for the first few (a typo), then 2, 4, 8... up to half a minute."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY, 2.0 ** (failures - FREE_ATTEMPTS + 1))


def retry_wait(refused_at: Sequence[datetime], now: datetime) -> float:
    """Seconds before the next attempt may be checked, after the wrong passphrases typed at
    `refused_at` (those since the last right one, oldest first)."""
    if not refused_at:
        return 0.0
    since_last = (now - refused_at[-1]).total_seconds()
    return max(0.0, retry_delay(len(refused_at)) - since_last)
