"""The congress database: every change of state is one transaction that appends one chained event.

Callers (CLI, TUI, tests) get plain dataclasses back; SQLModel sessions never leave db/.
:class:`Store` is the one object they hold: it opens (or creates, or upgrades) the database and
composes the parts that do the work, each built on the same log:

* db.log: the engines, the one write transaction, the hash-chained append, who writes;
* db.register: the roll call's reads (delegates, quorum, doors); db.rollcall: its changes;
* db.meeting: the agenda and the show-of-hands votes; db.elections: the secret ballots;
* db.bodies: the congress's bodies; db.roles: passphrases, sign-ins, what a role may append;
* db.speakers: the lists of speakers; db.integrity: :meth:`Store.verify`.

Forwarding is explicit, one short method per operation with its own signature (the readings and
the speakers' changes in the bases db.elections.Readings and db.speakers.SpeakerChanges).
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from db.bodies import Bodies
from db.delegates import (
    Activation,
    AttendanceEntry,
    Changes,
    DelegateInfo,
    ImportReport,
    RollCallSnapshot,
    ScanResult,
    UnitRow,
)
from db.elections import Elections, Readings
from db.engine import database_url, is_sqlite, make_engines
from db.integrity import IntegrityProblem, replay_roll_call, verify
from db.integrity_tables import key_fingerprint
from db.log import WRITE_RETRIES, Log, StoreError, first_line, now
from db.logins import check_login, login_url
from db.meeting import Meeting, OpeningCheck
from db.models import SCHEMA_VERSION, ChainHead, CongressRow, Meta
from db.register import Register
from db.roles import Roles
from db.rollcall import RollCall
from db.seals import Ed25519PrivateKey
from db.speakers import SpeakerChanges, Speakers
from db.upgrade import (
    Upgraded,
    create_schema,
    examine,
    refuse_unless_upgradable,
    upgrade_in_place,
)
from session import audit
from session import elections as el
from session.agenda import AgendaItem, AgendaState, MotionKind
from session.ballots import BallotInput
from session.bodies import Appointment, Body, BodyBook
from session.cards import new_secret
from session.congress import Congress
from session.congress_file import parse_congress
from session.quorum import Status
from session.register import DelegateRecord
from session.roles import Role
from session.rollcall import Mode
from session.votes import OpenWarning, Vote, VoteBook

__all__ = [
    "WRITE_RETRIES",
    "Activation",
    "AttendanceEntry",
    "Changes",
    "DelegateInfo",
    "ImportReport",
    "IntegrityProblem",
    "RollCallSnapshot",
    "ScanResult",
    "Store",
    "StoreError",
    "UnitRow",
    "file_digest",
    "replay_roll_call",
]


def _config_json(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store(Readings, SpeakerChanges):
    """One congress database: build with :meth:`create` or :meth:`open`, then :meth:`close`."""

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
        log = Log(url, writer, reader, terminal=terminal, operator=operator, clock=clock)
        register = Register(log)
        self._log = log
        self._register = register
        self._roll_call = RollCall(log, register)
        self._meeting = Meeting(log, register)
        self._elections = Elections(log, register)
        self._bodies = Bodies(log)
        self._roles = Roles(log)
        self._speakers = Speakers(log)

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def _connect(
        cls,
        location: str | None,
        terminal: str,
        operator: str,
        clock: Callable[[], datetime] | None,
    ) -> "Store":
        url = database_url(location)
        writer, reader = make_engines(url)
        return cls(url, writer, reader, terminal=terminal, operator=operator, clock=clock or now)

    @classmethod
    def create(
        cls,
        location: str | None,
        congress_data: dict[str, object],
        *,
        terminal: str = "cli",
        operator: str = "",
        clock: Callable[[], datetime] | None = None,
        card_key: str | None = None,
    ) -> "Store":
        """Create the schema and the congress; refuses a database that already holds one.

        The card key is a fresh random one unless given (two databases of one congress, as the
        tests that compare SQLite with PostgreSQL build, need the same)."""
        congress = parse_congress(congress_data)
        store = cls._connect(location, terminal, operator, clock)
        try:
            if inspect(store.engine).has_table("meta"):
                raise StoreError("already_initialised", db=location or store.url)
            create_schema(store.engine)  # every migration from empty: the tables an upgrade makes
            secret = card_key or new_secret()
            with Session(store.engine) as s:
                s.add(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
                s.add(
                    CongressRow(
                        name=congress.name,
                        config_json=_config_json(congress_data),
                        secret=secret,
                        created_at=store.clock(),
                    )
                )
                s.add(ChainHead(seq=0, hash=audit.GENESIS))
                s.commit()
            store.append_note(
                "congress_created",
                {
                    "name": congress.name,
                    "config": json.loads(_config_json(congress_data)),
                    "card_key": key_fingerprint(secret),
                },
            )
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open(
        cls,
        location: str | None,
        *,
        terminal: str = "cli",
        operator: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> "Store":
        """Open an existing congress database: one from an earlier release is first backed up
        and upgraded (see :attr:`upgraded`); one from a newer release is refused untouched."""
        url = database_url(location)
        if is_sqlite(url) and not Path(url.removeprefix("sqlite:///")).exists():
            raise StoreError("no_database", db=location or url)
        store = cls._connect(location, terminal, operator, clock)
        try:
            store._check_schema(location or store.url)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_as(
        cls,
        location: str | None,
        role: Role,
        passphrase: str,
        *,
        terminal: str = "cli",
        person: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> "Store":
        """Open the congress as `role` (acting as it, and `person`): on PostgreSQL as its own
        login (db/logins.py; the url then holds the passphrase: never show it), on SQLite checked
        against the hash in the file. A wrong passphrase is refused ("login_refused")."""
        url = database_url(location)
        if not passphrase:  # libpq would try a password file's instead (~/.pgpass)
            raise StoreError("login_refused", role=role.value)
        on_file = is_sqlite(url)
        if on_file:
            store = cls.open(location, terminal=terminal, operator=person, clock=clock)
        else:
            store = cls._connect(login_url(url, role, passphrase), terminal, person, clock)
        try:  # (closed whatever refuses: a wrong passphrase, the wait after wrong ones, a schema)
            if on_file and not store.check_passphrase(role, passphrase):
                raise StoreError("login_refused", role=role.value)
            if not on_file:
                check_login(store.reader, role, location or url)
                store._check_schema(location or url)
                store._log.own_login = True
        except BaseException:
            store.close()
            raise
        store.act_as(role, person or None)
        return store

    # Set by open() when it upgraded the database: from which version, and where the copy is.
    upgraded: Upgraded | None = None

    def _check_schema(self, where: str) -> None:
        """Refuse a database this release cannot speak; upgrade one it can (db/upgrade.py).

        The Alembic revision says which migrations ran; the schema_version meta row stays the
        schema's number (SCHEMA_VERSION), kept for the releases from before Alembic, which read
        only it. The examination only reads, so a refused database is left as it was.
        """
        try:
            with self.reader.connect() as connection:
                finding = examine(connection)
        except SQLAlchemyError as exc:
            raise StoreError("cannot_open", db=where, detail=first_line(exc)) from None
        refuse_unless_upgradable(finding, where)
        if finding.needs_upgrade:
            self._upgrade(where)

    def _upgrade(self, where: str) -> None:
        try:
            self.upgraded = upgrade_in_place(
                self.engine, lambda found: refuse_unless_upgradable(found, where)
            )
        except StoreError:
            raise
        except Exception as exc:  # a failed migration, whatever it raised: rolled back, told
            raise StoreError("upgrade_failed", db=where, detail=first_line(exc)) from exc

    def close(self) -> None:
        self._log.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- kept by the log
    # Read and set through the store as before; the log holds them, so every part sees a change
    # (a test swaps the engines, a signed-in terminal records its operator).

    @property
    def url(self) -> str:
        return self._log.url

    @url.setter
    def url(self, value: str) -> None:
        self._log.url = value

    @property
    def engine(self) -> Engine:
        return self._log.engine

    @engine.setter
    def engine(self, value: Engine) -> None:
        self._log.engine = value

    @property
    def reader(self) -> Engine:
        return self._log.reader

    @reader.setter
    def reader(self, value: Engine) -> None:
        self._log.reader = value

    @property
    def terminal(self) -> str:
        return self._log.terminal

    @terminal.setter
    def terminal(self, value: str) -> None:
        self._log.terminal = value

    @property
    def operator(self) -> str:
        return self._log.operator

    @operator.setter
    def operator(self, value: str) -> None:
        self._log.operator = value

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._log.clock

    @clock.setter
    def clock(self, value: Callable[[], datetime]) -> None:
        self._log.clock = value

    @property
    def role(self) -> str:
        """The role this terminal acts as ("" for the command line: any event, none recorded)."""
        return self._log.role

    @role.setter
    def role(self, value: str) -> None:
        self._log.role = value

    @property
    def records(self) -> frozenset[str] | None:
        """The event kinds this terminal may append; None: any."""
        return self._log.records

    @records.setter
    def records(self, value: frozenset[str] | None) -> None:
        self._log.records = value

    @property
    def congress(self) -> Congress:
        return self._log.congress

    @property
    def secret(self) -> str:
        return self._log.secret

    # ----------------------------------------------------------------- the log (db.log)

    def events(self, after: int = 0) -> list[audit.StoredEvent]:
        return self._log.events(after)

    def last_seq(self) -> int:
        return self._log.last_seq()

    def head(self) -> tuple[int, str]:
        return self._log.head()

    def verify(self) -> IntegrityProblem | None:
        return verify(self._log, self._meeting, self._bodies, self._speakers)

    def seal_with(self, key: Ed25519PrivateKey) -> None:
        """Seal every result this store publishes from now on (db.seals)."""
        self._log.sealer = key

    def seal(self, key: Ed25519PrivateKey) -> tuple[int, str]:
        return self._log.seal(key)

    def append_note(self, kind: str, payload: dict[str, Any]) -> int:
        """Append an event that changes nothing else (the congress created, a standby lost)."""
        return self._log.append(kind, payload)

    # A private name tests use: replace the chained append (a write that fails once built).

    @property
    def _add_event(self) -> Callable[..., int]:
        return self._log.add_event

    @_add_event.setter
    def _add_event(self, value: Callable[..., int]) -> None:
        self._log.add_event = value  # type: ignore[method-assign]

    # ----------------------------------------------------------------- roll call (db.rollcall)

    def import_register(
        self, records: Sequence[DelegateRecord], source: str = "", digest: str = ""
    ) -> ImportReport:
        return self._roll_call.import_register(records, source, digest)

    def card_code(self, number: int, issue: int) -> str:
        return self._roll_call.card_code(number, issue)

    def reissue_card(self, number: int, reason: str) -> str:
        return self._roll_call.reissue_card(number, reason)

    def scan(self, raw: str, mode: Mode, station: str) -> ScanResult:
        return self._roll_call.scan(raw, mode, station)

    def manual(self, number: int, mode: Mode, station: str, reason: str) -> ScanResult:
        return self._roll_call.manual(number, mode, station, reason)

    def correct(self, attendance_id: int, reason: str, station: str) -> AttendanceEntry:
        return self._roll_call.correct(attendance_id, reason, station)

    def set_status(self, number: int, status: Status, reason: str) -> DelegateInfo:
        return self._roll_call.set_status(number, status, reason)

    def activate_alternate(self, official: int, alternate: int, reason: str) -> Activation:
        return self._roll_call.activate_alternate(official, alternate, reason)

    def deactivate_alternate(self, official: int, alternate: int, reason: str) -> Activation:
        return self._roll_call.deactivate_alternate(official, alternate, reason)

    # ----------------------------------------------------------------- roll call (db.register)

    def snapshot(self, *, doors: bool = True) -> RollCallSnapshot:
        return self._register.snapshot(doors=doors)

    def delegates(self, *, present: bool | None = None) -> list[DelegateInfo]:
        return self._register.delegates(present=present)

    def delegate(self, number: int) -> DelegateInfo | None:
        return self._register.delegate(number)

    def missing(self) -> list[DelegateInfo]:
        return self._register.missing()

    def changes_since(self, seen: int, limit: int = 200) -> Changes:
        return self._register.changes_since(seen, limit)

    def search(self, query: str, limit: int = 50) -> list[DelegateInfo]:
        return self._register.search(query, limit)

    def attendance_log(self, limit: int = 20, number: int | None = None) -> list[AttendanceEntry]:
        return self._register.attendance_log(limit, number)

    def check_in_counts(self) -> dict[int, int]:
        return self._register.check_in_counts()

    # ----------------------------------------------------------------- agenda (db.meeting)

    def agenda_state(self) -> AgendaState:
        return self._meeting.agenda_state()

    def meeting_moved_since(self, seq: int) -> bool:
        return self._meeting.meeting_moved_since(seq)

    def start_item(self, key: str) -> AgendaState:
        return self._meeting.start_item(key)

    def end_item(self, key: str) -> AgendaState:
        return self._meeting.end_item(key)

    def skip_item(self, key: str, reason: str) -> AgendaState:
        return self._meeting.skip_item(key, reason)

    def move_item(self, key: str, after: str | None) -> AgendaState:
        return self._meeting.move_item(key, after)

    def insert_item(self, item: AgendaItem, after: str | None) -> AgendaState:
        return self._meeting.insert_item(item, after)

    # ----------------------------------------------------------------- votes (db.meeting)

    def vote_book(self) -> VoteBook:
        return self._meeting.vote_book()

    def create_vote(
        self, item_key: str, *, motion: MotionKind | None = None, title: str | None = None
    ) -> Vote:
        return self._meeting.create_vote(item_key, motion=motion, title=title)

    def vote_warnings(self, vote_id: str) -> tuple[OpenWarning, ...]:
        return self._meeting.vote_warnings(vote_id)

    def opening_check(self, item_key: str, motion: MotionKind | None = None) -> OpeningCheck:
        return self._meeting.opening_check(item_key, motion)

    def open_item_vote(
        self,
        item_key: str,
        reason: str = "",
        *,
        motion: MotionKind | None = None,
        title: str | None = None,
        proposal: int | None = None,
    ) -> Vote:
        return self._meeting.open_item_vote(
            item_key, reason, motion=motion, title=title, proposal=proposal
        )

    def open_vote(self, vote_id: str, reason: str = "") -> Vote:
        return self._meeting.open_vote(vote_id, reason)

    def enter_count(
        self, vote_id: str, sector: str, teller: str, counts: dict[str, object]
    ) -> Vote:
        return self._meeting.enter_count(vote_id, sector, teller, counts)

    def recount_sector(self, vote_id: str, sector: str, reason: str) -> Vote:
        return self._meeting.recount_sector(vote_id, sector, reason)

    def confirm_unanimous(self, vote_id: str, teller: str) -> Vote:
        return self._meeting.confirm_unanimous(vote_id, teller)

    def withdraw_unanimous(self, vote_id: str, reason: str) -> Vote:
        return self._meeting.withdraw_unanimous(vote_id, reason)

    def publish_vote(self, vote_id: str) -> Vote:
        return self._meeting.publish_vote(vote_id)

    def correct_vote(self, vote_id: str, counts: dict[str, object], reason: str) -> Vote:
        return self._meeting.correct_vote(vote_id, counts, reason)

    def cancel_vote(self, vote_id: str, reason: str) -> Vote:
        return self._meeting.cancel_vote(vote_id, reason)

    def replay_problem(self, events: Iterable[Any]) -> tuple[int, str] | None:
        return self._meeting.replay_problem(events)

    # ----------------------------------------------------------------- elections (db.elections)

    def election_book(self) -> el.ElectionBook:
        return self._elections.election_book()

    def person_names(self) -> dict[str, str]:
        return self._elections.person_names()

    def record_election(
        self, build: Callable[[el.ElectionBook, datetime], el.ElectionEvent]
    ) -> el.Election:
        return self._elections.record_election(build)

    def record_election_batch(
        self,
        election_id: str,
        build: Callable[[el.ElectionBook, datetime], list[el.ElectionEvent]],
    ) -> el.Election:
        return self._elections.record_election_batch(election_id, build)

    def open_election_voting(
        self, election_id: str, round_no: int, reason: str = ""
    ) -> el.Election:
        return self._elections.open_election_voting(election_id, round_no, reason)

    def issue_ballot(self, election_id: str, round_no: int, box: str, raw_code: str) -> el.Election:
        return self._elections.issue_ballot(election_id, round_no, box, raw_code)

    def enter_ballot(
        self,
        election_id: str,
        round_no: int,
        team: str,
        box: str,
        ballot: BallotInput,
        batch: str = "",
    ) -> el.Election:
        return self._elections.enter_ballot(election_id, round_no, team, box, ballot, batch)

    # ----------------------------------------------------------------- bodies (db.bodies)

    def bodies(self) -> BodyBook:
        return self._bodies.bodies()

    def appoint_body(
        self, body: Body, members: Sequence[str], vote_id: str, head: str = ""
    ) -> Appointment:
        return self._bodies.appoint_body(body, members, vote_id, head)

    def bodies_replay_problem(self, events: Iterable[Any]) -> tuple[int, str] | None:
        return self._bodies.bodies_replay_problem(events)

    # ----------------------------------------------------------------- roles (db.roles)

    def act_as(self, role: Role, person: str | None = None) -> None:
        self._roles.act_as(role, person)

    def passphrases(self) -> dict[Role, datetime]:
        return self._roles.passphrases()

    def has_passphrase(self, role: Role) -> bool:
        return self._roles.has_passphrase(role)

    def set_passphrase(self, role: Role, passphrase: str) -> None:
        self._roles.set_passphrase(role, passphrase)

    def check_passphrase(self, role: Role, attempt: str) -> bool:
        return self._roles.check_passphrase(role, attempt)

    def sign_in(self, station: str) -> int:
        return self._roles.sign_in(station)
