"""The sheets a machine read in a round (issue 14), as the screens, the blockers and the counting
minutes ask about them: which wait for the committee, which belong to a box, how many of each
kind, and the minutes' account of how each box was counted (:func:`reading_minutes`).

The readings themselves are kept by the reducer (session.elections.reading_steps) in
`Round.readings`; nothing here changes them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from session.ballot_reading import Doubt, Verdict
from session.ballots import BallotInput
from session.elections.state import Election, Reading, Round

SheetKey = tuple[str, int, int]  # (image SHA-256, page, slot): one paper ballot


def pending_readings(r: Round) -> tuple[Reading, ...]:
    """The sheets waiting for the counting committee's decision, in the order read."""
    return tuple(x for x in r.readings if x.pending)


def reading_at(r: Round, key: SheetKey) -> Reading | None:
    """The reading of one paper ballot in this round, or None."""
    return next((x for x in r.readings if x.key == key), None)


def readings_of(r: Round, box: str) -> tuple[Reading, ...]:
    """The sheets read for `box`, in the order read."""
    return tuple(x for x in r.readings if x.box == box)


def sheet_read_in(e: Election, key: SheetKey) -> tuple[int, Reading] | None:
    """(round number, reading) where this paper ballot was already read, in any round of the
    election; None if it never was."""
    for r in e.rounds:
        found = reading_at(r, key)
        if found is not None:
            return r.number, found
    return None


@dataclass(frozen=True, slots=True)
class ReadingCounts:
    """The sheets read for a box (or a round): valid and invalid by rule, decided by the
    committee, still pending (read = valid + invalid + decided + pending)."""

    read: int = 0
    valid: int = 0
    invalid: int = 0
    decided: int = 0
    pending: int = 0


def reading_counts(readings: Iterable[Reading]) -> ReadingCounts:
    read = valid = invalid = decided = pending = 0
    for x in readings:
        read += 1
        if x.verdict is Verdict.VALID:
            valid += 1
        elif x.verdict is Verdict.INVALID:
            invalid += 1
        elif x.decision is not None:
            decided += 1
        else:
            pending += 1
    return ReadingCounts(read, valid, invalid, decided, pending)


def box_reading_counts(r: Round, box: str) -> ReadingCounts:
    return reading_counts(readings_of(r, box))


# ---------------------------------------------------------------- the counting minutes


@dataclass(frozen=True, slots=True)
class BoxCounting:
    """How one box was counted, for the counting minutes: by hand only (`reader` ""), or read
    by machine as team `reader` and checked by hand by `checkers` (the other team, if any),
    with the sheets read, valid and invalid by rule, decided by the committee and pending."""

    box: str
    reader: str
    checkers: tuple[str, ...]
    counts: ReadingCounts

    @property
    def by_machine(self) -> bool:
        return bool(self.reader)


@dataclass(frozen=True, slots=True)
class DecidedSheet:
    """A sheet the committee decided, as the minutes list it: where it is (sheet number, file,
    page, slot and image), what the machine read (marks and doubts), the decision (the ballot
    the count took) and its reason, and the reader team's entry for it."""

    box: str
    batch: str
    sheet: int
    file: str
    page: int
    slot: int
    image: str
    code: str
    marks: str
    doubts: tuple[Doubt, ...]
    ballot: BallotInput
    reason: str
    seq: int
    read_at: datetime
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class ReadingMinutes:
    """What the counting minutes say about the machine in one round: the reader team (""
    when no machine read), how each box was counted, the round's counts, and every sheet the
    committee decided, in the order decided."""

    reader: str
    boxes: tuple[BoxCounting, ...]
    total: ReadingCounts
    decided: tuple[DecidedSheet, ...]

    @property
    def by_machine(self) -> bool:
        return bool(self.reader)


def reading_minutes(r: Round) -> ReadingMinutes:
    """The machine's part of a round's counting minutes (data only: printouts render it)."""
    reader = r.count.reader if r.count is not None else ""
    checkers = tuple(t.name for t in r.count.teams if t.name != reader) if r.count else ()
    boxes = tuple(
        BoxCounting(b.id, reader, checkers if reader else (), box_reading_counts(r, b.id))
        for b in r.boxes
    )
    decided = []
    for x in r.readings:
        if x.decision is None:
            continue
        p = x.place
        decided.append(
            DecidedSheet(
                x.box, x.batch, p.sheet, p.file, p.page, p.slot, p.image, x.code, x.marks,
                x.doubts, x.decision.ballot, x.decision.reason, x.decision.seq, x.at,
                x.decision.at,
            )
        )  # fmt: skip
    decided.sort(key=lambda d: d.decided_at)
    return ReadingMinutes(reader, boxes, reading_counts(r.readings), tuple(decided))
