"""The agenda: what the congress file plans, and what happens to it while the congress runs.

Definition: sessions (preparatory / official) of items, each with a stable key ("item-05") that
events refer to, a kind, a title in the congress language, a presenter, and a planned start
(HH:MM on a day of the congress) or a planned duration. Vote items (show of hands) carry the
motion kind and may carry their own majority rule. A congress file without an agenda gets the
standard one for its rule set (domain rules 7.1, 7.2; a short AGM agenda for Robert's Rules).

Running: a pure reducer over events (started, ended, skipped, moved, inserted), each with its
time. Starting an item while another runs ends the running one at the same instant (recorded
as auto-ended). An ended item may be started again (a discussion resumed after lunch): its time
then counts over every span. `timing(state, now)` gives the current item's elapsed time against
plan, for the clock the UI redraws every second. Times are timezone-aware; durations are whole
seconds (integer arithmetic only).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from session import codec
from session.i18n import Refusal, t
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


# ---------------------------------------------------------------- the built-in agendas

_PREP, _OFF = SessionKind.PREPARATORY, SessionKind.OFFICIAL
_K = ItemKind
_M = MotionKind
# (session, slug, kind, motion, minutes, presenter role). Titles: agenda.template.<t>.<slug>;
# presenters: agenda.presenter.<role>. Domain rules 7.1 (two sessions) and 7.2 (the sequence).
# fmt: off
_PARTY: tuple[tuple[SessionKind, str, ItemKind, MotionKind | None, int, str], ...] = (
    (_PREP, "flag_preparatory", _K.CEREMONY, None, 5, "convening_committee"),
    (_PREP, "introduction", _K.PROCEDURAL, None, 5, "convening_committee"),
    (_PREP, "elect_bodies", _K.VOTE, _M.PROCEDURAL_BODY, 15, "convening_committee"),
    (_PREP, "adopt_agenda", _K.VOTE, _M.AGENDA, 5, "presidium"),
    (_PREP, "adopt_rules", _K.VOTE, _M.RULES, 10, "presidium"),
    (_PREP, "adopt_election_regulation", _K.VOTE, _M.ELECTION_REGULATION, 10, "presidium"),
    (_OFF, "flag_official", _K.CEREMONY, None, 10, "presidium"),
    (_OFF, "opening_speech", _K.PROCEDURAL, None, 15, "presidium"),
    (_OFF, "credentials_report", _K.REPORT, None, 15, "credentials_committee"),
    (_OFF, "adopt_credentials_report", _K.VOTE, _M.CREDENTIALS_REPORT, 5, "presidium"),
    (_OFF, "political_report", _K.REPORT, None, 45, "presidium"),
    (_OFF, "review_report", _K.REPORT, None, 20, "presidium"),
    (_OFF, "break_morning", _K.BREAK, None, 15, ""),
    (_OFF, "discussion", _K.DISCUSSION, None, 95, "presidium"),
    (_OFF, "break_lunch", _K.BREAK, None, 90, ""),
    (_OFF, "higher_leader_speech", _K.PROCEDURAL, None, 30, "higher_leader"),
    (_OFF, "presidium_reply", _K.PROCEDURAL, None, 15, "presidium"),
    (_OFF, "vote_seat_count", _K.VOTE, _M.SEAT_COUNT, 5, "presidium"),
    (_OFF, "vote_election_list", _K.VOTE, _M.ELECTION_LIST, 15, "presidium"),
    (_OFF, "elect_committee", _K.ELECTION, None, 90, "counting_committee"),
    (_OFF, "nominate_secretary", _K.ELECTION, None, 30, "counting_committee"),
    (_OFF, "elect_delegation", _K.ELECTION, None, 60, "counting_committee"),
    (_OFF, "adopt_resolution", _K.VOTE, _M.RESOLUTION, 10, "secretariat"),
    (_OFF, "closing_speech", _K.PROCEDURAL, None, 10, "presidium"),
    (_OFF, "flag_closing", _K.CEREMONY, None, 5, "presidium"),
)
_AGM: tuple[tuple[SessionKind, str, ItemKind, MotionKind | None, int, str], ...] = (
    (_OFF, "call_to_order", _K.PROCEDURAL, None, 5, "chair"),
    (_OFF, "adopt_agenda", _K.VOTE, _M.AGENDA, 5, "chair"),
    (_OFF, "approve_minutes", _K.VOTE, _M.OTHER, 5, "secretary"),
    (_OFF, "reports", _K.REPORT, None, 30, "chair"),
    (_OFF, "adopt_accounts", _K.VOTE, _M.OTHER, 10, "treasurer"),
    (_OFF, "elect_board", _K.ELECTION, None, 30, "chair"),
    (_OFF, "other_business", _K.DISCUSSION, None, 20, "chair"),
    (_OFF, "adjourn", _K.PROCEDURAL, None, 5, "chair"),
)
# fmt: on
# A general-members congress has no credentials committee (domain rules 7.3) and hears a report
# on the members attending instead of a credentials report (7.2 step 5).
_MEMBERS_SLUGS = {
    "elect_bodies": ("elect_bodies_members", "convening_committee"),
    "credentials_report": ("attendance_report", "convening_committee"),
    "adopt_credentials_report": ("adopt_attendance_report", "presidium"),
}
_PARTY_FIRST_START = PlannedStart(1, 7 * 60 + 30)  # "7 giờ 30"
TEMPLATES = {Template.PARTY: _PARTY, Template.AGM: _AGM}


def default_agenda(
    template: Template, lang: str, *, general_members: bool = False, first_day: int = 1
) -> Agenda:
    """The built-in agenda, titled in `lang`. Keys are item-01, item-02... in order."""
    rows = TEMPLATES[template]
    sessions: list[AgendaSession] = []
    items: list[AgendaItem] = []
    for kind, slug, item_kind, motion, minutes, role in rows:
        if not sessions or sessions[-1].kind is not kind:
            title = t(f"agenda.session.{kind.value}", lang)
            sessions.append(AgendaSession(session_key(len(sessions) + 1), kind, title, first_day))
        if general_members and slug in _MEMBERS_SLUGS:
            slug, role = _MEMBERS_SLUGS[slug]
        start = None
        if template is Template.PARTY and not items:
            start = replace(_PARTY_FIRST_START, day=first_day)
        items.append(
            AgendaItem(
                key=item_key(len(items) + 1),
                session=sessions[-1].key,
                kind=item_kind,
                title=t(f"agenda.template.{template.value}.{slug}", lang),
                presenter=t(f"agenda.presenter.{role}", lang) if role else "",
                start=start,
                duration=minutes,
                motion=motion,
            )
        )
    return Agenda(tuple(sessions), tuple(items), template)


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


# ---------------------------------------------------------------- the agenda as it runs


class ItemStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Span:
    """One stretch of time an item ran."""

    start: datetime
    end: datetime | None = None
    auto_ended: bool = False  # ended because another item was started

    def seconds(self, now: datetime) -> int:
        end = self.end if self.end is not None else now
        return max(0, (end - self.start) // timedelta(seconds=1))


@dataclass(frozen=True, slots=True)
class ItemState:
    item: AgendaItem
    status: ItemStatus = ItemStatus.PENDING
    spans: tuple[Span, ...] = ()
    skipped_at: datetime | None = None
    skip_reason: str = ""
    inserted_at: datetime | None = None  # added while the congress ran
    moved: bool = False  # moved from its planned place

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def started_at(self) -> datetime | None:
        return self.spans[0].start if self.spans else None

    @property
    def ended_at(self) -> datetime | None:
        return self.spans[-1].end if self.status is ItemStatus.DONE else None

    def elapsed(self, now: datetime) -> int:
        """Seconds run so far, over every span."""
        return sum(span.seconds(now) for span in self.spans)


@dataclass(frozen=True, slots=True)
class AgendaState:
    sessions: tuple[AgendaSession, ...]
    items: tuple[ItemState, ...]
    current: str | None = None  # the running item
    last: str | None = None  # the item started most recently

    def find(self, key: str) -> ItemState | None:
        return next((s for s in self.items if s.key == key), None)

    def _get(self, key: str) -> ItemState:
        found = self.find(key)
        if found is None:
            raise AgendaError("unknown_item", item=key)
        return found

    def number(self, key: str) -> int | None:
        """An item's number in the running order (1, 2...), as the agenda screen shows it."""
        return next((i for i, s in enumerate(self.items, 1) if s.key == key), None)

    def label(self, key: str) -> str:
        """'18. Biểu quyết số lượng Ban Chấp hành': how messages name an item (never its key)."""
        found, number = self.find(key), self.number(key)
        if found is None or number is None:
            return key
        return t("agenda.item_label", number=number, title=found.item.title)

    @property
    def current_item(self) -> ItemState | None:
        return None if self.current is None else self.find(self.current)

    @property
    def next_item(self) -> ItemState | None:
        """The first pending item after the one started last (after the top if none was),
        else the first pending item anywhere (one passed over when the operator jumped ahead)."""
        keys = [s.key for s in self.items]
        after = keys.index(self.last) + 1 if self.last in keys else 0
        ordered = self.items[after:] + self.items[:after]
        return next((s for s in ordered if s.status is ItemStatus.PENDING), None)

    def with_status(self, status: ItemStatus) -> tuple[ItemState, ...]:
        return tuple(s for s in self.items if s.status is status)

    @property
    def done(self) -> tuple[ItemState, ...]:
        return self.with_status(ItemStatus.DONE)

    @property
    def skipped(self) -> tuple[ItemState, ...]:
        return self.with_status(ItemStatus.SKIPPED)

    @property
    def pending(self) -> tuple[ItemState, ...]:
        return self.with_status(ItemStatus.PENDING)

    @property
    def agenda(self) -> Agenda:
        """The agenda in its current order, with the items inserted so far."""
        return Agenda(self.sessions, tuple(s.item for s in self.items))

    def next_key(self) -> str:
        """A fresh item key for an insertion: one above the highest item-NN in use."""
        numbers = [
            int(s.key[5:]) for s in self.items if s.key.startswith("item-") and s.key[5:].isdigit()
        ]
        return item_key(max(numbers, default=0) + 1)


