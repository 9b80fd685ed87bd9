"""The discussion's settings (issue 15): the time limit of each kind of contribution for the
congress and, where an agenda item sets its own, for that item; and, optionally, the time a
unit (delegation) has in total on an item. session.congress_file reads them from the
congress file's [speakers] table and the agenda items' `speakers` tables.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from session.speakers.kinds import TimeLimits


@dataclass(frozen=True, slots=True)
class ItemSpeakers:
    """What one item's discussion runs by."""

    limits: TimeLimits = field(default_factory=TimeLimits)
    unit_seconds: int = 0  # the time each unit has in total on the item; 0: no such limit


@dataclass(frozen=True, slots=True)
class SpeakersSettings:
    """The congress's limits, and the items that set their own."""

    limits: TimeLimits = field(default_factory=TimeLimits)
    unit_seconds: int = 0
    items: Mapping[str, ItemSpeakers] = field(default_factory=dict)

    def of(self, item: str) -> ItemSpeakers:
        """The settings `item`'s discussion runs by (the congress's unless it sets its own)."""
        return self.items.get(item) or ItemSpeakers(self.limits, self.unit_seconds)
