"""Tell cheaply whether the congress log moved, from any thread, on SQLite or on PostgreSQL.

Every change of state appends one event and moves ``chain_head.seq`` in the same transaction, so
that one integer is the truth about "did anything change". A :class:`Watcher` blocks until it
differs from the last value it reported; what woke it up is only a hint:

* **SQLite**: ``PRAGMA data_version`` on a connection of the watcher's own (measured here,
  SQLite 3.40, Python 3.11): it moves when *another* connection commits, whether in this process
  or another one; it does not move for the connection's own commits, for a rolled-back
  transaction or an empty commit, nor while the connection holds a read transaction open (so
  the watcher's connection stays in autocommit); a WAL checkpoint moves it too, hence the seq is
  read before anything is reported. One call costs about 6 µs, so it is polled every 50 ms.
* **PostgreSQL**: ``LISTEN presidium_log`` on a connection of the watcher's own. Every write
  transaction calls :func:`notify_appended` before its COMMIT; PostgreSQL delivers the
  notification only when that transaction commits (verified: nothing arrives before, nothing
  after a rollback). Notifications sent while the watcher is disconnected are lost, so the seq
  is also read after every (re)connection and every ``fallback`` seconds.

The watcher reconnects by itself after a PostgreSQL restart or a killed server process (both
tested) and after an SQLite error. For a cut network link it sets libpq's keepalive and
``tcp_user_timeout`` options, meant to notice a dead link within about 10 s rather than after
the kernel's retransmission timeout of about 15 minutes (not measured here: no way to cut a
link on the shared test machine). :attr:`Watcher.connected` says whether the last attempt to
reach the database worked, for a "not connected" banner.
"""

import contextlib
import sqlite3
import threading
import time
from typing import Protocol
from urllib.parse import quote

import psycopg
from sqlalchemy import make_url, text
from sqlmodel import Session

from db.engine import PG_CONNECT_OPTIONS, is_sqlite, libpq_conninfo

CHANNEL = "presidium_log"
SQLITE_POLL_SECONDS = 0.05  # data_version costs ~6 µs: 20 polls a second are free
FALLBACK_SECONDS = 2.0  # read the seq this often even without a hint (a lost NOTIFY)
SLICE_SECONDS = 0.05  # the longest a wait sleeps before checking whether it should stop
RECONNECT_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.0)  # pauses between reconnection attempts
HEAD_SQL = "SELECT seq FROM chain_head WHERE id = 1"
# Keepalives and tcp_user_timeout as for the store (db.engine): a pulled cable in about 10 s.
WATCH_CONNECT_OPTIONS = {**PG_CONNECT_OPTIONS, "application_name": "presidium-watch"}


