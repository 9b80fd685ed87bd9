"""Issue 13, finding 4: the open database is the file on disk. A SQLite file removed or replaced
under a running terminal takes no more scans (they would be acknowledged and then lost)."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from db.errors import lost_connection
from db.store import Store, StoreError
from session.rollcall import Mode

MakeStore = Callable[..., Store]


def _remove(path: str, _spare: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


def _replace(path: str, spare: str) -> None:
    os.replace(spare, path)  # another congress's file moved over it, as a careless copy does


@pytest.mark.parametrize("change", [_remove, _replace], ids=["removed", "replaced"])
def test_a_scan_into_a_file_no_longer_there_is_refused_as_lost(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, change: Callable[[str, str], None]
) -> None:
    store = make_store(sqlite_url)
    spare = str(tmp_path / "spare.db")
    shutil.copyfile(sqlite_url, spare)
    assert store.scan(store.card_code(2, 0), Mode.ENTRY, "door-1").attendance_id is not None

    change(sqlite_url, spare)

    with pytest.raises(StoreError) as refused:
        store.scan(store.card_code(3, 0), Mode.ENTRY, "door-1")
    assert refused.value.key == "database_gone" and lost_connection(refused.value)
    with pytest.raises(OSError) as read:  # reads stop too: the terminal shows NOT CONNECTED
        store.snapshot()
    assert lost_connection(read.value)


def test_the_same_file_reopened_keeps_working(make_store: MakeStore, sqlite_url: str) -> None:
    """Closing and reopening the file (a checkpoint, a backup by copy) is not a replacement."""
    store = make_store(sqlite_url)
    shutil.copyfile(sqlite_url, sqlite_url + ".copy")  # a backup by copy touches nothing
    store.engine.dispose()  # every connection closed, then opened again on the next use
    assert store.scan(store.card_code(2, 0), Mode.ENTRY, "door-1").attendance_id is not None
    assert store.verify() is None
