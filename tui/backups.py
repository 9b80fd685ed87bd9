"""The operator's rolling backups of an SQLite congress file, taken in the desk's thread worker
(tui/desk.py: every [backups] every_minutes when the log moved, and after every published
result): one snapshot in the `backups` folder beside the file, and the same file in every second
place, a folder on a second disk, a USB stick or a share from a second machine ([backups]
copy_to, or `presidium run --copy-to`: db/backup.py). The board says on screen what failed and
when it works again (tui/board.py); the congress goes on either way.
"""

import threading
from pathlib import Path

from textual.message import Message

from db.backup import Written, copy_places, snapshot_everywhere
from db.store import Store
from session.congress import Backups

# One backup at a time: a snapshot after a result and the interval's may be asked at once, and a
# copy to a slow USB stick can take seconds (the worker group's `exclusive` cannot stop a thread).
_one_at_a_time = threading.Lock()


class BackupDone(Message):
    """A rolling backup of the congress file: its path, or why it could not be written; and what
    became of each second place (`copies`, in the order configured)."""

    def __init__(
        self, path: Path | None, error: str = "", copies: tuple[Written, ...] = ()
    ) -> None:
        super().__init__()
        self.path = path
        self.error = error
        self.copies = copies

    @property
    def complete(self) -> bool:
        """Written beside the congress file and in every second place."""
        return self.path is not None and all(c.path is not None for c in self.copies)


def take_backup(store: Store, folder: Path, backups: Backups) -> tuple[BackupDone, int]:
    """A snapshot in `folder`/backups and in each second place: what to say, and the last event
    it holds (at least)."""
    with _one_at_a_time:
        try:
            seq = store.last_seq()
            places = copy_places(backups.copy_to)
            first, *copies = snapshot_everywhere(store, folder / "backups", places, backups.keep)
        except Exception as exc:  # said once on screen; the congress goes on
            return BackupDone(None, f"{type(exc).__name__}: {exc}"), -1
    return BackupDone(first.path, first.error, tuple(copies)), seq
