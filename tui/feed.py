"""What the roll-call screen needs after a change, read in a thread worker (no widgets here).

Every terminal appends to the same event log, so `last_seq()` tells cheaply whether anything
changed. When it did, we read the snapshot (counts, base, verdict, units) and the delegates the new
events name, so a scan costs a few small reads instead of reloading 10,000 rows; a register import
(or a flood of changes) reloads the whole missing list.
"""

from dataclasses import dataclass

from db.store import DelegateInfo, RollCallSnapshot, Store

RELOAD_AFTER = 200  # more changed delegates than this: reload the missing list instead


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    seq: int
    snapshot: RollCallSnapshot
    changed: tuple[DelegateInfo, ...] = ()  # delegates whose state may have changed
    missing: tuple[DelegateInfo, ...] | None = None  # the whole missing list, when reloaded


def is_missing(d: DelegateInfo) -> bool:
    """Store.missing()'s own definition, applied to one delegate: votes and not in the hall."""
    return d.votes and not d.present


def read_feed(store: Store, seen: int | None) -> FeedUpdate | None:
    """The changes since event `seen` (everything when None); None when nothing changed."""
    if seen is not None and store.last_seq() == seen:
        return None
    snapshot = store.snapshot()
    if seen is None:
        return FeedUpdate(snapshot.last_seq, snapshot, missing=tuple(store.missing()))
    numbers: set[int] = set()
    reload = False
    events = store.events(after=seen)
    try:
        for event in events:
            if event.seq > snapshot.last_seq:
                break
            if event.kind == "register_imported":
                reload = True
                break
            number = event.payload.get("number")
            if isinstance(number, int):
                numbers.add(number)
            if len(numbers) > RELOAD_AFTER:
                reload = True
                break
    finally:
        close = getattr(events, "close", None)  # a generator holding a database session
        if close is not None:
            close()
    if reload:
        return FeedUpdate(snapshot.last_seq, snapshot, missing=tuple(store.missing()))
    changed = tuple(d for n in sorted(numbers) if (d := store.delegate(n)) is not None)
    return FeedUpdate(snapshot.last_seq, snapshot, changed)
