"""Every change to a list of speakers, as recorded in the audit log (session.codec writes and
reads them). Each names its agenda item and its time; an entry is named by its number on the
item's list, given when it is added and never reused.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from session import codec
from session.speakers.kinds import SpeakersError, SpeechKind


class Source(StrEnum):
    """How a delegate came onto the list."""

    CARD = "card"  # their card scanned at the secretariat's desk
    SEARCH = "search"  # found by name
    IMPORT = "import"  # from the file of contributions registered before the congress


@dataclass(frozen=True, slots=True)
class SpeakerAdded(codec.Event):
    """`number` joins `item`'s list: a delegate (`person`, their register id) or a guest (no
    id), with the unit they speak for and their title; `asked` seconds asked (0: the kind's
    limit). A point of order goes to the head of the waiting speakers, behind earlier points of
    order; a written contribution is recorded at once and never called."""

    KIND: ClassVar[str] = "speaker_added"
    item: str
    number: int
    person: str
    name: str
    unit: str
    title: str
    kind: SpeechKind
    asked: int
    source: Source
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeakerMoved(codec.Event):
    """A waiting speaker moved to just after waiting speaker `after` (None: to the head)."""

    KIND: ClassVar[str] = "speaker_moved"
    item: str
    number: int
    after: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeakerRemoved(codec.Event):
    """A speaker who has not spoken taken off the list, with the presidium's reason."""

    KIND: ClassVar[str] = "speaker_removed"
    item: str
    number: int
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeakerCalled(codec.Event):
    """The presidium calls a waiting speaker to the microphone."""

    KIND: ClassVar[str] = "speaker_called"
    item: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeechStarted(codec.Event):
    KIND: ClassVar[str] = "speech_started"
    item: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeechPaused(codec.Event):
    KIND: ClassVar[str] = "speech_paused"
    item: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeechResumed(codec.Event):
    KIND: ClassVar[str] = "speech_resumed"
    item: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SpeechEnded(codec.Event):
    KIND: ClassVar[str] = "speech_ended"
    item: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ListClosed(codec.Event):
    """No one more asks for the floor on this item (a written contribution is still taken)."""

    KIND: ClassVar[str] = "speakers_list_closed"
    item: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ListReopened(codec.Event):
    KIND: ClassVar[str] = "speakers_list_reopened"
    item: str
    at: datetime


SpeakersEvent = (
    SpeakerAdded | SpeakerMoved | SpeakerRemoved | SpeakerCalled | SpeechStarted | SpeechPaused
    | SpeechResumed | SpeechEnded | ListClosed | ListReopened
)  # fmt: skip
_BY_KIND = codec.by_kind(
    SpeakerAdded, SpeakerMoved, SpeakerRemoved, SpeakerCalled, SpeechStarted, SpeechPaused,
    SpeechResumed, SpeechEnded, ListClosed, ListReopened,
)  # fmt: skip
EVENT_KINDS = frozenset(_BY_KIND)


def decode(kind: str, payload: Mapping[str, Any]) -> SpeakersEvent:
    """The event a stored (kind, payload) pair describes; SpeakersError('bad_event'), or
    'bad_time' for a time without its zone, otherwise."""
    event: SpeakersEvent = codec.decode(_BY_KIND, kind, payload, SpeakersError)
    return event
