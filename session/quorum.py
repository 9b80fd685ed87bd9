"""Who counts: the summoned, the base of every decision, and the live quorum verdict.

Domain rules 2.1: for a representative congress the base is the official delegates summoned
(ex officio members included) minus convening-committee members absent for the whole congress
and official delegates absent for the whole congress with no alternate in their place. A delegate
who is merely out of the hall at a vote stays in the base. 2.2: at a general-members congress an
exempted member counts only if they attend. A decision needs count · den > base · num.

An alternate (dự khuyết) votes only once activated in place of an official delegate absent for
the whole congress (2.1, 5.3). The seat stays the official's: the replaced official stays in the
base and in the summoned, and the activated alternate counts only among those present (never a
second time in the summoned or the base).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from session.congress import BaseKind, CongressType, Rules


class Kind(StrEnum):
    OFFICIAL = "official"
    ALTERNATE = "alternate"
    EX_OFFICIO = "ex_officio"
    GUEST = "guest"


class Status(StrEnum):
    SUMMONED = "summoned"
    ABSENT_EXCUSED = "absent_excused"  # away for part of the congress: stays in the base
    ABSENT_WHOLE = "absent_whole_congress"  # leaves the base (2.1 b), unless an alternate replaces
    CREDENTIAL_REJECTED = "credential_rejected"  # the congress refused the credentials
    EXEMPT = "exempt"  # general-members congress: counts only when present (2.2)


VOTING_KINDS = frozenset({Kind.OFFICIAL, Kind.EX_OFFICIO})


def has_vote(kind: Kind, activated: bool = False) -> bool:
    """Official and ex-officio delegates vote; an alternate only once activated (1.1, 5.3)."""
    return kind in VOTING_KINDS or (kind is Kind.ALTERNATE and activated)


@dataclass(frozen=True, slots=True)
class Member:
    """The facts about one delegate that the base and the quorum depend on."""

    kind: Kind
    status: Status
    present: bool
    replaced_by_alternate: bool = False
    activated: bool = False  # an alternate seated in place of an absent official delegate

    @property
    def votes(self) -> bool:
        return has_vote(self.kind, self.activated) and self.status is not Status.CREDENTIAL_REJECTED

    @property
    def holds_replaced_seat(self) -> bool:
        """An activated alternate: votes in the place of an official who keeps the seat."""
        return self.kind is Kind.ALTERNATE and self.activated


class ActivationRefusal(StrEnum):
    """Why an alternate cannot be activated in place of an official delegate (translation keys
    under 'error.activation.')."""

    NOT_OFFICIAL = "not_official"  # only an official delegate's seat passes to an alternate
    NOT_ABSENT_WHOLE = "not_absent_whole"
    ALREADY_REPLACED = "already_replaced"
    NOT_ALTERNATE = "not_alternate"
    ALREADY_ACTIVATED = "already_activated"
    ALTERNATE_REJECTED = "alternate_rejected"
    ALTERNATE_ABSENT = "alternate_absent"  # recorded as absent for the whole congress


def activation_refusal(official: Member, alternate: Member) -> ActivationRefusal | None:
    """Domain rules 2.1 (b), 5.3: an alternate attending the congress takes the place of an
    official delegate absent for the whole congress, one for one. A convening-committee (ex
    officio) member's seat never passes to an alternate. None: the activation may proceed."""
    checks = (
        (official.kind is not Kind.OFFICIAL, ActivationRefusal.NOT_OFFICIAL),
        (official.status is not Status.ABSENT_WHOLE, ActivationRefusal.NOT_ABSENT_WHOLE),
        (official.replaced_by_alternate, ActivationRefusal.ALREADY_REPLACED),
        (alternate.kind is not Kind.ALTERNATE, ActivationRefusal.NOT_ALTERNATE),
        (alternate.activated, ActivationRefusal.ALREADY_ACTIVATED),
        (alternate.status is Status.CREDENTIAL_REJECTED, ActivationRefusal.ALTERNATE_REJECTED),
        (alternate.status is Status.ABSENT_WHOLE, ActivationRefusal.ALTERNATE_ABSENT),
    )
    return next((refusal for failed, refusal in checks if failed), None)


@dataclass(frozen=True, slots=True)
class Attendance:
    # voting delegates on the register whose credentials stand (a replaced official included,
    # the activated alternate in their place not: one seat, counted once)
    summoned: int
    base: int  # the base of decisions under the congress's rules
    present: int  # voting delegates in the hall now (activated alternates included)
    guests: int  # guests (and non-voting delegates) in the hall now
    absent_whole: int
    excused: int
    # The summoned-adjusted count (2.1/2.2) whatever `base` counts, for a quorum "of
    # summoned_adjusted" under rules whose decision base is something else; None: same as base.
    adjusted: int | None = None


