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


def read_feed(store: Store, seen: int | None) -> FeedUpdate | None:
    """The changes since event `seen` (everything when None); None when nothing changed."""
    if seen is not None and store.last_seq() == seen:
        return None
    snapshot = store.snapshot()
    if seen is None:
        return FeedUpdate(snapshot.last_seq, snapshot, missing=tuple(store.missing()))
    changes = store.changes_since(seen, limit=RELOAD_AFTER)
    if changes.reload:
        return FeedUpdate(snapshot.last_seq, snapshot, missing=tuple(store.missing()))
    return FeedUpdate(max(snapshot.last_seq, changes.seq), snapshot, changes.delegates)
