"""What a machine read on one ballot sheet, and what follows from it by rule (issue 14).

The reader (printouts.reading) looks at one row at a time and says, for each name, what it saw:
kept or struck on a strike-out ballot, the agree or disagree box (both, neither) on the columns
format, or *unsure*. It also says what else it doubts: ink outside the rows (a name written in, a
signature, a strike along the line between two rows), a missing stamp, a sheet it could not
align. This module turns that into one of three verdicts, and never guesses:

- **valid**, with the ballot as the count takes it (the struck numbers, or the agree / disagree
  marks), when nothing is in doubt and the rules make it valid;
- **invalid by rule** (domain rules 4.7): more names kept than seats, every name struck on a list
  with surplus, both or neither box on a single-candidate list, the ballot of another election
  or round;
- **to be decided** by the counting committee, whenever anything is in doubt: the committee
  decides with a reason, and its decision is what the count takes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from session.ballots import BallotFormat, BallotInput, ElectionError, InvalidReason, judge


class RowMark(StrEnum):
    """What the reader saw on one name's row."""

    KEPT = "kept"  # strike-out: no ink on the row
    STRUCK = "struck"  # strike-out: a stroke through the name
    AGREE = "agree"  # columns: only the agree box marked
    DISAGREE = "disagree"  # columns: only the disagree box marked
    BOTH = "both"  # columns: both boxes marked
    NEITHER = "neither"  # columns: no box marked
    UNSURE = "unsure"  # ink the reader cannot call either way


# One letter per row, as the log keeps a reading ("kksk?k").
LETTERS: dict[RowMark, str] = {
    RowMark.KEPT: "k",
    RowMark.STRUCK: "s",
    RowMark.AGREE: "a",
    RowMark.DISAGREE: "d",
    RowMark.BOTH: "b",
    RowMark.NEITHER: "n",
    RowMark.UNSURE: "?",
}
_BY_LETTER = {letter: mark for mark, letter in LETTERS.items()}


def marks_text(marks: Iterable[RowMark]) -> str:
    return "".join(LETTERS[m] for m in marks)


def marks_from_text(text: str) -> tuple[RowMark, ...]:
    try:
        return tuple(_BY_LETTER[c] for c in text)
    except KeyError as exc:
        raise ElectionError("bad_reading_marks", marks=text) from exc


CODE_VERSION = "PB1"  # a ballot's code: PB1|election|round|digest of its layout and names


def parse_code(text: str) -> tuple[str, int, str] | None:
    """(election, round, digest) from a ballot's code (printouts.ballot_layout writes it, the
    same on every ballot of a round); None for anything else."""
    parts = text.split("|")
    if len(parts) != 4 or parts[0] != CODE_VERSION or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2]), parts[3]


class Doubt(StrEnum):
    """Why a sheet goes to the counting committee."""

    UNSURE_ROW = "unsure_row"  # ink on a row the reader cannot call struck or kept
    OUTSIDE_ROWS = "outside_rows"  # ink outside the names' rows: writing, a signature...
    NO_STAMP = "no_stamp"  # the stamp box holds no red stamp
    NOT_ALIGNED = "not_aligned"  # a registration mark or the code could not be found
    UNKNOWN_CODE = "unknown_code"  # a code that is not a Presidium ballot's


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNDECIDED = "undecided"  # the committee decides


@dataclass(frozen=True, slots=True)
class SheetPlace:
    """Where a sheet is: the image file (its SHA-256 and its name as the scanner saved it), the
    page in the file, the ballot on the page (1 left, 2 right on an uncut A5 pair) and the
    ballot's number in the file, in the scanner's tray order."""

    image: str
    file: str
    page: int
    slot: int
    sheet: int

    @property
    def key(self) -> tuple[str, int, int]:
        """One paper ballot's identity: each is read exactly once."""
        return (self.image, self.page, self.slot)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The verdict on a reading: the ballot the count takes (valid or invalid by rule), or none
    while the committee has to decide; `doubts` say why it must."""

    verdict: Verdict
    ballot: BallotInput | None
    doubts: tuple[Doubt, ...] = ()


def outcome(
    fmt: BallotFormat,
    candidates: int,
    seats: int,
    marks: Sequence[RowMark],
    doubts: Iterable[Doubt] = (),
    *,
    other_ballot: bool = False,
) -> Outcome:
    """The verdict on one sheet. `other_ballot`: its code names another election or round of
    this congress (invalid: not issued for this count). Any doubt, or any unsure row, sends it
    to the committee; otherwise the rules decide (session.ballots.judge)."""
    found = tuple(dict.fromkeys(doubts))
    if Doubt.NOT_ALIGNED in found or Doubt.UNKNOWN_CODE in found:
        return Outcome(Verdict.UNDECIDED, None, found)
    if other_ballot:
        return Outcome(Verdict.INVALID, BallotInput.spoilt(InvalidReason.NOT_ISSUED), found)
    if len(marks) != candidates:
        raise ElectionError("reading_length", count=len(marks), candidates=candidates)
    if RowMark.UNSURE in marks and Doubt.UNSURE_ROW not in found:
        found = (Doubt.UNSURE_ROW, *found)
    if found:
        return Outcome(Verdict.UNDECIDED, None, found)
    ballot = ballot_from_marks(fmt, marks)
    valid = judge(ballot, candidates, seats).valid  # too many kept, all struck: invalid
    return Outcome(Verdict.VALID if valid else Verdict.INVALID, ballot)


def ballot_from_marks(fmt: BallotFormat, marks: Sequence[RowMark]) -> BallotInput:
    """The ballot as the count takes it from sure marks: the struck numbers (strike-out), or the
    disagree numbers with both / neither as unclear (columns)."""
    allowed = _ALLOWED[fmt]
    wrong = next((n for n, m in enumerate(marks, 1) if m not in allowed), None)
    if wrong is not None:
        raise ElectionError("reading_mark", number=wrong, mark=marks[wrong - 1].value)
    struck = tuple(n for n, m in enumerate(marks, 1) if m in (RowMark.STRUCK, RowMark.DISAGREE))
    unclear = tuple(n for n, m in enumerate(marks, 1) if m in (RowMark.BOTH, RowMark.NEITHER))
    return BallotInput.struck(*struck, unclear=unclear)


_ALLOWED = {
    BallotFormat.STRIKE_OUT: frozenset({RowMark.KEPT, RowMark.STRUCK}),
    BallotFormat.YES_NO_COLUMNS: frozenset(
        {RowMark.AGREE, RowMark.DISAGREE, RowMark.BOTH, RowMark.NEITHER}
    ),
}
