"""The discussion (issue 15): each agenda item's list of speakers, run by the presidium.

Kinds of contribution and their time limits (``kinds``); every change an event
(``events``: added, moved, removed, called, speech started / paused / resumed / ended, list
closed / reopened); the lists as they run (``state``) replayed by a pure reducer
(``reducer``); the speaker's countdown (``timing``). Pure Python: no Textual, no SQL. Every
name of the family is importable from ``session.speakers``.
"""

from session.speakers.events import (
    EVENT_KINDS,
    ListClosed,
    ListReopened,
    Source,
    SpeakerAdded,
    SpeakerCalled,
    SpeakerMoved,
    SpeakerRemoved,
    SpeakersEvent,
    SpeechEnded,
    SpeechPaused,
    SpeechResumed,
    SpeechStarted,
    decode,
)
from session.speakers.kinds import (
    DEFAULT_MINUTES,
    SpeakersError,
    SpeechKind,
    TimeLimits,
    near_end,
)
from session.speakers.reducer import apply, replay
from session.speakers.settings import ItemSpeakers, SpeakersSettings
from session.speakers.state import Entry, EntryStatus, Span, SpeakersList, SpeakersState
from session.speakers.timing import Countdown, Level, clock, countdown, limit_of

__all__ = [
    "DEFAULT_MINUTES",
    "EVENT_KINDS",
    "Countdown",
    "Entry",
    "EntryStatus",
    "ItemSpeakers",
    "Level",
    "ListClosed",
    "ListReopened",
    "Source",
    "Span",
    "SpeakerAdded",
    "SpeakerCalled",
    "SpeakerMoved",
    "SpeakerRemoved",
    "SpeakersError",
    "SpeakersEvent",
    "SpeakersList",
    "SpeakersSettings",
    "SpeakersState",
    "SpeechEnded",
    "SpeechKind",
    "SpeechPaused",
    "SpeechResumed",
    "SpeechStarted",
    "TimeLimits",
    "apply",
    "clock",
    "countdown",
    "decode",
    "limit_of",
    "near_end",
    "replay",
]
