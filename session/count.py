"""Counting the ballots of one election round (domain rules 4.7, 4.8, 4.11, 12.7, 12.8).

The counting committee enters the ballots one by one (:func:`enter_ballot`: the numbers of the
struck names, or of the kept ones, or "invalid" with a reason), or per-candidate totals from
paper tally sheets (:func:`enter_sheet`). Either way the count keeps running totals per team and
per batch (a bundle of ballots; by default a box), so the live tallies are a lookup and entering
a ballot costs one pass over the candidates.

Double entry: two teams count the same ballots independently. :func:`differences` lists every
batch whose totals differ (and :func:`by_candidate` the same per candidate); they must be
resolved, by correcting entries (each correction keeps a trace) or by the committee accepting
one team's figures for a batch after a recount, before results are signed.

An entry can also be **voided** (:func:`void_ballot`, with a reason): a ballot entered twice, or
one entered for a box that did not hold it. It stays in the team's ballots (its sequence number
is never reused, so the trace and the minutes still show it) but no longer counts. A team's
*standing* entries for a box never exceed the ballots found in it (:func:`enter_ballot` and
:func:`enter_sheet` refuse what would), so a box is complete exactly when each team's standing
entries equal the ballots found.

:func:`reconcile` checks the figures of the counting minutes: returned ≤ issued (forged ballots
found in the box are not counted against the ballots issued), valid + invalid = returned, no
candidate above the valid ballots, and the names kept within valid × seats.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from session.ballots import (
    INVALID_REASONS,
    BallotInput,
    ElectionError,
    InvalidReason,
    Judgement,
    judge,
)
from session.i18n import t
from session.text import nfc

_REASON_INDEX = {r: i for i, r in enumerate(INVALID_REASONS)}
_FORGED = _REASON_INDEX[InvalidReason.NOT_ISSUED]


class CountMode(StrEnum):
    BALLOTS = "ballots"  # ballot by ballot
    SHEETS = "sheets"  # per-candidate totals from tally sheets


@dataclass(frozen=True, slots=True)
class Totals:
    """Votes per ballot number (index 0 = ballot number 1), valid ballots and invalid ballots
    per reason (in InvalidReason order)."""

    votes: tuple[int, ...]
    valid: int = 0
    invalid: tuple[int, ...] = (0,) * len(INVALID_REASONS)

    @classmethod
    def zero(cls, candidates: int) -> "Totals":
        return cls((0,) * candidates)

    @classmethod
    def of(
        cls, votes: Iterable[int], valid: int, invalid: Mapping[InvalidReason | str, int]
    ) -> "Totals":
        per_reason = [0] * len(INVALID_REASONS)
        for reason, n in invalid.items():
            per_reason[_REASON_INDEX[InvalidReason(reason)]] += n
        return cls(tuple(votes), valid, tuple(per_reason))

    @property
    def invalid_total(self) -> int:
        return sum(self.invalid)

    @property
    def ballots(self) -> int:
        return self.valid + self.invalid_total

    @property
    def kept(self) -> int:
        """Names kept on all the valid ballots together."""
        return sum(self.votes)

    @property
    def forged(self) -> int:
        return self.invalid[_FORGED]

    def invalid_by_reason(self) -> dict[str, int]:
        return {r.value: n for r, n in zip(INVALID_REASONS, self.invalid, strict=True) if n}

    def add(self, judgement: Judgement, sign: int = 1) -> "Totals":
        if judgement.valid:
            votes = list(self.votes)
            for number in judgement.votes:
                votes[number - 1] += sign
            return Totals(tuple(votes), self.valid + sign, self.invalid)
        assert judgement.reason is not None
        invalid = list(self.invalid)
        invalid[_REASON_INDEX[judgement.reason]] += sign
        return Totals(self.votes, self.valid, tuple(invalid))

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(
            tuple(a + b for a, b in zip(self.votes, other.votes, strict=True)),
            self.valid + other.valid,
            tuple(a + b for a, b in zip(self.invalid, other.invalid, strict=True)),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "votes": list(self.votes),
            "valid": self.valid,
            "invalid": self.invalid_by_reason(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Totals":
        votes = data["votes"]
        invalid = data.get("invalid") or {}
        assert isinstance(votes, list) and isinstance(invalid, dict)
        return cls.of((_whole(v) for v in votes), _whole(data["valid"]), _whole_map(invalid))


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ElectionError("bad_count", value=value)
    return value


def _whole_map(data: Mapping[str, object]) -> dict[str, int]:
    return {str(k): _whole(v) for k, v in data.items()}


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

    @property
    def double_entry(self) -> bool:
        return len(self.teams) > 1

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


def new_count(candidates: int, seats: int, mode: CountMode, teams: Iterable[str]) -> Count:
    names = tuple(nfc(t) for t in teams)
    if not 1 <= len(names) <= 2 or len(set(names)) != len(names) or not all(names):
        raise ElectionError("bad_teams")
    if candidates < 1 or seats < 1:
        raise ElectionError("bad_count", value=candidates)
    return Count(candidates, seats, mode, tuple(TeamCount(n) for n in names))


def _put_team(count: Count, team: TeamCount) -> tuple[TeamCount, ...]:
    return tuple(team if t.name == team.name else t for t in count.teams)


def _batch_of(count: Count, box: str, batch: str) -> tuple[str, dict[str, str]]:
    batch = nfc(batch) or box
    known = count.batch_box.get(batch)
    if known is not None and known != box:
        raise ElectionError("batch_in_other_box", batch=batch, box=known)
    if batch in count.accepted:
        raise ElectionError("batch_accepted", batch=batch)
    mapping = dict(count.batch_box)
    mapping.setdefault(batch, box)
    return batch, mapping


def enter_ballot(
    count: Count,
    team: str,
    seq: int,
    box: str,
    batch: str,
    ballot: BallotInput,
    at: datetime,
    found: int | None = None,
) -> Count:
    """One more ballot for `team`; `seq` must be the team's next number (a ballot replayed
    twice is refused, never counted twice). `found`: the ballots found in the box; an entry
    beyond them is refused (a wrong entry is voided first), None: no limit."""
    if count.mode is not CountMode.BALLOTS:
        raise ElectionError("wrong_count_mode", mode=count.mode.value)
    tc = count.team(team)
    expected = len(tc.ballots) + 1
    if seq != expected:
        raise ElectionError("seq_out_of_order", team=team, seq=seq, expected=expected)
    if found is not None:
        standing = count.standing(team, box)
        if standing >= found:
            raise ElectionError("box_full", box=box, found=found, team=team, entered=standing)
    batch, mapping = _batch_of(count, box, batch)
    judgement = judge(ballot, count.candidates, count.seats)
    entry = EnteredBallot(seq, box, batch, ballot, judgement, at)
    totals = (tc.batches.get(batch) or Totals.zero(count.candidates)).add(judgement)
    updated = replace(tc, ballots=(*tc.ballots, entry), batches={**tc.batches, batch: totals})
    return replace(count, teams=_put_team(count, updated), batch_box=mapping)


def correct_ballot(
    count: Count, team: str, seq: int, ballot: BallotInput, reason: str, at: datetime
) -> Count:
    """Change an entered ballot; the trace keeps what it was and why."""
    old, reason = _entry(count, team, seq, reason)
    if old.voided:  # a voided entry stands for no ballot: enter the ballot anew instead
        raise ElectionError("voided_not_corrected", team=team, seq=seq, reason=old.void_reason)
    if old.ballot == ballot:
        raise ElectionError("correction_unchanged", seq=seq)
    tc = count.team(team)
    judgement = judge(ballot, count.candidates, count.seats)
    totals = tc.batches[old.batch].add(old.judgement, -1).add(judgement)
    new = replace(old, ballot=ballot, judgement=judgement, corrected=True)
    ballots = (*tc.ballots[: seq - 1], new, *tc.ballots[seq:])
    updated = replace(tc, ballots=ballots, batches={**tc.batches, old.batch: totals})
    trace = Correction(team, seq, old.ballot, ballot, reason, at)
    return replace(count, teams=_put_team(count, updated), corrections=(*count.corrections, trace))


def void_ballot(count: Count, team: str, seq: int, reason: str, at: datetime) -> Count:
    """Take an entered ballot out of the count (a ballot entered twice, or for the wrong box):
    it stays in the team's ballots, marked, so the trace and the minutes still show it, and the
    team's next ballot keeps the next sequence number."""
    old, reason = _entry(count, team, seq, reason)
    if old.voided:
        raise ElectionError("ballot_already_voided", team=team, seq=seq, reason=old.void_reason)
    tc = count.team(team)
    totals = tc.batches[old.batch].add(old.judgement, -1)
    new = replace(old, voided=True, void_reason=reason)
    ballots = (*tc.ballots[: seq - 1], new, *tc.ballots[seq:])
    updated = replace(tc, ballots=ballots, batches={**tc.batches, old.batch: totals})
    trace = Void(team, seq, old.box, old.ballot, reason, at)
    return replace(count, teams=_put_team(count, updated), voids=(*count.voids, trace))


