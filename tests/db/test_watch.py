"""The change watcher (db/watch.py): wakes on other terminals' commits, survives lost connections.

The watcher is given a long fallback poll where a test checks the wake-up itself (the data_version
poll on SQLite, NOTIFY on PostgreSQL), and a short one where it checks that a lost wake-up is
still caught from the log.
"""

import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from db import backup
from db.engine import database_url
from db.store import Store
from db.watch import CHANNEL, Watcher
from session.demo import demo_register
from session.rollcall import Mode
from tests.harness.pg_server import PrivateServer

MakeStore = Callable[..., Store]
NO_FALLBACK = 600.0  # seconds: only the wake-up can return a wait early


def _scan(store: Store, number: int) -> int:
    result = store.scan(store.card_code(number, 0), Mode.ENTRY, "door-1")
    assert result.seq is not None
    return result.seq


def _later(seconds: float, action: Callable[[], object]) -> threading.Thread:
    """Run `action` in a thread after `seconds` (while the test waits on the watcher)."""

    def run() -> None:
        time.sleep(seconds)
        action()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_commit_wakes_a_waiting_watcher(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=5)
    with Watcher(store.url, fallback=NO_FALLBACK) as watcher:
        assert watcher.connected
        assert watcher.last == store.last_seq()
        assert watcher.wait(0.2) is None  # nothing happened
        writer = _later(0.2, lambda: _scan(store, 1))
        seen = watcher.wait(30)
        writer.join()
        assert seen == store.last_seq() == watcher.last
        assert watcher.wait(0.2) is None  # reported once


def test_only_logged_events_are_changes(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=5)
    with Watcher(store.url, fallback=0.1) as watcher:
        store.scan("123", Mode.ENTRY, "door-1")  # garbage: never reaches the database
        store.import_register(demo_register(5), source="again")  # no change: rolled back
        assert watcher.wait(0.5) is None
        refused = store.scan(store.card_code(999, 0), Mode.ENTRY, "door-1")  # refused, logged
        assert refused.seq is not None
        assert watcher.wait(10) == refused.seq


def test_seen_starts_from_what_the_caller_shows(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=5)
    before = store.last_seq()
    _scan(store, 1)
    with Watcher(store.url, seen=before) as watcher:
        assert watcher.wait(0) == store.last_seq()


def test_a_lost_wakeup_is_caught_by_the_fallback_poll(make_store: MakeStore, db_url: str) -> None:
    """A change that sends no wake-up at all (a lost NOTIFY) still shows within `fallback`."""
    store = make_store(db_url, delegates=5)
    with Watcher(store.url, fallback=0.3) as watcher:
        if db_url.startswith("postgresql"):
            # Listen on nothing: the notification is lost for this watcher.
            source = watcher._source
            assert source is not None
            source._conn.execute(f"UNLISTEN {CHANNEL}")  # type: ignore[attr-defined]
        seq = _scan(store, 2)
        assert watcher.wait(30) == seq


def test_close_from_another_thread_ends_a_wait(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=5)
    watcher = Watcher(store.url, fallback=NO_FALLBACK)
    closer = _later(0.2, watcher.close)
    assert watcher.wait(NO_FALLBACK) is None
    closer.join()
    assert not watcher.connected
    assert watcher.wait(1) is None


def test_a_restored_backup_is_a_change(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path
) -> None:
    """Restoring copies an older log into the live file: the seq goes down and that is reported."""
    store = make_store(sqlite_url, delegates=5)
    saved = backup.snapshot(store, tmp_path / "backups")
    older = store.last_seq()
    _scan(store, 1)
    with Watcher(store.url, fallback=NO_FALLBACK) as watcher:
        _later(0.2, lambda: backup.restore(sqlite_url, saved, lambda _q: True)).join()
        assert watcher.wait(30) == older


def test_a_missing_sqlite_file_is_not_connected(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with Watcher(database_url(str(path))) as watcher:
        assert not watcher.connected
        assert watcher.wait(0.3) is None
    assert not path.exists(), "the watcher must not create a database"


@pytest.mark.pg
def test_reconnects_after_its_backend_is_terminated(make_store: MakeStore, pg_url: str) -> None:
    """The watcher's server process killed (as a restart or a network cut would): it reconnects
    by itself, and a change made while it was away is reported."""
    store = make_store(pg_url, delegates=5)
    with Watcher(store.url, fallback=NO_FALLBACK) as watcher:
        database = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(pg_url, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'presidium-watch' AND datname = %s",
                (database,),
            ).fetchall()
        assert killed == [(True,)]
        lost = watcher._source
        seq = _scan(store, 1)  # its notification cannot reach the dead connection
        assert watcher.wait(30) == seq
        assert watcher.connected
        assert watcher._source is not lost, "it went on with the dead connection"
        seq = _scan(store, 2)  # and the new connection listens again
        assert watcher.wait(30) == seq


# ---------------------------------------------------------------- a real server restart


@pytest.mark.pg
@pytest.mark.slow
def test_reconnects_after_the_server_restarts(
    make_store: MakeStore, private_pg: PrivateServer
) -> None:
    store = make_store(private_pg.url, delegates=5)
    with Watcher(store.url, fallback=NO_FALLBACK) as watcher:
        assert watcher.connected
        lost = watcher._source
        private_pg.restart()
        # The store reconnects too (a write after the restart), and it is made before the
        # watcher is back, so no notification reaches it: the seq read on reconnection shows it.
        seq = _scan(store, 1)
        assert watcher.wait(30) == seq
        assert watcher.connected
        assert watcher._source is not lost, "it went on with the dead connection"
        seq = _scan(store, 2)
        assert watcher.wait(30) == seq
