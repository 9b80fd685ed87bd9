"""The congress log: the core every part of the store builds on.

Every change of state is one write transaction (:meth:`Log.transact`) that appends one chained
event per change: the chain head is locked first, so concurrent terminals are serialised on both
backends (SQLite already by BEGIN IMMEDIATE, PostgreSQL by SELECT ... FOR UPDATE on that row).
The log also keeps who writes (terminal, operator, role and the event kinds that role may
append), the clock, the engines, and the congress read back from its row; and it turns the
driver's failures into the store's own refusals (:class:`StoreError`).

The repositories (db.rollcall, db.register, db.meeting, db.elections, db.bodies, db.roles) take
a Log and build their changes on :meth:`Log.transact`; SQLModel sessions never leave db/.
"""

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from db.engine import DatabaseFileGone, check_same_file, close_engine, shown_url
from db.models import ChainHead, CongressRow, Event
from db.privileges import card_key
from db.seals import SEALED, Ed25519PrivateKey, needs_seal, seal_payload
from db.watch import notify_appended
from session import audit
from session.congress import Congress
from session.congress_file import parse_congress
from session.i18n import Refusal
from session.text import nfc

T = TypeVar("T")
WRITE_RETRIES = 6

# What a transaction's work returns: (result, event kind or None or a list of (kind, payload),
# payload).
Work = Callable[[Session, int, datetime], tuple[T, Any, dict[str, Any]]]


class StoreError(Refusal):
    """A refusal or failure of the store, with a translation key under 'error.'."""


def now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(UTC)


def first_line(exc: Exception) -> str:
    """The first line of a database error's message (the driver's own, when there is one)."""
    lines = str(getattr(exc, "orig", None) or exc).splitlines()
    return lines[0] if lines else type(exc).__name__


def require_reason(reason: str) -> str:
    """The reason, normalised; refused when empty."""
    reason = nfc(reason)
    if not reason:
        raise StoreError("reason_required")
    return reason


