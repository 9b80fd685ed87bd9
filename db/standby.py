"""A second server that takes over with nothing lost (issue 16): PostgreSQL's streaming
replication, synchronous with ``remote_apply``.

Setting up (:func:`set_up`, on the standby's machine): a physical replication slot on the
primary (it keeps the WAL the standby has not received yet), ``pg_basebackup -R`` into a new
data folder (it writes the standby's ``primary_conninfo`` with our ``application_name`` and
the slot), the standby server started, and, once it streams, the primary made to wait for it:
``synchronous_standby_names`` names it and ``synchronous_commit = remote_apply``, so a COMMIT
returns only when the standby has applied it. A scan a door shows green is then on both servers.

Taking over (:func:`promote`): ``pg_promote()``, then the new primary's own
``synchronous_standby_names`` emptied (the base backup copied the old primary's, and it would
wait for a standby that is not there). Terminals given both hosts with
``target_session_attrs=read-write`` (db.engine.database_url) find it by themselves.

Losing the standby (:func:`guard_once`): a primary waiting for a standby that is gone would stop
the congress. The guard notices that no standby has streamed for `grace` seconds, lets the
primary commit alone (``synchronous_standby_names = ''``: the waiting commits go on) and says so
in the log (``standby_lost``), which every operator's screen shows; once the standby streams
again and has caught up, the primary waits for it again (``standby_attached``).

These need the server's superuser (ALTER SYSTEM, pg_promote, replication): the venue's
technician's login, never a terminal's. Server programs are run as the ``postgres`` system user
when this runs as root (initdb and pg_ctl refuse root).
"""

import glob
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.engine import PG_CONNECT_OPTIONS, database_url, libpq_conninfo
from db.models import Event
from session.i18n import Refusal

NAME = "presidium_standby"  # the standby's application_name and its replication slot
STANDBY_LOST = "standby_lost"
STANDBY_ATTACHED = "standby_attached"
STANDBY_KINDS = frozenset({STANDBY_LOST, STANDBY_ATTACHED})
STREAMING_WAIT_SECONDS = 60.0
SERVER_SECONDS = 120  # the longest a pg_basebackup or a pg_ctl may take


class StandbyError(Refusal):
    """A refused standby step, with a key under 'standby.error.'."""

    prefix = "standby.error."


# ---------------------------------------------------------------- connections and programs


def admin_conninfo(location: str, *, host: int | None = None, writable: bool = False) -> str:
    """libpq's connection string for `location` (--db: a URL with one host or several); with
    `host`, to that one of them only, whatever it is now (a primary or a standby); `writable`:
    to the one that takes writes."""
    info = conninfo_to_dict(libpq_conninfo(database_url(location)))
    info.pop("target_session_attrs", None)
    if writable:
        info["target_session_attrs"] = "read-write"
    if host is not None:
        hosts = str(info.get("host", "")).split(",")
        ports = str(info.get("port", "")).split(",")
        info["host"] = hosts[host]
        info["port"] = ports[host] if len(ports) == len(hosts) else ports[0]
    options = {k: v for k, v in PG_CONNECT_OPTIONS.items() if k not in info}
    return make_conninfo(**{**info, **options, "application_name": "presidium-standby"})


def host_count(location: str) -> int:
    info = conninfo_to_dict(libpq_conninfo(database_url(location)))
    return len(str(info.get("host", "")).split(","))


def connect(conninfo: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(conninfo, autocommit=True)
    except psycopg.OperationalError as exc:
        where = _where(conninfo)
        raise StandbyError("unreachable", where=where, detail=_first_line(exc)) from None


def server_programs() -> Path:
    """The folder of PostgreSQL's server programs (pg_ctl's real one: a link on the PATH may
    stand alone)."""
    found = shutil.which("pg_ctl") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)), None
    )
    if found is None:
        raise StandbyError("no_programs")
    return Path(os.path.realpath(found)).parent


