"""A round's count as entered: its mode, each team's ballots (with their corrections and voids)
or tally sheets, the running totals per batch, the batches accepted after a recount, and the
trace of corrections and voids the minutes list. session.count changes it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from session.ballots import BallotInput, ElectionError, Judgement
from session.count.totals import Totals
from session.i18n import t
from session.text import nfc


class CountMode(StrEnum):
    BALLOTS = "ballots"  # ballot by ballot
    SHEETS = "sheets"  # per-candidate totals from tally sheets


@dataclass(frozen=True, slots=True)
class EnteredBallot:
    seq: int  # 1, 2, 3... per team
    box: str
    batch: str
    ballot: BallotInput
    judgement: Judgement
    at: datetime
    corrected: bool = False
    voided: bool = False  # kept for the trace, counted nowhere
    void_reason: str = ""

    @property
    def standing(self) -> bool:
        return not self.voided


def ballot_text(ballot: BallotInput, lang: str | None = None) -> str:
    """An entry as the counter typed it, for the minutes: 'struck: 3 7 12', 'invalid: …'."""
    if ballot.invalid is not None:
        reason = t(f"election.invalid.{ballot.invalid.value}", lang)
        return t("election.trace.invalid", lang, reason=reason)
    numbers = " ".join(str(n) for n in ballot.numbers) or t("election.trace.no_number", lang)
    text = t(f"election.trace.marks.{ballot.mode.value}", lang, numbers=numbers)
    if ballot.unclear:
        unclear = " ".join(str(n) for n in ballot.unclear)
        text += t("election.trace.unclear", lang, numbers=unclear)
    return text


@dataclass(frozen=True, slots=True)
class Correction:
    """A ballot entry changed after the fact: what it was, what it is, why."""

    team: str
    seq: int
    before: BallotInput
    after: BallotInput
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Void:
    """An entered ballot taken out of the count: what it was, where, why and when."""

    team: str
    seq: int
    box: str
    ballot: BallotInput
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One change to an entered ballot, as the minutes list it: a correction (`after` is the
    new reading) or a void (`after` is None)."""

    team: str
    seq: int
    box: str
    before: BallotInput
    after: BallotInput | None
    reason: str
    at: datetime

    @property
    def voided(self) -> bool:
        return self.after is None


@dataclass(frozen=True, slots=True)
class Sheet:
    box: str
    batch: str
    totals: Totals
    at: datetime


@dataclass(frozen=True, slots=True)
class SheetReplacement:
    team: str
    batch: str
    before: Totals
    after: Totals
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Acceptance:
    """The committee took one team's figures for a batch after a recount (double entry)."""

    batch: str
    team: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TeamCount:
    name: str
    ballots: tuple[EnteredBallot, ...] = ()
    batches: Mapping[str, Totals] = field(default_factory=dict)  # running totals per batch
    sheets: Mapping[str, Sheet] = field(default_factory=dict)

    @property
    def entered(self) -> int:
        return sum(t.ballots for t in self.batches.values())

    def last(self, n: int = 5) -> tuple[EnteredBallot, ...]:
        """The last ballots entered, newest last (the screen shows them for correction)."""
        return self.ballots[-n:] if n > 0 else ()


@dataclass(frozen=True, slots=True)
class Count:
    candidates: int
    seats: int
    mode: CountMode
    teams: tuple[TeamCount, ...]
    batch_box: Mapping[str, str] = field(default_factory=dict)
    corrections: tuple[Correction, ...] = ()
    replaced_sheets: tuple[SheetReplacement, ...] = ()
    accepted: Mapping[str, Acceptance] = field(default_factory=dict)
    voids: tuple[Void, ...] = ()
    reader: str = ""  # the team whose ballots a machine reads (issue 14); "": none

    @property
    def double_entry(self) -> bool:
        return len(self.teams) > 1

    def mode_of(self, team: str) -> CountMode:
        """How `team` enters: the machine's team always ballot by ballot, even when the hand
        count is from tally sheets; every other team in the count's mode."""
        return CountMode.BALLOTS if self.reader and team == self.reader else self.mode

    def team(self, name: str) -> TeamCount:
        found = next((t for t in self.teams if t.name == name), None)
        if found is None:
            raise ElectionError("unknown_team", team=name)
        return found

    def batches(self) -> tuple[str, ...]:
        """Every batch any team has entered, in the order first seen."""
        return tuple(self.batch_box)

    def batches_of(self, box: str) -> tuple[str, ...]:
        return tuple(b for b, x in self.batch_box.items() if x == box)

    def batch_totals(self, team: str, batch: str) -> Totals:
        return self.team(team).batches.get(batch) or Totals.zero(self.candidates)

    def team_totals(self, team: str, box: str | None = None) -> Totals:
        """A team's running totals (for one box, or all)."""
        total = Totals.zero(self.candidates)
        for batch, figures in self.team(team).batches.items():
            if box is None or self.batch_box.get(batch) == box:
                total = total + figures
        return total

    def standing(self, team: str, box: str) -> int:
        """The ballots `team` has entered for `box` that still count: its entries not voided
        (ballot by ballot), or what its tally sheets add up to."""
        return self.team_totals(team, box).ballots

    def trace(self) -> tuple[TraceEntry, ...]:
        """Every correction and void, in the order they were made (the minutes list them)."""
        found = [
            TraceEntry(c.team, c.seq, self.team(c.team).ballots[c.seq - 1].box, c.before,
                       c.after, c.reason, c.at)
            for c in self.corrections
        ]  # fmt: skip
        found += [
            TraceEntry(v.team, v.seq, v.box, v.ballot, None, v.reason, v.at) for v in self.voids
        ]
        return tuple(sorted(found, key=lambda x: x.at))

    def chosen_totals(self, batch: str) -> Totals:
        """The figures in force for a batch: the accepted team's, else the first team's."""
        accepted = self.accepted.get(batch)
        team = accepted.team if accepted is not None else self.teams[0].name
        return self.batch_totals(team, batch)

    def totals(self, box: str | None = None) -> Totals:
        """The count in force (for one box, or all): per batch, the accepted or first team's.
        Only final once :func:`differences` is empty."""
        total = Totals.zero(self.candidates)
        for batch, b in self.batch_box.items():
            if box is None or b == box:
                total = total + self.chosen_totals(batch)
        return total


def new_count(
    candidates: int, seats: int, mode: CountMode, teams: Iterable[str], reader: str = ""
) -> Count:
    """A count by `teams` in `mode`; `reader`: the team whose ballots a machine reads (one of
    them; it enters ballot by ballot whatever the mode), "" for none."""
    names = tuple(nfc(t) for t in teams)
    if not 1 <= len(names) <= 2 or len(set(names)) != len(names) or not all(names):
        raise ElectionError("bad_teams")
    if candidates < 1 or seats < 1:
        raise ElectionError("bad_count", value=candidates)
    reader = nfc(reader)
    if reader and reader not in names:
        raise ElectionError("reader_not_a_team", team=reader, teams=", ".join(names))
    return Count(candidates, seats, mode, tuple(TeamCount(n) for n in names), reader=reader)
