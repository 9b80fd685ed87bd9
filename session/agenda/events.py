"""Every agenda event, as recorded in the audit log (session.codec writes and reads them):
an item started, ended, skipped, moved or inserted, each with its time.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from session import codec
from session.agenda.plan import AgendaError, AgendaItem


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
