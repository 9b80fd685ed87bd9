"""The running item's time against its plan, for the clock the UI redraws every second, and the
words it is said in. Durations are whole seconds (integer arithmetic only).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from session.agenda.plan import planned_minutes
from session.agenda.state import AgendaState
from session.i18n import t


class Level(StrEnum):
    """How the running item stands against its plan."""

    UNPLANNED = "unplanned"  # no planned length
    OK = "ok"
    SOON = "soon"  # within the warning time of its planned end
    OVER = "over"


@dataclass(frozen=True, slots=True)
class Timing:
    item: str
    elapsed: int  # seconds
    planned: int | None  # seconds
    remaining: int | None  # seconds left (0 when over), None if unplanned
    over_by: int  # seconds over the plan (0 when within)
    level: Level

    @property
    def overrun(self) -> bool:
        return self.over_by > 0


def timing(
    state: AgendaState, now: datetime, key: str | None = None, warn_within: int = 120
) -> Timing | None:
    """Elapsed against planned for the running item (or item `key`, e.g. a done one); None when
    nothing runs. Cheap enough to call every second."""
    target = state.current_item if key is None else state.find(key)
    if target is None:
        return None
    elapsed = target.elapsed(now)
    minutes = target.item.duration
    if minutes is None:
        minutes = planned_minutes([s.item for s in state.items]).get(target.key)
    if minutes is None:
        return Timing(target.key, elapsed, None, None, 0, Level.UNPLANNED)
    planned = minutes * 60
    over = max(0, elapsed - planned)
    remaining = max(0, planned - elapsed)
    if over > 0:
        level = Level.OVER
    elif remaining <= warn_within:
        level = Level.SOON
    else:
        level = Level.OK
    return Timing(target.key, elapsed, planned, remaining, over, level)


def format_clock(seconds: int) -> str:
    """12:07 (minutes:seconds), or 1:02:07 from an hour up."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def describe_timing(timing_: Timing, lang: str | None = None) -> str:
    """'12:07 of 15:00', '18:30 of 15:00, over by 03:30', '04:10 (no planned time)'."""
    elapsed = format_clock(timing_.elapsed)
    if timing_.planned is None:
        return t("agenda.timing.unplanned", lang, elapsed=elapsed)
    planned = format_clock(timing_.planned)
    if timing_.overrun:
        return t(
            "agenda.timing.over",
            lang,
            elapsed=elapsed,
            planned=planned,
            over=format_clock(timing_.over_by),
        )
    return t(
        "agenda.timing.within",
        lang,
        elapsed=elapsed,
        planned=planned,
        remaining=format_clock(timing_.remaining or 0),
    )
