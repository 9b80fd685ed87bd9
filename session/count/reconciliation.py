"""The checks of the counting minutes (domain rules 4.11, 12.8): returned ≤ issued (forged ballots
not counted against those issued), valid + invalid = returned, no candidate above the valid
ballots, the names kept within valid × seats; every failure listed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from session.ballots import ElectionError
from session.count.totals import Totals


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
