"""Every vote event, as recorded in the audit log (session.codec writes and reads them): created,
opened, a teller's count, a sector recounted, "all present in favour" confirmed or withdrawn,
published, corrected, cancelled.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from session import codec
from session.agenda.plan import MotionKind
from session.tally import Snapshot, VoteRule
from session.votes.counts import parse_count
from session.votes.state import OpenWarning, Option, VoteError


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