def _entry(count: Count, team: str, seq: int, reason: str) -> tuple[EnteredBallot, str]:
    """A team's entry that may still change, with the reason given for changing it (NFC): the
    count is by ballots, a reason is given, the entry exists, and its batch's figures were not
    accepted."""
    if count.mode is not CountMode.BALLOTS:
        raise ElectionError("wrong_count_mode", mode=count.mode.value)
    reason = nfc(reason)
    if not reason:
        raise ElectionError("reason_required")
    tc = count.team(team)
    if not 1 <= seq <= len(tc.ballots):
        raise ElectionError("unknown_ballot", team=team, seq=seq)
    entry = tc.ballots[seq - 1]
    if entry.batch in count.accepted:
        raise ElectionError("batch_accepted", batch=entry.batch)
    return entry, reason


def check_sheet(totals: Totals, candidates: int, seats: int) -> None:
    """A tally sheet's figures must be possible: one number per candidate, none above the valid
    ballots, and no more names kept than valid × seats."""
    if len(totals.votes) != candidates:
        raise ElectionError("sheet_length", count=len(totals.votes), candidates=candidates)
    for number, votes in enumerate(totals.votes, 1):
        if votes > totals.valid:
            raise ElectionError(
                "candidate_above_valid", number=number, votes=votes, valid=totals.valid
            )
    if totals.kept > totals.valid * seats:
        raise ElectionError(
            "kept_above_limit",
            kept=totals.kept,
            valid=totals.valid,
            seats=seats,
            limit=totals.valid * seats,
        )


