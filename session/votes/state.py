"""A show-of-hands vote's words and state: its refusal (:class:`VoteError`), its options, its
statuses and each sector's, the tellers' entries, the corrections, the vote itself with the
verdict it derives (session.tally), and the book of votes the reducer (session.votes) builds.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from session.agenda.plan import MotionKind
from session.congress import RuleSetName
from session.i18n import Refusal, t
from session.tally import Snapshot, Tally, Verdict, VoteRule, decide


class VoteError(Refusal):
    """A refused vote action, with a translation key under 'vote.error.' and its parameters."""

    prefix = "vote.error."

    def __str__(self) -> str:
        params = dict(self.params)
        if params.get("option") in _OPTION_VALUES:  # the option's name, not its code
            params["option"] = t(f"vote.option.{params['option']}")
        return t(self.prefix + self.key, **params)


class Option(StrEnum):
    TAN_THANH = "tan_thanh"
    KHONG_TAN_THANH = "khong_tan_thanh"
    Y_KIEN_KHAC = "y_kien_khac"
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


_OPTION_VALUES = frozenset(o.value for o in Option)
# In role order: yes, no, abstain (domain rules 3.2).
PARTY_OPTIONS = (Option.TAN_THANH, Option.KHONG_TAN_THANH, Option.Y_KIEN_KHAC)
GENERIC_OPTIONS = (Option.YES, Option.NO, Option.ABSTAIN)
PARTY_RULESETS = frozenset({RuleSetName.VN_PARTY_2014, RuleSetName.VN_PARTY_2024})
HALL = "hall"  # the one sector of a congress file without [[sectors]]


def options_for(ruleset: str) -> tuple[Option, Option, Option]:
    return PARTY_OPTIONS if ruleset in PARTY_RULESETS else GENERIC_OPTIONS


class VoteStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    COUNTING = "counting"
    COUNTED = "counted"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class SectorStatus(StrEnum):
    MISSING = "missing"  # no entry in this round
    AWAITING_SECOND = "awaiting_second"  # one teller has entered
    DISPUTED = "disputed"  # two entries differ: recount
    CONFIRMED = "confirmed"  # two equal entries


class OpenWarning(StrEnum):
    """Why opening a vote needs the presidium's confirmation with a reason."""

    EMPTY_BASE = "empty_base"
    NO_OUTCOME_CAN_PASS = "no_outcome_can_pass"
    QUORUM_UNMET = "quorum_unmet"


class Method(StrEnum):
    """How the count was obtained, for the minutes."""

    SECTORS = "sectors"
    UNANIMOUS = "unanimous"  # all present in favour, confirmed by two tellers
    CORRECTED = "corrected"


@dataclass(frozen=True, slots=True)
class Entry:
    teller: str
    tally: Tally
    at: datetime


@dataclass(frozen=True, slots=True)
class ClearedRound:
    """Entries a recount (or a withdrawn unanimous proposal) cleared: kept for the minutes."""

    round: int
    entries: tuple[Entry, ...]
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class SectorCount:
    code: str
    entries: tuple[Entry, ...] = ()  # this round's, at most two
    round: int = 1
    cleared: tuple[ClearedRound, ...] = ()

    @property
    def status(self) -> SectorStatus:
        if not self.entries:
            return SectorStatus.MISSING
        if len(self.entries) == 1:
            return SectorStatus.AWAITING_SECOND
        if self.entries[0].tally == self.entries[1].tally:
            return SectorStatus.CONFIRMED
        return SectorStatus.DISPUTED

    @property
    def tally(self) -> Tally | None:
        """The confirmed count, None until two tellers agree."""
        return self.entries[0].tally if self.status is SectorStatus.CONFIRMED else None


@dataclass(frozen=True, slots=True)
class Correction:
    at: datetime
    reason: str
    before: Tally
    after: Tally


