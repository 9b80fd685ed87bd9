"""What a role terminal reads after a change, in a thread worker, and the message that brings it.

A door station or a projector shows counts, not the roll call's lists: :func:`read_station` reads
them again only when the log moved (like :func:`tui.feed.read_feed`), and the worker answers with
:class:`StationLoaded`. No widgets here: the desk that runs the reads does not depend on the role
terminals' screens (:mod:`tui.stations`), which only show what it read.
"""

from dataclasses import dataclass

from textual.message import Message

from db.store import RollCallSnapshot, Store
from session.doors import entries_at


@dataclass(frozen=True, slots=True)
class StationUpdate:
    """The counts a role terminal shows, as read after event `seq`."""

    seq: int
    snapshot: RollCallSnapshot
    admitted_here: int | None = None  # a door's own admissions; None elsewhere


def read_station(store: Store, seen: int | None, door: str | None) -> StationUpdate | None:
    """The counts again when anything was logged after `seen`; None when nothing changed.

    Cheaper than the roll call's feed: no list of the missing (a door or a projector shows counts).
    Marked with the last event as it stood before the reads (see :func:`tui.feed.read_feed`).
    """
    seq = store.last_seq()
    if seen is not None and seq == seen:
        return None
    snapshot = store.snapshot(doors=door is not None)
    here = entries_at(snapshot.doors, door) if door is not None else None
    return StationUpdate(seq, snapshot, here)


class StationLoaded(Message):
    """A role terminal's counts read again (None: nothing changed, or `error`: the read failed).

    `started` (time.monotonic()) is when the read began: only a read begun after the database
    was lost may say it is back.
    """

    def __init__(self, update: StationUpdate | None, started: float, error: str = "") -> None:
        super().__init__()
        self.update = update
        self.started = started
        self.error = error