def initial(agenda: Agenda) -> AgendaState:
    return AgendaState(agenda.sessions, tuple(ItemState(i) for i in agenda.items))


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class ItemStarted(codec.Event):
    KIND: ClassVar[str] = "agenda_item_started"
    item: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ItemEnded(codec.Event):
    KIND: ClassVar[str] = "agenda_item_ended"
    item: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ItemSkipped(codec.Event):
    KIND: ClassVar[str] = "agenda_item_skipped"
    item: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ItemMoved(codec.Event):
    """Move `item` to just after `after` (None: to the top). It joins that item's session."""

    KIND: ClassVar[str] = "agenda_item_moved"
    item: str
    after: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ItemInserted(codec.Event):
    """Add a new item just after `after` (None: at the top); an empty session joins that
    item's session."""

    KIND: ClassVar[str] = "agenda_item_inserted"
    item: AgendaItem
    after: str | None
    at: datetime


AgendaEvent = ItemStarted | ItemEnded | ItemSkipped | ItemMoved | ItemInserted
_BY_KIND = codec.by_kind(ItemStarted, ItemEnded, ItemSkipped, ItemMoved, ItemInserted)
EVENT_KINDS = frozenset(_BY_KIND)


def decode(kind: str, payload: Mapping[str, Any]) -> AgendaEvent:
    """The event a stored (kind, payload) pair describes; AgendaError('bad_event'), or
    'bad_time' for a time without its zone, otherwise."""
    event: AgendaEvent = codec.decode(_BY_KIND, kind, payload, AgendaError)
    return event


