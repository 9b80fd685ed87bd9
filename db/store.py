"""The congress database: every change of state is one transaction that appends one chained event.

Callers (CLI, TUI, tests) get plain dataclasses back; SQLModel sessions never leave this module.
Writers lock the chain head first, so concurrent terminals are serialised on both backends
(SQLite already by BEGIN IMMEDIATE, PostgreSQL by SELECT ... FOR UPDATE on that row).
"""

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, case, func, inspect, or_
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, col, select

from db.bodies import BodiesMixin
from db.elections import ElectionsMixin, election_replay_problem
from db.engine import close_engine, database_url, is_sqlite, make_engines
from db.meeting import MeetingMixin
from db.models import SCHEMA_VERSION, Attendance, ChainHead, CongressRow, Delegate, Event, Meta
from db.roles import RolesMixin
from db.upgrade import Finding, Upgraded, Verdict, create_schema, examine, upgrade_in_place
from db.watch import notify_appended
from session import audit
from session.cards import CardCode, CardProblem, CardRejection, make_code, new_secret, read_code
from session.congress import Congress
from session.congress_file import parse_congress
from session.doors import DoorCount, door_counts
from session.i18n import Refusal, t
from session.quorum import (
    VOTING_KINDS,
    Kind,
    Member,
    QuorumVerdict,
    Status,
    activation_refusal,
    attendance,
    verdict,
)
from session.register import DelegateRecord
from session.rollcall import Action, Colour, Mode, ScanDecision, decide
from session.text import fold, matches, nfc, vi_key

T = TypeVar("T")
WRITE_RETRIES = 6


def _recorded_at_doors(s: Session) -> list[tuple[str, str, int, datetime | None]]:
    """(station, action, how many, the latest) of the entries and exits that stand: what a
    correction undid no longer does (the correction names it in `reverses`)."""
    undone = select(Attendance.reverses).where(col(Attendance.reverses).is_not(None))
    rows = s.exec(
        select(Attendance.station, Attendance.action, func.count(), func.max(Attendance.at))
        .where(Attendance.method != "correction", col(Attendance.id).not_in(undone))
        .group_by(Attendance.station, Attendance.action)
    ).all()
    return [(station, action, int(n), at) for station, action, n, at in rows]


class StoreError(Refusal):
    """A refusal or failure of the store, with a translation key under 'error.'."""


@dataclass(frozen=True, slots=True)
class DelegateInfo:
    number: int
    full_name: str
    unit: str
    kind: Kind
    status: Status
    status_reason: str
    card_issue: int
    present: bool
    since: datetime | None
    station: str | None
    sector: str = ""
    origin: str = ""
    gender: str = ""
    date_of_birth: date | None = None
    ethnicity: str = ""
    education: str = ""
    replaced_by_alternate: bool = False
    activated_for: int | None = None  # an activated alternate: the official whose place they hold

    @property
    def member(self) -> Member:
        return Member(
            self.kind,
            self.status,
            self.present,
            self.replaced_by_alternate,
            self.activated_for is not None,
        )

    @property
    def votes(self) -> bool:
        return self.member.votes

    @property
    def missing(self) -> bool:
        """A voting delegate not in the hall (the roll call's "still missing" list)."""
        return self.votes and not self.present


@dataclass(frozen=True, slots=True)
class Activation:
    """An alternate seated in (or withdrawn from) an official delegate's place."""

    official: DelegateInfo
    alternate: DelegateInfo
    base_before: int
    base_after: int
    seq: int


