"""What the roll call hands out (plain dataclasses: no session leaves db/), and how a delegate row
becomes one. Shared by the roll call's reads (db.register) and changes (db.rollcall)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from db.log import StoreError
from db.models import Delegate
from session.doors import DoorCount
from session.quorum import Kind, Member, QuorumVerdict, Status
from session.register import FIELDS, REQUIRED, DelegateRecord
from session.rollcall import Action, ScanDecision
from session.text import fold


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


INFO_COLUMNS = (
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


def info_from(v: Sequence[Any]) -> DelegateInfo:
    """A DelegateInfo from a row of INFO_COLUMNS (column reads are ~10x cheaper than entities).

    The columns are in DelegateInfo's field order; only the enums and the flags need converting.
    """
    return DelegateInfo(
        v[0], v[1], v[2], Kind(v[3]), Status(v[4]), v[5], v[6], bool(v[7]), *v[8:16],
        bool(v[16]), v[17],
    )  # fmt: skip


def info(d: Delegate) -> DelegateInfo:
    return info_from([getattr(d, c.key) for c in INFO_COLUMNS])


def record_values(r: DelegateRecord) -> dict[str, Any]:
    """A register record as the delegate row's columns: only those its file gave (and the
    required ones), so that a re-import keeps every field its file has no column for."""
    values = {
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
    absent = set(FIELDS) - r.given - set(REQUIRED)
    return {column: value for column, value in values.items() if column not in absent}


def delegate_row(s: Session, number: int) -> Delegate:
    """The delegate row of `number`; refused when the register has none."""
    row = s.exec(select(Delegate).where(Delegate.number == number)).first()
    if row is None:
        raise StoreError("no_such_delegate", number=number)
    return row


def refuse_if_activation(row: Delegate) -> None:
    """A replaced official's or an activated alternate's kind or standing changes only once
    the activation is undone: else one seat would have two votes, or none."""
    if row.replaced_by_alternate or row.activated_for is not None:
        raise StoreError("activation_in_force", number=row.number, name=row.full_name)
