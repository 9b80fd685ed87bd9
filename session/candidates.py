"""The convening committee's candidate list, read from CSV or XLSX (issue 4).

Each row is either a delegate, by number (the name and date of birth then come from the
register), or a candidate who is not a delegate, with full particulars. All or nothing, like the
register: every bad row is reported with its line (session.register.RowProblem), and nothing is
imported. Headings in English or Vietnamese (docs/file-formats.md).
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from session.ballots import Person
from session.register import (
    RegisterError,
    RowProblem,
    cell_text,
    parse_date,
    read_rows,
    text_problem,
)
from session.text import fold

ALIASES: dict[str, str] = {
    "delegate": "delegate", "number": "delegate", "so dai bieu": "delegate", "so db": "delegate",
    "so the": "delegate", "ma dai bieu": "delegate",
    "full_name": "full_name", "full name": "full_name", "ho va ten": "full_name",
    "ho ten": "full_name", "name": "full_name",
    "family_name": "family", "ho": "family", "middle_name": "middle", "ten dem": "middle",
    "ten lot": "middle", "given_name": "given", "ten": "given",
    "date_of_birth": "date_of_birth", "ngay sinh": "date_of_birth",
    "ngay thang nam sinh": "date_of_birth",
    "committee_member": "committee_member", "uy vien bch": "committee_member",
    "cap uy": "committee_member", "uy vien ban chap hanh": "committee_member",
}  # fmt: skip
YES = frozenset({"yes", "y", "x", "1", "true", "co"})
NO = frozenset({"no", "n", "0", "false", "khong", ""})


def delegate_person_id(number: int) -> str:
    """A delegate's candidate id, the same in every election and import."""
    return f"d{number:05d}"


def delegate_person(
    number: int,
    full_name: str,
    date_of_birth: date | None,
    *,
    committee_member: bool,
    english: bool,
) -> Person:
    """A delegate as a candidate: the name split the register's way (the register keeps only the
    full name), the date of birth for the ballot order."""
    return Person.from_full_name(
        delegate_person_id(number),
        full_name,
        english=english,
        date_of_birth=date_of_birth,
        delegate=number,
        committee_member=committee_member,
    )


@dataclass(frozen=True, slots=True)
class CandidateRow:
    line: int
    delegate: int | None
    full_name: str
    family: str
    middle: str
    given: str
    date_of_birth: date | None
    committee_member: bool | None  # None: not said (a delegate's kind decides)

    @property
    def person_id(self) -> str:
        """Stable across re-imports: the delegate number, else the folded name and birth date."""
        if self.delegate is not None:
            return delegate_person_id(self.delegate)
        key = f"{fold(self.full_name)}|{self.date_of_birth or ''}"
        return "c" + hashlib.sha256(key.encode()).hexdigest()[:10]


def _columns(header: Sequence[object]) -> tuple[dict[str, int], list[RowProblem]]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        field = ALIASES.get(fold(cell_text(title)).strip(" :*()"))
        if field is not None and field not in columns:
            columns[field] = index
    problems = []
    if "delegate" not in columns and "full_name" not in columns and "given" not in columns:
        problems.append(RowProblem(1, "missing_column", "delegate / full_name"))
    return columns, problems


def parse_candidates(rows: Iterable[tuple[int, Sequence[object]]]) -> list[CandidateRow]:
    iterator = iter(rows)
    try:
        _, header = next(iterator)
    except StopIteration:
        raise RegisterError([RowProblem(0, "empty_file")]) from None
    columns, problems = _columns(header)
    if problems:
        raise RegisterError(problems)
    found: list[CandidateRow] = []
    seen: dict[str, int] = {}
    for line, cells in iterator:
        values = {f: cell_text(cells[i]) if i < len(cells) else "" for f, i in columns.items()}
        raw = {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
        if not any(values.values()):
            continue
        row = _row(line, values, raw, problems)
        if row is None:
            continue
        if row.person_id in seen:
            problems.append(RowProblem(line, "duplicate_candidate", "", str(seen[row.person_id])))
            continue
        seen[row.person_id] = line
        found.append(row)
    if problems:
        raise RegisterError(problems)
    if not found:
        raise RegisterError([RowProblem(0, "no_rows")])
    return found


def _row(
    line: int, values: dict[str, str], raw: dict[str, object], problems: list[RowProblem]
) -> CandidateRow | None:
    before = len(problems)
    number = values.get("delegate", "")
    delegate = int(number) if number.isdigit() and number.isascii() else None
    if number and delegate is None:
        problems.append(RowProblem(line, "bad_number", "delegate", number))
    for field in ("full_name", "family", "middle", "given"):  # printed on the ballots
        problem = text_problem(values.get(field, ""))
        if problem is not None:
            problems.append(RowProblem(line, problem[0], field, problem[1]))
    parts = [values.get(k, "") for k in ("family", "middle", "given")]
    full_name = values.get("full_name", "") or " ".join(p for p in parts if p)
    if delegate is None and not full_name:
        problems.append(RowProblem(line, "missing_name", "full_name"))
    birth = None
    if values.get("date_of_birth"):
        birth = parse_date(raw["date_of_birth"])
        if birth is None:
            problems.append(RowProblem(line, "bad_date", "date_of_birth", values["date_of_birth"]))
    flag = fold(values.get("committee_member", ""))
    member = True if flag in YES - {""} else False if flag in NO and flag else None
    if flag and member is None:
        problems.append(
            RowProblem(line, "bad_flag", "committee_member", values["committee_member"])
        )
    if len(problems) > before:
        return None
    family, middle, given = parts
    return CandidateRow(line, delegate, full_name, family, middle, given, birth, member)


def read_candidates(path: Path) -> list[CandidateRow]:
    """All the rows of a candidate list, or RegisterError with every bad row."""
    return parse_candidates(read_rows(path))
