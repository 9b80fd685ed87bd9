"""Tables. No `from __future__ import annotations` here (SQLModel cannot map it)."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from session.quorum import Kind, Member, Status

# 2: Delegate.activated_for (an alternate seated in place of an absent official delegate).
# 3: Event.role (the role the terminal signed in as) and the role_passphrase table.
# From 3 on, the Alembic revisions in db/migrations/ build and change the tables (3 is their
# baseline) and alembic_version says which ran. This number stays meaningful, one schema, one
# number: the schema_version meta row holds it, a revision that changes the tables raises it
# (and states it: tests/cli/test_upgrade.py checks the head's), so the releases from before
# Alembic, which read only this row, refuse a file whose tables they do not know.
SCHEMA_VERSION = 3


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=64)
    value: str


class CongressRow(SQLModel, table=True):
    __tablename__ = "congress"
    id: int = Field(default=1, primary_key=True)
    name: str
    config_json: str  # the congress file as parsed, re-validated on every open
    secret: str  # signs the card codes; never leaves the database
    created_at: datetime


class Delegate(SQLModel, table=True):
    # Covers the roll-call aggregate (snapshot), so it never reads the whole rows.
    __table_args__ = (
        Index(
            "ix_delegate_counts",
            "kind",
            "status",
            "present",
            "replaced_by_alternate",
            "activated_for",
            "unit",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, index=True)
    full_name: str
    name_folded: str = Field(index=True)  # diacritic-free, for search
    unit: str = Field(index=True)
    kind: str
    origin: str = ""
    gender: str = ""
    date_of_birth: date | None = None
    ethnicity: str = ""
    education: str = ""
    sector: str = ""
    status: str = "summoned"
    status_reason: str = ""
    replaced_by_alternate: bool = False
    # An activated alternate: the number of the official delegate whose place they hold.
    activated_for: int | None = None
    card_issue: int = 0
    present: bool = False
    present_since: datetime | None = None
    present_station: str | None = None

    def member(self) -> Member:
        """The facts the base, the quorum and the ballot desk need about this delegate."""
        return Member(
            Kind(self.kind),
            Status(self.status),
            self.present,
            self.replaced_by_alternate,
            self.activated_for is not None,
        )


class Attendance(SQLModel, table=True):
    """Append-only: every entry and exit, and every correction of one."""

    id: int | None = Field(default=None, primary_key=True)
    delegate_id: int = Field(foreign_key="delegate.id", index=True)
    action: str  # check_in | check_out
    method: str  # scan | manual | voting_check | correction
    at: datetime
    station: str
    reason: str = ""
    reverses: int | None = Field(default=None, foreign_key="attendance.id")
    reversed_by: int | None = Field(default=None)  # never written: a correction names what it
    # undoes in its own `reverses`, which is what every reader looks at (the table is append-only)
    event_seq: int = Field(index=True)


class Event(SQLModel, table=True):
    """The audit log and change feed: one row per change of state, hash-chained."""

    seq: int = Field(primary_key=True)
    at: str  # ISO 8601 UTC, stored as text so the hash input is exact on every backend
    kind: str = Field(index=True)
    payload: str  # canonical JSON
    terminal: str
    operator: str
    prev_hash: str
    hash: str
    role: str = ""  # the role the terminal signed in as; "" for the command line


class RolePassphrase(SQLModel, table=True):
    """A role's passphrase as scrypt hashed it, with its own salt and cost (never the phrase)."""

    __tablename__ = "role_passphrase"
    role: str = Field(primary_key=True, max_length=16)
    salt: str  # hex
    digest: str  # hex
    n: int
    r: int
    p: int
    set_at: datetime


class ChainHead(SQLModel, table=True):
    """The last event's seq and hash; locking this row serialises writers on PostgreSQL."""

    __tablename__ = "chain_head"
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str
