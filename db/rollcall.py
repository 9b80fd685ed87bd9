"""The roll call's changes: the register's import, the cards, the scans at the doors, the
corrections, the delegates' standing and the alternates seated in an official's place.

Each is one write transaction on the log that appends its event (db.log); the quorum an
activation records before and after is read from db.register inside that transaction.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db.delegates import (
    Activation,
    AttendanceEntry,
    DelegateInfo,
    ImportReport,
    ScanResult,
    delegate_row,
    info,
    record_values,
    refuse_if_activation,
)
from db.integrity_tables import register_fields
from db.log import Log, StoreError, require_reason
from db.models import Attendance, Delegate
from db.privileges import card_shape, server_card
from db.register import Register
from session.cards import CardCode, CardProblem, CardRejection, make_code, read_code
from session.i18n import t
from session.quorum import Kind, Status, activation_refusal
from session.register import DelegateRecord
from session.rollcall import Action, Colour, DelegateState, Mode, decide


class RollCall:
    """Changes to the register and to who is in the hall."""

    def __init__(self, log: Log, register: Register) -> None:
        self._log = log
        self._register = register

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
            logged: dict[str, dict[str, object]] = {}  # what verify checks the rows against
            for record in records:
                values = record_values(record)
                row = existing.pop(record.number, None)
                if row is None:
                    row = Delegate(**values)
                    s.add(row)
                    report.added.append(record.number)
                    logged[str(record.number)] = register_fields(row)
                    continue
                differing = [k for k, v in values.items() if getattr(row, k) != v]
                # name_folded follows full_name: written with it, never reported as a field
                changed = [k for k in differing if k != "name_folded"] or differing
                if "kind" in changed:
                    refuse_if_activation(row)
                if changed:
                    for k in differing:
                        setattr(row, k, values[k])
                    s.add(row)
                    report.updated.append((record.number, changed))
                    logged[str(record.number)] = register_fields(row)
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
                "register": logged,
            }
            return report, "register_imported", payload

        return self._log.transact(work)

    # ----------------------------------------------------------------- cards

    def _card_key(self) -> str:
        """The key that makes codes; a role's own login on PostgreSQL may not read it."""
        key = self._log.secret
        if not key:
            raise StoreError("card_key_withheld")
        return key

    def card_code(self, number: int, issue: int) -> str:
        return make_code(self._card_key(), number, issue)

    def reissue_card(self, number: int, reason: str) -> str:
        """Print a new card for a lost one: the old code is revoked from now on."""
        reason = require_reason(reason)
        key = self._card_key()

        def work(s: Session, seq: int, now: datetime) -> tuple[str, str, dict[str, Any]]:
            row = delegate_row(s, number)
            row.card_issue += 1
            s.add(row)
            return (
                make_code(key, number, row.card_issue),
                "card_reissued",
                {"number": number, "issue": row.card_issue, "reason": reason},
            )

        return self._log.transact(work)

    # ----------------------------------------------------------------- scans

    def scan(self, raw: str, mode: Mode, station: str) -> ScanResult:
        """Take one scanned (or typed) code at `station`. Garbage never reaches the database."""
        key = self._log.secret
        card = read_code(raw, key) if key else card_shape(raw)
        if isinstance(card, CardRejection) and card.problem in (
            CardProblem.EMPTY,
            CardProblem.MALFORMED,
        ):
            return ScanResult(decide(mode, card, None), None)

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[ScanResult, str | None, dict[str, Any]]:
            # A role's own login asks the server inside this write: the scan guard then lets
            # it record this card's delegate, and no one else (db/privileges.py).
            read = server_card(s.connection(), card) if isinstance(card, str) else card
            return self._apply_scan(s, seq, now, read, mode, station, "scan", "")

        return self._log.transact(work)

    def manual(self, number: int, mode: Mode, station: str, reason: str) -> ScanResult:
        """Check a delegate in or out without the card (forgotten card), with the reason."""
        reason = require_reason(reason)

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[ScanResult, str | None, dict[str, Any]]:
            row = delegate_row(s, number)
            card = CardCode(number=number, issue=row.card_issue, code="")
            return self._apply_scan(s, seq, now, card, mode, station, "manual", reason)

        return self._log.transact(work)

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
                info(row) if row else None,
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
        entry = _record_attendance(
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
        result = ScanResult(decision, info(row), seq, entry.id, number=row.number)
        return result, kind, payload

    def correct(self, attendance_id: int, reason: str, station: str) -> AttendanceEntry:
        """Undo a mistaken entry or exit by a new, reasoned counter-entry (nothing is deleted)."""
        reason = require_reason(reason)

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
            entry = _record_attendance(
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

        return self._log.transact(work)

    # ----------------------------------------------------------------- standing

    def set_status(self, number: int, status: Status, reason: str) -> DelegateInfo:
        """Record an absence (excused, whole congress), its withdrawal, or a credentials ruling."""
        reason = require_reason(reason)

        def work(
            s: Session, seq: int, now: datetime
        ) -> tuple[DelegateInfo, str | None, dict[str, Any]]:
            row = delegate_row(s, number)
            if status in (Status.ABSENT_WHOLE, Status.ABSENT_EXCUSED) and row.present:
                raise StoreError("absent_but_present", number=number, name=row.full_name)
            if row.status == status.value:
                return info(row), None, {}
            if row.replaced_by_alternate or status in (
                Status.ABSENT_WHOLE,
                Status.CREDENTIAL_REJECTED,
            ):
                refuse_if_activation(row)
            previous = row.status
            row.status = status.value
            row.status_reason = reason
            s.add(row)
            return (
                info(row),
                "status_changed",
                {"number": number, "from": previous, "to": status.value, "reason": reason},
            )

        return self._log.transact(work)

    # ----------------------------------------------------------------- alternates

    def activate_alternate(self, official: int, alternate: int, reason: str) -> Activation:
        """Seat an attending alternate in place of an official delegate absent for the whole
        congress (domain rules 2.1 b, 5.3): the official stays in the base, the alternate votes."""
        reason = require_reason(reason)

        def work(s: Session, seq: int, now: datetime) -> tuple[Activation, str, dict[str, Any]]:
            off, alt = delegate_row(s, official), delegate_row(s, alternate)
            refusal = activation_refusal(off.member(), alt.member())
            if refusal is not None:
                raise StoreError(f"activation.{refusal.value}", **_pair_params(s, off, alt))
            return self._seat(s, seq, off, alt, True, reason)

        return self._log.transact(work)

    def deactivate_alternate(self, official: int, alternate: int, reason: str) -> Activation:
        """Undo an activation (a mistake, or the official turns up after all): the official is
        again absent without an alternate, the alternate no longer votes. Both events stay."""
        reason = require_reason(reason)

        def work(s: Session, seq: int, now: datetime) -> tuple[Activation, str, dict[str, Any]]:
            off, alt = delegate_row(s, official), delegate_row(s, alternate)
            if alt.activated_for != off.number or not off.replaced_by_alternate:
                raise StoreError("alternate_not_in_place", **_pair_params(s, off, alt))
            return self._seat(s, seq, off, alt, False, reason)

        return self._log.transact(work)

    def _seat(
        self, s: Session, seq: int, off: Delegate, alt: Delegate, active: bool, reason: str
    ) -> tuple[Activation, str, dict[str, Any]]:
        """Write an activation (or its undoing) to both rows, with the base before and after."""
        before = self._register.quorum_in(s).attendance.base
        off.replaced_by_alternate = active
        alt.activated_for = off.number if active else None
        s.add_all((off, alt))
        s.flush()
        after = self._register.quorum_in(s).attendance.base
        payload = {
            "number": alt.number,
            "official": off.number,
            "reason": reason,
            "base_before": before,
            "base_after": after,
        }
        kind = "alternate_activated" if active else "alternate_deactivated"
        return Activation(info(off), info(alt), before, after, seq), kind, payload


def _record_attendance(
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
