"""The discussion's settings as the congress file writes them (issue 15): a top-level
``[speakers]`` table and an agenda item's own ``speakers`` table, both of the same shape::

    [speakers]
    minutes = { prepared = 10, floor = 5, reply = 3, point_of_order = 2 }
    unit_minutes = 15      # optional: each unit's total time on an item (0: no such limit)

A kind not named keeps the level above it (Presidium's defaults, then the congress's). Every
mistake is a SpeakersError naming the table and the key; session.congress_file turns it into
its ConfigError, so the congress file is refused one way.
"""

from collections.abc import Mapping
from typing import Any

from session.speakers.kinds import MINUTE, SpeakersError, SpeechKind
from session.speakers.settings import ItemSpeakers, SpeakersSettings

KEYS = frozenset({"minutes", "unit_minutes"})
LONGEST_UNIT_MINUTES = 24 * 60  # a unit's time on one item: a day is already absurd


def congress_speakers(table: object) -> SpeakersSettings:
    """The congress's [speakers] table (None: the file has none, Presidium's defaults)."""
    if table is None:
        return SpeakersSettings()
    own = _own(table, "speakers", ItemSpeakers())
    return SpeakersSettings(own.limits, own.unit_seconds)


def item_speakers(table: object, where: str, congress: SpeakersSettings) -> ItemSpeakers:
    """An agenda item's `speakers` table at `where` (agenda.sessions[0].items[3].speakers):
    what it names over the congress's settings."""
    return _own(table, where, ItemSpeakers(congress.limits, congress.unit_seconds))


def _own(table: object, where: str, parent: ItemSpeakers) -> ItemSpeakers:
    if not isinstance(table, Mapping):
        raise SpeakersError("settings_not_table", where=where, value=repr(table))
    for key in table:
        if key not in KEYS:
            raise SpeakersError("settings_unknown_key", where=where, name=key)
    limits = parent.limits
    if "minutes" in table:
        minutes: Any = table["minutes"]
        if not isinstance(minutes, Mapping):
            raise SpeakersError("minutes_not_table", where=where, value=repr(minutes))
        if SpeechKind.WRITTEN.value in minutes:  # named with its key: "written" is refused
            raise SpeakersError("written_not_timed", where=f"{where}.minutes.written")
        limits = limits.overridden(minutes, f"{where}.minutes")
    unit_seconds = parent.unit_seconds
    if "unit_minutes" in table:
        unit_seconds = _unit_minutes(table["unit_minutes"], where) * MINUTE
    return ItemSpeakers(limits, unit_seconds)


def _unit_minutes(value: object, where: str) -> int:
    # bool is an int in Python: `unit_minutes = true` must not mean one minute.
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpeakersError("bad_unit_minutes", where=where, value=repr(value))
    if not 0 <= value <= LONGEST_UNIT_MINUTES:
        raise SpeakersError("bad_unit_minutes", where=where, value=repr(value))
    return value
