"""The roles' side of the Store: passphrases, signing in, and what a terminal may append.

A terminal opened for a role calls :meth:`Roles.act_as`: from then on its events carry the role
and the person who signed in, and the log appends only the event kinds the role may
(``db.log.Log.add_event`` checks ``Log.records``). Setting a passphrase and signing in are events
like any other, so the audit log says who set what and who sat at which terminal.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from db.log import Log
from db.logins import set_login
from db.models import RolePassphrase
from session import roles
from session.roles import Passphrase, Role, RoleError, rights


class Roles:
    """The roles' passphrases and sign-ins, and who the log records as writing."""

    def __init__(self, log: Log) -> None:
        self._log = log

    def act_as(self, role: Role, person: str | None = None) -> None:
        """Record `role` (and `person`, once signed in) on every event from now on, and append
        only what the role may."""
        self._log.role = role.value
        self._log.records = rights(role).records
        if person is not None:
            self._log.operator = person

    # ------------------------------------------------------------------ passphrases

    def passphrases(self) -> dict[Role, datetime]:
        """The roles that have a passphrase, and when it was set."""
        with Session(self._log.reader) as s:
            rows = s.exec(select(RolePassphrase.role, RolePassphrase.set_at)).all()
        return {Role(role): at for role, at in rows if role in Role._value2member_map_}

    def has_passphrase(self, role: Role) -> bool:
        return self._passphrase(role) is not None

    def _passphrase(self, role: Role) -> Passphrase | None:
        with Session(self._log.reader) as s:
            row = s.get(RolePassphrase, role.value)
        return None if row is None else Passphrase(row.salt, row.digest, row.n, row.r, row.p)

    def set_passphrase(self, role: Role, passphrase: str) -> None:
        """Set (or replace) the passphrase of `role`: stored hashed, logged without it."""
        if not role.needs_passphrase:
            raise RoleError("display_open", role=role.value)
        hashed = roles.hash_passphrase(passphrase)  # before the transaction: it takes ~50 ms

        def work(s: Session, seq: int, now: datetime) -> tuple[None, str, dict[str, Any]]:
            row = s.get(RolePassphrase, role.value) or RolePassphrase(
                role=role.value, salt="", digest="", n=0, r=0, p=0, set_at=now
            )
            row.salt, row.digest, row.set_at = hashed.salt, hashed.digest, now
            row.n, row.r, row.p = hashed.n, hashed.r, hashed.p
            s.add(row)
            set_login(s, role, passphrase)  # PostgreSQL: the role's own login (db/logins.py)
            return None, roles.PASSPHRASE_SET, {"role": role.value}

        self._log.transact(work)

    def check_passphrase(self, role: Role, attempt: str) -> bool:
        """Whether `attempt` is the passphrase of `role` (False when it has none)."""
        stored = self._passphrase(role)
        return stored is not None and roles.matches(stored, attempt)

    def sign_in(self, station: str) -> int:
        """Log that the person given to :meth:`act_as` took this terminal; the event's seq."""
        payload = {"role": self._log.role, "person": self._log.operator, "station": station}

        def work(s: Session, seq: int, now: datetime) -> tuple[int, str, dict[str, Any]]:
            return seq, roles.SIGNED_IN, payload

        return self._log.transact(work)
