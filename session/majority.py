"""Threshold arithmetic in integers: 'more than half', 'at least two thirds', and so on.

Every threshold is count · den  (> or ≥)  total · num. No floats anywhere, so 145 of 290 is
exactly half and never passes a strict majority.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ratio:
    """A threshold such as 1/2 strict (more than half) or 2/3 non-strict (at least two thirds)."""

    num: int
    den: int
    strict: bool = True

    def __post_init__(self) -> None:
        if self.den <= 0 or self.num < 0 or self.num > self.den:
            raise ValueError(f"ratio {self.num}/{self.den} must satisfy 0 <= num <= den, den > 0")

    def met(self, count: int, total: int) -> bool:
        """Does `count` out of `total` reach the threshold?"""
        if self.strict:
            return count * self.den > total * self.num
        return count * self.den >= total * self.num

    def minimum(self, total: int) -> int:
        """The smallest count that reaches the threshold out of `total` (may exceed total)."""
        if self.strict:
            return total * self.num // self.den + 1
        return -(-total * self.num // self.den)

    @property
    def label(self) -> str:
        return f"{'>' if self.strict else '≥'} {self.num}/{self.den}"

    @classmethod
    def parse(cls, text: str, strict: bool) -> "Ratio":
        """'1/2' or '2/3' (as written in the congress file)."""
        num, sep, den = text.partition("/")
        if not sep:
            raise ValueError(f"expected a fraction like 1/2, got {text!r}")
        return cls(int(num.strip()), int(den.strip()), strict)


def percent_hundredths(count: int, total: int) -> int:
    """count/total in hundredths of a percent, rounded half up (96.55 % -> 9655); 0 if total is 0.

    Integers only: 145 of 290 is exactly 5000 (50.00 %), never 50.01.
    """
    if total <= 0:
        return 0
    return (count * 10_000 * 2 + total) // (total * 2)


def format_percent(hundredths: int, decimal_sep: str = ".") -> str:
    """9655 -> '96.55' (or '96,55' in Vietnamese)."""
    return f"{hundredths // 100}{decimal_sep}{hundredths % 100:02d}"