# ---------------------------------------------------------------- the reducer


def _put(state: AgendaState, new: ItemState) -> tuple[ItemState, ...]:
    return tuple(new if s.key == new.key else s for s in state.items)


def _check_time(at: datetime) -> None:
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise AgendaError("bad_time", value=at)


def apply(state: AgendaState, event: AgendaEvent) -> AgendaState:
    """The state after `event`, or AgendaError naming why the change is impossible."""
    _check_time(event.at)
    match event:
        case ItemStarted():
            return _start(state, event)
        case ItemEnded():
            target = state._get(event.item)
            if target.status is not ItemStatus.RUNNING:
                raise AgendaError("not_running", item=state.label(event.item))
            return replace(state, items=_put(state, _close(target, event.at)), current=None)
        case ItemSkipped():
            target = state._get(event.item)
            _must_be_movable(target, state.label(target.key), skipping=True)
            skipped = replace(
                target,
                status=ItemStatus.SKIPPED,
                skipped_at=event.at,
                skip_reason=nfc(event.reason),
            )
            return replace(state, items=_put(state, skipped))
        case ItemMoved():
            target = state._get(event.item)
            if event.after == event.item:
                raise AgendaError("same_item", item=state.label(event.item))
            _must_be_movable(target, state.label(target.key), skipping=False)
            rest = tuple(s for s in state.items if s.key != event.item)
            index, session = _slot(state, rest, event.after)
            moved = replace(target, item=replace(target.item, session=session), moved=True)
            return replace(state, items=(*rest[:index], moved, *rest[index:]))
        case ItemInserted():
            item = event.item
            check_item(item)
            if state.find(item.key) is not None:
                raise AgendaError("duplicate_item", item=item.key)
            index, session = _slot(state, state.items, event.after)
            if item.session:
                if all(s.key != item.session for s in state.sessions):
                    raise AgendaError("unknown_session", session=item.session)
                session = item.session
            new = ItemState(replace(item, session=session), inserted_at=event.at)
            return replace(state, items=(*state.items[:index], new, *state.items[index:]))
    raise AgendaError("bad_event", kind=type(event).__name__)  # pragma: no cover