class Log:
    """The hash-chained event log of one congress database, and who writes to it."""

    def __init__(
        self,
        url: str,
        writer: Engine,
        reader: Engine,
        *,
        terminal: str,
        operator: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.url = url
        self.engine = writer  # write transactions
        self.reader = reader  # reads: never take the write lock
        self.terminal = terminal
        self.operator = operator
        self.clock = clock
        self.role = ""  # "" for the command line: any event, no role recorded
        self.records: frozenset[str] | None = None  # the kinds this terminal may append; None: any
        self._congress: Congress | None = None
        self._secret: str | None = None
        # The key off the database that seals every published result (db.seals); None: none.
        self.sealer: Ed25519PrivateKey | None = None
        # Connected as a role's own PostgreSQL login (db/logins.py): the server checks its
        # passphrase, which the login may not read the hash of.
        self.own_login = False

    def close(self) -> None:
        close_engine(self.engine)
        if self.reader is not self.engine:
            close_engine(self.reader)

    # ----------------------------------------------------------------- the congress row

    def _load_congress(self) -> None:
        with Session(self.reader) as s:
            config = s.exec(select(CongressRow.config_json).where(CongressRow.id == 1)).first()
            if config is None:
                raise StoreError("not_initialised", db=shown_url(self.url))
            self._congress = parse_congress(json.loads(config))
            self._secret = card_key(s)  # "" for a role's own login: the server checks its cards

    @property
    def congress(self) -> Congress:
        """The congress as created (read once, then kept)."""
        if self._congress is None:
            self._load_congress()
        assert self._congress is not None
        return self._congress

    @property
    def secret(self) -> str:
        """The congress's card secret (read once, then kept); "" when this login may not read
        it (db.privileges.check_card then asks the server)."""
        if self._secret is None:
            self._load_congress()
        assert self._secret is not None
        return self._secret

    # ----------------------------------------------------------------- the write path

    def transact(self, work: Work[T]) -> T:
        """Run `work` in one write transaction and append the event it names (if any).

        `work(session, next_seq, now)` returns (result, event kind or None, payload). With no
        event kind the transaction is rolled back: nothing changed. A list of (kind, payload)
        pairs in place of the kind appends each, in one transaction (a batch that is all or
        nothing, such as a candidate list).
        """
        for attempt in range(WRITE_RETRIES):
            try:
                with Session(self.engine, expire_on_commit=False) as s:
                    head = s.exec(
                        select(ChainHead).where(ChainHead.id == 1).with_for_update()
                    ).one()
                    now = self.clock()
                    result, kind, payload = work(s, head.seq + 1, now)
                    events = kind if isinstance(kind, list) else [(kind, payload)]
                    if kind is None or not events:
                        s.rollback()
                        return result
                    for event_kind, event_payload in events:
                        self.add_event(s, head, event_kind, event_payload, now)
                    if self.sealer is not None and needs_seal([k for k, _ in events]):
                        seal = seal_payload(self.sealer, head.seq, head.hash)
                        self.add_event(s, head, SEALED, seal, now)  # in the same transaction
                    notify_appended(s, head.seq)  # PostgreSQL wakes the watchers at COMMIT
                    check_same_file(self.engine)  # not acknowledged into a file gone meanwhile
                    s.commit()
                    return result
            except DatabaseFileGone:
                raise StoreError("database_gone", db=self.url) from None
            except OperationalError as exc:
                # Another terminal held the lock past busy_timeout: wait and retry, never show it.
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise StoreError(
                        "database_failed", detail=str(exc.orig).splitlines()[0]
                    ) from None
                time.sleep(0.05 * (attempt + 1))
        raise StoreError("database_busy")

    def add_event(
        self, s: Session, head: ChainHead, kind: str, payload: dict[str, Any], now: datetime
    ) -> int:
        """Chain one event after `head` (locked by the transaction) and move the head to it."""
        if self.records is not None and kind not in self.records:
            # A role's terminal appends only its own kinds; raising here rolls it all back.
            raise StoreError("role_refused", role=self.role, kind=kind)
        seq = head.seq + 1
        at = now.astimezone(UTC).isoformat()
        content = audit.canonical(seq, at, kind, payload, self.terminal, self.operator, self.role)
        digest = audit.chain_hash(head.hash, content)
        s.add(
            Event(
                seq=seq,
                at=at,
                kind=kind,
                payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                terminal=self.terminal,
                operator=self.operator,
                prev_hash=head.hash,
                hash=digest,
                role=self.role,
            )
        )
        head.seq = seq
        head.hash = digest
        s.add(head)
        return seq

    def seal(self, key: Ed25519PrivateKey) -> tuple[int, str]:
        """Seal the head now (db.seals); the seq and hash sealed."""

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[tuple[int, str], str, dict[str, Any]]:
            head = s.get(ChainHead, 1)
            assert head is not None
            return (head.seq, head.hash), SEALED, seal_payload(key, head.seq, head.hash)

        return self.transact(work)

    def append(self, kind: str, payload: dict[str, Any]) -> int:
        """Append one event that changes nothing else; its seq."""
        return self.transact(lambda s, seq, now: (seq, kind, payload))

    # ----------------------------------------------------------------- reading the log

    def events(self, after: int = 0) -> list[audit.StoredEvent]:
        """The log after event `after`, oldest first."""
        with Session(self.reader) as s:
            rows = s.exec(select(Event).where(col(Event.seq) > after).order_by(Event.seq)).all()
        return [
            audit.StoredEvent(
                e.seq,
                e.at,
                e.kind,
                json.loads(e.payload),
                e.terminal,
                e.operator,
                e.prev_hash,
                e.hash,
                e.role,
            )
            for e in rows
        ]

    def last_seq(self) -> int:
        with Session(self.reader) as s:
            head = s.get(ChainHead, 1)
            return head.seq if head else 0

    def head(self) -> tuple[int, str]:
        """The last event's seq and hash (what an anchor copied from a screen names)."""
        with Session(self.reader) as s:
            head = s.get(ChainHead, 1)
            return (head.seq, head.hash) if head else (0, audit.GENESIS)
