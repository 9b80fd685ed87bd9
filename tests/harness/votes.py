"""The show-of-hands tests' hall, through the Store: PRESENT voting delegates scanned in, and the
agenda's Resolution item (its vote). The vote screen's own keys are in tests/harness/screens.py.
No pytest here."""

from db.store import Store
from session.agenda import ItemKind, MotionKind
from session.rollcall import Mode

PRESENT = 20  # of the 28 voting delegates of 30 demo delegates


def admit(store: Store, how_many: int) -> None:
    """The first `how_many` voting delegates scanned in (at station "d")."""
    for d in [d for d in store.delegates() if d.votes][:how_many]:
        store.scan(store.card_code(d.number, 0), Mode.ENTRY, "d")


def resolution(store: Store) -> str:
    """The agenda's Resolution vote item: its key."""
    return next(
        s.key
        for s in store.agenda_state().items
        if s.item.kind is ItemKind.VOTE and s.item.motion is MotionKind.RESOLUTION
    )
