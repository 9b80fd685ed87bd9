"""Show-of-hands votes (biểu quyết giơ thẻ), counted by tellers sector by sector.

A vote belongs to an agenda item and runs draft → open → counting → counted → published:

- **created** (draft): its motion, title, options and rule are fixed from the congress file
  (options tán thành / không tán thành / ý kiến khác under the Party rule sets, yes / no /
  abstain otherwise; the rule: the agenda item's own, else per motion kind, else the congress's).
- **opened**: the attendance is frozen (present, entitled, summoned-adjusted base). When no
  outcome could pass (2 × present ≤ base under the Party rule), the base is empty or an
  attendance quorum is unmet, opening needs a reason (the presidium's confirmation).
- **counting**: two tellers enter each sector's counts independently; equal entries confirm the
  sector, different ones mark it disputed until it is recounted (a recount clears the sector's
  entries; the cleared round stays in the history). Or the quick path: two tellers confirm "all
  present in favour".
- **counted** when every sector is confirmed: the verdict is derived (session.tally), and it is
  the same whatever order the entries came in.
- **published** (announced). A published result changes only by a reasoned correction, which
  keeps the earlier result in the history (the minutes show both).

Everything is a pure reducer over events: `apply(book, event)` returns the new VoteBook or
raises VoteError with a translation key under 'vote.error.'. The store persists
`(event.KIND, event.payload())` and replays with `decode`.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from session import codec
from session.agenda import AgendaItem, MotionKind
from session.congress import Congress, RuleSetName
from session.i18n import Refusal, number, t
from session.quorum import Attendance, Problem, QuorumVerdict
from session.tally import (
    FIXED_BASES,
    Snapshot,
    Tally,
    Verdict,
    VoteRule,
    base_count,
    decide,
)
from session.text import nfc


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


# ---------------------------------------------------------------- counts


def parse_count(value: object, option: str = "") -> int:
    """A teller's number: a whole number of 0 or more, typed as text or given as an int."""
    if isinstance(value, bool):
        raise VoteError("not_a_number", option=option, value=value)
    if isinstance(value, int):
        number_ = value
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit():
            raise VoteError("not_a_number", option=option, value=value)
        number_ = int(text)
    else:
        raise VoteError("not_a_number", option=option, value=value)
    if number_ < 0:
        raise VoteError("negative", option=option, value=value)
    return number_


def parse_counts(options: Sequence[str], raw: Mapping[str, object]) -> dict[str, int]:
    """{option: number} from what a teller typed, every option present, nothing else."""
    for key in raw:
        if key not in options:
            raise VoteError("unknown_option", option=key)
    counts = {}
    for option in options:
        if option not in raw:
            raise VoteError("missing_option", option=option)
        counts[option] = parse_count(raw[option], option)
    return counts


def _tally(options: Sequence[str], counts: Mapping[str, object]) -> Tally:
    parsed = parse_counts(options, counts)
    return Tally(*(parsed[o] for o in options))


def counts_of(options: Sequence[str], tally: Tally) -> dict[str, int]:
    return dict(zip(options, tally.as_tuple(), strict=True))


def _check_total(tally: Tally, options: Sequence[str], present: int, others: Tally) -> None:
    """No option above those present, no entry above them, no sum over the sectors above them."""
    for option, count in zip(options, tally.as_tuple(), strict=True):
        if count > present:
            raise VoteError("option_above_present", option=option, count=count, present=present)
    if tally.cast > present:
        raise VoteError("entry_above_present", total=tally.cast, present=present)
    if tally.cast + others.cast > present:
        raise VoteError(
            "sectors_above_present",
            total=tally.cast + others.cast,
            present=present,
        )


# ---------------------------------------------------------------- opening checks


def snapshot_of(quorum: QuorumVerdict | Attendance) -> Snapshot:
    """The attendance a vote freezes when it opens."""
    att = quorum.attendance if isinstance(quorum, QuorumVerdict) else quorum
    needs = quorum.quorum_needs if isinstance(quorum, QuorumVerdict) else None
    adjusted = att.adjusted if att.adjusted is not None else att.base
    return Snapshot(att.present, att.summoned, adjusted, needs)