@dataclass(frozen=True, slots=True)
class Vote:
    id: str  # "vote-03"
    item: str  # the agenda item's key
    motion: MotionKind
    title: str
    options: tuple[Option, Option, Option]  # yes, no, abstain roles
    rule: VoteRule
    ruleset: str
    sectors: tuple[SectorCount, ...]
    created_at: datetime
    status: VoteStatus = VoteStatus.DRAFT
    opened_at: datetime | None = None
    snapshot: Snapshot | None = None
    warnings: tuple[OpenWarning, ...] = ()
    open_reason: str = ""  # the confirmation given despite the warnings
    unanimous: tuple[Entry, ...] = ()  # tellers confirming "all present in favour"
    unanimous_cleared: tuple[ClearedRound, ...] = ()
    counted_at: datetime | None = None
    published_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    corrections: tuple[Correction, ...] = ()
    proposal: int | None = None  # the number put to the vote (an election's seats)

    def sector(self, code: str) -> SectorCount | None:
        return next((s for s in self.sectors if s.code == code), None)

    def sectors_with(self, status: SectorStatus) -> tuple[str, ...]:
        return tuple(s.code for s in self.sectors if s.status is status)

    @property
    def confirmed_tally(self) -> Tally:
        """The sum over the sectors confirmed so far."""
        total = Tally()
        for s in self.sectors:
            if s.tally is not None:
                total = total + s.tally
        return total

    @property
    def counted_tally(self) -> Tally | None:
        """The count as the tellers confirmed it (before any correction); None until counted."""
        if self.snapshot is None:
            return None
        if len(self.unanimous) >= 2:
            return Tally(yes=self.snapshot.present)
        if all(s.status is SectorStatus.CONFIRMED for s in self.sectors):
            return self.confirmed_tally
        return None

    @property
    def tally(self) -> Tally | None:
        """The count in force: the last correction's, else the tellers'."""
        if self.corrections:
            return self.corrections[-1].after
        return self.counted_tally

    @property
    def method(self) -> Method | None:
        if self.corrections:
            return Method.CORRECTED
        if len(self.unanimous) >= 2:
            return Method.UNANIMOUS
        return Method.SECTORS if self.counted_tally is not None else None

    @property
    def verdict(self) -> Verdict | None:
        """The verdict in force; None until counted (or if cancelled)."""
        tally = self.tally
        if tally is None or self.snapshot is None or self.status is VoteStatus.CANCELLED:
            return None
        return decide(tally, self.rule, self.snapshot)

    @property
    def history(self) -> tuple[Verdict, ...]:
        """Every verdict the vote has had, oldest first: the counted one, then each
        correction's (the minutes print them all)."""
        counted = self.counted_tally
        if counted is None or self.snapshot is None:
            return ()
        tallies = [counted, *(c.after for c in self.corrections)]
        return tuple(decide(x, self.rule, self.snapshot) for x in tallies)


# ---------------------------------------------------------------- the book of votes


@dataclass(frozen=True, slots=True)
class VoteBook:
    votes: tuple[Vote, ...] = ()

    def get(self, vote_id: str) -> Vote | None:
        return next((v for v in self.votes if v.id == vote_id), None)

    def for_item(self, item: str) -> tuple[Vote, ...]:
        return tuple(v for v in self.votes if v.item == item)

    @property
    def active(self) -> Vote | None:
        """The vote being taken (open or counting), if any."""
        return next(
            (v for v in self.votes if v.status in (VoteStatus.OPEN, VoteStatus.COUNTING)), None
        )

    @property
    def published(self) -> tuple[Vote, ...]:
        return tuple(v for v in self.votes if v.status is VoteStatus.PUBLISHED)

    def next_id(self) -> str:
        numbers = [int(v.id[5:]) for v in self.votes if v.id[:5] == "vote-" and v.id[5:].isdigit()]
        return f"vote-{max(numbers, default=0) + 1:02d}"
