"""The speaker's countdown: the limit (what was asked, or the kind's), the seconds left, and
whether it is near the end or over — the projector's colour. Whole seconds only.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from session.speakers.kinds import TimeLimits, near_end
from session.speakers.state import Entry


class Level(StrEnum):
    RUNNING = "running"
    NEAR_END = "near_end"
    OVER = "over"


@dataclass(frozen=True, slots=True)
class Countdown:
    limit: int  # seconds
    spoken: int
    left: int  # negative once over
    level: Level


def limit_of(entry: Entry, limits: TimeLimits) -> int:
    return entry.asked or limits.of(entry.kind)


def countdown(entry: Entry, limits: TimeLimits, now: datetime) -> Countdown:
    limit = limit_of(entry, limits)
    spoken = entry.spoken(now)
    left = limit - spoken
    if left < 0:
        level = Level.OVER
    elif left <= near_end(limit):
        level = Level.NEAR_END
    else:
        level = Level.RUNNING
    return Countdown(limit, spoken, left, level)


def clock(seconds: int) -> str:
    """m:ss, with a minus sign once over ("-0:07")."""
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"
