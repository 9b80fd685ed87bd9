"""What the tables hold, checked against what the log says they should hold.

`verify` (db.integrity) first recomputes the chain; these checks then compare every row that
feeds a count, a base or the minutes with the events that wrote it, so a row edited behind
Presidium's back is named even when the chain itself is intact:

* the congress row (name, settings, and the card key by its fingerprint) against
  ``congress_created``;
* each delegate's register fields (name, unit, kind, origin...) against the last import that
  logged them, and the search key against the name it folds;
* each delegate's status reason against the last ``status_changed``;
* every attendance row against the event that wrote it, and no row without one;
* each role's stored passphrase against a fingerprint the event that set it logged (a hash
  replaced by someone holding the database would hand them the role).

Logs written before a fact was logged (a register import or a congress from an earlier release)
are checked for what they hold: such rows are compared from the first event that logs them on.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from db.models import Attendance, CongressRow, Delegate, RolePassphrase
from session import audit
from session.register import FIELDS
from session.text import fold

# The delegate columns a register import writes (its payload logs their values under "register"):
# the register's fields but the number, which names the row.
REGISTER_FIELDS = tuple(f for f in FIELDS if f != "number")

Problem = tuple[str, dict[str, object]]  # a translation key under 'verify.' and its params


def key_fingerprint(secret: str) -> str:
    """What the log keeps of the card key: enough to notice it replaced, nothing to sign with."""
    return hashlib.sha256(b"presidium-card-key-fingerprint|" + secret.encode()).hexdigest()[:32]


def passphrase_fingerprint(row: RolePassphrase) -> str:
    """What the log keeps of a stored passphrase: enough to notice its hash replaced behind
    Presidium's back (a role taken over), nothing to check a guess against (the salt is in it)."""
    stored = f"{row.salt}|{row.digest}|{row.n}|{row.r}|{row.p}".encode()
    return hashlib.sha256(b"presidium-passphrase-fingerprint|" + stored).hexdigest()[:32]


def passphrase_problem(s: Session, events: Sequence[audit.StoredEvent]) -> Problem | None:
    """Each role's stored passphrase against the last ``role_passphrase_set`` that logged it."""
    logged: dict[str, object] = {}
    for e in events:
        if e.kind == "role_passphrase_set":
            logged[str(e.payload["role"])] = e.payload.get("stored")
    for row in s.exec(select(RolePassphrase).order_by(RolePassphrase.role)).all():
        if row.role not in logged:
            return ("passphrase_unlogged", {"role": row.role})
        want = logged[row.role]
        if want is not None and want != passphrase_fingerprint(row):
            return ("passphrase_mismatch", {"role": row.role})
    return None


def register_fields(row: Delegate) -> dict[str, object]:
    """A delegate's register fields as an import logs them (dates as ISO text)."""
    values = {name: getattr(row, name) for name in REGISTER_FIELDS}
    born = values["date_of_birth"]
    values["date_of_birth"] = born.isoformat() if isinstance(born, date) else None
    return values


def congress_problem(s: Session, events: Sequence[audit.StoredEvent]) -> Problem | None:
    """The congress row against the event that created it."""
    created = next((e for e in events if e.kind == "congress_created"), None)
    row = s.get(CongressRow, 1)
    if created is None or row is None:
        return None if created is None and row is None else ("congress_unlogged", {})
    logged = created.payload
    if row.name != logged.get("name"):
        return ("congress_mismatch", {"field": "name"})
    if json.loads(row.config_json) != logged.get("config"):
        return ("congress_mismatch", {"field": "config"})
    fingerprint = logged.get("card_key")
    if fingerprint is not None and key_fingerprint(row.secret) != fingerprint:
        return ("congress_mismatch", {"field": "card_key"})
    return None


def _logged_register(events: Sequence[audit.StoredEvent]) -> dict[int, dict[str, Any]]:
    """Each delegate's register fields as the last import that logged them wrote them."""
    logged: dict[int, dict[str, Any]] = {}
    for e in events:
        if e.kind == "register_imported":
            for number, fields in dict(e.payload.get("register", {})).items():  # type: ignore[call-overload]
                logged[int(number)] = fields
    return logged


def _logged_reasons(events: Sequence[audit.StoredEvent]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    for e in events:
        if e.kind == "status_changed":
            reasons[int(e.payload["number"])] = str(e.payload.get("reason", ""))  # type: ignore[arg-type]
    return reasons


def register_problem(s: Session, events: Sequence[audit.StoredEvent]) -> Problem | None:
    """Each delegate's register fields, search key and status reason against the log."""
    logged = _logged_register(events)
    reasons = _logged_reasons(events)
    for row in s.exec(select(Delegate).order_by(Delegate.number)).all():
        if row.name_folded != fold(row.full_name):
            return _mismatch(row.number, "name_folded", row.name_folded, fold(row.full_name))
        want = logged.get(row.number)
        if want is not None:
            for name, value in register_fields(row).items():
                if want.get(name) != value:
                    return _mismatch(row.number, name, value, want.get(name))
        reason = reasons.get(row.number, "")
        if row.status_reason != reason:
            return _mismatch(row.number, "status_reason", row.status_reason, reason)
    return None


def _mismatch(number: int, field: str, stored: object, logged: object) -> Problem:
    return (
        "state_mismatch",
        {"number": number, "field": field, "stored": stored, "logged": logged},
    )


def _utc(value: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands it back naive, as written in UTC)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _expected_attendance(events: Sequence[audit.StoredEvent]) -> dict[int, dict[str, object]]:
    """The attendance row each entry, exit and correction wrote, by the event's seq."""
    rows: dict[int, dict[str, object]] = {}
    for e in events:
        p = e.payload
        if e.kind in ("check_in", "check_out"):
            method = "voting_check" if p.get("mode") == "voting_check" else p.get("method")
            action, reverses = e.kind, None
        elif e.kind == "attendance_corrected":
            method, action, reverses = "correction", p.get("action"), p.get("reverses")
        else:
            continue
        rows[e.seq] = {
            "id": p.get("attendance"),
            "number": p.get("number"),
            "action": action,
            "method": method,
            "at": _utc(e.at),
            "station": p.get("station"),
            "reason": p.get("reason", ""),
            "reverses": reverses,
        }
    return rows


def attendance_problem(s: Session, events: Sequence[audit.StoredEvent]) -> Problem | None:
    """Every attendance row against the event that wrote it; no row without one, none missing."""
    expected = _expected_attendance(events)
    stored = s.exec(
        select(Attendance, Delegate.number)
        .join(Delegate, Attendance.delegate_id == Delegate.id)  # type: ignore[arg-type]
        .order_by(Attendance.id)  # type: ignore[arg-type]
    ).all()
    seen: set[int] = set()
    for entry, number in stored:
        want = expected.get(entry.event_seq)
        if want is None or entry.event_seq in seen:
            return ("attendance_unlogged", {"id": entry.id})
        seen.add(entry.event_seq)
        actual = {
            "id": entry.id if want["id"] is not None else None,
            "number": number,
            "action": entry.action,
            "method": entry.method,
            "at": _utc(entry.at),
            "station": entry.station,
            "reason": entry.reason,
            "reverses": entry.reverses,
        }
        for name, value in actual.items():
            if want[name] != value:
                return (
                    "attendance_mismatch",
                    {"id": entry.id, "field": name, "stored": value, "logged": want[name]},
                )
    missing = expected.keys() - seen
    if missing:
        return ("attendance_deleted", {"seq": min(missing)})
    return None