def as_server_user() -> list[str]:
    """The prefix that runs a server program as `postgres` when this runs as root."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def run_program(*command: str) -> None:
    """A server program, its error said in one line when it fails."""
    try:
        subprocess.run([*as_server_user(), *command], check=True, capture_output=True,
                       text=True, timeout=SERVER_SECONDS)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines() or [str(exc)]
        raise StandbyError("program_failed", program=Path(command[0]).name,
                           detail=detail[-1]) from None  # fmt: skip
    except subprocess.TimeoutExpired:
        raise StandbyError("program_slow", program=Path(command[0]).name) from None


# ---------------------------------------------------------------- what each server says


@dataclass(frozen=True, slots=True)
class Replica:
    """A standby as its primary sees it."""

    name: str
    state: str  # streaming, catchup, startup...
    sync_state: str  # sync, async, potential, quorum
    lag_bytes: int  # WAL written on the primary and not yet applied on the standby
    replay_lag_ms: int | None  # how long the last applied change took to be applied there


@dataclass(frozen=True, slots=True)
class ServerState:
    where: str  # host:port
    reachable: bool
    detail: str = ""  # why not, when not reachable
    standby: bool = False  # in recovery: a standby (read-only)
    waits_for: str = ""  # synchronous_standby_names
    commit: str = ""  # synchronous_commit
    replicas: tuple[Replica, ...] = ()
    behind_bytes: int | None = None  # a standby: received and not yet applied

    @property
    def synchronous(self) -> Replica | None:
        """The standby this primary waits for now, streaming (None: it commits alone)."""
        if not self.waits_for:
            return None
        return next((r for r in self.replicas if r.sync_state in ("sync", "quorum")), None)


REPLICAS_SQL = """
SELECT application_name, state, sync_state,
       COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint,
       (EXTRACT(EPOCH FROM replay_lag) * 1000)::bigint
FROM pg_stat_replication ORDER BY application_name
"""
BEHIND_SQL = """
SELECT COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint
"""


def server_state(conninfo: str) -> ServerState:
    where = _where(conninfo)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            return _state_of(conn, where)
    except psycopg.OperationalError as exc:
        return ServerState(where, False, _first_line(exc))


def _state_of(conn: psycopg.Connection[Any], where: str) -> ServerState:
    standby = bool(_one(conn, "SELECT pg_is_in_recovery()"))
    waits_for = str(_one(conn, "SHOW synchronous_standby_names"))
    commit = str(_one(conn, "SHOW synchronous_commit"))
    if standby:
        return ServerState(where, True, standby=True, waits_for=waits_for, commit=commit,
                           behind_bytes=int(_one(conn, BEHIND_SQL)))  # fmt: skip
    replicas = tuple(Replica(str(n), str(s), str(y), int(lag), None if ms is None else int(ms))
                     for n, s, y, lag, ms in conn.execute(REPLICAS_SQL).fetchall())  # fmt: skip
    return ServerState(where, True, waits_for=waits_for, commit=commit, replicas=replicas)


def cluster_state(location: str) -> list[ServerState]:
    """Each server `location` names, in its order."""
    return [server_state(admin_conninfo(location, host=i)) for i in range(host_count(location))]


# ---------------------------------------------------------------- setting up, taking over


def set_up(
    primary: str, data: Path, port: int, *, listen: str = "*",
    say: Callable[[str, dict[str, object]], None] = lambda _key, _values: None,
) -> None:  # fmt: skip
    """Make a standby of the running `primary` in the new folder `data`, start it on `port`,
    and make the primary wait for it (``remote_apply``) once it streams."""
    if data.exists() and any(data.iterdir()):
        raise StandbyError("data_not_empty", data=str(data))
    with connect(admin_conninfo(primary)) as conn:
        if _one(conn, "SELECT pg_is_in_recovery()"):
            raise StandbyError("not_a_primary", where=_where(conn.info.dsn))
        _create_slot(conn, NAME)
        say("cloning", {"data": str(data)})
        _clone(admin_conninfo(primary), data)
        say("starting", {"port": port})
        start_server(data, port, listen)
        say("waiting", {})
        wait_streaming(conn, NAME)
        make_synchronous(conn, NAME)
    say("synchronous", {})


def _create_slot(conn: psycopg.Connection[Any], name: str) -> None:
    found = conn.execute(
        "SELECT 1 FROM pg_replication_slots WHERE slot_name = %s", (name,)
    ).fetchone()
    if found is None:
        conn.execute("SELECT pg_create_physical_replication_slot(%s, true)", (name,))


def _clone(primary: str, data: Path) -> None:
    """pg_basebackup of the primary into `data`, as a standby of it (-R) on our slot."""
    info = conninfo_to_dict(primary)
    kept = {k: v for k, v in info.items() if k not in ("dbname", "application_name")}
    source = make_conninfo(**kept, application_name=NAME)
    data.parent.mkdir(parents=True, exist_ok=True)
    if as_server_user():
        shutil.chown(data.parent, "postgres")
    programs = server_programs()
    run_program(str(programs / "pg_basebackup"), "-d", source, "-D", str(data), "-R",
                "-X", "stream", "-S", NAME, "-c", "fast")  # fmt: skip
    config_files(data)


# A primary that keeps its configuration outside its data folder (Debian and Ubuntu keep it in
# /etc/postgresql) leaves none in the copy; the standby then starts from these.
MINIMAL_CONFIG = "# Written by presidium standby setup: the primary keeps its own elsewhere.\n"
MINIMAL_HBA = """# Written by presidium standby setup: add the venue's lines (venue-setup.md, 6b).
local   all   all                  peer
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