def enter_sheet(
    count: Count,
    team: str,
    box: str,
    batch: str,
    totals: Totals,
    reason: str,
    at: datetime,
    found: int | None = None,
) -> Count:
    """A tally sheet's totals for a batch; entering a batch again replaces its sheet and needs a
    reason (the earlier figures stay in the trace). `found`: the ballots found in the box; the
    team's sheets for it may not add up to more (None: no limit)."""
    if count.mode is not CountMode.SHEETS:
        raise ElectionError("wrong_count_mode", mode=count.mode.value)
    tc = count.team(team)
    batch, mapping = _batch_of(count, box, batch)
    check_sheet(totals, count.candidates, count.seats)
    previous = tc.sheets.get(batch)
    if found is not None:
        replaced_ballots = previous.totals.ballots if previous is not None else 0
        ballots = count.standing(team, box) - replaced_ballots + totals.ballots
        if ballots > found:
            raise ElectionError("sheet_above_box", box=box, found=found, team=team, ballots=ballots)
    replaced = count.replaced_sheets
    if previous is not None:
        reason = nfc(reason)
        if not reason:
            raise ElectionError("reason_required")
        if previous.totals == totals:
            raise ElectionError("correction_unchanged", seq=batch)
        replaced = (*replaced, SheetReplacement(team, batch, previous.totals, totals, reason, at))
    updated = replace(
        tc,
        sheets={**tc.sheets, batch: Sheet(box, batch, totals, at)},
        batches={**tc.batches, batch: totals},
    )
    return replace(
        count, teams=_put_team(count, updated), batch_box=mapping, replaced_sheets=replaced
    )


# ---------------------------------------------------------------- double entry


@dataclass(frozen=True, slots=True)
class BatchDifference:
    """A batch the two teams counted differently."""

    batch: str
    box: str
    first: Totals
    second: Totals

    @property
    def candidates(self) -> tuple[tuple[int, int, int], ...]:
        """(ballot number, first team's votes, second team's votes) where they differ."""
        return tuple(
            (n, a, b)
            for n, (a, b) in enumerate(zip(self.first.votes, self.second.votes, strict=True), 1)
            if a != b
        )

    @property
    def invalid(self) -> tuple[tuple[str, int, int], ...]:
        return tuple(
            (r.value, a, b)
            for r, a, b in zip(
                INVALID_REASONS, self.first.invalid, self.second.invalid, strict=True
            )
            if a != b
        )

    def to_json(self) -> dict[str, object]:
        return {
            "batch": self.batch,
            "box": self.box,
            "ballots": [self.first.ballots, self.second.ballots],
            "valid": [self.first.valid, self.second.valid],
            "candidates": [list(c) for c in self.candidates],
            "invalid": [list(i) for i in self.invalid],
        }


