"""A show-of-hands count and its verdict: which base, which threshold, and the arithmetic shown.

A verdict is `yes · den  (> or ≥)  base · num` in whole numbers, where the base is one of the
counts below (domain rules 3.3, 9.1, 9.2). Nothing here knows about sectors, tellers or events
(see session.votes): it takes totals and answers "passed?", with the sum it did and the
percentage to two decimals ("280 × 2 = 560 > 290: passed, 96.55 % of the base").

| base | counts | used by |
|---|---|---|
| summoned_adjusted | the Party base, frozen when the vote opened (domain rules 2.1) | vn_party_* |
| entitled | every voting delegate summoned ("of the entire membership") | custom |
| present | voting delegates in the hall as the vote opened (entitled_present) | custom |
| cast | hands raised for any option | OpenSlides cast |
| valid | the same as cast for a show of hands (no hand is invalid) | OpenSlides valid |
| yes_no | yes + no: abstentions excluded (Robert's Rules, OpenSlides YN) | roberts_rules |
| yes_no_abstain | yes + no + abstain (OpenSlides YNA) | custom |
"""

from dataclasses import dataclass, field
from enum import StrEnum

from session.i18n import decimal_sep, number, t
from session.majority import Ratio, format_percent, percent_hundredths


class VoteBase(StrEnum):
    """What a show-of-hands decision is measured against."""

    SUMMONED_ADJUSTED = "summoned_adjusted"
    ENTITLED = "entitled"
    PRESENT = "present"
    CAST = "cast"
    VALID = "valid"
    YES_NO = "yes_no"
    YES_NO_ABSTAIN = "yes_no_abstain"


# Other names for the same bases: the congress file's rules.base vocabulary and OpenSlides'.
BASE_ALIASES = {
    "summoned": VoteBase.ENTITLED,
    "entitled_present": VoteBase.PRESENT,
    "yn": VoteBase.YES_NO,
    "yna": VoteBase.YES_NO_ABSTAIN,
}
# Known when the vote opens (from the attendance snapshot), before any hand is counted.
FIXED_BASES = frozenset({VoteBase.SUMMONED_ADJUSTED, VoteBase.ENTITLED, VoteBase.PRESENT})


def parse_base(text: str) -> VoteBase:
    """A base by its name or alias ('YN', 'summoned'...); ValueError lists the names."""
    name = text.strip()
    alias = BASE_ALIASES.get(name.lower())
    if alias is not None:
        return alias
    try:
        return VoteBase(name)
    except ValueError:
        allowed = ", ".join([b.value for b in VoteBase] + sorted(BASE_ALIASES))
        raise ValueError(f"{text!r} is not one of {allowed}") from None


class RuleSource(StrEnum):
    """Where a vote's rule came from, for the minutes."""

    RULESET = "ruleset"  # the rule set's default ([rules] for custom)
    CONGRESS = "congress"  # [rules.votes] in the congress file
    MOTION = "motion"  # [rules.votes.<motion kind>]
    ITEM = "item"  # the agenda item's own majority


