"""Time per unit (issue 15): when the congress file gives `unit_minutes`, each unit (delegation)
has that long in total on an item, all its speeches together. How long a unit has used is the
sum of the spans its speakers spoke on the item's list, the running speech included up to
`now`; what is left goes negative once the unit is over. Whole seconds only.
"""

from dataclasses import dataclass
from datetime import datetime

from session.speakers.kinds import near_end
from session.speakers.state import SpeakersList
from session.speakers.timing import Level
from session.text import nfc


@dataclass(frozen=True, slots=True)
class UnitTime:
    unit: str
    allowed: int  # seconds the unit has on the item; 0: no time per unit
    used: int  # seconds its speakers have spoken, pauses left out

    @property
    def limited(self) -> bool:
        return self.allowed > 0

    @property
    def left(self) -> int:
        """Seconds left (negative once over); 0 when there is no time per unit."""
        return self.allowed - self.used if self.limited else 0

    @property
    def level(self) -> Level:
        """The countdown's colour, as a speaker's: never near the end without a limit."""
        if not self.limited:
            return Level.RUNNING
        if self.left < 0:
            return Level.OVER
        return Level.NEAR_END if self.left <= near_end(self.allowed) else Level.RUNNING


def unit_time(speakers: SpeakersList, unit: str, unit_seconds: int, now: datetime) -> UnitTime:
    """What `unit` has used of `unit_seconds` on this list at `now`. The unit is matched as the
    list stores it (NFC, single spaces), so a name typed with other spacing is the same unit.
    Every spoken span counts whatever the kind: a point of order is the unit's time too."""
    wanted = nfc(unit)
    used = sum(e.spoken(now) for e in speakers.entries if e.unit == wanted)
    return UnitTime(wanted, max(unit_seconds, 0), used)


def unit_times(speakers: SpeakersList, unit_seconds: int, now: datetime) -> tuple[UnitTime, ...]:
    """Every unit on the list that has a name, in the order it first came onto the list."""
    units = dict.fromkeys(e.unit for e in speakers.entries if e.unit)
    return tuple(unit_time(speakers, unit, unit_seconds, now) for unit in units)
