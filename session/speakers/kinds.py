"""The kinds of contribution to a discussion and their time limits (issue 15).

A prepared contribution (tham luận) registered before the congress, a comment from the floor, a
reply, a point of order (it goes to the head of the list), and a contribution submitted in
writing only (recorded, never spoken). Each spoken kind has a time limit; the congress file sets
them (minutes), an agenda item may set its own, and these defaults fill the rest. The defaults
are Presidium's, not a regulation's: a congress sets what its rules of procedure say.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from session.i18n import Refusal


class SpeakersError(Refusal):
    """A refused change to a list of speakers, with a translation key under 'speakers.error.'."""

    prefix = "speakers.error."


class SpeechKind(StrEnum):
    PREPARED = "prepared"  # tham luận, registered before the congress
    FLOOR = "floor"  # a comment asked for in the hall
    REPLY = "reply"  # an answer to a speaker
    POINT_OF_ORDER = "point_of_order"  # on the procedure: to the head of the list
    WRITTEN = "written"  # submitted in writing only: recorded, never spoken

    @property
    def spoken(self) -> bool:
        return self is not SpeechKind.WRITTEN


MINUTE = 60
DEFAULT_MINUTES: Mapping[SpeechKind, int] = {
    SpeechKind.PREPARED: 10,
    SpeechKind.FLOOR: 5,
    SpeechKind.REPLY: 3,
    SpeechKind.POINT_OF_ORDER: 2,
}
LONGEST_MINUTES = 120
NEAR_END_SECONDS = 30  # the countdown warns this long before the end (or a tenth of a short limit)


@dataclass(frozen=True, slots=True)
class TimeLimits:
    """Seconds per spoken kind."""

    prepared: int = DEFAULT_MINUTES[SpeechKind.PREPARED] * MINUTE
    floor: int = DEFAULT_MINUTES[SpeechKind.FLOOR] * MINUTE
    reply: int = DEFAULT_MINUTES[SpeechKind.REPLY] * MINUTE
    point_of_order: int = DEFAULT_MINUTES[SpeechKind.POINT_OF_ORDER] * MINUTE

    def of(self, kind: SpeechKind) -> int:
        """The limit of a spoken kind (0 for a written contribution: it is not timed)."""
        return 0 if kind is SpeechKind.WRITTEN else int(getattr(self, kind.value))

    def overridden(self, minutes: Mapping[str, Any], where: str) -> "TimeLimits":
        """These limits with the kinds `minutes` names set (whole minutes, 1 to LONGEST_MINUTES);
        SpeakersError naming `where` (the congress file's table) and the kind otherwise."""
        changes: dict[str, int] = {}
        for key, value in minutes.items():
            kind = _spoken_kind(key, where)
            if isinstance(value, bool) or not isinstance(value, int):
                raise SpeakersError("bad_minutes", where=where, kind=key, value=value)
            if not 1 <= value <= LONGEST_MINUTES:
                raise SpeakersError("bad_minutes", where=where, kind=key, value=value)
            changes[kind.value] = value * MINUTE
        return replace(self, **changes)


def _spoken_kind(key: object, where: str) -> SpeechKind:
    try:
        kind = SpeechKind(str(key))
    except ValueError:
        raise SpeakersError("unknown_kind", where=where, kind=key) from None
    if not kind.spoken:
        raise SpeakersError("written_not_timed", where=where)
    return kind


def near_end(limit: int) -> int:
    """How many seconds before the end the countdown warns: NEAR_END_SECONDS, or a tenth of a
    limit under five minutes (integer arithmetic)."""
    return min(NEAR_END_SECONDS, max(limit // 10, 1))