def config_files(data: Path) -> None:
    """The standby's postgresql.conf and pg_hba.conf, written where the copy has none."""
    for name, text in (("postgresql.conf", MINIMAL_CONFIG), ("pg_hba.conf", MINIMAL_HBA)):
        path = data / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            if as_server_user():
                shutil.chown(path, "postgres", "postgres")
            path.chmod(0o600)


def start_server(data: Path, port: int, listen: str) -> None:
    log = data.parent / f"{data.name}.log"
    options = f"-p {port} -c listen_addresses={listen}"
    if as_server_user():
        options += f" -k {data.parent}"  # (the socket beside it: /run/postgresql is root's)
    run_program(str(server_programs() / "pg_ctl"), "-D", str(data), "-l", str(log),
                "-o", options, "-w", "start")  # fmt: skip


def wait_streaming(conn: psycopg.Connection[Any], name: str) -> None:
    deadline = time.monotonic() + STREAMING_WAIT_SECONDS
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT state FROM pg_stat_replication WHERE application_name = %s", (name,)
        ).fetchone()
        if row is not None and row[0] == "streaming":
            return
        time.sleep(0.2)
    raise StandbyError("not_streaming", name=name, seconds=int(STREAMING_WAIT_SECONDS))


def make_synchronous(conn: psycopg.Connection[Any], name: str) -> None:
    """Every COMMIT on this primary returns once `name` has applied it."""
    conn.execute(sql.SQL("ALTER SYSTEM SET synchronous_standby_names = {}").format(
        sql.Literal(f'FIRST 1 ("{name}")')))  # fmt: skip
    conn.execute("ALTER SYSTEM SET synchronous_commit = 'remote_apply'")
    conn.execute("SELECT pg_reload_conf()")
    deadline = time.monotonic() + STREAMING_WAIT_SECONDS  # (the sender reads it a moment later)
    while _state_of(conn, _where(conn.info.dsn)).synchronous is None:
        if time.monotonic() > deadline:
            raise StandbyError("not_streaming", name=name, seconds=int(STREAMING_WAIT_SECONDS))
        time.sleep(0.05)