def _start(state: AgendaState, event: ItemStarted) -> AgendaState:
    target = state._get(event.item)
    if target.status is ItemStatus.RUNNING:
        raise AgendaError("already_running", item=state.label(event.item))
    if target.spans and target.spans[-1].end is not None and event.at < target.spans[-1].end:
        raise AgendaError("time_backwards", item=state.label(event.item))
    items = state.items
    running = state.current_item
    if running is not None:
        # Starting an item ends the running one at the same instant.
        items = _put(state, _close(running, event.at, auto=True))
    started = replace(
        target,
        status=ItemStatus.RUNNING,
        spans=(*target.spans, Span(event.at)),
        skipped_at=None,
        skip_reason="",
    )
    items = tuple(started if s.key == started.key else s for s in items)
    return replace(state, items=items, current=event.item, last=event.item)


def _close(item: ItemState, at: datetime, auto: bool = False) -> ItemState:
    span = item.spans[-1]
    if at < span.start:
        raise AgendaError("ends_before_start", item=item.key)
    spans = (*item.spans[:-1], Span(span.start, at, auto))
    return replace(item, status=ItemStatus.DONE, spans=spans)


def _must_be_movable(target: ItemState, label: str, skipping: bool) -> None:
    if target.status is ItemStatus.RUNNING:
        raise AgendaError("item_running", item=label)
    if target.status is ItemStatus.DONE:
        raise AgendaError("item_done", item=label)
    if skipping and target.status is ItemStatus.SKIPPED:
        raise AgendaError("already_skipped", item=label)


def _slot(state: AgendaState, items: tuple[ItemState, ...], after: str | None) -> tuple[int, str]:
    """Where an item placed after `after` goes in `items`, and the session it joins."""
    if after is None:
        session = (
            items[0].item.session if items else (state.sessions[0].key if state.sessions else "")
        )
        return 0, session
    for i, s in enumerate(items):
        if s.key == after:
            return i + 1, s.item.session
    raise AgendaError("unknown_item", item=after)


def replay(agenda: Agenda, events: Sequence[AgendaEvent]) -> AgendaState:
    state = initial(agenda)
    for event in events:
        state = apply(state, event)
    return state


# ---------------------------------------------------------------- timing


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
