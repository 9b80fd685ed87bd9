"""A PostgreSQL congress whose roles have their own logins, a direct SQL session as one of
them, and the logins dropped afterwards (they belong to the whole server, which parallel test
workers share). No pytest here."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from sqlmodel import Session

from db.engine import database_url, libpq_conninfo
from db.logins import login_name, login_url, set_login
from db.store import Store
from session.roles import Role
from tests.harness.pg_server import PrivateServer

PASSPHRASES = {
    Role.OPERATOR: "bàn tổ chức giữ sổ",
    Role.DOOR: "cửa chính mở lúc 7 giờ",
    Role.TELLER: "tổ kiểm phiếu bên trái",
    Role.COUNTING: "phòng kiểm phiếu đóng cửa",
    Role.DISPLAY: "màn chiếu hội trường",
    Role.SPEAKERS: "thư ký đăng ký phát biểu",
}


def set_every_login(owner: Store) -> None:
    """Every role's passphrase through `presidium roles set`'s store call, and the projector's
    login (its role needs no passphrase at a terminal; on a server it still needs a login)."""
    for role in (Role.OPERATOR, Role.DOOR, Role.TELLER, Role.COUNTING, Role.SPEAKERS):
        owner.set_passphrase(role, PASSPHRASES[role])
    with Session(owner.engine) as s:
        set_login(s, Role.DISPLAY, PASSPHRASES[Role.DISPLAY])
        s.commit()


@contextmanager
def direct(
    url: str, role: Role, passphrase: str | None = None
) -> Iterator[psycopg.Connection[Any]]:
    """A psycopg session as `role`'s login, in autocommit: each statement stands alone."""
    given = PASSPHRASES[role] if passphrase is None else passphrase
    login = login_url(database_url(url), role, given)
    with psycopg.connect(libpq_conninfo(login), autocommit=True, connect_timeout=5) as conn:
        yield conn


def drop_logins(admin_url: str) -> None:
    """Drop the roles' logins of the database at `admin_url` (connected as its owner)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for role in Role:
            name = sql.Identifier(login_name(conn.info.dbname, role))
            exists = conn.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (login_name(conn.info.dbname, role),)
            ).fetchone()
            if exists:
                conn.execute(sql.SQL("DROP OWNED BY {}").format(name))
                conn.execute(sql.SQL("DROP ROLE {}").format(name))


def require_passwords(server: PrivateServer) -> None:
    """Make `server` ask every login but its superuser for a password (SCRAM), as a venue's
    server does (docs/venue-setup.md); the superuser stays trusted to set the test up."""
    hba = server.root / "data" / "pg_hba.conf"
    hba.write_text(
        "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
        encoding="utf-8",
    )
    with psycopg.connect(server.url, autocommit=True) as admin:
        admin.execute("SELECT pg_reload_conf()")


def owned_database(server: PrivateServer, owner: str, password: str, *, createrole: bool) -> str:
    """A database `congress` owned by a login `owner` (a venue's `presidium`); its URL."""
    with psycopg.connect(server.url, autocommit=True) as admin:
        may = sql.SQL("CREATEROLE" if createrole else "NOCREATEROLE")
        create = sql.SQL("CREATE ROLE {} LOGIN {} PASSWORD {}")
        admin.execute(create.format(sql.Identifier(owner), may, sql.Literal(password)))
        admin.execute(sql.SQL("CREATE DATABASE congress OWNER {}").format(sql.Identifier(owner)))
    return f"postgresql://{owner}:{password}@127.0.0.1:{server.port}/congress"
