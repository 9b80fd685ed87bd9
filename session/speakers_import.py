"""The contributions registered before the congress (issue 15), read from CSV or XLSX for
`presidium speakers import`: one row per contribution, the delegate named by their number on
the register (whose name and unit are taken), the agenda item, the title, the kind, the minutes
asked, and whether it is submitted in writing only.

All or nothing, like the register and the candidate list: every bad row is reported with its
line and column (session.register.RowProblem, translated under 'import.'), and nothing is
added. Headings and values in English or Vietnamese, case, diacritics and punctuation ignored
(docs/file-formats.md). The register and the agenda are given, so the reading is pure.

(A module of session, not of session.speakers: it reads files the register's way, and
session.register depends, through the quorum, on session.congress, which holds the discussion's
settings: inside session.speakers that would be a circle.)
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from session.candidates import NO, YES, delegate_person_id
from session.register import (
    TITLE_ROWS,
    RegisterError,
    RowProblem,
    cell_text,
    read_rows,
    shown,
    text_problem,
)
from session.speakers.events import Source, SpeakerAdded
from session.speakers.kinds import LONGEST_MINUTES, MINUTE, SpeechKind
from session.speakers.state import Entry, SpeakersState
from session.text import fold

FIELDS = ("item", "number", "title", "kind", "minutes", "written")
# Folded headings -> field ("Số đại biểu", "SO DAI BIEU" and "so dai bieu:" are the same). An
# STT column is the row's ordinal on the secretariat's list, not a delegate number: ignored.
ALIASES: dict[str, str] = {
    **{f: f for f in FIELDS},
    "agenda item": "item", "item key": "item", "muc": "item", "ma muc": "item",
    "muc chuong trinh": "item", "ma muc chuong trinh": "item",
    "delegate": "number", "delegate number": "number", "no": "number", "so dai bieu": "number",
    "so db": "number", "so the": "number", "ma dai bieu": "number", "ma db": "number",
    "subject": "title", "topic": "title", "tieu de": "title", "ten tham luan": "title",
    "chu de": "title", "noi dung": "title", "ten bai": "title",
    "type": "kind", "loai": "kind", "loai phat bieu": "kind", "hinh thuc": "kind",
    "hinh thuc phat bieu": "kind",
    "asked": "minutes", "minutes asked": "minutes", "time": "minutes", "phut": "minutes",
    "so phut": "minutes", "thoi gian": "minutes", "thoi gian phut": "minutes",
    "thoi gian dang ky": "minutes", "thoi luong": "minutes",
    "written only": "written", "in writing": "written", "van ban": "written",
    "gui van ban": "written", "chi gui van ban": "written", "bang van ban": "written",
}  # fmt: skip
KIND_VALUES: dict[str, SpeechKind] = {
    **{k.value.replace("_", " "): k for k in SpeechKind},
    "prepared contribution": SpeechKind.PREPARED, "tham luan": SpeechKind.PREPARED,
    "bai tham luan": SpeechKind.PREPARED,
    "comment": SpeechKind.FLOOR, "phat bieu": SpeechKind.FLOOR, "y kien": SpeechKind.FLOOR,
    "phat bieu tai hoi truong": SpeechKind.FLOOR, "y kien tai hoi truong": SpeechKind.FLOOR,
    "tra loi": SpeechKind.REPLY, "giai trinh": SpeechKind.REPLY,
    "phat bieu giai trinh": SpeechKind.REPLY,
    "thu tuc": SpeechKind.POINT_OF_ORDER, "kien nghi thu tuc": SpeechKind.POINT_OF_ORDER,
    "y kien thu tuc": SpeechKind.POINT_OF_ORDER, "y kien ve thu tuc": SpeechKind.POINT_OF_ORDER,
    "written contribution": SpeechKind.WRITTEN, "van ban": SpeechKind.WRITTEN,
    "gui van ban": SpeechKind.WRITTEN, "bang van ban": SpeechKind.WRITTEN,
    "tham luan van ban": SpeechKind.WRITTEN, "tham luan gui van ban": SpeechKind.WRITTEN,
    "tham luan gui bang van ban": SpeechKind.WRITTEN,
}  # fmt: skip
_PUNCTUATION = str.maketrans({c: " " for c in ",.:;*()[]_-/"})


@dataclass(frozen=True, slots=True)
class Registered:
    """A delegate on the register, as an import needs them."""

    number: int
    name: str
    unit: str


@dataclass(frozen=True, slots=True)
class Contribution:
    """One good row: what goes onto `item`'s list."""

    line: int
    item: str
    delegate: int
    name: str
    unit: str
    title: str
    kind: SpeechKind
    asked: int  # seconds asked; 0: the kind's limit

    @property
    def person(self) -> str:
        return delegate_person_id(self.delegate)

    def same_as(self, entry: Entry) -> bool:
        """Whether `entry` is this contribution, already on the list (whatever became of it):
        the same delegate and kind; for a written one, also the same title (a delegate may
        hand in several)."""
        if entry.person != self.person or entry.kind is not self.kind:
            return False
        return self.kind.spoken or fold(entry.title) == fold(self.title)


