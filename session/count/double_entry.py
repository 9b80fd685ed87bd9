"""Double entry: where two teams counting the same ballots differ (per batch, per candidate), and
the committee accepting one team's figures for a batch after a recount.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from session.ballots import INVALID_REASONS, ElectionError
from session.count.state import Acceptance, Count
from session.count.totals import Totals
from session.text import nfc


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
