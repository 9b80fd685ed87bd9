"""Which agenda items have a list of speakers to run, and which one a desk shows.

Every discussion item has its list; so does the running item whatever its kind (a report the
hall wants to question), and any item someone was already put on. The desk shows the one it was
turned to while it still has a list; otherwise the list with someone at the microphone, the
running item's, the next discussion item still to come, or the first.
"""

from session.agenda import AgendaState, ItemKind, ItemStatus
from session.speakers.state import Entry, EntryStatus, SpeakersList, SpeakersState


def list_items(agenda: AgendaState, speakers: SpeakersState) -> tuple[str, ...]:
    """The items with a list, in the agenda's running order."""
    listed = {s.item for s in speakers.lists if s.entries or s.closed}
    running = agenda.current_item
    return tuple(
        s.key
        for s in agenda.items
        if s.item.kind is ItemKind.DISCUSSION
        or s.key in listed
        or (running is not None and s.key == running.key)
    )


def shown_item(agenda: AgendaState, speakers: SpeakersState, chosen: str | None) -> str | None:
    """The item whose list a desk shows (`chosen`: the one it was turned to)."""
    items = list_items(agenda, speakers)
    if chosen in items:
        return chosen
    at_microphone = [k for k in items if speakers.of(k).current or speakers.of(k).called]
    running = agenda.current_item
    pending = [k for k in items if (found := agenda.find(k)) and found.status is ItemStatus.PENDING]
    for candidates in (at_microphone, [running.key] if running else [], pending, list(items)):
        for key in candidates:
            if key in items:
                return key
    return None


def step_item(items: tuple[str, ...], shown: str | None, step: int) -> str | None:
    """The item `step` places before (-1) or after (+1) `shown`, going round."""
    if not items:
        return None
    if shown not in items:
        return items[0]
    return items[(items.index(shown) + step) % len(items)]


def to_call(speakers: SpeakersList) -> Entry | None:
    """Whom calling calls: the first waiting speaker not called yet (the order is the
    presidium's: a speaker is called out of turn by moving them first)."""
    return next((e for e in speakers.waiting if e.status is EntryStatus.WAITING), None)


def to_start(speakers: SpeakersList) -> Entry | None:
    """Whose speech starting starts (or resumes): the paused one, else the one called, else the
    first waiting; None while someone speaks."""
    current = speakers.current
    if current is not None:
        return current if current.status is EntryStatus.PAUSED else None
    waiting = speakers.waiting
    return speakers.called or (waiting[0] if waiting else None)