def attendance(
    groups: Iterable[tuple[Member, int]], congress_type: CongressType, base_kind: BaseKind
) -> Attendance:
    """Count the summoned, the base and those present from (member facts, how many) groups."""
    summoned = 0
    adjusted = 0
    present = 0
    guests = 0
    absent_whole = 0
    excused = 0
    for m, n in groups:
        if not m.votes:
            guests += n * (m.present and m.status is not Status.CREDENTIAL_REJECTED)
            continue
        if m.holds_replaced_seat:  # the replaced official's seat: counted as theirs
            present += n * m.present
            continue
        summoned += n
        present += n * m.present
        if m.status is Status.ABSENT_WHOLE:
            absent_whole += n
            # 2.1 (b): an official delegate replaced by an alternate stays in the base; 2.1 (a): a
            # convening-committee (ex officio) member absent for the whole congress always leaves
            # it, as no alternate can take a committee member's seat.
            adjusted += n * (m.replaced_by_alternate and m.kind is Kind.OFFICIAL)
        elif m.status is Status.EXEMPT:
            # 2.2: at a general-members congress an exempted member counts only when present
            adjusted += n * (congress_type is not CongressType.GENERAL_MEMBERS or m.present)
        else:
            excused += n * (m.status is Status.ABSENT_EXCUSED)
            adjusted += n
    base = {
        BaseKind.SUMMONED_ADJUSTED: adjusted,
        BaseKind.SUMMONED: summoned,
        BaseKind.PRESENT: present,
    }[base_kind]
    return Attendance(summoned, base, present, guests, absent_whole, excused, adjusted)


class Problem(StrEnum):
    """Why the gauge is red (translation keys)."""

    NO_DECISION_POSSIBLE = "no_decision_possible"
    QUORUM_UNMET = "quorum_unmet"
    EMPTY_BASE = "empty_base"


@dataclass(frozen=True, slots=True)
class QuorumVerdict:
    attendance: Attendance
    rules: Rules
    decision_needs: int | None  # votes a decision needs now, when measured against a fixed base
    quorum_needs: int | None  # present needed for the attendance quorum, if there is one
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _quorum_of(att: Attendance, of: BaseKind) -> int:
    """The count an attendance quorum is measured against."""
    if of is BaseKind.SUMMONED:
        return att.summoned
    if of is BaseKind.SUMMONED_ADJUSTED and att.adjusted is not None:
        return att.adjusted
    return att.base


def verdict(att: Attendance, rules: Rules) -> QuorumVerdict:
    """Can the congress decide now? Integer arithmetic, domain rules 2.1, 2.3, 12.4."""
    problems: list[Problem] = []
    decision_needs: int | None = None
    if rules.base is not BaseKind.PRESENT:
        if att.base == 0:
            problems.append(Problem.EMPTY_BASE)
        else:
            decision_needs = rules.decision.minimum(att.base)
            # Even if everyone present agreed, the decision would fall short (2 · present ≤ base).
            if not rules.decision.met(att.present, att.base):
                problems.append(Problem.NO_DECISION_POSSIBLE)
    quorum_needs: int | None = None
    if rules.quorum is not None:
        of = _quorum_of(att, rules.quorum.of)
        quorum_needs = rules.quorum.ratio.minimum(of)
        if not rules.quorum.ratio.met(att.present, of):
            problems.append(Problem.QUORUM_UNMET)
    return QuorumVerdict(att, rules, decision_needs, quorum_needs, tuple(problems))


def explain(v: QuorumVerdict, lang: str | None = None) -> tuple[str, list[str]]:
    """The gauge's sentence ("present 287 of base 290: decisions need at least 146") and the
    reasons it is red, in the congress language."""
    from session.i18n import number, t

    att = v.attendance
    parts = []
    if v.decision_needs is not None:
        parts.append(
            t(
                "quorum.decision",
                lang,
                present=number(att.present, lang),
                base=number(att.base, lang),
                needs=number(v.decision_needs, lang),
            )
        )
    if v.rules.quorum is not None and v.quorum_needs is not None:
        of = t(f"quorum.base.{v.rules.quorum.of.value}", lang)
        parts.append(
            t(
                "quorum.quorum",
                lang,
                ratio=v.rules.quorum.ratio.label,
                of=of,
                needs=number(v.quorum_needs, lang),
            )
        )
    problems = []
    for p in v.problems:
        needs = v.quorum_needs if p is Problem.QUORUM_UNMET else v.decision_needs
        problems.append(
            t(
                f"quorum.problem.{p.value}",
                lang,
                present=number(att.present, lang),
                base=number(att.base, lang),
                needs=number(needs or 0, lang),
            )
        )
    return "; ".join(parts), problems
