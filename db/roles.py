"""The roles' side of the Store: passphrases, signing in, and what a terminal may append.

A terminal opened for a role calls :meth:`RolesMixin.act_as`: from then on its events carry the
role and the person who signed in, and the Store appends only the event kinds the role may
(``Store._add_event`` checks :attr:`records`). Setting a passphrase and signing in are events like
any other, so the audit log says who set what and who sat at which terminal.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from db.models import RolePassphrase
from session import roles
from session.roles import Passphrase, Role, RoleError, rights

if TYPE_CHECKING:
    from db.store import Store


class RolesMixin:
    """Role operations of :class:`db.store.Store`."""

    role: str = ""  # "" for the command line: any event, no role recorded
    records: frozenset[str] | None = None  # the event kinds this terminal may append; None: any

    def act_as(self: "Store", role: Role, person: str | None = None) -> None:
        """Record `role` (and `person`, once signed in) on every event from now on, and append
        only what the role may."""
        self.role = role.value
        self.records = rights(role).records
        if person is not None:
            self.operator = person

    # ------------------------------------------------------------------ passphrases

    def passphrases(self: "Store") -> dict[Role, datetime]:
        """The roles that have a passphrase, and when it was set."""
        with Session(self.reader) as s:
            rows = s.exec(select(RolePassphrase.role, RolePassphrase.set_at)).all()
        return {Role(role): at for role, at in rows if role in Role._value2member_map_}

    def has_passphrase(self: "Store", role: Role) -> bool:
        return self._passphrase(role) is not None

    def _passphrase(self: "Store", role: Role) -> Passphrase | None:
        with Session(self.reader) as s:
            row = s.get(RolePassphrase, role.value)
        return None if row is None else Passphrase(row.salt, row.digest, row.n, row.r, row.p)

    def set_passphrase(self: "Store", role: Role, passphrase: str) -> None:
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
            return None, roles.PASSPHRASE_SET, {"role": role.value}

        self._transact(work)

    def check_passphrase(self: "Store", role: Role, attempt: str) -> bool:
        """Whether `attempt` is the passphrase of `role` (False when it has none)."""
        stored = self._passphrase(role)
        return stored is not None and roles.matches(stored, attempt)

    def sign_in(self: "Store", station: str) -> int:
        """Log that the person given to :meth:`act_as` took this terminal; the event's seq."""
        payload = {"role": self.role, "person": self.operator, "station": station}
        return self._append_standalone(roles.SIGNED_IN, payload)
