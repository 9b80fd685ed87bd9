"""The lists of speakers as they run: each agenda item's list in its order, who speaks now,
and every contribution with the spans of time it was spoken. The reducer
(session.speakers.reducer) builds it from the events.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from session.speakers.events import Source
from session.speakers.kinds import SpeakersError, SpeechKind


class EntryStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"  # called to the microphone, not yet speaking
    SPEAKING = "speaking"
    PAUSED = "paused"
    DONE = "done"  # spoken
    WRITTEN = "written"  # submitted in writing: recorded, never spoken
    REMOVED = "removed"


WAITING = frozenset({EntryStatus.WAITING, EntryStatus.CALLED})
AT_THE_MICROPHONE = frozenset({EntryStatus.SPEAKING, EntryStatus.PAUSED})


@dataclass(frozen=True, slots=True)
class Span:
    """One stretch of a speech (a pause ends it, resuming opens the next)."""

    start: datetime
    end: datetime | None = None

    def seconds(self, now: datetime) -> int:
        end = self.end if self.end is not None else now
        return max(0, (end - self.start) // timedelta(seconds=1))


@dataclass(frozen=True, slots=True)
class Entry:
    number: int
    person: str
    name: str
    unit: str
    title: str
    kind: SpeechKind
    asked: int  # seconds asked; 0: the kind's limit
    source: Source
    added_at: datetime
    status: EntryStatus = EntryStatus.WAITING
    spans: tuple[Span, ...] = ()
    removed_reason: str = ""

    @property
    def started_at(self) -> datetime | None:
        return self.spans[0].start if self.spans else None

    @property
    def ended_at(self) -> datetime | None:
        return self.spans[-1].end if self.status is EntryStatus.DONE else None

    def spoken(self, now: datetime) -> int:
        """Seconds spoken so far, pauses left out."""
        return sum(span.seconds(now) for span in self.spans)


@dataclass(frozen=True, slots=True)
class SpeakersList:
    """One agenda item's list: its entries in the order the presidium set (the written ones
    and those who spoke stay where they were), who is at the microphone, and whether it is
    closed."""

    item: str
    entries: tuple[Entry, ...] = ()
    closed: bool = False

    def get(self, number: int) -> Entry:
        for entry in self.entries:
            if entry.number == number:
                return entry
        raise SpeakersError("unknown_speaker", item=self.item, number=number)

    @property
    def waiting(self) -> tuple[Entry, ...]:
        """The speakers still to speak, in order (the one called first)."""
        return tuple(e for e in self.entries if e.status in WAITING)

    @property
    def current(self) -> Entry | None:
        """Who is at the microphone (speaking or paused)."""
        return next((e for e in self.entries if e.status in AT_THE_MICROPHONE), None)

    @property
    def called(self) -> Entry | None:
        return next((e for e in self.entries if e.status is EntryStatus.CALLED), None)

    @property
    def contributions(self) -> tuple[Entry, ...]:
        """What the minutes list: every speech given and every written contribution, in the
        order they were spoken or submitted."""
        done = [e for e in self.entries if e.status in (EntryStatus.DONE, EntryStatus.WRITTEN)]
        return tuple(sorted(done, key=lambda e: e.started_at or e.added_at))

    @property
    def next_number(self) -> int:
        return max((e.number for e in self.entries), default=0) + 1


@dataclass(frozen=True, slots=True)
class SpeakersState:
    lists: tuple[SpeakersList, ...] = ()

    def of(self, item: str) -> SpeakersList:
        """The item's list (an empty one until someone is added)."""
        return next((s for s in self.lists if s.item == item), SpeakersList(item))

    def put(self, new: SpeakersList) -> "SpeakersState":
        others = tuple(s for s in self.lists if s.item != new.item)
        return SpeakersState((*others, new))
