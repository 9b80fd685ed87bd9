"""One PostgreSQL login per role of a congress, its password the role's passphrase.

``presidium roles set ROLE`` runs with the owner's connection (``--db``); on PostgreSQL it also
creates or updates ``ROLE``'s login here, in the same transaction as the passphrase's hash, and
gives it exactly the role's privileges (db/privileges.py). A terminal then opens the congress
as that login (:func:`login_url`, ``Store.open_as``): the server checks the passphrase, and
whatever the terminal sends, the server lets it do only its role's work.

Logins belong to the whole server, not to one database, so a login's name carries its
database's (:func:`login_name`). The passphrase never reaches the server in clear: libpq turns
it into a SCRAM-SHA-256 verifier on this machine (what PostgreSQL keeps), and the statement
carries only that, so no server log can show the passphrase either. On SQLite there are no
logins: the file is the boundary.
"""

import unicodedata
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from db import privileges
from db.engine import PG_CONNECT_OPTIONS, shown_url
from db.log import StoreError, first_line
from db.privileges import login_name
from session.roles import Role

# How libpq says the server refused a login itself (it gives no SQLSTATE for these), as opposed
# to being out of reach: a wrong password, no such login, no password at all.
_REFUSED = ("password authentication failed", "does not exist", "no password supplied")


def login_password(passphrase: str) -> str:
    """The password of a role's login: the passphrase as the sign-in compares it (NFC: the same
    Vietnamese passphrase typed on two keyboards may arrive composed or not)."""
    return unicodedata.normalize("NFC", passphrase)


def login_url(url: str, role: Role, passphrase: str) -> str:
    """The congress's SQLAlchemy URL with `role`'s login and passphrase in place of its user and
    password (the host, the port, the database and the options stay)."""
    parsed = make_url(url)
    login = login_name(parsed.database or "", role)
    password = login_password(passphrase)
    return parsed.set(username=login, password=password).render_as_string(hide_password=False)


def check_login(engine: Engine, role: Role, where: str) -> None:
    """Connect once as `role`'s login: a login the server refuses is said as such
    ("login_refused"), a server out of reach as "cannot_open" at `where`; neither names the
    engine's URL, which holds the passphrase."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        if any(words in str(exc.orig) for words in _REFUSED):
            raise StoreError("login_refused", role=role.value) from None
        raise StoreError("cannot_open", db=where, detail=first_line(exc)) from None


def given_passphrase(url: str, role: Role) -> str | None:
    """The passphrase `url` already carries for `role`'s login (a projector page started by
    `presidium serve` gets the URL its server opened), or None."""
    parsed = make_url(url)
    if parsed.username == login_name(parsed.database or "", role) and parsed.password:
        return str(parsed.password)
    return None


def passphrase_opens(url: str, role: Role, attempt: str) -> bool:
    """Whether `attempt` opens `role`'s login: how a terminal that cannot read the passphrase
    hashes (it runs as a role's login) checks a sign-in. The server answers, with its own
    wait after wrong passwords if the venue set one (auth_delay, docs/security.md)."""
    if not attempt:  # libpq would take a password file's instead (~/.pgpass)
        return False
    engine = create_engine(
        login_url(url, role, attempt), poolclass=NullPool, connect_args=dict(PG_CONNECT_OPTIONS)
    )
    try:
        check_login(engine, role, shown_url(url))
    except StoreError as exc:
        if exc.key == "login_refused":
            return False
        raise
    finally:
        engine.dispose()
    return True


def set_login(s: Session, role: Role, passphrase: str) -> None:
    """On PostgreSQL, create or update `role`'s login with `passphrase` and give it the role's
    privileges, in the transaction of `s` (the owner's); on SQLite, nothing."""
    if s.get_bind().dialect.name != "postgresql":
        return
    conn: psycopg.Connection[Any] = s.connection().connection.driver_connection  # type: ignore[assignment]
    name = login_name(conn.info.dbname, role)
    try:
        _create_or_alter(conn, name, login_password(passphrase))
        privileges.provision(conn)
        privileges.grant(conn, role, name)
    except psycopg.Error as exc:  # the owner may not create roles (no CREATEROLE), say
        raise StoreError("login_not_set", role=role.value, detail=first_line(exc)) from None


def regrant(connection: Connection) -> None:
    """On PostgreSQL, give every role's existing login its privileges again, in the owner's
    transaction of `connection`: after an upgrade, the tables a migration added are in them."""
    if connection.dialect.name != "postgresql":
        return
    conn: psycopg.Connection[Any] = connection.connection.driver_connection  # type: ignore[assignment]
    existing = [
        (role, name)
        for role in Role
        if conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s",
            (name := login_name(conn.info.dbname, role),),
        ).fetchone()
    ]
    if existing:
        privileges.provision(conn)
    for role, name in existing:
        privileges.grant(conn, role, name)


def _create_or_alter(conn: psycopg.Connection[Any], name: str, password: str) -> None:
    verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    # NOINHERIT: should anyone grant it a role one day, it does not act with that role's rights
    # unless it asks to (SET ROLE).
    create = "CREATE ROLE {} WITH LOGIN NOINHERIT PASSWORD {}"
    if exists:
        create = "ALTER ROLE {} WITH LOGIN PASSWORD {}"
    conn.execute(sql.SQL(create).format(sql.Identifier(name), sql.Literal(verifier.decode())))
    # A login may set its own session defaults (PostgreSQL lets every role): a statement
    # timeout of 1 ms would stop every terminal of the role. Setting the passphrase clears them.
    conn.execute(sql.SQL("ALTER ROLE {} RESET ALL").format(sql.Identifier(name)))
