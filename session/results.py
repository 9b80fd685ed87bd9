"""Results of an election round: the threshold and its base, the rank cut, ties (domain rules
4.9, 4.10, 5.3, 11, 12.5, 12.6, 12.13, 12.16).

- A candidate **passes** when votes · den > base · num (`votes · 2 > base` for more than half),
  the base being the Party's summoned-adjusted count (frozen when voting opened) or, under other
  rule sets, the valid ballots, the ballots cast or those present.
- Seats are filled by rank among those who pass. Those who pass beyond the seats are not elected.
- A tie **inside** the seats elects everyone tied. A tie **straddling** the cut-off is never
  resolved silently: under `revote_tied` (the default, an assumption of domain rules 4.10) it
  stays a :class:`Tie` until a further ballot among the tied; under `older_wins` the older
  candidates take the seats (the result says so); under `presidium_decides` it waits for the
  presidium's decision. An age rule that cannot decide (a date of birth missing or equal) leaves
  the tie open.
- Fewer passing than seats leaves seats unfilled: another round needs a congress vote.
- An opinion ballot (cutting a list over the surplus cap) has no threshold: it ranks and keeps
  the first `seats`. A secretary nomination ballot only ranks: it binds nobody and its result
  goes to the presidium alone.

Percentages are in hundredths (integers): against the base, shown never on the wrong side of the
threshold (50.00 % is not "more than half"), and of the valid ballots.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from session.congress import BaseKind, CongressType
from session.count import Totals
from session.i18n import number, t
from session.majority import percent_hundredths
from session.quorum import Kind, Member, Status, attendance
from session.tally import Counted, Snapshot, VoteBase, VoteRule, decision_base, shown_percent

ELECTION_BASES = frozenset(
    {VoteBase.SUMMONED_ADJUSTED, VoteBase.ENTITLED, VoteBase.PRESENT, VoteBase.CAST, VoteBase.VALID}
)


class TiePolicy(StrEnum):
    REVOTE_TIED = "revote_tied"  # a further ballot among the tied (default, [N] assumption)
    OLDER_WINS = "older_wins"  # the older candidate (NA / HĐND law)
    PRESIDIUM_DECIDES = "presidium_decides"  # the presidium's proposal, decided and recorded


class Purpose(StrEnum):
    """What a round's ranking is for."""

    ELECT = "elect"  # an election: threshold, then rank
    LIST_CUT = "list_cut"  # an opinion ballot cutting a list: rank, keep the first `seats`
    NOMINATION = "nomination"  # the secretary nomination ballot: rank only, non-binding


class Outcome(StrEnum):
    ELECTED = "elected"
    TIED = "tied"  # straddles the cut-off: awaits the tie policy
    BEYOND_SEATS = "beyond_seats"  # passed, but ranked beyond the seats
    BELOW_THRESHOLD = "below_threshold"
    KEPT = "kept"  # opinion ballot: stays on the list
    CUT = "cut"  # opinion ballot: leaves the list
    RANKED = "ranked"  # nomination ballot


@dataclass(frozen=True, slots=True)
class Contender:
    person: str
    number: int  # ballot number
    date_of_birth: date | None = None


@dataclass(frozen=True, slots=True)
class Tie:
    """Candidates tied at the cut-off, and how many of them the seats can take."""

    persons: tuple[str, ...]  # in ballot order
    seats: int
    votes: int


@dataclass(frozen=True, slots=True)
class Row:
    person: str
    number: int
    votes: int
    percent_of_base: int  # hundredths
    percent_of_valid: int  # hundredths
    rank: int  # 1, 2, 2, 4...
    passed: bool
    outcome: Outcome
    by_age: bool = False  # elected (or not) by the older-wins tie rule

    def to_json(self) -> dict[str, object]:
        return {
            "person": self.person,
            "number": self.number,
            "votes": self.votes,
            "percent_of_base": self.percent_of_base,
            "percent_of_valid": self.percent_of_valid,
            "rank": self.rank,
            "passed": self.passed,
            "outcome": self.outcome.value,
            "by_age": self.by_age,
        }


def election_base(base: VoteBase, snapshot: Snapshot, totals: Totals) -> int:
    """An election's base (tally.decision_base): cast = the ballots returned by the voters
    (invalid ones included, forged ones not: Robert's Rules counts illegal votes)."""
    return decision_base(base, snapshot, Counted(totals.ballots - totals.forged, totals.valid))


@dataclass(frozen=True, slots=True)
class Fill:
    elected: tuple[str, ...]  # in rank order
    by_age: frozenset[str]  # decided by the older-wins rule (elected or not)
    tie: Tie | None
    beyond: tuple[str, ...]  # passed, not elected (ranked beyond the seats, tie losers by age)


def _ranked(
    entries: Iterable[tuple[str, int, date | None, int]],
) -> list[tuple[str, int, date | None, int]]:
    # votes high to low; equal votes in ballot order (the 4th field)
    return sorted(entries, key=lambda e: (-e[1], e[3]))


