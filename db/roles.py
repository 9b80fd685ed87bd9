"""The roles' side of the Store: passphrases, signing in, and what a terminal may append.

A terminal opened for a role calls :meth:`Roles.act_as`: from then on its events carry the role
and the person who signed in, and the log appends only the event kinds the role may
(``db.log.Log.add_event`` checks ``Log.records``). Setting a passphrase and signing in are events
like any other, so the audit log says who set what and who sat at which terminal.

A wrong passphrase is an event too (``role_sign_in_refused``: the role, never the attempt), at
the terminal that typed it, and the right one after wrong ones appends ``role_sign_in_cleared``.
The wait before the next attempt (:func:`session.roles.retry_wait`) is read back from these: the
refused events of that role at that terminal since its last cleared one. So the wait outlives
the terminal's process (a restart used to reset it), the command line's passphrase prompt obeys
the same count as the screens, and each door keeps its own: a wrong passphrase at one door does
not lock out the others. The log rather than a table of its own: the event already names the
terminal, it is chained like every other (a count quietly deleted breaks `verify`), and the
terminals of a role may append it without any other write.
"""

import json
from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from db.integrity_tables import passphrase_fingerprint
from db.log import Log
from db.logins import passphrase_opens, set_login
from db.models import Event, RolePassphrase
from session import roles
from session.roles import Passphrase, Role, RoleError, SignInWait, rights


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
        # Only the role column: a role's own login may read it, never the hash (db/privileges).
        with Session(self._log.reader) as s:
            found = s.exec(select(RolePassphrase.role).where(RolePassphrase.role == role.value))
            return found.first() is not None

    def _passphrase(self, role: Role) -> Passphrase | None:
        with Session(self._log.reader) as s:
            row = s.get(RolePassphrase, role.value)
        return None if row is None else Passphrase(row.salt, row.digest, row.n, row.r, row.p)

    def set_passphrase(self, role: Role, passphrase: str) -> None:
        """Set (or replace) the passphrase of `role`: stored hashed, logged without it."""
        # The projector signs no one in; on PostgreSQL it still connects as its own login,
        # whose password this sets (db/logins.py).
        if not role.needs_passphrase and self._log.engine.dialect.name != "postgresql":
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
            logged = {"role": role.value, "stored": passphrase_fingerprint(row)}
            return None, roles.PASSPHRASE_SET, logged  # (verify checks the row against it)

        self._log.transact(work)

    def check_passphrase(self, role: Role, attempt: str) -> bool:
        """Whether `attempt` is the passphrase of `role` (False when it has none).

        A wrong one is recorded at this terminal; once wrong ones call for a wait, SignInWait
        says how long (with this attempt checked and wrong, or not checked at all: it came
        while the wait was still running)."""
        if not self.has_passphrase(role):
            return False
        wait = self.retry_wait(role)
        if wait > 0:
            raise SignInWait(wait, wrong=False)
        if self._matches(role, attempt):
            self._clear_refusals(role)
            return True
        wait = self._log.transact(partial(self._refuse, role))
        if wait > 0:
            raise SignInWait(wait, wrong=True)
        return False

    def _matches(self, role: Role, attempt: str) -> bool:
        """A role's own login asks the server (it may not read the hash); others compare."""
        if self._log.own_login:
            return passphrase_opens(self._log.url, role, attempt)
        stored = self._passphrase(role)
        return stored is not None and roles.matches(stored, attempt)

    def retry_wait(self, role: Role) -> float:
        """Seconds before a passphrase of `role` may be checked at this terminal again."""
        with Session(self._log.reader) as s:
            refused = self._refused_at(s, role)
        return roles.retry_wait(refused, self._log.clock())

    def _refused_at(self, s: Session, role: Role) -> list[datetime]:
        """When the wrong passphrases of `role` since its last right one were typed here."""
        rows = s.exec(
            select(Event.at, Event.kind, Event.payload)
            .where(col(Event.kind).in_([roles.SIGN_IN_REFUSED, roles.SIGN_IN_CLEARED]))
            .where(Event.terminal == self._log.terminal)
            .order_by(col(Event.seq))
        ).all()
        refused: list[datetime] = []
        for at, kind, payload in rows:
            if json.loads(payload).get("role") != role.value:
                continue
            refused = (
                [*refused, datetime.fromisoformat(at)] if kind == roles.SIGN_IN_REFUSED else []
            )
        return refused

    def _refuse(
        self, role: Role, s: Session, seq: int, now: datetime
    ) -> tuple[float, str, dict[str, Any]]:
        """Record a wrong passphrase (in the write lock, so two at once both count); the wait
        it brings."""
        refused = [*self._refused_at(s, role), now]
        return roles.retry_wait(refused, now), roles.SIGN_IN_REFUSED, {"role": role.value}

    def _clear_refusals(self, role: Role) -> None:
        """The right passphrase ends the wrong ones' count (recorded only when there were any)."""

        def work(s: Session, seq: int, now: datetime) -> tuple[None, str | None, dict[str, Any]]:
            pending = self._refused_at(s, role)
            return None, roles.SIGN_IN_CLEARED if pending else None, {"role": role.value}

        self._log.transact(work)

    def sign_in(self, station: str) -> int:
        """Log that the person given to :meth:`act_as` took this terminal; the event's seq."""
        payload = {"role": self._log.role, "person": self._log.operator, "station": station}

        def work(s: Session, seq: int, now: datetime) -> tuple[int, str, dict[str, Any]]:
            return seq, roles.SIGNED_IN, payload

        return self._log.transact(work)