def open_warnings(rule: VoteRule, quorum: QuorumVerdict | Attendance) -> tuple[OpenWarning, ...]:
    """What the presidium must confirm before this vote opens (domain rules 2.3, 12.4)."""
    snap = snapshot_of(quorum)
    warnings = []
    if rule.base in FIXED_BASES and base_count(rule.base, Tally(), snap) <= 0:
        warnings.append(OpenWarning.EMPTY_BASE)
    elif not decide(Tally(yes=snap.present), rule, snap).passed:
        warnings.append(OpenWarning.NO_OUTCOME_CAN_PASS)
    if isinstance(quorum, QuorumVerdict) and Problem.QUORUM_UNMET in quorum.problems:
        warnings.append(OpenWarning.QUORUM_UNMET)
    return tuple(warnings)


def explain_warning(
    warning: OpenWarning, rule: VoteRule, snapshot: Snapshot, lang: str | None = None
) -> str:
    best = decide(Tally(yes=snapshot.present), rule, snapshot)
    needs = snapshot.quorum_needs if warning is OpenWarning.QUORUM_UNMET else best.needed
    return t(
        f"vote.warning.{warning.value}",
        lang,
        present=number(snapshot.present, lang),
        base=number(best.base, lang),
        needs=number(needs or 0, lang),
    )


# ---------------------------------------------------------------- events


def _whole_counts(counts: Mapping[str, object]) -> dict[str, int]:
    """Numbers as stored: whole numbers even if the event was built from typed text."""
    return {str(k): parse_count(v, str(k)) for k, v in counts.items()}


# The counts of an event are written as whole numbers, however they were typed.
_COUNTS = codec.options(encode=_whole_counts)


@dataclass(frozen=True, slots=True)
class VoteCreated(codec.Event):
    KIND: ClassVar[str] = "vote_created"
    vote: str
    item: str
    motion: MotionKind
    title: str
    options: tuple[Option, Option, Option]
    rule: VoteRule
    ruleset: str
    sectors: tuple[str, ...]
    at: datetime
    # The number put to the vote (the seats), when there is one; left out of the payload when
    # there is none, so that the logs written before it hash the same.
    proposal: int | None = field(default=None, metadata=codec.options(omit_none=True))


@dataclass(frozen=True, slots=True)
class VoteOpened(codec.Event):
    KIND: ClassVar[str] = "vote_opened"
    vote: str
    snapshot: Snapshot
    warnings: tuple[OpenWarning, ...]
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CountEntered(codec.Event):
    """One teller's count for one sector: {option: number}."""

    KIND: ClassVar[str] = "vote_count_entered"
    vote: str
    sector: str
    teller: str
    counts: Mapping[str, int] = field(metadata=_COUNTS)
    at: datetime


@dataclass(frozen=True, slots=True)
class SectorRecounted(codec.Event):
    """Clear a sector's entries so its tellers count again (its earlier entries stay in the
    history). A confirmed sector needs a reason."""

    KIND: ClassVar[str] = "vote_sector_recounted"
    vote: str
    sector: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class UnanimousConfirmed(codec.Event):
    """A teller confirms "all present in favour"; the second distinct teller's confirmation
    counts the vote."""

    KIND: ClassVar[str] = "vote_unanimous_confirmed"
    vote: str
    teller: str
    at: datetime


@dataclass(frozen=True, slots=True)
class UnanimousWithdrawn(codec.Event):
    """Drop the "all present in favour" proposal (a teller saw hands against): count by sector."""

    KIND: ClassVar[str] = "vote_unanimous_withdrawn"
    vote: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class VotePublished(codec.Event):
    KIND: ClassVar[str] = "vote_published"
    vote: str
    at: datetime


@dataclass(frozen=True, slots=True)
class VoteCorrected(codec.Event):
    """A published result corrected: the new totals for the whole hall, and why."""

    KIND: ClassVar[str] = "vote_corrected"
    vote: str
    counts: Mapping[str, int] = field(metadata=_COUNTS)
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class VoteCancelled(codec.Event):
    KIND: ClassVar[str] = "vote_cancelled"
    vote: str
    reason: str
    at: datetime


VoteEvent = (
    VoteCreated
    | VoteOpened
    | CountEntered
    | SectorRecounted
    | UnanimousConfirmed
    | UnanimousWithdrawn
    | VotePublished
    | VoteCorrected
    | VoteCancelled
)
_BY_KIND = codec.by_kind(
    VoteCreated,
    VoteOpened,
    CountEntered,
    SectorRecounted,
    UnanimousConfirmed,
    UnanimousWithdrawn,
    VotePublished,
    VoteCorrected,
    VoteCancelled,
)
EVENT_KINDS = frozenset(_BY_KIND)