def commit_alone(conn: psycopg.Connection[Any]) -> None:
    """This server commits without waiting for any standby (the waiting commits go on)."""
    conn.execute("ALTER SYSTEM SET synchronous_standby_names = ''")
    conn.execute("SELECT pg_reload_conf()")


def promote(location: str, *, force: bool = False) -> str:
    """The standby `location` names (the first of its hosts that is one) takes writes from now
    on, without waiting for a standby of its own; where it is. Refused while another of its
    hosts is a primary that answers (two primaries would be two congresses), unless `force`
    (the technician knows it is cut off from the terminals for good)."""
    states = [server_state(admin_conninfo(location, host=i)) for i in range(host_count(location))]
    alive = next((s for s in states if s.reachable and not s.standby), None)
    if alive is not None and not force:
        raise StandbyError("primary_alive", where=alive.where)
    for i, state in enumerate(states):
        conninfo = admin_conninfo(location, host=i)
        if state.reachable and state.standby:
            with connect(conninfo) as conn:
                if not _one(conn, "SELECT pg_promote(true, 60)"):
                    raise StandbyError("promote_failed", where=state.where)
                commit_alone(conn)
            return state.where
    raise StandbyError("no_standby")


# ---------------------------------------------------------------- the guard


@dataclass
class Guard:
    """What the guard remembers between two looks at the primary."""

    grace: float
    missing_since: float | None = None


Record = Callable[[str, dict[str, Any]], None]  # appends a standby event to the congress's log


def guard_once(conn: psycopg.Connection[Any], guard: Guard, record: Record) -> str | None:
    """One look at the primary: the event recorded (STANDBY_LOST, STANDBY_ATTACHED) or None."""
    state = _state_of(conn, _where(conn.info.dsn))
    now = time.monotonic()
    if state.standby:
        return None  # (a standby has nothing to guard)
    if state.waits_for:
        if state.synchronous is not None:
            guard.missing_since = None
            return None
        guard.missing_since = guard.missing_since or now
        if now - guard.missing_since < guard.grace:
            return None
        commit_alone(conn)  # first: the commits waiting for it (the event's own too) go on
        record(STANDBY_LOST, {"standby": NAME, "seconds": int(now - guard.missing_since)})
        guard.missing_since = None
        return STANDBY_LOST
    back = next((r for r in state.replicas if r.name == NAME and r.state == "streaming"), None)
    if back is not None and back.lag_bytes == 0:
        make_synchronous(conn, NAME)
        record(STANDBY_ATTACHED, {"standby": NAME})
        return STANDBY_ATTACHED
    return None


def guard_primary(location: str, guard: Guard, record: Record, tick: float = 0.5) -> str:
    """Guard the primary `location` leads to (whichever server takes writes: after a takeover,
    the new one) until it cannot be reached; why not."""
    try:
        with connect(admin_conninfo(location, writable=True)) as conn:
            while True:
                guard_once(conn, guard, record)
                time.sleep(tick)
    except StandbyError as exc:
        return str(exc)
    except psycopg.OperationalError as exc:
        return _first_line(exc)


# ---------------------------------------------------------------- what the log says of it


def standby_news(reader: Engine) -> tuple[str, str] | None:
    """The log's latest word on the standby: (STANDBY_LOST or STANDBY_ATTACHED, its time in
    ISO form), or None when the guard never had to say anything."""
    with Session(reader) as s:
        row = s.exec(
            select(Event.kind, Event.at)
            .where(col(Event.kind).in_(STANDBY_KINDS))
            .order_by(col(Event.seq).desc())
            .limit(1)
        ).first()
    return None if row is None else (str(row[0]), str(row[1]))


# ---------------------------------------------------------------- small helpers


def _one(conn: psycopg.Connection[Any], query: str) -> Any:
    row = conn.execute(query).fetchone()
    return None if row is None else row[0]


def _where(conninfo: str) -> str:
    info = conninfo_to_dict(conninfo)
    return f"{info.get('host', 'localhost')}:{info.get('port', 5432)}"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
