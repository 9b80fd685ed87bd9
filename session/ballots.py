"""Ballots of a secret-ballot election: who is on them, in which order, in which format, and
whether a ballot the counting committee reads is valid (domain rules 4.6, 4.7, 12.7, 12.15).

- A candidate is a :class:`Person` with the family name (họ), middle name (tên đệm) and given
  name (tên) kept apart (never split on spaces when the register has them), a date of birth and,
  for a delegate, the delegate number.
- :func:`ballot_order` prints them in Vietnamese order (given name, then family name, then
  middle name, then date of birth, older first: CLDR "vi" letters and tones, NFC or NFD input)
  under the Party rule sets, in English order (family name, given name, middle name) otherwise.
  Ballot numbers are the 1-based positions in that order.
- :func:`ballot_format`: the strike-out ballot, or the agree / disagree columns when the list
  has no surplus (candidates ≤ seats).
- A ballot as the counting committee reads it is a :class:`BallotInput`: the numbers of the
  struck names (or of the kept ones: switchable), or "invalid" with its reason.
  :func:`judge` derives validity and the names that get a vote.

Every refusal is an :class:`ElectionError` with a translation key under 'election.error.'.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from session.i18n import Refusal
from session.text import fold, nfc, split_name, vi_key


class ElectionError(Refusal):
    """A refused election action, with a translation key under 'election.error.' and its
    parameters (the UI shows str(error) in the congress language)."""

    prefix = "election.error."


# ---------------------------------------------------------------- people


@dataclass(frozen=True, slots=True)
class Person:
    """A candidate's particulars as the ballot and the minutes need them.

    `id` is the caller's stable key (the store's person key, e.g. "d0123" for delegate 123, or
    one for a candidate who is not a delegate). `committee_member`: a member of the convening
    committee (244 Art 13: may not nominate or stand off the committee's list)."""

    id: str
    family: str
    middle: str
    given: str
    date_of_birth: date | None = None
    delegate: int | None = None
    committee_member: bool = False
    full_name: str = ""  # as printed; "" = family middle given

    def __post_init__(self) -> None:
        for name in ("id", "family", "middle", "given", "full_name"):
            object.__setattr__(self, name, nfc(getattr(self, name)))
        if not self.full_name:
            parts = (self.family, self.middle, self.given)
            object.__setattr__(self, "full_name", " ".join(p for p in parts if p))

    @classmethod
    def from_full_name(
        cls,
        id: str,
        full_name: str,
        *,
        english: bool = False,
        date_of_birth: date | None = None,
        delegate: int | None = None,
        committee_member: bool = False,
    ) -> "Person":
        """The fallback when a register has only the full name: Vietnamese "Họ Đệm Tên" (first
        word family, last word given) or, with `english`, "Given Middle Family"."""
        words = nfc(full_name).split(" ")
        if english:
            given, middle, family = (
                (words[0], "", "")
                if len(words) == 1
                else (words[0], " ".join(words[1:-1]), words[-1])
            )
        else:
            family, middle, given = split_name(full_name)
        return cls(id, family, middle, given, date_of_birth, delegate, committee_member, full_name)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "family": self.family,
            "middle": self.middle,
            "given": self.given,
            "date_of_birth": None if self.date_of_birth is None else self.date_of_birth.isoformat(),
            "delegate": self.delegate,
            "committee_member": self.committee_member,
            "full_name": self.full_name,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Person":
        born = data.get("date_of_birth")
        delegate = data.get("delegate")
        if delegate is not None and (isinstance(delegate, bool) or not isinstance(delegate, int)):
            raise ValueError(f"delegate number {delegate!r}")
        return cls(
            str(data["id"]),
            str(data.get("family") or ""),
            str(data.get("middle") or ""),
            str(data.get("given") or ""),
            None if born in (None, "") else date.fromisoformat(str(born)),
            delegate,
            bool(data.get("committee_member", False)),
            str(data.get("full_name") or ""),
        )


# ---------------------------------------------------------------- order


class BallotOrder(StrEnum):
    VI_GIVEN_NAME = "vi_given_name"  # tên, họ, tên đệm, date of birth (domain rules 4.6)
    EN_FAMILY_NAME = "en_family_name"  # family name, given name, middle name, date of birth


PARTY_RULESETS = frozenset({"vn_party_2014", "vn_party_2024"})


def order_for(ruleset: str) -> BallotOrder:
    """Vietnamese order under the Party rule sets, English order otherwise."""
    return (
        BallotOrder.VI_GIVEN_NAME if str(ruleset) in PARTY_RULESETS else BallotOrder.EN_FAMILY_NAME
    )


def _born_key(person: Person) -> tuple[int, int]:
    """Older first; an unknown date of birth after the known ones."""
    if person.date_of_birth is None:
        return (1, 0)
    return (0, person.date_of_birth.toordinal())


def _en_key(text: str) -> tuple[object, ...]:
    return (fold(text), vi_key(text))


def order_key(person: Person, order: BallotOrder = BallotOrder.VI_GIVEN_NAME) -> tuple[object, ...]:
    if order is BallotOrder.VI_GIVEN_NAME:
        names: tuple[object, ...] = (
            vi_key(person.given),
            vi_key(person.family),
            vi_key(person.middle),
        )
    else:
        names = (_en_key(person.family), _en_key(person.given), _en_key(person.middle))
    return (*names, _born_key(person), person.id)


def ballot_order(
    people: Iterable[Person], order: BallotOrder = BallotOrder.VI_GIVEN_NAME
) -> tuple[Person, ...]:
    """The candidates as the ballot lists them; ballot number = position + 1."""
    return tuple(sorted(people, key=lambda p: order_key(p, order)))


def same_name(people: Iterable[Person]) -> frozenset[str]:
    """Ids of candidates whose full name another candidate shares: the ballot prints their date
    of birth next to the name (printouts-notes §4)."""
    seen: dict[str, list[str]] = {}
    for p in people:
        key = unicodedata.normalize("NFC", " ".join((p.family, p.middle, p.given))).casefold()
        seen.setdefault(key, []).append(p.id)
    return frozenset(i for ids in seen.values() if len(ids) > 1 for i in ids)


# ---------------------------------------------------------------- format


class BallotFormat(StrEnum):
    STRIKE_OUT = "strike_out"  # strike through the names not elected
    YES_NO_COLUMNS = "yes_no_columns"  # No. | Name | Đồng ý | Không đồng ý (no surplus)


def ballot_format(candidates: int, seats: int) -> BallotFormat:
    """Domain rules 4.6: the agree / disagree columns when the list has no surplus."""
    return BallotFormat.YES_NO_COLUMNS if candidates <= seats else BallotFormat.STRIKE_OUT


# ---------------------------------------------------------------- validity


class InvalidReason(StrEnum):
    """Why a ballot is invalid (domain rules 4.7; 244 Art 17(2))."""

    NOT_ISSUED = "not_issued"  # (a) not issued by the counting committee (forged)
    TOO_MANY_KEPT = "too_many_kept"  # (b) more names kept than seats
    ALL_STRUCK_WITH_SURPLUS = "all_struck_with_surplus"  # (c) elects nobody on a surplus list
    WRITE_IN = "write_in"  # (d) a name written in that is not on the list
    SIGNED_OR_MARKED = "signed_or_marked"  # (e) signed or carrying identifying marks
    SINGLE_BOTH_OR_NEITHER = "single_both_or_neither"  # (f) one candidate, both or no box
    OTHER = "other"  # anything else the counting committee rules invalid (with a note)


INVALID_REASONS = tuple(InvalidReason)


class MarkMode(StrEnum):
    """What the typed numbers are: the struck names (the default) or the kept ones."""

    STRUCK = "struck"
    KEPT = "kept"


def _numbers(values: Iterable[object]) -> tuple[int, ...]:
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ElectionError("bad_number", value=v)
        out.append(v)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class BallotInput:
    """One ballot as entered: marks (numbers in `mode`; for the agree / disagree columns,
    `numbers` are the names marked "disagree" in STRUCK mode or "agree" in KEPT mode, and
    `unclear` those with both boxes or neither), or `invalid` with its reason."""

    mode: MarkMode = MarkMode.STRUCK
    numbers: tuple[int, ...] = ()
    unclear: tuple[int, ...] = ()
    invalid: InvalidReason | None = None
    note: str = ""

    @classmethod
    def struck(cls, *numbers: int, unclear: Iterable[int] = ()) -> "BallotInput":
        return cls(MarkMode.STRUCK, tuple(numbers), tuple(unclear))

    @classmethod
    def kept(cls, *numbers: int, unclear: Iterable[int] = ()) -> "BallotInput":
        return cls(MarkMode.KEPT, tuple(numbers), tuple(unclear))

    @classmethod
    def spoilt(cls, reason: InvalidReason, note: str = "") -> "BallotInput":
        return cls(invalid=reason, note=nfc(note))

    def to_json(self) -> dict[str, object]:
        return {
            "mode": self.mode.value,
            "numbers": list(self.numbers),
            "unclear": list(self.unclear),
            "invalid": None if self.invalid is None else self.invalid.value,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "BallotInput":
        invalid = data.get("invalid")
        return cls(
            MarkMode(data.get("mode", MarkMode.STRUCK.value)),
            _numbers(data.get("numbers") or ()),
            _numbers(data.get("unclear") or ()),
            None if invalid is None else InvalidReason(invalid),
            nfc(str(data.get("note") or "")),
        )


@dataclass(frozen=True, slots=True)
class Judgement:
    """A ballot's validity and the ballot numbers that get a vote from it."""

    valid: bool
    reason: InvalidReason | None = None
    votes: frozenset[int] = frozenset()
    derived: bool = False  # the reason follows from the marks (not typed by the committee)


def _check_numbers(numbers: tuple[int, ...], candidates: int) -> frozenset[int]:
    for n in numbers:
        if not 1 <= n <= candidates:
            raise ElectionError("number_out_of_range", number=n, candidates=candidates)
    found = frozenset(numbers)
    if len(found) != len(numbers):
        repeated = next(n for n in numbers if numbers.count(n) > 1)
        raise ElectionError("repeated_number", number=repeated)
    return found


def judge(ballot: BallotInput, candidates: int, seats: int) -> Judgement:
    """Valid or not, and for whom (domain rules 4.7, 12.7). Malformed input (a number not on
    the ballot, a number twice, a name both struck and unclear) raises ElectionError."""
    if ballot.invalid is not None:
        if ballot.numbers or ballot.unclear:
            raise ElectionError("invalid_with_marks")
        return Judgement(False, ballot.invalid)
    numbers = _check_numbers(ballot.numbers, candidates)
    unclear = _check_numbers(ballot.unclear, candidates)
    if numbers & unclear:
        raise ElectionError("marked_twice", number=min(numbers & unclear))
    everyone = frozenset(range(1, candidates + 1))
    kept = everyone - numbers - unclear if ballot.mode is MarkMode.STRUCK else numbers
    fmt = ballot_format(candidates, seats)
    if fmt is BallotFormat.STRIKE_OUT:
        if unclear:
            raise ElectionError("unclear_on_strike_out")
        if len(kept) > seats:
            return Judgement(False, InvalidReason.TOO_MANY_KEPT, derived=True)
        if not kept:
            return Judgement(False, InvalidReason.ALL_STRUCK_WITH_SURPLUS, derived=True)
        return Judgement(True, votes=kept)
    # agree / disagree columns (no surplus): both or neither box on one name of several leaves
    # the ballot valid, with no vote for that name; on a single-candidate list it is invalid.
    if candidates == 1 and unclear:
        return Judgement(False, InvalidReason.SINGLE_BOTH_OR_NEITHER, derived=True)
    if len(kept) > seats:  # fewer candidates than seats cannot get here; kept mode can
        return Judgement(False, InvalidReason.TOO_MANY_KEPT, derived=True)
    return Judgement(True, votes=kept)


_SPLIT = re.compile(r"[\s,;+]+")
_RANGE = re.compile(r"(\d+)-(\d+)")


def parse_numbers(text: str, candidates: int) -> tuple[int, ...]:
    """What the counter typed: '3 7 12', '3,7,12' or a range '3-5'; ElectionError otherwise."""
    found: list[int] = []
    for word in _SPLIT.split(nfc(text)):
        if not word:
            continue
        span = _RANGE.fullmatch(word)
        if span is not None and word.isascii():
            low, high = int(span[1]), int(span[2])
            if low > high:
                raise ElectionError("bad_number", value=word)
            found.extend(range(low, high + 1))
        elif word.isascii() and word.isdigit():
            found.append(int(word))
        else:
            raise ElectionError("bad_number", value=word)
    _check_numbers(tuple(found), candidates)
    return tuple(found)