def decode(kind: str, payload: Mapping[str, Any]) -> VoteEvent:
    """The event a stored (kind, payload) pair describes; VoteError('bad_event'), or 'bad_time'
    for a time without its zone, otherwise."""
    event: VoteEvent = codec.decode(_BY_KIND, kind, payload, VoteError)
    return event


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


# ---------------------------------------------------------------- building events


def create_vote(
    book: VoteBook,
    congress: Congress,
    item: AgendaItem,
    at: datetime,
    *,
    motion: MotionKind | None = None,
    title: str | None = None,
    vote_id: str | None = None,
    proposal: int | None = None,
) -> VoteCreated:
    """A new draft vote on `item`: its motion (the item's, for a vote item), title (the item's),
    options and rule from the congress file, and the hall sectors; `proposal`, the number put to
    the vote (the number of seats of an election)."""
    motion = motion or item.motion
    if motion is None:
        raise VoteError("motion_required", item=item.title)
    sectors = tuple(s.code for s in congress.sectors) or (HALL,)
    return VoteCreated(
        vote_id or book.next_id(),
        item.key,
        motion,
        nfc(title if title is not None else item.title),
        options_for(congress.rules.ruleset),
        congress.vote_rule(motion, item),
        congress.rules.ruleset.value,
        sectors,
        at,
        proposal,
    )