@dataclass(frozen=True, slots=True)
class ScanResult:
    decision: ScanDecision
    delegate: DelegateInfo | None
    seq: int | None = None  # the event recording it, if any
    attendance_id: int | None = None
    # for "already present": when and where the delegate came in
    previous_since: datetime | None = None
    previous_station: str | None = None
    number: int | None = None  # the number on the card, even when it is not on the register


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed in the roll call after an event: the delegates to redraw, or everything."""

    seq: int
    delegates: tuple[DelegateInfo, ...]
    reload: bool  # too much changed (or the register was imported): read the lists afresh


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit: str
    summoned: int
    present: int


@dataclass(frozen=True, slots=True)
class RollCallSnapshot:
    verdict: QuorumVerdict
    units: list[UnitRow]
    last_seq: int
    doors: tuple[DoorCount, ...] = ()  # every station's entries and exits that stand


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    id: int
    number: int
    full_name: str
    action: Action
    method: str
    at: datetime
    station: str
    reason: str
    reversed: bool
    is_correction: bool


@dataclass(slots=True)
class ImportReport:
    added: list[int] = field(default_factory=list)
    updated: list[tuple[int, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def _now() -> datetime:
    return datetime.now(UTC)


_INFO_COLUMNS = (
    Delegate.number,
    Delegate.full_name,
    Delegate.unit,
    Delegate.kind,
    Delegate.status,
    Delegate.status_reason,
    Delegate.card_issue,
    Delegate.present,
    Delegate.present_since,
    Delegate.present_station,
    Delegate.sector,
    Delegate.origin,
    Delegate.gender,
    Delegate.date_of_birth,
    Delegate.ethnicity,
    Delegate.education,
    Delegate.replaced_by_alternate,
    Delegate.activated_for,
)


def _info_from(v: Sequence[Any]) -> DelegateInfo:
    """A DelegateInfo from a row of _INFO_COLUMNS (column reads are ~10x cheaper than entities).

    The columns are in DelegateInfo's field order; only the enums and the flags need converting.
    """
    return DelegateInfo(
        v[0], v[1], v[2], Kind(v[3]), Status(v[4]), v[5], v[6], bool(v[7]), *v[8:16],
        bool(v[16]), v[17],
    )  # fmt: skip


def _info(d: Delegate) -> DelegateInfo:
    return _info_from([getattr(d, c.key) for c in _INFO_COLUMNS])


def _first_line(exc: Exception) -> str:
    """The first line of a database error's message (the driver's own, when there is one)."""
    lines = str(getattr(exc, "orig", None) or exc).splitlines()
    return lines[0] if lines else type(exc).__name__


def _refuse_unless_upgradable(finding: Finding, where: str) -> None:
    """Raise the refusal for a database this release neither speaks nor upgrades."""
    if finding.verdict is Verdict.UNINITIALISED:
        raise StoreError("not_initialised", db=where)
    if finding.verdict is Verdict.NEWER_REVISION:
        raise StoreError("schema_newer", db=where, found=finding.found, expected=finding.expected)
    if finding.verdict is Verdict.OTHER_VERSION:
        raise StoreError("schema_version", db=where, found=finding.found, expected=finding.expected)


def _config_json(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


class Store(MeetingMixin, ElectionsMixin, BodiesMixin, RolesMixin):
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
        self.url = url
        self.engine = writer
        self.reader = reader
        self.terminal = terminal
        self.operator = operator
        self.clock = clock
        self._congress: Congress | None = None
        self._secret: str | None = None

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
        return cls(url, writer, reader, terminal=terminal, operator=operator, clock=clock or _now)

    @classmethod
    def create(
        cls,
        location: str | None,
        congress_data: dict[str, object],
        *,
        terminal: str = "cli",
        operator: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> "Store":
        """Create the schema and the congress; refuses a database that already holds one."""
        congress = parse_congress(congress_data)
        store = cls._connect(location, terminal, operator, clock)
        try:
            if inspect(store.engine).has_table("meta"):
                raise StoreError("already_initialised", db=location or store.url)
            create_schema(store.engine)  # every migration from empty: the tables an upgrade makes
            secret = new_secret()
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
            store._append_standalone(
                "congress_created",
                {"name": congress.name, "config": json.loads(_config_json(congress_data))},
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
            raise StoreError("cannot_open", db=where, detail=_first_line(exc)) from None
        _refuse_unless_upgradable(finding, where)
        if finding.needs_upgrade:
            self._upgrade(where)

    def _upgrade(self, where: str) -> None:
        try:
            self.upgraded = upgrade_in_place(
                self.engine, lambda found: _refuse_unless_upgradable(found, where)
            )
        except StoreError:
            raise
        except Exception as exc:  # a failed migration, whatever it raised: rolled back, told
            raise StoreError("upgrade_failed", db=where, detail=_first_line(exc)) from exc

    def close(self) -> None:
        close_engine(self.engine)
        if self.reader is not self.engine:
            close_engine(self.reader)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- congress

    def _load_congress(self) -> None:
        with Session(self.reader) as s:
            row = s.get(CongressRow, 1)
            if row is None:
                raise StoreError("not_initialised", db=self.url)
            self._congress = parse_congress(json.loads(row.config_json))
            self._secret = row.secret

    @property
    def congress(self) -> Congress:
        if self._congress is None:
            self._load_congress()
        assert self._congress is not None
        return self._congress

    @property
    def secret(self) -> str:
        if self._secret is None:
            self._load_congress()
        assert self._secret is not None
        return self._secret

    # ----------------------------------------------------------------- the write path

    def _transact(
        self, work: Callable[[Session, int, datetime], tuple[T, Any, dict[str, Any]]]
    ) -> T:
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
                        self._add_event(s, head, event_kind, event_payload, now)
                    notify_appended(s, head.seq)  # PostgreSQL wakes the watchers at COMMIT
                    s.commit()
                    return result
            except OperationalError as exc:
                # Another terminal held the lock past busy_timeout: wait and retry, never show it.
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise StoreError(
                        "database_failed", detail=str(exc.orig).splitlines()[0]
                    ) from None
                time.sleep(0.05 * (attempt + 1))
        raise StoreError("database_busy")

    def _add_event(
        self, s: Session, head: ChainHead, kind: str, payload: dict[str, Any], now: datetime
    ) -> int:
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

    def _append_standalone(self, kind: str, payload: dict[str, Any]) -> int:
        return self._transact(lambda s, seq, now: (seq, kind, payload))

    # ----------------------------------------------------------------- register

    def import_register(
        self, records: Sequence[DelegateRecord], source: str = "", digest: str = ""
    ) -> ImportReport:
        """Add new delegates and update changed ones, all in one transaction (a no-op if same)."""

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[ImportReport, str | None, dict[str, Any]]:
            existing = {d.number: d for d in s.exec(select(Delegate)).all()}
            report = ImportReport()
            for record in records:
                values = self._record_values(record)
                row = existing.pop(record.number, None)
                if row is None:
                    s.add(Delegate(**values))
                    report.added.append(record.number)
                    continue
                changed = [k for k, v in values.items() if getattr(row, k) != v]
                # name_folded follows full_name; it is not a field of the register
                changed = [k for k in changed if k != "name_folded"] or changed
                if "kind" in changed:
                    self._refuse_if_activation(row)
                if changed:
                    for k in changed:
                        setattr(row, k, values[k])
                    s.add(row)
                    report.updated.append((record.number, changed))
                else:
                    report.unchanged += 1
            report.not_in_file = sorted(existing)
            if not report.changed:
                return report, None, {}
            payload = {
                "source": source,
                "sha256": digest,
                "added": report.added,
                "updated": [{"number": n, "fields": f} for n, f in report.updated],
                "unchanged": report.unchanged,
            }
            return report, "register_imported", payload

        return self._transact(work)

    @staticmethod
    def _record_values(r: DelegateRecord) -> dict[str, Any]:
        return {
            "number": r.number,
            "full_name": r.full_name,
            "name_folded": fold(r.full_name),
            "unit": r.unit,
            "kind": r.kind.value,
            "origin": r.origin,
            "gender": r.gender,
            "date_of_birth": r.date_of_birth,
            "ethnicity": r.ethnicity,
            "education": r.education,
            "sector": r.sector,
        }

    # ----------------------------------------------------------------- cards

    def card_code(self, number: int, issue: int) -> str:
        return make_code(self.secret, number, issue)

    def reissue_card(self, number: int, reason: str) -> str:
        """Print a new card for a lost one: the old code is revoked from now on."""
        reason = self._require_reason(reason)

        def work(s: Session, seq: int, now: datetime) -> tuple[str, str, dict[str, Any]]:
            row = self._delegate_row(s, number)
            row.card_issue += 1
            s.add(row)
            return (
                make_code(self.secret, number, row.card_issue),
                "card_reissued",
                {"number": number, "issue": row.card_issue, "reason": reason},
            )

        return self._transact(work)

    # ----------------------------------------------------------------- roll call

    def scan(self, raw: str, mode: Mode, station: str) -> ScanResult:
        """Take one scanned (or typed) code at `station`. Garbage never reaches the database."""
        card = read_code(raw, self.secret)
        if isinstance(card, CardRejection) and card.problem in (
            CardProblem.EMPTY,
            CardProblem.MALFORMED,
        ):
            return ScanResult(decide(mode, card, None), None)
        return self._transact(
            lambda s, seq, now: self._apply_scan(s, seq, now, card, mode, station, "scan", "")
        )

    def manual(self, number: int, mode: Mode, station: str, reason: str) -> ScanResult:
        """Check a delegate in or out without the card (forgotten card), with the reason."""
        reason = self._require_reason(reason)

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[ScanResult, str | None, dict[str, Any]]:
            row = self._delegate_row(s, number)
            card = CardCode(number=number, issue=row.card_issue, code="")
            return self._apply_scan(s, seq, now, card, mode, station, "manual", reason)

        return self._transact(work)

    def _apply_scan(
        self,
        s: Session,
        seq: int,
        now: datetime,
        card: CardCode | CardRejection,
        mode: Mode,
        station: str,
        method: str,
        reason: str,
    ) -> tuple[ScanResult, str | None, dict[str, Any]]:
        row = None
        if isinstance(card, CardCode):
            row = s.exec(select(Delegate).where(Delegate.number == card.number)).first()
        state = None
        if row is not None:
            from session.rollcall import DelegateState

            state = DelegateState(
                row.number,
                Kind(row.kind),
                Status(row.status),
                row.card_issue,
                row.present,
                row.present_since,
                row.present_station,
                activated=row.activated_for is not None,
            )
        decision = decide(mode, card, state)
        payload: dict[str, Any] = {
            "mode": mode.value,
            "station": station,
            "method": method,
            "result": decision.reason.value,
        }
        if isinstance(card, CardCode):
            payload["number"] = card.number
            payload["issue"] = card.issue
        if reason:
            payload["reason"] = reason
        if row is None or decision.action is None:
            result = ScanResult(
                decision,
                _info(row) if row else None,
                seq,
                previous_since=row.present_since if row else None,
                previous_station=row.present_station if row else None,
                number=card.number if isinstance(card, CardCode) else None,
            )
            return (
                result,
                "scan_refused" if decision.colour is not Colour.GREEN else "scan_confirmed",
                payload,
            )
        entry = self._record_attendance(
            s,
            row,
            decision.action,
            method if mode is not Mode.VOTING_CHECK else "voting_check",
            now,
            station,
            reason,
            seq,
        )
        payload["attendance"] = entry.id
        kind = "check_in" if decision.action is Action.CHECK_IN else "check_out"
        result = ScanResult(decision, _info(row), seq, entry.id, number=row.number)
        return result, kind, payload

    def _record_attendance(
        self,
        s: Session,
        row: Delegate,
        action: Action,
        method: str,
        now: datetime,
        station: str,
        reason: str,
        seq: int,
        reverses: int | None = None,
    ) -> Attendance:
        entry = Attendance(
            delegate_id=row.id,
            action=action.value,
            method=method,
            at=now,
            station=station,
            reason=reason,
            reverses=reverses,
            event_seq=seq,
        )
        s.add(entry)
        row.present = action is Action.CHECK_IN
        row.present_since = now if row.present else None
        row.present_station = station if row.present else None
        s.add(row)
        s.flush()
        return entry

    def correct(self, attendance_id: int, reason: str, station: str) -> AttendanceEntry:
        """Undo a mistaken entry or exit by a new, reasoned counter-entry (nothing is deleted)."""
        reason = self._require_reason(reason)

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[AttendanceEntry, str, dict[str, Any]]:
            original = s.get(Attendance, attendance_id)
            if original is None:
                raise StoreError("no_such_entry", id=attendance_id)
            if original.reverses is not None:
                raise StoreError("cannot_correct_correction", id=attendance_id)
            if s.exec(select(Attendance).where(Attendance.reverses == attendance_id)).first():
                raise StoreError("already_corrected", id=attendance_id)
            later = s.exec(
                select(Attendance).where(
                    Attendance.delegate_id == original.delegate_id,
                    col(Attendance.id) > attendance_id,
                )
            ).first()
            row = s.get(Delegate, original.delegate_id)
            assert row is not None
            if later is not None:
                raise StoreError("not_latest_entry", id=attendance_id, number=row.number)
            undo = Action.CHECK_OUT if original.action == Action.CHECK_IN else Action.CHECK_IN
            entry = self._record_attendance(
                s, row, undo, "correction", now, station, reason, seq, reverses=attendance_id
            )
            if undo is Action.CHECK_IN:  # undoing an exit restores the original arrival
                previous_in = s.exec(
                    select(Attendance)
                    .where(
                        Attendance.delegate_id == row.id,
                        Attendance.action == Action.CHECK_IN.value,
                        col(Attendance.id) < attendance_id,
                    )
                    .order_by(col(Attendance.id).desc())
                ).first()
                if previous_in is not None:
                    row.present_since, row.present_station = previous_in.at, previous_in.station
                    s.add(row)
            payload = {
                "number": row.number,
                "attendance": entry.id,
                "reverses": attendance_id,
                "action": undo.value,
                "reason": reason,
                "station": station,
            }
            view = AttendanceEntry(
                entry.id or 0,
                row.number,
                row.full_name,
                undo,
                "correction",
                now,
                station,
                reason,
                False,
                True,
            )
            return view, "attendance_corrected", payload

        return self._transact(work)

    def set_status(self, number: int, status: Status, reason: str) -> DelegateInfo:
        """Record an absence (excused, whole congress), its withdrawal, or a credentials ruling."""
        reason = self._require_reason(reason)

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[DelegateInfo, str | None, dict[str, Any]]:
            row = self._delegate_row(s, number)
            if status in (Status.ABSENT_WHOLE, Status.ABSENT_EXCUSED) and row.present:
                raise StoreError("absent_but_present", number=number, name=row.full_name)
            if row.status == status.value:
                return _info(row), None, {}
            if row.replaced_by_alternate or status in (
                Status.ABSENT_WHOLE,
                Status.CREDENTIAL_REJECTED,
            ):
                self._refuse_if_activation(row)
            previous = row.status
            row.status = status.value
            row.status_reason = reason
            s.add(row)
            return (
                _info(row),
                "status_changed",
                {"number": number, "from": previous, "to": status.value, "reason": reason},
            )

        return self._transact(work)

    # ----------------------------------------------------------------- alternates

    def activate_alternate(self, official: int, alternate: int, reason: str) -> "Activation":
        """Seat an attending alternate in place of an official delegate absent for the whole
        congress (domain rules 2.1 b, 5.3): the official stays in the base, the alternate votes."""
        reason = self._require_reason(reason)

        def work(s: Session, seq: int, now: datetime) -> tuple[Activation, str, dict[str, Any]]:
            off, alt = self._delegate_row(s, official), self._delegate_row(s, alternate)
            refusal = activation_refusal(off.member(), alt.member())
            if refusal is not None:
                raise StoreError(f"activation.{refusal.value}", **self._pair_params(s, off, alt))
            return self._seat(s, seq, off, alt, True, reason)

        return self._transact(work)

    def deactivate_alternate(self, official: int, alternate: int, reason: str) -> "Activation":
        """Undo an activation (a mistake, or the official turns up after all): the official is
        again absent without an alternate, the alternate no longer votes. Both events stay."""
        reason = self._require_reason(reason)

        def work(s: Session, seq: int, now: datetime) -> tuple[Activation, str, dict[str, Any]]:
            off, alt = self._delegate_row(s, official), self._delegate_row(s, alternate)
            if alt.activated_for != off.number or not off.replaced_by_alternate:
                raise StoreError("alternate_not_in_place", **self._pair_params(s, off, alt))
            return self._seat(s, seq, off, alt, False, reason)

        return self._transact(work)

    def _seat(
        self, s: Session, seq: int, off: Delegate, alt: Delegate, active: bool, reason: str
    ) -> tuple["Activation", str, dict[str, Any]]:
        """Write an activation (or its undoing) to both rows, with the base before and after."""
        before = self._quorum_in(s).attendance.base
        off.replaced_by_alternate = active
        alt.activated_for = off.number if active else None
        s.add_all((off, alt))
        s.flush()
        after = self._quorum_in(s).attendance.base
        payload = {
            "number": alt.number,
            "official": off.number,
            "reason": reason,
            "base_before": before,
            "base_after": after,
        }
        kind = "alternate_activated" if active else "alternate_deactivated"
        return Activation(_info(off), _info(alt), before, after, seq), kind, payload

    @staticmethod
    def _pair_params(s: Session, off: Delegate, alt: Delegate) -> dict[str, object]:
        """What an activation refusal may name: both delegates, their kinds, and whoever
        already holds the official's place or the alternate's seat."""
        holder = s.exec(select(Delegate.number).where(Delegate.activated_for == off.number)).first()
        return {
            "official": off.number,
            "official_name": off.full_name,
            "official_kind": t(f"kind.{off.kind}"),
            "alternate": alt.number,
            "alternate_name": alt.full_name,
            "alternate_kind": t(f"kind.{alt.kind}"),
            "holder": holder if holder is not None else "-",
            "seat": alt.activated_for if alt.activated_for is not None else "-",
        }

    @staticmethod
    def _refuse_if_activation(row: Delegate) -> None:
        """A replaced official's or an activated alternate's kind or standing changes only once
        the activation is undone: else one seat would have two votes, or none."""
        if row.replaced_by_alternate or row.activated_for is not None:
            raise StoreError("activation_in_force", number=row.number, name=row.full_name)

    @staticmethod
    def _require_reason(reason: str) -> str:
        reason = nfc(reason)
        if not reason:
            raise StoreError("reason_required")
        return reason

    @staticmethod
    def _delegate_row(s: Session, number: int) -> Delegate:
        row = s.exec(select(Delegate).where(Delegate.number == number)).first()
        if row is None:
            raise StoreError("no_such_delegate", number=number)
        return row

    # ----------------------------------------------------------------- reads

    def snapshot(self, *, doors: bool = True) -> RollCallSnapshot:
        """Attendance, base and quorum verdict, the per-unit table and the doors, in one read.

        Without `doors` (a projector, a teller: they show no door), one grouped scan of the
        attendance table less on every change anywhere in the hall."""
        with Session(self.reader) as s:
            quorum = self._quorum_in(s)
            seat = col(Delegate.kind).in_([k.value for k in VOTING_KINDS])
            units = s.exec(
                select(
                    Delegate.unit,
                    func.sum(case((seat, 1), else_=0)),
                    func.sum(case((col(Delegate.present), 1), else_=0)),
                )
                .where(
                    or_(seat, col(Delegate.activated_for).is_not(None)),
                    Delegate.status != Status.CREDENTIAL_REJECTED.value,
                )
                .group_by(Delegate.unit)
            ).all()
            recorded = _recorded_at_doors(s) if doors else []
            head = s.get(ChainHead, 1)
        unit_rows = sorted(
            (UnitRow(u, int(n or 0), int(p or 0)) for u, n, p in units),
            key=lambda r: vi_key(r.unit),
        )
        at_doors = door_counts(
            self.congress.stations,
            ((station, Action(action), n, at) for station, action, n, at in recorded),
        )
        return RollCallSnapshot(quorum, unit_rows, head.seq if head else 0, at_doors)

    def _quorum_in(self, s: Session) -> QuorumVerdict:
        """The quorum verdict as this session sees the delegate table (inside a write, too)."""
        congress = self.congress
        activated = col(Delegate.activated_for).is_not(None)
        facts = (Delegate.kind, Delegate.status, Delegate.present, Delegate.replaced_by_alternate)
        groups = s.exec(select(*facts, activated, func.count()).group_by(*facts, activated)).all()
        members = [
            (Member(Kind(k), Status(st), bool(p), bool(r), bool(a)), n)
            for k, st, p, r, a, n in groups
        ]
        return verdict(attendance(members, congress.type, congress.rules.base), congress.rules)

    def delegates(self, *, present: bool | None = None) -> list[DelegateInfo]:
        with Session(self.reader) as s:
            query = select(*_INFO_COLUMNS).order_by(Delegate.number)
            if present is not None:
                query = query.where(Delegate.present == present)
            return [_info_from(row) for row in s.exec(query).all()]

    def delegate(self, number: int) -> DelegateInfo | None:
        with Session(self.reader) as s:
            row = s.exec(select(Delegate).where(Delegate.number == number)).first()
            return _info(row) if row else None

    def missing(self) -> list[DelegateInfo]:
        """Voting delegates not in the hall (those absent for the whole congress included)."""
        return [d for d in self.delegates(present=False) if d.missing]

    def changes_since(self, seen: int, limit: int = 200) -> Changes:
        """The delegates whose roll-call state the events after `seen` touched.

        A register import, or more than `limit` delegates, asks for a reload instead: cheaper
        than reading them one by one.
        """
        numbers: set[int] = set()
        last = seen
        for event in self.events(after=seen):
            last = event.seq
            if event.kind == "register_imported":
                return Changes(self.last_seq(), (), reload=True)
            for key in ("number", "official"):  # an activation changes two delegates
                number = event.payload.get(key)
                if isinstance(number, int):
                    numbers.add(number)
            if len(numbers) > limit:
                return Changes(self.last_seq(), (), reload=True)
        if not numbers:
            return Changes(last, (), reload=False)
        with Session(self.reader) as s:
            rows = s.exec(
                select(*_INFO_COLUMNS)
                .where(col(Delegate.number).in_(sorted(numbers)))
                .order_by(Delegate.number)
            ).all()
        return Changes(last, tuple(_info_from(r) for r in rows), reload=False)

    def search(self, query: str, limit: int = 50) -> list[DelegateInfo]:
        """By name without diacritics, by number, or by unit: 'nguyen van khoe', '17', 'xa an'."""
        query = nfc(query)
        words = fold(query).split()
        if not words:
            return []
        with Session(self.reader) as s:
            # Units are few: match them in Python with the same folding, then filter in SQL.
            units = [u for u in s.exec(select(Delegate.unit).distinct()).all() if matches(query, u)]
            by_name = and_(*(col(Delegate.name_folded).contains(w, autoescape=True) for w in words))
            conditions = [by_name, col(Delegate.unit).in_(units)] if units else [by_name]
            if query.isdigit():
                conditions.append(Delegate.number == int(query))
            rows = s.exec(
                select(*_INFO_COLUMNS)
                .where(or_(*conditions))
                .order_by(Delegate.number)
                .limit(limit)
            ).all()
        found = [_info_from(row) for row in rows]
        # An exact number match first, then by number.
        found.sort(key=lambda d: (not (query.isdigit() and d.number == int(query)), d.number))
        return found

    def attendance_log(self, limit: int = 20, number: int | None = None) -> list[AttendanceEntry]:
        """The latest entries and exits, newest first, with whether each was corrected."""
        with Session(self.reader) as s:
            query = (
                select(Attendance, Delegate.number, Delegate.full_name)
                .join(Delegate, col(Delegate.id) == Attendance.delegate_id)
                .order_by(col(Attendance.id).desc())
                .limit(limit)
            )
            if number is not None:
                query = query.where(Delegate.number == number)
            rows = s.exec(query).all()
            ids = [a.id for a, _, _ in rows]
            reversed_ids = set(
                s.exec(select(Attendance.reverses).where(col(Attendance.reverses).in_(ids))).all()
            )
        return [
            AttendanceEntry(
                a.id or 0,
                n,
                name,
                Action(a.action),
                a.method,
                a.at,
                a.station,
                a.reason,
                a.id in reversed_ids,
                a.reverses is not None,
            )
            for a, n, name in rows
        ]

    def check_in_counts(self) -> dict[int, int]:
        """Delegate number -> entries recorded, corrections aside (proves exactly-once)."""
        with Session(self.reader) as s:
            rows = s.exec(
                select(Delegate.number, func.count())
                .select_from(Attendance)
                .join(Delegate, col(Delegate.id) == Attendance.delegate_id)
                .where(
                    Attendance.action == Action.CHECK_IN.value, Attendance.method != "correction"
                )
                .group_by(Delegate.number)
            ).all()
        return {number: count for number, count in rows}

    # ----------------------------------------------------------------- the log

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

    def verify(self) -> "IntegrityProblem | None":
        """Recompute the hash chain, then replay the log against the delegate table.

        The first problem found, or None: an altered, missing or reordered event (by its seq), or
        a delegate whose presence, status, card issue or alternate activation differs from what
        the log says (a row edited behind Presidium's back).
        """
        events = list(self.events())
        found = audit.first_break(events)
        if found is not None:
            return IntegrityProblem(found.problem, {"seq": found.seq})
        with Session(self.reader) as s:
            head = s.get(ChainHead, 1)
            rows = s.exec(select(Delegate.number, *_REPLAYED)).all()
        last_hash = events[-1].hash if events else audit.GENESIS
        if head is None or last_hash != head.hash or head.seq != len(events):
            return IntegrityProblem("head_mismatch", {"seq": head.seq if head else 0})
        expected = replay_roll_call(events)
        for number, *values in sorted(rows):
            want = expected.get(number)
            if want is None:
                return IntegrityProblem("state_unlogged", {"number": number})
            actual = _replayed_fields(values)
            for name, value in actual.items():
                if want[name] != value:
                    return IntegrityProblem(
                        "state_mismatch",
                        {"number": number, "field": name, "stored": value, "logged": want[name]},
                    )
        missing = expected.keys() - {r[0] for r in rows}
        if missing:
            return IntegrityProblem("state_deleted", {"number": min(missing)})
        refused = (
            self.replay_problem(events)
            or election_replay_problem(events)
            or self.bodies_replay_problem(events)
        )
        if refused is not None:
            return IntegrityProblem("replay_refused", {"seq": refused[0], "detail": refused[1]})
        return None


@dataclass(frozen=True, slots=True)
class IntegrityProblem:
    """What `verify` found; `key` is a translation key under 'verify.'."""

    key: str
    params: dict[str, object]


# The delegate columns `verify` replays from the log, and how a stored value compares.
_REPLAYED = (
    Delegate.present,
    Delegate.status,
    Delegate.card_issue,
    Delegate.replaced_by_alternate,
    Delegate.activated_for,
)


_IMPORTED = (False, Status.SUMMONED.value, 0, False, None)  # a delegate as imported


def _replayed_fields(values: Sequence[Any]) -> dict[str, object]:
    present, status, issue, replaced, activated_for = values
    return {
        "present": bool(present),
        "status": status,
        "card_issue": issue,
        "replaced_by_alternate": bool(replaced),
        "activated_for": activated_for,
    }


def replay_roll_call(events: Sequence[audit.StoredEvent]) -> dict[int, dict[str, object]]:
    """Each delegate's presence, status, card issue and alternate activation as the log alone
    tells it."""
    state: dict[int, dict[str, object]] = {}
    for e in events:
        p = e.payload
        if e.kind == "register_imported":
            for number in p.get("added", []):  # type: ignore[union-attr]
                state[int(number)] = _replayed_fields(_IMPORTED)
        elif e.kind in ("check_in", "check_out"):
            state[int(p["number"])]["present"] = e.kind == "check_in"  # type: ignore[arg-type]
        elif e.kind == "attendance_corrected":
            state[int(p["number"])]["present"] = p["action"] == Action.CHECK_IN.value  # type: ignore[arg-type]
        elif e.kind == "status_changed":
            state[int(p["number"])]["status"] = p["to"]  # type: ignore[arg-type]
        elif e.kind == "card_reissued":
            state[int(p["number"])]["card_issue"] = p["issue"]  # type: ignore[arg-type]
        elif e.kind in ("alternate_activated", "alternate_deactivated"):
            active = e.kind == "alternate_activated"
            official = int(p["official"])  # type: ignore[arg-type]
            state[official]["replaced_by_alternate"] = active
            state[int(p["number"])]["activated_for"] = official if active else None  # type: ignore[arg-type]
    return state


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
