"""Engines: SQLite set up for durability and concurrency, or PostgreSQL for several hosts.

SQLite: WAL, synchronous=FULL (a commit survives power loss), busy_timeout, foreign keys, and
BEGIN IMMEDIATE for every write transaction (deferred transactions fail with "database is locked"
under contention; engineering notes 4.2). The pysqlite driver's own BEGIN is switched off so the
`begin` hook decides. Reads go through a second engine with a plain BEGIN so displays never take
the write lock.

PostgreSQL: every connection (the store's and the watcher's) sets libpq's connect timeout,
TCP keepalives and ``tcp_user_timeout``, so a cut network link fails a write or a read in about
10 s instead of after the kernel's retransmission timeout (about 15 minutes); the terminal then
says "not connected" rather than hanging. ``pool_pre_ping`` replaces a connection that died
while idle (a restarted server) before it is used.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote
from weakref import WeakKeyDictionary

from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.pool import ConnectionPoolEntry

ENV_VAR = "PRESIDIUM_DB"
BUSY_TIMEOUT_MS = 5000
# libpq options for every PostgreSQL connection (see above); seconds, tcp_user_timeout in ms.
PG_CONNECT_OPTIONS: dict[str, int | str] = {
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
}


class DatabaseLocationError(ValueError):
    pass


def database_url(location: str | None) -> str:
    """A SQLAlchemy URL from --db (a file path or a URL) or $PRESIDIUM_DB.

    A PostgreSQL URL may name several servers as libpq does, a primary and its standby
    (``postgresql://u@laptop-a:5432,laptop-b:5432/congress?target_session_attrs=read-write``):
    every connection then goes to the one that takes writes (issue 16)."""
    location = location or os.environ.get(ENV_VAR)
    if not location:
        raise DatabaseLocationError("no database given: use --db PATH or set PRESIDIUM_DB")
    if location.startswith(("postgresql://", "postgres://")):
        rest = location.split("://", 1)[1]
        return "postgresql+psycopg://" + (_hosts_in_query(rest) if _several_hosts(rest) else rest)
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def _several_hosts(rest: str) -> bool:
    """Whether a URL's part after "://" names several hosts ("u@a:5432,b:5432/db")."""
    authority = rest.split("/", 1)[0]
    return "," in authority.rsplit("@", 1)[-1]


def _hosts_in_query(rest: str) -> str:
    """libpq's "u@a:1,b:2/db?x=y" as SQLAlchemy writes it: "u@/db?host=a:1&host=b:2&x=y"."""
    authority, _, path = rest.partition("/")
    user, at, hosts = authority.rpartition("@")
    database, _, query = path.partition("?")
    pairs = [f"host={quote(h, safe=':[]')}" for h in hosts.split(",") if h]
    options = "&".join([*pairs, *([query] if query else [])])
    return f"{user}{at}/{database}?{options}"


def shown_url(url: str) -> str:
    """`url` as a message may name it: without a password (a role's login carries its
    passphrase there, db/logins.py)."""
    return url if is_sqlite(url) else make_url(url).render_as_string(hide_password=True)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def libpq_conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy PostgreSQL URL, quoted by psycopg: a password
    with spaces (a role's passphrase, db/logins.py) is one value, not a parse error."""
    parsed = make_url(url)
    parts = {
        "host": parsed.host,
        "port": parsed.port,
        "dbname": parsed.database,
        "user": parsed.username,
        "password": parsed.password,
        **parsed.query,
    }
    hosts = parsed.query.get("host")
    if isinstance(hosts, tuple):  # a primary and its standby: libpq's "h1,h2" and "p1,p2"
        split = [h.rpartition(":") if ":" in h else (h, "", "") for h in hosts]
        parts["host"] = ",".join(h for h, _, _ in split)
        ports = [p for _, _, p in split]
        parts["port"] = ",".join(ports) if any(ports) else None
    return make_conninfo(**{key: value for key, value in parts.items() if value is not None})


class DatabaseFileGone(OSError):
    """The SQLite file this store opened is no longer the file at its path: removed (writes
    would land in a file nobody will ever open again) or replaced by another one."""


def _guard_file(engine: Engine, path: str) -> None:
    """Make every use of `engine` check first that its file is still the one it opened.

    A stat costs a few microseconds; without it, a scan into a deleted database is acknowledged
    green and lost when the terminal closes (issue 13, finding 4).
    """
    opened: list[tuple[int, int]] = []  # (device, inode) of the file first opened

    def same_file(*_: object) -> None:
        try:
            found = os.stat(path)
        except FileNotFoundError:
            raise DatabaseFileGone(path) from None
        identity = (found.st_dev, found.st_ino)
        if not opened:
            opened.append(identity)
        elif identity != opened[0]:
            raise DatabaseFileGone(path)

    event.listen(engine, "checkout", same_file)
    _FILE_CHECKS[engine] = same_file


_FILE_CHECKS: "WeakKeyDictionary[Engine, Callable[[], None]]" = WeakKeyDictionary()


def check_same_file(engine: Engine) -> None:
    """Raise DatabaseFileGone if `engine`'s SQLite file was removed or replaced since it was
    opened (nothing to check on PostgreSQL): called again just before a commit."""
    check = _FILE_CHECKS.get(engine)
    if check is not None:
        check()


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(url)
    path = make_url(url).database or ""
    if path and path != ":memory:":
        _guard_file(engine, path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engines(url: str) -> tuple[Engine, Engine]:
    """(writer, reader) for the database at `url`."""
    if is_sqlite(url):
        return _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False)
    options = {**PG_CONNECT_OPTIONS, "application_name": "presidium"}
    engine = create_engine(url, pool_pre_ping=True, connect_args=options)
    return engine, engine


def close_engine(engine: Engine) -> None:
    """Close every connection of `engine`, those in use at the time and any opened later.

    ``Engine.dispose()`` closes only the connections resting in its pool. One that a thread is
    still using (a terminal's read worker when the terminal quits) goes back later into the old
    pool, and a read started after the close opens one in the new pool: both would be left to
    the garbage collector, which finds them open (psycopg then warns). Here each is closed as it
    comes back, so a closed engine holds nothing open; used again, it connects anew each time.
    """
    old = engine.pool
    engine.dispose()  # (the new pool copies the old one's listeners: hence listen afterwards)
    for pool in (old, engine.pool):
        event.listen(pool, "checkin", _close_returned)


def _close_returned(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    if dbapi_connection is not None:  # (None: already invalidated, hence closed)
        record.invalidate()  # closes it; a later checkout of this entry connects anew
