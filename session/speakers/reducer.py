"""The lists of speakers' reducer: ``apply`` one event to the state, ``replay`` a log.

What it refuses (SpeakersError): a time without its zone or going back before the last change
of the speech it concerns; a speaker asked for twice while waiting for the same kind; a new
speaker on a closed list (a written contribution is still taken); moving, calling or removing
someone who is not waiting; two speakers at the microphone at once; pausing, resuming or ending
a speech that is not in that state; removing without a reason.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from session.speakers.events import (
    ListClosed,
    ListReopened,
    SpeakerAdded,
    SpeakerCalled,
    SpeakerMoved,
    SpeakerRemoved,
    SpeakersEvent,
    SpeechEnded,
    SpeechPaused,
    SpeechResumed,
    SpeechStarted,
)
from session.speakers.kinds import LONGEST_MINUTES, MINUTE, SpeakersError, SpeechKind
from session.speakers.state import (
    WAITING,
    Entry,
    EntryStatus,
    Span,
    SpeakersList,
    SpeakersState,
)
from session.text import nfc


def apply(state: SpeakersState, event: SpeakersEvent) -> SpeakersState:
    """The state after `event`, or SpeakersError naming why the change is impossible."""
    if not isinstance(event.at, datetime) or event.at.tzinfo is None:
        raise SpeakersError("bad_time", value=event.at)
    speakers = state.of(event.item)
    match event:
        case SpeakerAdded():
            return state.put(_add(speakers, event))
        case ListClosed():
            if speakers.closed:
                raise SpeakersError("already_closed", item=event.item)
            return state.put(replace(speakers, closed=True))
        case ListReopened():
            if not speakers.closed:
                raise SpeakersError("not_closed", item=event.item)
            return state.put(replace(speakers, closed=False))
        case SpeakerMoved():
            return state.put(_move(speakers, event))
        case SpeakerRemoved():
            entry = _waiting(speakers, event.number)
            reason = nfc(event.reason).strip()
            if not reason:
                raise SpeakersError("reason_required", number=event.number)
            removed = replace(entry, status=EntryStatus.REMOVED, removed_reason=reason)
            return state.put(_put(speakers, removed))
        case _:
            return state.put(_speech(speakers, event))


def replay(events: Iterable[SpeakersEvent]) -> SpeakersState:
    state = SpeakersState()
    for event in events:
        state = apply(state, event)
    return state


def _put(speakers: SpeakersList, new: Entry) -> SpeakersList:
    return replace(speakers, entries=tuple(new if e.number == new.number else e
                                           for e in speakers.entries))  # fmt: skip


def _add(speakers: SpeakersList, event: SpeakerAdded) -> SpeakersList:
    if event.number != speakers.next_number:
        raise SpeakersError("bad_number", number=event.number, expected=speakers.next_number)
    if speakers.closed and event.kind.spoken:
        raise SpeakersError("list_closed", item=event.item)
    name = nfc(event.name).strip()
    if not name:
        raise SpeakersError("name_required")
    if not 0 <= event.asked <= LONGEST_MINUTES * MINUTE:
        raise SpeakersError("bad_asked", seconds=event.asked)
    if event.person and event.kind.spoken:
        for other in speakers.waiting:
            if other.person == event.person and other.kind is event.kind:
                raise SpeakersError("already_waiting", name=name, number=other.number)
    entry = Entry(event.number, event.person, name, nfc(event.unit).strip(),
                  nfc(event.title).strip(), event.kind, event.asked, event.source, event.at,
                  EntryStatus.WAITING if event.kind.spoken else EntryStatus.WRITTEN)  # fmt: skip
    entries = list(speakers.entries)
    if event.kind is SpeechKind.POINT_OF_ORDER:
        entries.insert(_head_of_waiting(entries), entry)
    else:
        entries.append(entry)
    return replace(speakers, entries=tuple(entries))


def _head_of_waiting(entries: list[Entry]) -> int:
    """Where a point of order goes: before the first waiting speaker who is not a point of
    order and has not been called."""
    for i, e in enumerate(entries):
        if e.status is EntryStatus.WAITING and e.kind is not SpeechKind.POINT_OF_ORDER:
            return i
    return len(entries)


def _waiting(speakers: SpeakersList, number: int) -> Entry:
    entry = speakers.get(number)
    if entry.status not in WAITING:
        raise SpeakersError("not_waiting", name=entry.name, number=number)
    return entry


def _move(speakers: SpeakersList, event: SpeakerMoved) -> SpeakersList:
    entry = _waiting(speakers, event.number)
    if event.after == event.number:
        raise SpeakersError("same_speaker", number=event.number)
    rest = [e for e in speakers.entries if e.number != entry.number]
    if event.after is None:
        first = next((i for i, e in enumerate(rest) if e.status in WAITING), len(rest))
        rest.insert(first, entry)
    else:
        _waiting(speakers, event.after)
        at = next(i for i, e in enumerate(rest) if e.number == event.after)
        rest.insert(at + 1, entry)
    return replace(speakers, entries=tuple(rest))


def _speech(speakers: SpeakersList, event: SpeakersEvent) -> SpeakersList:
    entry = speakers.get(event.number)  # type: ignore[union-attr]
    current = speakers.current
    match event:
        case SpeakerCalled():
            _waiting(speakers, entry.number)
            called = speakers.called
            if called is not None and called.number != entry.number:
                speakers = _put(speakers, replace(called, status=EntryStatus.WAITING))
            return _put(speakers, replace(entry, status=EntryStatus.CALLED))
        case SpeechStarted():
            _waiting(speakers, entry.number)
            if current is not None:
                raise SpeakersError("someone_speaking", name=current.name)
            started = replace(entry, status=EntryStatus.SPEAKING, spans=(Span(event.at),))
            return _put(speakers, started)
        case SpeechPaused():
            _must_be(entry, EntryStatus.SPEAKING, "not_speaking")
            return _put(speakers, replace(entry, status=EntryStatus.PAUSED,
                                          spans=_closed_last(entry, event.at)))  # fmt: skip
        case SpeechResumed():
            _must_be(entry, EntryStatus.PAUSED, "not_paused")
            _not_before(entry, event.at)
            spans = (*entry.spans, Span(event.at))
            return _put(speakers, replace(entry, status=EntryStatus.SPEAKING, spans=spans))
        case SpeechEnded():
            if entry.status is EntryStatus.PAUSED:
                return _put(speakers, replace(entry, status=EntryStatus.DONE))
            _must_be(entry, EntryStatus.SPEAKING, "not_speaking")
            return _put(speakers, replace(entry, status=EntryStatus.DONE,
                                          spans=_closed_last(entry, event.at)))  # fmt: skip
    raise SpeakersError("bad_event", kind=type(event).__name__)


def _must_be(entry: Entry, status: EntryStatus, refusal: str) -> None:
    if entry.status is not status:
        raise SpeakersError(refusal, name=entry.name, number=entry.number)


def _not_before(entry: Entry, at: datetime) -> None:
    last = entry.spans[-1] if entry.spans else None
    latest = last.end or last.start if last is not None else entry.added_at
    if at < latest:
        raise SpeakersError("time_backwards", name=entry.name)


def _closed_last(entry: Entry, at: datetime) -> tuple[Span, ...]:
    _not_before(entry, at)
    last = entry.spans[-1]
    return (*entry.spans[:-1], replace(last, end=at))
