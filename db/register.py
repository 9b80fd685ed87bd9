"""The roll call's reads: the register as it stands, who is in the hall, the quorum, the doors.

Read from committed data through the log's reader (displays never take the write lock), except
:meth:`Register.quorum_in`, which reads through the session it is given: the votes, the
elections and the alternates freeze the attendance inside their own write transaction.
"""

from datetime import datetime

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from db.delegates import (
    INFO_COLUMNS,
    AttendanceEntry,
    Changes,
    DelegateInfo,
    RollCallSnapshot,
    UnitRow,
    info,
    info_from,
)
from db.log import Log
from db.models import Attendance, ChainHead, Delegate
from session.doors import door_counts
from session.quorum import VOTING_KINDS, Kind, Member, QuorumVerdict, Status, attendance, verdict
from session.rollcall import Action
from session.text import fold, matches, nfc, vi_key


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


class Register:
    """The roll call as it stands, read from the database."""

    def __init__(self, log: Log) -> None:
        self._log = log

    def snapshot(self, *, doors: bool = True) -> RollCallSnapshot:
        """Attendance, base and quorum verdict, the per-unit table and the doors, in one read.

        Without `doors` (a projector, a teller: they show no door), one grouped scan of the
        attendance table less on every change anywhere in the hall."""
        with Session(self._log.reader) as s:
            quorum = self.quorum_in(s)
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
            self._log.congress.stations,
            ((station, Action(action), n, at) for station, action, n, at in recorded),
        )
        return RollCallSnapshot(quorum, unit_rows, head.seq if head else 0, at_doors)

    def quorum_in(self, s: Session) -> QuorumVerdict:
        """The quorum verdict as this session sees the delegate table (inside a write, too)."""
        congress = self._log.congress
        activated = col(Delegate.activated_for).is_not(None)
        facts = (Delegate.kind, Delegate.status, Delegate.present, Delegate.replaced_by_alternate)
        groups = s.exec(select(*facts, activated, func.count()).group_by(*facts, activated)).all()
        members = [
            (Member(Kind(k), Status(st), bool(p), bool(r), bool(a)), n)
            for k, st, p, r, a, n in groups
        ]
        return verdict(attendance(members, congress.type, congress.rules.base), congress.rules)

    def delegates(self, *, present: bool | None = None) -> list[DelegateInfo]:
        with Session(self._log.reader) as s:
            query = select(*INFO_COLUMNS).order_by(Delegate.number)
            if present is not None:
                query = query.where(Delegate.present == present)
            return [info_from(row) for row in s.exec(query).all()]

    def delegate(self, number: int) -> DelegateInfo | None:
        with Session(self._log.reader) as s:
            row = s.exec(select(Delegate).where(Delegate.number == number)).first()
            return info(row) if row else None

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
        for event in self._log.events(after=seen):
            last = event.seq
            if event.kind == "register_imported":
                return Changes(self._log.last_seq(), (), reload=True)
            for key in ("number", "official"):  # an activation changes two delegates
                number = event.payload.get(key)
                if isinstance(number, int):
                    numbers.add(number)
            if len(numbers) > limit:
                return Changes(self._log.last_seq(), (), reload=True)
        if not numbers:
            return Changes(last, (), reload=False)
        with Session(self._log.reader) as s:
            rows = s.exec(
                select(*INFO_COLUMNS)
                .where(col(Delegate.number).in_(sorted(numbers)))
                .order_by(Delegate.number)
            ).all()
        return Changes(last, tuple(info_from(r) for r in rows), reload=False)

    def search(self, query: str, limit: int = 50) -> list[DelegateInfo]:
        """By name without diacritics, by number, or by unit: 'nguyen van khoe', '17', 'xa an'."""
        query = nfc(query)
        words = fold(query).split()
        if not words:
            return []
        with Session(self._log.reader) as s:
            # Units are few: match them in Python with the same folding, then filter in SQL.
            units = [u for u in s.exec(select(Delegate.unit).distinct()).all() if matches(query, u)]
            by_name = and_(*(col(Delegate.name_folded).contains(w, autoescape=True) for w in words))
            conditions = [by_name, col(Delegate.unit).in_(units)] if units else [by_name]
            if query.isdigit():
                conditions.append(Delegate.number == int(query))
            rows = s.exec(
                select(*INFO_COLUMNS).where(or_(*conditions)).order_by(Delegate.number).limit(limit)
            ).all()
        found = [info_from(row) for row in rows]
        # An exact number match first, then by number.
        found.sort(key=lambda d: (not (query.isdigit() and d.number == int(query)), d.number))
        return found

    def attendance_log(self, limit: int = 20, number: int | None = None) -> list[AttendanceEntry]:
        """The latest entries and exits, newest first, with whether each was corrected."""
        with Session(self._log.reader) as s:
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
        with Session(self._log.reader) as s:
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
