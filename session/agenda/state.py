"""The agenda as it runs: each item pending, running, done or skipped, with the spans of time it
ran (an ended item may be started again: its time then counts over every span), and the running
order with the items moved or inserted while the congress sits. The reducer (session.agenda)
builds it from the events.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from session.agenda.plan import Agenda, AgendaError, AgendaItem, AgendaSession, item_key
from session.i18n import t


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
