"""The agenda as the congress file plans it: sessions (preparatory / official) of items, and
when each item is planned to start and end.

Each item has a stable key ("item-05") that events refer to, a kind, a title in the congress
language, a presenter, and a planned start (HH:MM on a day of the congress) or a planned duration.
Vote items (show of hands) carry the motion kind and may carry their own majority rule. The refusal
of the whole agenda family (:class:`AgendaError`) is defined here, at its bottom, so that the
state, the events and the reducer (session.agenda) all raise the same one.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from session.i18n import Refusal
from session.tally import VoteRule
from session.text import nfc


class AgendaError(Refusal):
    """A refused agenda change, with a translation key under 'agenda.error.'."""

    prefix = "agenda.error."


class SessionKind(StrEnum):
    PREPARATORY = "preparatory"  # phiên trù bị
    OFFICIAL = "official"  # phiên chính thức


class ItemKind(StrEnum):
    PROCEDURAL = "procedural"
    REPORT = "report"
    DISCUSSION = "discussion"
    VOTE = "vote"  # a show-of-hands vote (biểu quyết)
    ELECTION = "election"  # a secret ballot (bầu cử)
    BREAK = "break"
    CEREMONY = "ceremony"


class MotionKind(StrEnum):
    """What a show-of-hands vote decides (domain rules 3.1)."""

    PROCEDURAL_BODY = "procedural_body"  # presidium, secretariat, credentials/counting committee
    AGENDA = "agenda"
    RULES = "rules"  # rules of procedure, working rules
    ELECTION_REGULATION = "election_regulation"
    CREDENTIALS_REPORT = "credentials_report"
    SEAT_COUNT = "seat_count"  # the number of committee members
    ELECTION_LIST = "election_list"
    WITHDRAWAL = "withdrawal"  # a request to withdraw from the election list
    RESOLUTION = "resolution"
    OTHER = "other"


class Template(StrEnum):
    """The built-in agendas for a congress file without one."""

    PARTY = "party"  # domain rules 7.2
    AGM = "agm"  # a short annual general meeting (Robert's Rules)


@dataclass(frozen=True, slots=True)
class PlannedStart:
    """A planned start: a time of day on the congress's `day`-th day (1 = the first)."""

    day: int
    minute: int  # minutes after midnight

    @property
    def label(self) -> str:
        return f"{self.minute // 60:02d}:{self.minute % 60:02d}"

    def to_json(self) -> dict[str, object]:
        return {"day": self.day, "time": self.label}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "PlannedStart":
        return cls(int(data["day"]), parse_clock(str(data["time"])))  # type: ignore[call-overload]


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")


def parse_clock(text: str) -> int:
    """'07:30' (or '7:30', '07:30:00') -> minutes after midnight; ValueError otherwise."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ValueError(f"expected a time like 07:30, got {text!r}")
    return int(found[1]) * 60 + int(found[2])


@dataclass(frozen=True, slots=True)
class AgendaSession:
    key: str  # "session-1"
    kind: SessionKind
    title: str
    day: int = 1


@dataclass(frozen=True, slots=True)
class AgendaItem:
    key: str  # stable: events refer to it
    session: str  # the key of its session
    kind: ItemKind
    title: str
    presenter: str = ""
    start: PlannedStart | None = None
    duration: int | None = None  # planned minutes
    motion: MotionKind | None = None  # vote items only
    majority: VoteRule | None = None  # vote items only: this item's own rule

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "session": self.session,
            "kind": self.kind.value,
            "title": self.title,
            "presenter": self.presenter,
            "start": None if self.start is None else self.start.to_json(),
            "duration": self.duration,
            "motion": None if self.motion is None else self.motion.value,
            "majority": None if self.majority is None else self.majority.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "AgendaItem":
        start, motion, majority = data.get("start"), data.get("motion"), data.get("majority")
        duration = data.get("duration")
        return cls(
            key=str(data["key"]),
            session=str(data.get("session") or ""),
            kind=ItemKind(data["kind"]),
            title=nfc(str(data["title"])),
            presenter=nfc(str(data.get("presenter") or "")),
            start=None if start is None else PlannedStart.from_json(start),
            duration=None if duration is None else int(duration),
            motion=None if motion is None else MotionKind(motion),
            majority=None if majority is None else VoteRule.from_json(majority),
        )


def check_item(item: AgendaItem) -> None:
    """Refuse an item that makes no sense on its own (AgendaError)."""
    if not item.key.strip():
        raise AgendaError("key_required")
    if not item.title.strip():
        raise AgendaError("title_required")
    if item.duration is not None and not 0 < item.duration <= 24 * 60:
        raise AgendaError("bad_duration", minutes=item.duration)
    if item.kind is ItemKind.VOTE and item.motion is None:
        raise AgendaError("motion_required", item=item.key)
    if item.kind is not ItemKind.VOTE and (item.motion is not None or item.majority is not None):
        raise AgendaError("motion_not_vote", item=item.key)


@dataclass(frozen=True, slots=True)
class Agenda:
    sessions: tuple[AgendaSession, ...] = ()
    items: tuple[AgendaItem, ...] = ()
    template: Template | None = None  # None: written in the congress file

    def item(self, key: str) -> AgendaItem | None:
        return next((i for i in self.items if i.key == key), None)

    def session(self, key: str) -> AgendaSession | None:
        return next((s for s in self.sessions if s.key == key), None)

    def items_of(self, session: str) -> tuple[AgendaItem, ...]:
        return tuple(i for i in self.items if i.session == session)


def item_key(n: int) -> str:
    return f"item-{n:02d}"


def session_key(n: int) -> str:
    return f"session-{n}"


# ---------------------------------------------------------------- the plan


def planned_minutes(items: Sequence[AgendaItem]) -> dict[str, int | None]:
    """Each item's planned length: its duration, else the minutes until the next item's planned
    start on the same day (a lunch break from 11:30 to the 13:30 item is 120), else None."""
    result: dict[str, int | None] = {}
    for i, item in enumerate(items):
        minutes = item.duration
        if minutes is None and item.start is not None and i + 1 < len(items):
            following = items[i + 1].start
            if following is not None and following.day == item.start.day:
                gap = following.minute - item.start.minute
                minutes = gap if gap > 0 else None
        result[item.key] = minutes
    return result


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    item: str
    start: datetime | None  # in the congress's time zone; None if nothing fixes it
    end: datetime | None
    minutes: int | None


def plan(items: Sequence[AgendaItem], first_day: date, zone: ZoneInfo) -> tuple[PlannedSlot, ...]:
    """Planned start and end of every item: a planned start fixes an item, and an item without
    one follows the planned end of the item before it."""
    minutes = planned_minutes(items)
    slots: list[PlannedSlot] = []
    cursor: datetime | None = None
    for item in items:
        start = cursor
        if item.start is not None:
            day = first_day + timedelta(days=item.start.day - 1)
            start = datetime.combine(day, time(), zone) + timedelta(minutes=item.start.minute)
        length = minutes[item.key]
        end = None if start is None or length is None else start + timedelta(minutes=length)
        slots.append(PlannedSlot(item.key, start, end, length))
        cursor = end
    return tuple(slots)
