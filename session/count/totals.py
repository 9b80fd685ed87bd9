"""The figures of a count: votes per ballot number, valid ballots and invalid ballots per reason,
as one batch, one box, one team or the whole round adds them up (and as the log writes them).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from session.ballots import INVALID_REASONS, ElectionError, InvalidReason, Judgement

_REASON_INDEX = {r: i for i, r in enumerate(INVALID_REASONS)}
_FORGED = _REASON_INDEX[InvalidReason.NOT_ISSUED]


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
