"""The surplus of an election list (số dư, domain rules 4.3, 4.4, 12.9, 12.10).

Under the Party rule sets:

- the maximum surplus is 30 % of the seats **rounded down** (HD 03-HD/TW's example: 35 seats →
  at most 10 more names, 45 names), and 1 for a body of at most 5 members;
- the convening committee prepares a list with a 10–15 % surplus: shown as advice only, the
  band rounded inwards (at least ceil(10 %), at most floor(15 %)) since the regulation leaves the
  rounding open;
- a surplus is required for the committee and the standing committee, and may be zero for the
  secretary, a delegation and the other elections;
- a list over the cap is cut by an opinion ballot (lấy phiếu xin ý kiến), which keeps at most
  seats + max surplus names (the names not on the opinion ballot stay on the list);
- a person nominated at the congress who is not on the convening committee's list needs the
  support of **more than** 30 % of those present.

Other rule sets have none of these limits. All arithmetic is in integers.
"""

from dataclasses import dataclass
from enum import StrEnum

from session.i18n import decimal_sep, number, t
from session.majority import Ratio, format_percent, percent_hundredths

MAX_RATIO = Ratio(3, 10, strict=False)  # surplus ≤ 30 % of seats
SMALL_BODY = 5  # bodies of up to 5 members: a surplus of at most 1
SMALL_BODY_MAX = 1
PREPARED_LOW = Ratio(1, 10, strict=False)  # the convening committee's 10–15 % band
PREPARED_HIGH = Ratio(15, 100, strict=False)
OUTSIDE_NOMINEE = Ratio(3, 10, strict=True)  # > 30 % of those present


def max_surplus(seats: int) -> int:
    """floor(30 % of seats); 1 for a body of at most 5 members."""
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    if seats <= SMALL_BODY:
        return SMALL_BODY_MAX
    return seats * MAX_RATIO.num // MAX_RATIO.den


def max_candidates(seats: int) -> int:
    """The longest list the cap allows: 35 → 45, 45 → 58, 5 → 6."""
    return seats + max_surplus(seats)


