"""Alembic's environment for Presidium's tables.

Run only through db/upgrade.py, which passes the connection in ``config.attributes["connection"]``
with its transaction already begun: the whole upgrade (and its backup on PostgreSQL) then commits
or rolls back as one. There is no alembic.ini and no offline (--sql) mode.
"""

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import db.models  # noqa: F401  (importing the models puts the tables on SQLModel.metadata)


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if context.is_offline_mode() or not isinstance(connection, Connection):
        raise RuntimeError("Presidium's migrations run only through db.upgrade, on a connection")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        # SQLite alters a column only by rebuilding its table: batch operations do that, and on
        # PostgreSQL they are plain ALTERs, so one migration serves both.
        render_as_batch=True,
    )
    with context.begin_transaction():  # (no-op: the caller's transaction is the one)
        context.run_migrations()


run_migrations()
