"""The record of the discussion (issue 15): what the minutes, proceedings.json and speakers.csv
say about it. Each agenda item's contributions in the order they were given (every speech
given and every contribution submitted in writing; a speaker removed from the list, or still
waiting or at the microphone, is not a contribution), and the counts of each item and of the
whole congress.

The counts, in whole numbers:

- ``contributions``: every contribution; ``spoken`` + ``written`` = ``contributions``;
- ``people``: the distinct people who contributed (a delegate by their register id, a guest
  without one by name), each counted once however often they spoke;
- ``women``: of those people, how many are women (the register's gender; a guest without a
  register id is not known to be a woman). People, not contributions: a woman who spoke twice
  is one woman;
- ``units``: the distinct units contributions were made for (an empty unit is none);
- ``seconds``: the time spoken, pauses left out.

The congress's people, women and units are counted once over the whole congress, so they can be
fewer than the sum of the items'. Pure: no database, no language.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from session.speakers.kinds import SpeechKind
from session.speakers.state import Entry, EntryStatus, SpeakersState
from session.text import nfc

FEMALE = "female"  # the register's gender of a woman (session.register)

GenderOf = Callable[[str], str]  # a speaker's register id -> the register's gender ("" unknown)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One contribution to an item's discussion: a speech given, or one submitted in writing."""

    item: str
    order: int  # 1, 2… in the item's record
    entry: int  # its number on the item's list of speakers (the log's events name it)
    person: str  # the register id; "" for a guest
    name: str
    unit: str  # the unit they spoke for
    title: str  # the contribution's title (a tham luận's), as the list recorded it
    kind: SpeechKind
    gender: str  # the register's: "female", "male", "" when unknown
    at: datetime  # when the speech started, or when the written contribution was recorded
    ended_at: datetime | None  # when the speech ended; None in writing
    seconds: int | None  # spoken, pauses left out; None in writing

    @property
    def spoken(self) -> bool:
        return self.kind.spoken

    @property
    def woman(self) -> bool:
        return self.gender == FEMALE

    @property
    def who(self) -> tuple[str, str]:
        """Who made it, to count people once: the register id, else the guest's name."""
        return ("person", self.person) if self.person else ("guest", self.name.casefold())


@dataclass(frozen=True, slots=True)
class Counts:
    contributions: int = 0
    spoken: int = 0
    written: int = 0
    people: int = 0  # distinct people
    women: int = 0  # distinct people who are women
    units: int = 0  # distinct units
    seconds: int = 0  # spoken in all


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One agenda item's contributions, in order, and their counts."""

    item: str
    title: str
    number: int  # the item's place on the agenda (1, 2…; after the agenda if it is not on it)
    contributions: tuple[Contribution, ...]
    counts: Counts


@dataclass(frozen=True, slots=True)
class DiscussionRecord:
    """Every item with at least one contribution, in agenda order, and the congress's counts."""

    items: tuple[ItemRecord, ...] = ()
    counts: Counts = Counts()

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        return tuple(c for i in self.items for c in i.contributions)


def count(contributions: Iterable[Contribution]) -> Counts:
    """The counts of `contributions` (people, women and units each counted once)."""
    made = list(contributions)
    spoken = [c for c in made if c.spoken]
    people = {c.who for c in made}
    women = {c.who for c in made if c.woman}
    units = {nfc(c.unit).casefold() for c in made if nfc(c.unit)}
    seconds = sum(c.seconds or 0 for c in spoken)
    return Counts(len(made), len(spoken), len(made) - len(spoken), len(people), len(women),
                  len(units), seconds)  # fmt: skip


def contribution(item: str, order: int, entry: Entry, gender_of: GenderOf) -> Contribution:
    """An entry that was spoken (done) or submitted in writing, as the record has it."""
    gender = gender_of(entry.person) if entry.person else ""
    if entry.status is EntryStatus.WRITTEN:
        return Contribution(item, order, entry.number, entry.person, entry.name,
                            entry.unit, entry.title, entry.kind, gender, entry.added_at, None,
                            None)  # fmt: skip
    if entry.status is not EntryStatus.DONE or entry.started_at is None:
        raise ValueError(f"entry {entry.number} of {item} is not a contribution")
    ended = entry.ended_at
    assert ended is not None  # a speech ended closes its last span
    return Contribution(item, order, entry.number, entry.person, entry.name, entry.unit,
                        entry.title, entry.kind, gender, entry.started_at, ended,
                        entry.spoken(ended))  # fmt: skip


def record(
    state: SpeakersState, agenda: Sequence[tuple[str, str]], gender_of: GenderOf
) -> DiscussionRecord:
    """The discussion's record: `agenda` is the items in order as (key, title); `gender_of`
    gives the register's gender of a speaker's register id. Items without a contribution are
    left out; a list of an item not on the agenda (the store refuses one) comes last, titled
    by its key."""
    places = {key: (i, title) for i, (key, title) in enumerate(agenda, 1)}
    extra = sorted(s.item for s in state.lists if s.item not in places)
    for i, key in enumerate(extra, len(places) + 1):
        places[key] = (i, key)
    items = []
    for key, (number, title) in sorted(places.items(), key=lambda kv: kv[1][0]):
        done = state.of(key).contributions
        if not done:
            continue
        made = tuple(contribution(key, i, e, gender_of) for i, e in enumerate(done, 1))
        items.append(ItemRecord(key, title, number, made, count(made)))
    return DiscussionRecord(tuple(items), count(c for i in items for c in i.contributions))


# ----------------------------------------------------------------------------- as data


def _utc(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat()


def counts_json(c: Counts) -> dict[str, int]:
    return {
        "contributions": c.contributions, "spoken": c.spoken, "written": c.written,
        "people": c.people, "women": c.women, "units": c.units, "spoken_seconds": c.seconds,
    }  # fmt: skip


def contribution_json(c: Contribution) -> dict[str, object]:
    return {
        "order": c.order, "entry": c.entry, "person": c.person, "name": c.name, "unit": c.unit,
        "title": c.title, "kind": c.kind.value, "spoken": c.spoken, "gender": c.gender,
        "at": _utc(c.at), "ended_at": _utc(c.ended_at), "seconds": c.seconds,
    }  # fmt: skip


def to_json(r: DiscussionRecord) -> dict[str, object]:
    """proceedings.json's `discussion` (docs/proceedings.md): times in UTC."""
    return {
        "counts": counts_json(r.counts),
        "items": [
            {"item": i.item, "title": i.title, "number": i.number, "counts": counts_json(i.counts),
             "contributions": [contribution_json(c) for c in i.contributions]}
            for i in r.items
        ],
    }  # fmt: skip