def _folded(text: str) -> str:
    return " ".join(fold(text).translate(_PUNCTUATION).split())


def _field(title: object) -> str | None:
    return ALIASES.get(_folded(cell_text(title)))


class _Reading:
    """One file's rows checked against the register and the agenda, every problem kept."""

    def __init__(
        self, register: Mapping[int, Registered], items: Collection[str], item: str | None
    ) -> None:
        self.register = register
        self.items = {_folded(key): key for key in items}
        self.default = item
        self.problems: list[RowProblem] = []
        self.columns: dict[str, int] = {}
        self.headings: dict[str, str] = {}  # field -> the heading as the file writes it

    def problem(self, line: int, key: str, field: str, value: object = "") -> None:
        column = self.headings.get(field, field)
        self.problems.append(RowProblem(line, key, column, shown(value)))

    def header(self, line: int, cells: Sequence[object]) -> None:
        for index, title in enumerate(cells):
            field = _field(title)
            if field is None:
                continue  # the name, the unit, notes: the register says who and which unit
            if field in self.columns:
                self.problems.append(RowProblem(line, "duplicate_column", field, shown(title)))
            self.columns[field] = index
            self.headings[field] = cell_text(title)
        if "number" not in self.columns:
            self.problems.append(RowProblem(line, "missing_column", "number"))
        if "item" not in self.columns and self.default is None:
            self.problems.append(RowProblem(line, "missing_column", "item"))

    def row(self, line: int, values: Mapping[str, object]) -> Contribution | None:
        before = len(self.problems)
        item = self._item(line, cell_text(values.get("item")))
        delegate = self._delegate(line, values.get("number"))
        kind = self._kind(line, values)
        asked = self._asked(line, values.get("minutes"), kind)
        title = cell_text(values.get("title"))
        problem = text_problem(title)
        if problem is not None:
            self.problem(line, problem[0], "title", problem[1])
        if len(self.problems) > before:
            return None
        assert item is not None and delegate is not None and kind is not None
        return Contribution(line, item, delegate.number, delegate.name, delegate.unit, title,
                            kind, asked)  # fmt: skip

    def _item(self, line: int, text: str) -> str | None:
        if not text:
            if self.default is None:
                self.problem(line, "speakers_missing_item", "item")
            return self.default
        found = self.items.get(_folded(text))
        if found is None:
            self.problem(line, "speakers_unknown_item", "item", text)
        return found

    def _delegate(self, line: int, value: object) -> Registered | None:
        number = _whole(value)
        if number is None:
            self.problem(line, "speakers_bad_number", "number", value)
            return None
        found = self.register.get(number)
        if found is None:
            self.problem(line, "speakers_unknown_delegate", "number", number)
        return found

    def _kind(self, line: int, values: Mapping[str, object]) -> SpeechKind | None:
        text = cell_text(values.get("kind"))
        kind = KIND_VALUES.get(_folded(text)) if text else SpeechKind.PREPARED
        if kind is None:
            self.problem(line, "speakers_bad_kind", "kind", text)
        written = _folded(cell_text(values.get("written")))
        if written not in YES | NO:
            self.problem(line, "speakers_bad_written", "written", values.get("written"))
        elif written in YES:
            return SpeechKind.WRITTEN  # in writing only, whatever the kind column says
        return kind

    def _asked(self, line: int, value: object, kind: SpeechKind | None) -> int:
        if not cell_text(value):
            return 0  # the kind's limit
        minutes = _whole(value)
        if minutes is None or minutes > LONGEST_MINUTES:
            self.problem(line, "speakers_bad_minutes", "minutes", value)
            return 0
        if minutes and kind is SpeechKind.WRITTEN:
            self.problem(line, "speakers_written_minutes", "minutes", value)
        return minutes * MINUTE


