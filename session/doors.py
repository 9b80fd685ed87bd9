"""What each door station has recorded: the entries and exits that stand, and the latest time.

With several doors the operator watches them all from the desk: a door that has recorded
nothing for a while when the others are busy is a door to walk to. The congress file's stations
come first, in its order, even before their first scan; a station the file does not name (an
operator's desk checking people in by hand under another name) follows, in Vietnamese order.
Only what stands is counted: an entry undone by a correction is no longer an entry.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo

from session.i18n import number, t
from session.rollcall import Action
from session.text import vi_key


@dataclass(frozen=True, slots=True)
class DoorCount:
    station: str
    entries: int = 0
    exits: int = 0
    last_at: datetime | None = None  # the latest entry or exit that stands


# (station, check_in or check_out, how many stand, the latest of them)
Recorded = tuple[str, Action, int, datetime | None]


def door_counts(stations: Sequence[str], recorded: Iterable[Recorded]) -> tuple[DoorCount, ...]:
    """One count per station: the congress file's `stations` first, then any other recorded."""
    counts = {station: DoorCount(station) for station in stations}
    for station, action, how_many, at in recorded:
        door = counts.get(station, DoorCount(station))
        if action is Action.CHECK_IN:
            door = replace(door, entries=door.entries + how_many)
        else:
            door = replace(door, exits=door.exits + how_many)
        if at is not None and (door.last_at is None or at > door.last_at):
            door = replace(door, last_at=at)
        counts[station] = door
    named = [counts[s] for s in stations]
    others = sorted(
        (d for s, d in counts.items() if s not in stations), key=lambda d: vi_key(d.station)
    )
    return (*named, *others)


def entries_at(doors: Iterable[DoorCount], station: str) -> int:
    """The entries that stand at `station` (0 for a station with none)."""
    return next((d.entries for d in doors if d.station == station), 0)


def describe(doors: Sequence[DoorCount], zone: tzinfo) -> str:
    """One line: each station's entries and exits, and the venue's time of its latest."""
    parts = [
        t(
            "doors.door_last" if d.last_at else "doors.door",
            station=d.station,
            entries=number(d.entries),
            exits=number(d.exits),
            time=_local_time(d.last_at, zone) if d.last_at else "",
        )
        for d in doors
    ]
    return t("doors.all", doors=" · ".join(parts))


def _local_time(moment: datetime, zone: tzinfo) -> str:
    if moment.tzinfo is None:  # (stored moments without a zone are UTC)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(t("format.time"))