def notify_appended(session: Session, seq: int) -> None:
    """Inside a write transaction that appended up to event `seq`: wake the PostgreSQL watchers.

    The notification is queued by the transaction and delivered only if it commits; on SQLite
    there is nothing to do (the watchers poll ``data_version``).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(
            text("SELECT pg_notify(:channel, :seq)"), {"channel": CHANNEL, "seq": str(seq)}
        )


class HasUrl(Protocol):
    """What :meth:`Watcher.for_store` needs of a store (db.store.Store has it): its URL."""

    @property
    def url(self) -> str: ...


class _Source(Protocol):
    """One backend's way of reading the seq and of dozing until a hint that it moved."""

    def head(self) -> int:
        """The log's last seq; raises on a connection failure (the caller reconnects)."""
        ...

    def doze(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True as soon as the log may have moved. May raise."""
        ...

    def close(self) -> None: ...


class _SqliteSource:
    def __init__(self, path: str, poll: float) -> None:
        self._poll = poll
        # Autocommit (isolation_level=None): data_version is frozen inside an open transaction.
        # mode=rw: a wrong path is an error, not a new empty database.
        self._conn = sqlite3.connect(
            f"file:{quote(path)}?mode=rw", uri=True, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def head(self) -> int:
        # The version first: a commit between the two reads is then seen by the next doze.
        self._version = self._data_version()
        row = self._conn.execute(HEAD_SQL).fetchone()
        return int(row[0]) if row else 0

    def doze(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while self._data_version() == self._version:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self._poll, left))
        return True

    def close(self) -> None:
        self._conn.close()


class _PostgresSource:
    def __init__(self, conninfo: str) -> None:
        self._conn = psycopg.connect(conninfo, autocommit=True, **WATCH_CONNECT_OPTIONS)
        try:
            self._conn.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            self._conn.close()
            raise

    def head(self) -> int:
        row = self._conn.execute(HEAD_SQL).fetchone()
        return int(row[0]) if row else 0

    def doze(self, seconds: float) -> bool:
        # Notifications that arrived during head()'s query are kept by psycopg and come first.
        # The payload (a seq) is not trusted: head() is read after any wake-up.
        return bool(list(self._conn.notifies(timeout=seconds, stop_after=1)))

    def close(self) -> None:
        self._conn.close()


def _conninfo(url: str) -> str:
    """A libpq connection string from the store's SQLAlchemy URL (postgresql+psycopg://...)."""
    return libpq_conninfo(url)


class Watcher:
    """Block until the congress log moves: ``Watcher(url).wait(timeout) -> int | None``.

    Meant for one thread (a Textual thread worker, say): :meth:`wait` returns the log's new last
    seq as soon as it differs from the one reported before (normally greater; smaller after a
    restored backup), or None when `timeout` passed without a change. :meth:`close` may be called
    from another thread; a wait in progress then returns None within ``SLICE_SECONDS``.
    """

    def __init__(
        self,
        url: str,
        *,
        seen: int | None = None,
        poll: float = SQLITE_POLL_SECONDS,
        fallback: float = FALLBACK_SECONDS,
    ) -> None:
        """`url` is a SQLAlchemy URL (``store.url``); `seen` the seq the caller already shows
        (None: the current one, so only later changes are reported; when the database cannot
        be reached yet, the first seq read later is reported)."""
        self.url = url
        self._poll = poll
        self._fallback = fallback
        self._source: _Source | None = None
        self._failures = 0
        self._retry_at = 0.0  # while disconnected: no new connection attempt before this
        self._stop = threading.Event()
        self._busy = threading.Lock()
        self.connected = False
        self.last = seen if seen is not None else self._read_head() or 0

    @classmethod
    def for_store(cls, store: HasUrl, *, seen: int | None = None) -> "Watcher":
        return cls(store.url, seen=seen)

    def wait(self, timeout: float | None = None) -> int | None:
        """The new last seq as soon as the log moved, or None after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._busy:
            while not self._stop.is_set():
                seq = self._read_head()
                if seq is not None and seq != self.last:
                    self.last = seq
                    return seq
                left = self._fallback if deadline is None else deadline - time.monotonic()
                if left <= 0:
                    return None
                self._doze(min(left, self._fallback))
            return None

    def _doze(self, seconds: float) -> None:
        """Sleep until a hint, in slices so close() is noticed; reconnection pauses go here too."""
        deadline = time.monotonic() + seconds
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if self._source is None:  # disconnected: _read_head() tries again at _retry_at
                until_retry = self._retry_at - time.monotonic()
                if until_retry <= 0:
                    return
                time.sleep(min(left, SLICE_SECONDS, until_retry))
                continue
            try:
                if self._source.doze(min(left, SLICE_SECONDS)):
                    return
            except (psycopg.Error, sqlite3.Error):
                self._drop()
                return

    def _read_head(self) -> int | None:
        """The log's last seq, connecting first if needed; None while the database is away."""
        if self._source is None and time.monotonic() < self._retry_at:
            return None
        try:
            if self._source is None:
                self._source = self._connect()
            seq = self._source.head()
        except (psycopg.Error, sqlite3.Error, OSError):
            self._drop()
            return None
        self.connected = True
        self._failures = 0
        return seq

    def _connect(self) -> _Source:
        if is_sqlite(self.url):
            path = make_url(self.url).database or ""
            return _SqliteSource(path, self._poll)
        return _PostgresSource(_conninfo(self.url))

    def _drop(self) -> None:
        """Forget a broken connection; the next read makes a new one."""
        self.connected = False
        self._failures += 1
        pause = RECONNECT_SECONDS[min(self._failures, len(RECONNECT_SECONDS)) - 1]
        self._retry_at = time.monotonic() + pause
        if self._source is not None:
            source, self._source = self._source, None
            with contextlib.suppress(Exception):  # already broken: closing is best effort
                source.close()

    @property
    def closed(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """From another thread, without waiting: a wait in progress returns None within
        ``SLICE_SECONDS``; the waiting thread then calls :meth:`close`."""
        self._stop.set()

    def close(self) -> None:
        """Stop: a wait in progress returns None shortly; the connection is closed."""
        self._stop.set()
        with self._busy:
            if self._source is not None:
                self._source.close()
                self._source = None
            self.connected = False

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