def prepared_band(seats: int) -> tuple[int, int]:
    """The 10–15 % band in whole people, rounded inwards: 45 → (5, 6), 35 → (4, 5). The band is
    empty (low > high) for small bodies."""
    low = -(-seats * PREPARED_LOW.num // PREPARED_LOW.den)
    high = seats * PREPARED_HIGH.num // PREPARED_HIGH.den
    return low, high


def outside_nominee_admitted(support: int, present: int) -> bool:
    """More than 30 % of those present support introducing the nominee: exactly 30 % fails."""
    return present > 0 and OUTSIDE_NOMINEE.met(support, present)


def outside_nominee_needs(present: int) -> int:
    """The fewest supporters that admit an outside nominee: 287 present → 87."""
    return OUTSIDE_NOMINEE.minimum(present)


class SurplusStatus(StrEnum):
    OK = "ok"
    NO_LIMIT = "no_limit"  # a rule set without surplus rules
    SURPLUS_REQUIRED = "surplus_required"  # committee / standing committee without surplus
    OVER_CAP = "over_cap"  # more names than seats + max surplus: an opinion ballot cuts the list
    FEWER_THAN_SEATS = "fewer_than_seats"
    EMPTY = "empty"


class BandAdvice(StrEnum):
    WITHIN = "within"
    BELOW = "below"
    ABOVE = "above"
    NO_BAND = "no_band"  # the body is too small for a 10–15 % band in whole people


BLOCKING = frozenset(
    {
        SurplusStatus.SURPLUS_REQUIRED,
        SurplusStatus.OVER_CAP,
        SurplusStatus.FEWER_THAN_SEATS,
        SurplusStatus.EMPTY,
    }
)


@dataclass(frozen=True, slots=True)
class SurplusCheck:
    """The list against the surplus rules, with every number the presidium reads out."""

    seats: int
    candidates: int
    limited: bool  # the Party surplus rules apply
    required: bool  # a surplus is required (committee, standing committee)
    max_surplus: int  # 0 when not limited
    band: tuple[int, int]
    status: SurplusStatus
    advice: BandAdvice

    @property
    def surplus(self) -> int:
        return self.candidates - self.seats

    @property
    def max_candidates(self) -> int:
        return self.seats + self.max_surplus

    @property
    def percent(self) -> int:
        """The surplus in hundredths of a percent of the seats: 13 of 35 → 3714."""
        return percent_hundredths(max(self.surplus, 0), self.seats)

    @property
    def ok(self) -> bool:
        return self.status not in BLOCKING

    @property
    def opinion_ballot(self) -> bool:
        """The list is over the cap: an opinion ballot is offered to cut it (domain rules 4.4)."""
        return self.status is SurplusStatus.OVER_CAP

    @property
    def excess(self) -> int:
        """How many names the opinion ballot must cut."""
        return max(self.candidates - self.max_candidates, 0) if self.limited else 0

    def to_json(self) -> dict[str, object]:
        return {
            "seats": self.seats,
            "candidates": self.candidates,
            "surplus": self.surplus,
            "percent": format_percent(self.percent),
            "limited": self.limited,
            "required": self.required,
            "max_surplus": self.max_surplus,
            "max_candidates": self.max_candidates if self.limited else None,
            "band": list(self.band),
            "status": self.status.value,
            "advice": self.advice.value,
        }


def check_surplus(
    seats: int, candidates: int, *, limited: bool = True, required: bool = False
) -> SurplusCheck:
    """The list of `candidates` names for `seats` seats against the rules."""
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    cap = max_surplus(seats) if limited else 0
    band = prepared_band(seats)
    surplus = candidates - seats
    if candidates <= 0:
        status = SurplusStatus.EMPTY
    elif surplus < 0:
        status = SurplusStatus.FEWER_THAN_SEATS
    elif not limited:
        status = SurplusStatus.NO_LIMIT
    elif surplus > cap:
        status = SurplusStatus.OVER_CAP
    elif required and surplus == 0:
        status = SurplusStatus.SURPLUS_REQUIRED
    else:
        status = SurplusStatus.OK
    if band[0] > band[1]:
        advice = BandAdvice.NO_BAND
    elif surplus < band[0]:
        advice = BandAdvice.BELOW
    elif surplus > band[1]:
        advice = BandAdvice.ABOVE
    else:
        advice = BandAdvice.WITHIN
    return SurplusCheck(seats, candidates, limited, required, cap, band, status, advice)


def opinion_keep(seats: int, on_poll: int, off_poll: int) -> int:
    """How many of the `on_poll` names an opinion ballot keeps, when `off_poll` names stay on
    the list whatever it says: the list ends at seats + max surplus (03-HD: 35 seats, 40
    prepared names off the poll, 8 congress nominees on it → keep 5)."""
    room = max_candidates(seats) - off_poll
    if room < 0:
        raise ValueError(f"{off_poll} names off the opinion ballot already exceed the cap")
    return min(on_poll, room)


# ---------------------------------------------------------------- words


def explain(check: SurplusCheck, lang: str | None = None) -> str:
    """'35 seats, 48 names: surplus 13 (37.14 %); at most 30 % of 35 = 10 (45 names)…'."""
    sep = decimal_sep(lang)
    head = t(
        "election.surplus.arithmetic",
        lang,
        seats=number(check.seats, lang),
        candidates=number(check.candidates, lang),
        surplus=number(check.surplus, lang),
        percent=format_percent(check.percent, sep),
    )
    parts = [head]
    if check.limited:
        key = "election.surplus.cap_small" if check.seats <= SMALL_BODY else "election.surplus.cap"
        parts.append(
            t(
                key,
                lang,
                seats=number(check.seats, lang),
                max_surplus=number(check.max_surplus, lang),
                max_candidates=number(check.max_candidates, lang),
            )
        )
        if check.advice is not BandAdvice.NO_BAND:
            parts.append(
                t(
                    f"election.surplus.advice.{check.advice.value}",
                    lang,
                    low=number(check.band[0], lang),
                    high=number(check.band[1], lang),
                )
            )
    parts.append(
        t(
            f"election.surplus.status.{check.status.value}",
            lang,
            excess=number(check.excess, lang),
            max_candidates=number(check.max_candidates, lang),
        )
    )
    return "; ".join(parts)