def differences(count: Count) -> tuple[BatchDifference, ...]:
    """Every batch, not yet accepted, where the two teams' totals differ (a batch one team has
    not entered counts as zero for it). Empty for a single team."""
    if not count.double_entry:
        return ()
    a, b = count.teams[0].name, count.teams[1].name
    found = []
    for batch, box in count.batch_box.items():
        if batch in count.accepted:
            continue
        first, second = count.batch_totals(a, batch), count.batch_totals(b, batch)
        if first != second:
            found.append(BatchDifference(batch, box, first, second))
    return tuple(found)


def by_candidate(diffs: Iterable[BatchDifference]) -> tuple[tuple[int, int, int], ...]:
    """(ballot number, first team's total, second team's total) over the differing batches, for
    every candidate whose totals differ."""
    first: dict[int, int] = {}
    second: dict[int, int] = {}
    for d in diffs:
        for n, (x, y) in enumerate(zip(d.first.votes, d.second.votes, strict=True), 1):
            first[n] = first.get(n, 0) + x
            second[n] = second.get(n, 0) + y
    return tuple((n, first[n], second[n]) for n in sorted(first) if first[n] != second[n])


def accept_batch(count: Count, batch: str, team: str, reason: str, at: datetime) -> Count:
    """After a recount the committee takes `team`'s figures for `batch`."""
    if not count.double_entry:
        raise ElectionError("not_double_entry")
    count.team(team)
    reason = nfc(reason)
    if not reason:
        raise ElectionError("reason_required")
    if batch not in count.batch_box:
        raise ElectionError("unknown_batch", batch=batch)
    if batch in count.accepted:
        raise ElectionError("batch_accepted", batch=batch)
    if all(d.batch != batch for d in differences(count)):
        raise ElectionError("batch_agrees", batch=batch)
    accepted = {**count.accepted, batch: Acceptance(batch, team, reason, at)}
    return replace(count, accepted=accepted)


# ---------------------------------------------------------------- reconciliation


@dataclass(frozen=True, slots=True)
class Problem:
    """A failed check of the counting minutes: a key under 'election.error.' and its numbers."""

    key: str
    params: Mapping[str, int] = field(default_factory=dict)

    def error(self) -> ElectionError:
        return ElectionError(self.key, **self.params)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    issued: int
    returned: int
    totals: Totals
    seats: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def not_returned(self) -> int:
        return max(self.issued - (self.returned - self.totals.forged), 0)

    def to_json(self) -> dict[str, object]:
        return {
            "issued": self.issued,
            "returned": self.returned,
            "not_returned": self.not_returned,
            "valid": self.totals.valid,
            "invalid": self.totals.invalid_total,
            "invalid_by_reason": self.totals.invalid_by_reason(),
            "kept": self.totals.kept,
            "kept_limit": self.totals.valid * self.seats,
            "problems": [{"key": p.key, **p.params} for p in self.problems],
        }


def reconcile(issued: int, returned: int, totals: Totals, seats: int) -> Reconciliation:
    """The checks of the counting minutes (domain rules 4.11, 12.8), every failure listed."""
    problems = []
    genuine = returned - totals.forged
    if genuine > issued:
        problems.append(Problem("returned_above_issued", {"returned": genuine, "issued": issued}))
    if totals.ballots != returned:
        problems.append(
            Problem(
                "sum_mismatch",
                {"valid": totals.valid, "invalid": totals.invalid_total, "returned": returned},
            )
        )
    for number, votes in enumerate(totals.votes, 1):
        if votes > totals.valid:
            problems.append(
                Problem(
                    "candidate_above_valid",
                    {"number": number, "votes": votes, "valid": totals.valid},
                )
            )
    limit = totals.valid * seats
    if totals.kept > limit:
        problems.append(
            Problem(
                "kept_above_limit",
                {"kept": totals.kept, "valid": totals.valid, "seats": seats, "limit": limit},
            )
        )
    return Reconciliation(issued, returned, totals, seats, tuple(problems))