def fill(
    entries: Sequence[tuple[str, int, date | None, int]], seats: int, policy: TiePolicy
) -> Fill:
    """Fill `seats` from (person, votes, date of birth, ballot number) of those who passed."""
    ranked = _ranked(entries)
    if len(ranked) <= seats:
        return Fill(tuple(e[0] for e in ranked), frozenset(), None, ())
    cut = ranked[seats - 1][1]
    above = [e for e in ranked if e[1] > cut]
    at = [e for e in ranked if e[1] == cut]
    below = [e[0] for e in ranked if e[1] < cut]
    room = seats - len(above)
    if len(at) == room:  # a tie fully inside the seats: all elected
        return Fill(tuple(e[0] for e in above + at), frozenset(), None, tuple(below))
    if policy is TiePolicy.OLDER_WINS and all(e[2] is not None for e in at):
        by_birth = sorted(at, key=lambda e: (e[2], e[3]))
        boundary = by_birth[room - 1][2]
        older = [e for e in by_birth if e[2] < boundary]  # type: ignore[operator]
        same = [e for e in by_birth if e[2] == boundary]
        younger = [e for e in by_birth if e[2] > boundary]  # type: ignore[operator]
        left = room - len(older)
        decided = frozenset(e[0] for e in older + younger)
        if len(same) == left:
            winners = older + same
            return Fill(
                tuple(e[0] for e in above + winners),
                frozenset(e[0] for e in at),
                None,
                tuple(e[0] for e in younger) + tuple(below),
            )
        tie = Tie(tuple(e[0] for e in sorted(same, key=lambda e: e[3])), left, cut)
        return Fill(
            tuple(e[0] for e in above + older),
            decided,
            tie,
            tuple(e[0] for e in younger) + tuple(below),
        )
    tie = Tie(tuple(e[0] for e in sorted(at, key=lambda e: e[3])), room, cut)
    return Fill(tuple(e[0] for e in above), frozenset(), tie, tuple(below))


@dataclass(frozen=True, slots=True)
class RoundResult:
    purpose: Purpose
    seats: int
    rule: VoteRule
    policy: TiePolicy
    base: int
    needed: int | None  # the fewest votes that pass (None: no threshold, or an empty base)
    totals: Totals
    rows: tuple[Row, ...]  # in ballot order
    elected: tuple[str, ...]  # (or kept) in rank order
    tie: Tie | None
    unfilled: int

    @property
    def binding(self) -> bool:
        return self.purpose is not Purpose.NOMINATION

    @property
    def presidium_only(self) -> bool:
        """The secretary nomination ballot is reported to the presidium alone (domain rules 6.1)."""
        return self.purpose is Purpose.NOMINATION

    @property
    def ranking(self) -> tuple[Row, ...]:
        """Votes high to low (the minutes' order of the elected), ballot order among equals."""
        return tuple(sorted(self.rows, key=lambda r: (-r.votes, r.number)))

    @property
    def complete(self) -> bool:
        """Every seat filled and no tie waiting."""
        return self.tie is None and self.unfilled == 0

    def row(self, person: str) -> Row:
        return next(r for r in self.rows if r.person == person)

    def with_outcome(self, person: str) -> Outcome:
        return self.row(person).outcome

    def to_json(self) -> dict[str, object]:
        return {
            "purpose": self.purpose.value,
            "seats": self.seats,
            "rule": self.rule.to_json(),
            "tie_policy": self.policy.value,
            "base": self.base,
            "needed": self.needed,
            "valid": self.totals.valid,
            "invalid": self.totals.invalid_total,
            "invalid_by_reason": self.totals.invalid_by_reason(),
            "rows": [r.to_json() for r in self.rows],
            "elected": list(self.elected),
            "tie": None
            if self.tie is None
            else {
                "persons": list(self.tie.persons),
                "seats": self.tie.seats,
                "votes": self.tie.votes,
            },
            "unfilled": self.unfilled,
            "binding": self.binding,
            "presidium_only": self.presidium_only,
        }


def _competition_ranks(votes: Sequence[int]) -> list[int]:
    ordered = sorted(votes, reverse=True)
    first = {}
    for i, v in enumerate(ordered, 1):
        first.setdefault(v, i)
    return [first[v] for v in votes]


