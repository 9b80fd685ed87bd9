"""The agenda's reducer: ``apply`` one event (started, ended, skipped, moved, inserted) to the
state, ``replay`` a log; see the package's text.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from session.agenda.events import (
    AgendaEvent,
    ItemEnded,
    ItemInserted,
    ItemMoved,
    ItemSkipped,
    ItemStarted,
)
from session.agenda.plan import (
    Agenda,
    AgendaError,
    check_item,
)
from session.agenda.state import AgendaState, ItemState, ItemStatus, Span, initial
from session.text import nfc

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