def _whole(value: object) -> int | None:
    """A whole number cell (a spreadsheet's 12.0 included); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    text = cell_text(value).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _header_offset(rows: Sequence[tuple[int, Sequence[object]]]) -> int:
    """The header: the first of the top rows naming two known columns (title lines above it
    are skipped, as in a register); the first row when none does."""
    for offset, (_, cells) in enumerate(rows[:TITLE_ROWS]):
        if len({_field(c) for c in cells} - {None}) >= 2:
            return offset
    return 0


def parse_contributions(
    rows: Iterable[tuple[int, Sequence[object]]],
    register: Mapping[int, Registered],
    items: Collection[str],
    item: str | None = None,
) -> list[Contribution]:
    """Every row of the file as a Contribution, or RegisterError listing every bad row with its
    line and column. `register`: the delegates by number; `items`: the agenda's item keys;
    `item`: the item of the rows that name none (--item)."""
    reading = _Reading(register, items, item)
    if item is not None and _folded(item) not in reading.items:
        raise RegisterError([RowProblem(0, "speakers_unknown_item_option", "--item", shown(item))])
    all_rows = list(rows)
    if not any(cell_text(c) for _, cells in all_rows for c in cells):
        raise RegisterError([RowProblem(0, "empty_file")])
    offset = _header_offset(all_rows)
    reading.header(*all_rows[offset])
    if reading.problems:
        raise RegisterError(reading.problems)
    found = _rows(reading, all_rows[offset + 1 :])
    if reading.problems:
        raise RegisterError(reading.problems)
    if not found:
        raise RegisterError([RowProblem(0, "speakers_no_rows")])
    return found


def _rows(reading: _Reading, rows: Sequence[tuple[int, Sequence[object]]]) -> list[Contribution]:
    found: list[Contribution] = []
    for line, cells in rows:
        values = {f: cells[i] if i < len(cells) else None for f, i in reading.columns.items()}
        if not any(cell_text(v) for v in values.values()):
            continue  # blank rows between blocks
        row = reading.row(line, values)
        if row is None:
            continue
        first = next((f for f in found if f.item == row.item and _same(f, row)), None)
        if first is not None:
            reading.problems.append(RowProblem(line, "speakers_duplicate", "", str(first.line)))
            continue
        found.append(row)
    return found


def _same(a: Contribution, b: Contribution) -> bool:
    return (a.delegate, a.kind) == (b.delegate, b.kind) and (
        a.kind.spoken or fold(a.title) == fold(b.title)
    )


def read_contributions(
    path: Path,
    register: Mapping[int, Registered],
    items: Collection[str],
    item: str | None = None,
) -> list[Contribution]:
    """A CSV or XLSX file of contributions (told apart by content, as the register is)."""
    return parse_contributions(read_rows(path), register, items, item)


def additions(
    state: SpeakersState, rows: Sequence[Contribution], source: Source, now: datetime
) -> list[SpeakerAdded]:
    """The events that put `rows` on their lists, numbered after each list's last: a row
    already on its list (added by an earlier import, or at the desk, whatever became of it)
    is left out, so importing the same file again adds nothing."""
    next_number: dict[str, int] = {}
    events: list[SpeakerAdded] = []
    for row in rows:
        listed = state.of(row.item)
        if any(row.same_as(entry) for entry in listed.entries):
            continue
        number = next_number.get(row.item, listed.next_number)
        next_number[row.item] = number + 1
        events.append(SpeakerAdded(row.item, number, row.person, row.name, row.unit, row.title,
                                   row.kind, row.asked, source, now))  # fmt: skip
    return events