def decide_round(
    contenders: Sequence[Contender],
    totals: Totals,
    seats: int,
    rule: VoteRule,
    snapshot: Snapshot,
    policy: TiePolicy = TiePolicy.REVOTE_TIED,
    purpose: Purpose = Purpose.ELECT,
) -> RoundResult:
    """The result of a round from its totals. `contenders` are in ballot order (number 1...)."""
    if len(contenders) != len(totals.votes):
        raise ValueError("one total per contender")
    base = election_base(rule.base, snapshot, totals)
    threshold = purpose is Purpose.ELECT
    needed = rule.ratio.minimum(base) if threshold and base > 0 else None
    passed = [
        (not threshold) or (base > 0 and v > 0 and rule.ratio.met(v, base)) for v in totals.votes
    ]
    entries = [
        (c.person, v, c.date_of_birth, c.number)
        for c, v, ok in zip(contenders, totals.votes, passed, strict=True)
        if ok
    ]
    if purpose is Purpose.NOMINATION:
        result = Fill((), frozenset(), None, ())
    else:
        result = fill(entries, seats, policy)
    elected = set(result.elected)
    tied = set(result.tie.persons) if result.tie else set()
    ranks = _competition_ranks(totals.votes)
    rows = []
    for c, v, ok, rank in zip(contenders, totals.votes, passed, ranks, strict=True):
        if purpose is Purpose.NOMINATION:
            outcome = Outcome.RANKED
        elif c.person in tied:
            outcome = Outcome.TIED
        elif purpose is Purpose.LIST_CUT:
            outcome = Outcome.KEPT if c.person in elected else Outcome.CUT
        elif c.person in elected:
            outcome = Outcome.ELECTED
        elif ok:
            outcome = Outcome.BEYOND_SEATS
        else:
            outcome = Outcome.BELOW_THRESHOLD
        if threshold and base > 0:
            of_base = shown_percent(v, base, rule.ratio, ok)
        else:
            of_base = percent_hundredths(v, base)
        rows.append(
            Row(
                c.person,
                c.number,
                v,
                of_base,
                percent_hundredths(v, totals.valid),
                rank,
                ok,
                outcome,
                c.person in result.by_age,
            )
        )
    waiting = result.tie.seats if result.tie else 0
    unfilled = 0 if purpose is Purpose.NOMINATION else seats - len(result.elected) - waiting
    return RoundResult(
        purpose,
        seats,
        rule,
        policy,
        base,
        needed,
        totals,
        tuple(rows),
        result.elected,
        result.tie,
        max(unfilled, 0),
    )


# ---------------------------------------------------------------- order of alternates


def order_by_votes(
    entries: Sequence[tuple[str, int, date | None]], policy: TiePolicy
) -> tuple[tuple[str, ...], ...]:
    """Alternates in substitution order, votes high to low (domain rules 5.3). Each slot is one
    person, or several tied on votes that the policy could not order (the older first under
    `older_wins` when the dates of birth differ): those wait for a decision."""
    groups: dict[int, list[tuple[str, int, date | None]]] = {}
    for e in entries:
        groups.setdefault(e[1], []).append(e)
    slots: list[tuple[str, ...]] = []
    for votes in sorted(groups, reverse=True):
        group = groups[votes]
        if len(group) == 1:
            slots.append((group[0][0],))
            continue
        if policy is TiePolicy.OLDER_WINS and all(e[2] is not None for e in group):
            by_birth: dict[date, list[str]] = {}
            for e in group:
                assert e[2] is not None
                by_birth.setdefault(e[2], []).append(e[0])
            slots.extend(tuple(by_birth[d]) for d in sorted(by_birth))
            continue
        slots.append(tuple(e[0] for e in group))
    return tuple(slots)


# ---------------------------------------------------------------- activating an alternate


def activation_base_change(
    official: Member, congress_type: CongressType = CongressType.REPRESENTATIVE
) -> int:
    """How the summoned-adjusted base changes when an alternate takes the place of `official`,
    absent for the whole congress (domain rules 2.1 b, 5.3): an official delegate absent without
    an alternate leaves the base; with one in their place they are back in it (+1). A
    convening-committee member cannot be replaced (0). Computed by session.quorum's own rule."""
    before = attendance([(official, 1)], congress_type, BaseKind.SUMMONED_ADJUSTED).base
    replaced = replace(official, replaced_by_alternate=True)
    after = attendance([(replaced, 1)], congress_type, BaseKind.SUMMONED_ADJUSTED).base
    return after - before


def can_be_replaced(official: Member) -> bool:
    """Only an official delegate absent for the whole congress, not yet replaced."""
    return (
        official.kind is Kind.OFFICIAL
        and official.status is Status.ABSENT_WHOLE
        and not official.replaced_by_alternate
    )


# ---------------------------------------------------------------- words


def explain_threshold(result: RoundResult, lang: str | None = None) -> str:
    """'more than 1/2 of 290 (the summoned-adjusted base): at least 146 votes'."""
    base_name = t(f"election.base.{result.rule.base.value}", lang)
    if result.purpose is not Purpose.ELECT:
        return t("election.threshold.none", lang, seats=number(result.seats, lang))
    if result.needed is None:
        return t("election.threshold.empty_base", lang, base_name=base_name)
    return t(
        "election.threshold.rule",
        lang,
        ratio=result.rule.ratio.label,
        base=number(result.base, lang),
        base_name=base_name,
        needed=number(result.needed, lang),
    )