@dataclass(frozen=True, slots=True)
class VoteRule:
    """What a show-of-hands decision needs: a ratio of a base, and where that rule came from."""

    ratio: Ratio
    base: VoteBase
    source: RuleSource = RuleSource.RULESET

    @property
    def label(self) -> str:
        """'> 1/2 summoned_adjusted' (the language-neutral form; see rule_label for words)."""
        return f"{self.ratio.label} {self.base.value}"

    def to_json(self) -> dict[str, object]:
        return {
            "ratio": f"{self.ratio.num}/{self.ratio.den}",
            "strict": self.ratio.strict,
            "base": self.base.value,
            "source": self.source.value,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "VoteRule":
        return cls(
            Ratio.parse(str(data["ratio"]), bool(data["strict"])),
            VoteBase(str(data["base"])),
            RuleSource(str(data.get("source", RuleSource.RULESET.value))),
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The attendance frozen when a vote opens (domain rules 2.4)."""

    present: int  # voting delegates in the hall
    entitled: int  # voting delegates summoned
    adjusted: int  # the summoned-adjusted base
    quorum_needs: int | None = None  # present an attendance quorum needed, if there was one
    # Those present by the hall sector the register seats them in (a teller's guide: delegates
    # may sit elsewhere, so it bounds nothing); empty when the register gives no sectors.
    by_sector: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def in_sector(self, code: str) -> int | None:
        return next((n for s, n in self.by_sector if s == code), None)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "present": self.present,
            "entitled": self.entitled,
            "adjusted": self.adjusted,
            "quorum_needs": self.quorum_needs,
        }
        if self.by_sector:  # (absent otherwise: older logs hash the same)
            data["by_sector"] = dict(self.by_sector)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "Snapshot":
        needs = data.get("quorum_needs")
        by_sector = data.get("by_sector") or {}
        if not isinstance(by_sector, dict):
            raise ValueError(f"expected sectors and their counts, got {by_sector!r}")
        return cls(
            _int(data["present"]),
            _int(data["entitled"]),
            _int(data["adjusted"]),
            None if needs is None else _int(needs),
            tuple((str(code), _int(n)) for code, n in by_sector.items()),
        )


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Tally:
    """Hands raised for each option, by role: yes (tán thành), no (không tán thành), abstain
    (ý kiến khác)."""

    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.yes + other.yes, self.no + other.no, self.abstain + other.abstain)

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.yes, self.no, self.abstain)


@dataclass(frozen=True, slots=True)
class Counted:
    """What a count gives the bases measured on it: every vote or ballot cast (invalid ones
    included, forged ones not), the valid ones, and for a show of hands yes + no and
    yes + no + abstain (None where the base means nothing: an election has no "yes")."""

    cast: int
    valid: int
    yes_no: int | None = None
    yes_no_abstain: int | None = None


def decision_base(base: VoteBase, snapshot: Snapshot, counted: Counted) -> int:
    """The number a decision's threshold is measured against: a show-of-hands vote's and an
    election's alike (domain rules 3.3, 4.6): fixed by who was there when it opened, or by the
    count."""
    match base:
        case VoteBase.SUMMONED_ADJUSTED:
            return snapshot.adjusted
        case VoteBase.ENTITLED:
            return snapshot.entitled
        case VoteBase.PRESENT:
            return snapshot.present
        case VoteBase.CAST:
            return counted.cast
        case VoteBase.VALID:
            return counted.valid
        case VoteBase.YES_NO if counted.yes_no is not None:
            return counted.yes_no
        case VoteBase.YES_NO_ABSTAIN if counted.yes_no_abstain is not None:
            return counted.yes_no_abstain
    raise ValueError(f"{base.value} is not a base for this count")


def base_count(base: VoteBase, tally: Tally, snapshot: Snapshot) -> int:
    """A show of hands' base: every hand raised is valid (cast = valid = yes + no + abstain)."""
    counted = Counted(tally.cast, tally.cast, tally.yes + tally.no, tally.cast)
    return decision_base(base, snapshot, counted)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Passed or not, with everything the minutes print about it."""

    rule: VoteRule
    tally: Tally
    snapshot: Snapshot
    base: int  # what the rule measured against
    needed: int | None  # the fewest yes votes that pass; None for an empty base
    passed: bool
    percent_of_base: int  # hundredths, never shown on the wrong side of the threshold
    percent_of_present: int  # hundredths

    @property
    def not_voting(self) -> int:
        """Present but raising no hand (domain rules 3.2): present − the sum of the options."""
        return self.snapshot.present - self.tally.cast


def shown_percent(count: int, total: int, ratio: Ratio, passed: bool) -> int:
    """count/total in hundredths, rounded half up, except that the figure shown never
    contradicts the verdict: a strict majority that passed with 50.004 % shows 50.01, and one
    that failed never shows above the threshold (domain rules 12.16: 50.00 % is never a
    majority)."""
    shown = percent_hundredths(count, total)
    if total <= 0:
        return shown
    if passed and not ratio.met(shown, 10_000):
        return ratio.minimum(10_000)
    if not passed and ratio.met(shown, 10_000):
        return ratio.minimum(10_000) - 1
    return shown


def decide(tally: Tally, rule: VoteRule, snapshot: Snapshot) -> Verdict:
    """The verdict of a count under a rule. An empty base never passes."""
    base = base_count(rule.base, tally, snapshot)
    if base <= 0:
        return Verdict(rule, tally, snapshot, base, None, False, 0, _of_present(tally, snapshot))
    passed = rule.ratio.met(tally.yes, base)
    percent = shown_percent(tally.yes, base, rule.ratio, passed)
    of_present = percent if rule.base is VoteBase.PRESENT else _of_present(tally, snapshot)
    return Verdict(
        rule, tally, snapshot, base, rule.ratio.minimum(base), passed, percent, of_present
    )


def _of_present(tally: Tally, snapshot: Snapshot) -> int:
    return percent_hundredths(tally.yes, snapshot.present)


def can_pass(rule: VoteRule, snapshot: Snapshot) -> bool:
    """Could any count pass? The best case is everyone present in favour (domain rules 2.3,
    12.4: under the Party rule this is 2 × present > base)."""
    return decide(Tally(yes=snapshot.present), rule, snapshot).passed


# ---------------------------------------------------------------- words


def arithmetic(v: Verdict, lang: str | None = None) -> str:
    """'280 × 2 = 560 > 290' ('200 × 3 = 600 ≥ 300 × 2 = 600' for an at-least-2/3 rule)."""
    ratio = v.rule.ratio
    left = f"{number(v.tally.yes, lang)} × {ratio.den} = {number(v.tally.yes * ratio.den, lang)}"
    right = number(v.base, lang)
    if ratio.num != 1:
        right = f"{right} × {ratio.num} = {number(v.base * ratio.num, lang)}"
    sign = {(True, True): ">", (True, False): "≤", (False, True): "≥", (False, False): "<"}[
        (ratio.strict, v.passed)
    ]
    return f"{left} {sign} {right}"


def explain(v: Verdict, lang: str | None = None) -> str:
    """'280 × 2 = 560 > 290: passed, 96.55 % of the base', in the congress language."""
    base = t(f"vote.base.{v.rule.base.value}", lang)
    if v.needed is None:
        return t("vote.verdict.empty_base", lang, base=base)
    key = "vote.verdict.passed" if v.passed else "vote.verdict.failed"
    return t(
        key,
        lang,
        arithmetic=arithmetic(v, lang),
        percent=format_percent(v.percent_of_base, decimal_sep(lang)),
        base=base,
    )


def rule_label(rule: VoteRule, lang: str | None = None) -> str:
    """'> 1/2 of the base (rule set)' for the minutes."""
    return t(
        "vote.rule",
        lang,
        ratio=rule.ratio.label,
        base=t(f"vote.base.{rule.base.value}", lang),
        source=t(f"vote.source.{rule.source.value}", lang),
    )