def _proposal(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise VoteError("bad_proposal", value=value)
    return value


def open_vote(
    book: VoteBook,
    vote_id: str,
    quorum: QuorumVerdict,
    at: datetime,
    reason: str = "",
    by_sector: Mapping[str, int] | None = None,
) -> VoteOpened:
    """Open `vote_id` on the attendance of `quorum` (session.quorum.verdict of now), and those
    present by the sector the register seats them in. Check the warnings first with
    `open_warnings`; with any, a reason is required."""
    vote = _vote(book, vote_id)
    snapshot = replace(snapshot_of(quorum), by_sector=tuple(sorted((by_sector or {}).items())))
    return VoteOpened(vote_id, snapshot, open_warnings(vote.rule, quorum), nfc(reason), at)


def enter_count(
    book: VoteBook,
    vote_id: str,
    sector: str,
    teller: str,
    raw: Mapping[str, object],
    at: datetime,
) -> CountEntered:
    """A teller's entry from what was typed (text or numbers): non-numeric or negative refused."""
    vote = _vote(book, vote_id)
    counts = parse_counts([o.value for o in vote.options], raw)
    return CountEntered(vote_id, sector, nfc(teller), counts, at)


def correct_vote(
    book: VoteBook, vote_id: str, raw: Mapping[str, object], reason: str, at: datetime
) -> VoteCorrected:
    vote = _vote(book, vote_id)
    counts = parse_counts([o.value for o in vote.options], raw)
    return VoteCorrected(vote_id, counts, nfc(reason), at)


# ---------------------------------------------------------------- the reducer


def _vote(book: VoteBook, vote_id: str) -> Vote:
    vote = book.get(vote_id)
    if vote is None:
        raise VoteError("unknown_vote", vote=vote_id)
    return vote


def _put(book: VoteBook, vote: Vote) -> VoteBook:
    return VoteBook(tuple(vote if v.id == vote.id else v for v in book.votes))


def _require_reason(reason: str) -> str:
    reason = nfc(reason)
    if not reason:
        raise VoteError("reason_required")
    return reason


def _taking_counts(vote: Vote) -> None:
    """The vote accepts tellers' entries, recounts and unanimous confirmations."""
    refusal = {
        VoteStatus.DRAFT: "not_open",
        VoteStatus.PUBLISHED: "published",
        VoteStatus.CANCELLED: "cancelled",
    }.get(vote.status)
    if refusal is not None:
        raise VoteError(refusal, vote=vote.title)


def apply(book: VoteBook, event: VoteEvent) -> VoteBook:
    """The book after `event`, or VoteError naming why it cannot happen."""
    if not isinstance(event.at, datetime) or event.at.tzinfo is None:
        raise VoteError("bad_time", value=event.at)
    if isinstance(event, VoteCreated):
        return _create(book, event)
    vote = _vote(book, event.vote)
    match event:
        case VoteOpened():
            return _put(book, _open(book, vote, event))
        case CountEntered():
            return _put(book, _enter(vote, event))
        case SectorRecounted():
            return _put(book, _recount(vote, event))
        case UnanimousConfirmed():
            return _put(book, _unanimous(vote, event))
        case UnanimousWithdrawn():
            _taking_counts(vote)
            if not vote.unanimous:
                raise VoteError("no_unanimous", vote=vote.title)
            reason = nfc(event.reason)
            if vote.status is VoteStatus.COUNTED:
                reason = _require_reason(reason)
            cleared = ClearedRound(
                len(vote.unanimous_cleared) + 1, vote.unanimous, event.at, reason
            )
            return _put(
                book,
                replace(
                    vote,
                    unanimous=(),
                    unanimous_cleared=(*vote.unanimous_cleared, cleared),
                    status=VoteStatus.COUNTING,
                    counted_at=None,
                ),
            )
        case VotePublished():
            if vote.status is not VoteStatus.COUNTED:
                key = {
                    VoteStatus.PUBLISHED: "already_published",
                    VoteStatus.CANCELLED: "cancelled",
                }.get(vote.status, "not_counted")
                raise VoteError(key, vote=vote.title)
            return _put(book, replace(vote, status=VoteStatus.PUBLISHED, published_at=event.at))
        case VoteCorrected():
            return _put(book, _correct(vote, event))
        case VoteCancelled():
            if vote.status in (VoteStatus.PUBLISHED, VoteStatus.CANCELLED):
                raise VoteError(vote.status.value, vote=vote.title)
            return _put(
                book,
                replace(
                    vote,
                    status=VoteStatus.CANCELLED,
                    cancelled_at=event.at,
                    cancel_reason=_require_reason(event.reason),
                ),
            )
    raise VoteError("bad_event", kind=type(event).__name__)  # pragma: no cover


def _create(book: VoteBook, e: VoteCreated) -> VoteBook:
    if book.get(e.vote) is not None:
        raise VoteError("duplicate_vote", vote=e.vote)
    if not e.vote.strip():
        raise VoteError("vote_id_required")
    if not nfc(e.title):
        raise VoteError("title_required")
    if len(set(e.options)) != 3:
        raise VoteError("bad_options")
    if not e.sectors or len(set(e.sectors)) != len(e.sectors):
        raise VoteError("bad_sectors")
    vote = Vote(
        id=e.vote,
        item=e.item,
        motion=e.motion,
        title=nfc(e.title),
        options=e.options,
        rule=e.rule,
        ruleset=e.ruleset,
        sectors=tuple(SectorCount(code) for code in e.sectors),
        created_at=e.at,
        proposal=_proposal(e.proposal),
    )
    return VoteBook((*book.votes, vote))


def _open(book: VoteBook, vote: Vote, e: VoteOpened) -> Vote:
    if vote.status is not VoteStatus.DRAFT:
        raise VoteError("not_draft", vote=vote.title)
    active = book.active
    if active is not None:
        raise VoteError("another_vote_open", vote=active.title)
    snap = e.snapshot
    if min(snap.present, snap.entitled, snap.adjusted) < 0 or snap.present > snap.entitled:
        raise VoteError("bad_snapshot")
    reason = nfc(e.reason)
    if e.warnings and not reason:
        raise VoteError("confirmation_required", vote=vote.title)
    return replace(
        vote,
        status=VoteStatus.OPEN,
        opened_at=e.at,
        snapshot=snap,
        warnings=tuple(e.warnings),
        open_reason=reason,
    )


def _enter(vote: Vote, e: CountEntered) -> Vote:
    _taking_counts(vote)
    if vote.status is VoteStatus.COUNTED:
        raise VoteError("already_counted", vote=vote.title)
    if vote.unanimous:
        raise VoteError("unanimous_pending", vote=vote.title)
    sector = vote.sector(e.sector)
    if sector is None:
        raise VoteError("unknown_sector", sector=e.sector)
    teller = nfc(e.teller)
    if not teller:
        raise VoteError("teller_required")
    if sector.status is SectorStatus.CONFIRMED:
        raise VoteError("sector_confirmed", sector=e.sector)
    if sector.status is SectorStatus.DISPUTED:
        raise VoteError("sector_disputed", sector=e.sector)
    if sector.entries and sector.entries[0].teller == teller:
        raise VoteError("same_teller", sector=e.sector, teller=teller)
    options = [o.value for o in vote.options]
    tally = _tally(options, e.counts)
    assert vote.snapshot is not None  # open, so snapshotted
    others = Tally()
    for s in vote.sectors:
        if s.code != e.sector and s.tally is not None:
            others = others + s.tally
    _check_total(tally, options, vote.snapshot.present, others)
    updated = replace(sector, entries=(*sector.entries, Entry(teller, tally, e.at)))
    sectors = tuple(updated if s.code == e.sector else s for s in vote.sectors)
    counted = all(s.status is SectorStatus.CONFIRMED for s in sectors)
    return replace(
        vote,
        sectors=sectors,
        status=VoteStatus.COUNTED if counted else VoteStatus.COUNTING,
        counted_at=e.at if counted else None,
    )


def _recount(vote: Vote, e: SectorRecounted) -> Vote:
    _taking_counts(vote)
    sector = vote.sector(e.sector)
    if sector is None:
        raise VoteError("unknown_sector", sector=e.sector)
    if vote.unanimous:
        raise VoteError("unanimous_pending", vote=vote.title)
    if not sector.entries:
        raise VoteError("nothing_to_recount", sector=e.sector)
    reason = nfc(e.reason)
    if sector.status is SectorStatus.CONFIRMED:
        reason = _require_reason(reason)
    cleared = ClearedRound(sector.round, sector.entries, e.at, reason)
    updated = SectorCount(sector.code, (), sector.round + 1, (*sector.cleared, cleared))
    sectors = tuple(updated if s.code == e.sector else s for s in vote.sectors)
    return replace(vote, sectors=sectors, status=VoteStatus.COUNTING, counted_at=None)


def _unanimous(vote: Vote, e: UnanimousConfirmed) -> Vote:
    _taking_counts(vote)
    if vote.status is VoteStatus.COUNTED:
        raise VoteError("already_counted", vote=vote.title)
    if any(s.entries for s in vote.sectors):
        raise VoteError("entries_exist", vote=vote.title)
    teller = nfc(e.teller)
    if not teller:
        raise VoteError("teller_required")
    if any(c.teller == teller for c in vote.unanimous):
        raise VoteError("same_teller", sector="*", teller=teller)
    assert vote.snapshot is not None
    if vote.snapshot.present <= 0:
        raise VoteError("nobody_present", vote=vote.title)
    confirmations = (*vote.unanimous, Entry(teller, Tally(yes=vote.snapshot.present), e.at))
    counted = len(confirmations) >= 2
    return replace(
        vote,
        unanimous=confirmations,
        status=VoteStatus.COUNTED if counted else VoteStatus.COUNTING,
        counted_at=e.at if counted else None,
    )


def _correct(vote: Vote, e: VoteCorrected) -> Vote:
    if vote.status is not VoteStatus.PUBLISHED:
        raise VoteError("not_published", vote=vote.title)
    reason = _require_reason(e.reason)
    options = [o.value for o in vote.options]
    after = _tally(options, e.counts)
    assert vote.snapshot is not None and vote.tally is not None
    _check_total(after, options, vote.snapshot.present, Tally())
    if after == vote.tally:
        raise VoteError("correction_unchanged", vote=vote.title)
    correction = Correction(e.at, reason, vote.tally, after)
    return replace(vote, corrections=(*vote.corrections, correction))


def replay(events: Iterable[VoteEvent]) -> VoteBook:
    book = VoteBook()
    for event in events:
        book = apply(book, event)
    return book


# ---------------------------------------------------------------- words


def describe_counts(vote: Vote, lang: str | None = None) -> str:
    """'tán thành 280 · không tán thành 5 · ý kiến khác 2 · không biểu quyết 0'."""
    verdict = vote.verdict
    if verdict is None:
        return ""
    parts = [
        f"{t(f'vote.option.{o.value}', lang)} {number(n, lang)}"
        for o, n in zip(vote.options, verdict.tally.as_tuple(), strict=True)
    ]
    parts.append(f"{t('vote.not_voting', lang)} {number(verdict.not_voting, lang)}")
    return " · ".join(parts)


def describe_progress(vote: Vote, lang: str | None = None) -> str:
    """What the operator still waits for: 'missing: A, C · awaiting the second teller: B · …'."""
    parts = []
    for status in SectorStatus:
        codes = vote.sectors_with(status)
        if codes:
            parts.append(t(f"vote.sector.{status.value}", lang, sectors=", ".join(codes)))
    return " · ".join(parts)
