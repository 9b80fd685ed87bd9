"""Figures that are allowed but probably a slip, said before they are recorded (issue 7).

Nothing here refuses anything: the Store and the reducers refuse what is impossible. These are
the presidium's guard rails for what is possible and unlikely: fewer ballots printed or handed
out than there are voters in the hall, more handed out than there are voters, a computer clock
outside the congress's dates (every record carries its time).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from session.i18n import number, t


@dataclass(frozen=True, slots=True)
class Caution:
    """A warning to show, as a translation key under ``sanity.`` and its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        shown = {k: number(v) if isinstance(v, int) else v for k, v in self.params.items()}
        return t(f"sanity.{self.key}", **shown)


def ballots_to_print(copies: int, present: int) -> Caution | None:
    """Fewer ballots printed than voters in the hall: some would get none."""
    if copies < present:
        return Caution("print_below_present", {"copies": copies, "present": present})
    return None


def ballots_issued(issued_before: int, issuing: int, present: int) -> Caution | None:
    """Ballots handed out at the boxes against the voters frozen when voting opened: more than
    there are voters, or (once every box has had its ballots) fewer."""
    total = issued_before + issuing
    if total > present:
        return Caution("issued_above_present", {"issued": total, "present": present})
    if total < present:
        return Caution("issued_below_present", {"issued": total, "present": present})
    return None


def closing_short(issued: int, present: int, last_box: bool) -> Caution | None:
    """Closing the last box with fewer ballots handed out than voters: did some get none?"""
    if last_box and issued < present:
        return Caution("closing_short", {"issued": issued, "present": present})
    return None


def clock_outside(today: date, start: date, end: date) -> Caution | None:
    """The computer's date outside the congress's dates: every record is timed by this clock."""
    if start <= today <= end:
        return None
    return Caution(
        "clock_outside",
        {"today": today.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
    )
