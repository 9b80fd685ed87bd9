"""What a vote freezes when it opens (the attendance of that moment), and what the presidium
must confirm, with a reason, before it opens (domain rules 2.3, 12.4).
"""

from session.i18n import number, t
from session.quorum import Attendance, Problem, QuorumVerdict
from session.tally import FIXED_BASES, Snapshot, Tally, VoteRule, base_count, decide
from session.votes.state import OpenWarning


def snapshot_of(quorum: QuorumVerdict | Attendance) -> Snapshot:
    """The attendance a vote freezes when it opens."""
    att = quorum.attendance if isinstance(quorum, QuorumVerdict) else quorum
    needs = quorum.quorum_needs if isinstance(quorum, QuorumVerdict) else None
    adjusted = att.adjusted if att.adjusted is not None else att.base
    return Snapshot(att.present, att.summoned, adjusted, needs)


def open_warnings(rule: VoteRule, quorum: QuorumVerdict | Attendance) -> tuple[OpenWarning, ...]:
    """What the presidium must confirm before this vote opens (domain rules 2.3, 12.4)."""
    snap = snapshot_of(quorum)
    warnings = []
    if rule.base in FIXED_BASES and base_count(rule.base, Tally(), snap) <= 0:
        warnings.append(OpenWarning.EMPTY_BASE)
    elif not decide(Tally(yes=snap.present), rule, snap).passed:
        warnings.append(OpenWarning.NO_OUTCOME_CAN_PASS)
    if isinstance(quorum, QuorumVerdict) and Problem.QUORUM_UNMET in quorum.problems:
        warnings.append(OpenWarning.QUORUM_UNMET)
    return tuple(warnings)


def explain_warning(
    warning: OpenWarning, rule: VoteRule, snapshot: Snapshot, lang: str | None = None
) -> str:
    best = decide(Tally(yes=snapshot.present), rule, snapshot)
    needs = snapshot.quorum_needs if warning is OpenWarning.QUORUM_UNMET else best.needed
    return t(
        f"vote.warning.{warning.value}",
        lang,
        present=number(snapshot.present, lang),
        base=number(best.base, lang),
        needs=number(needs or 0, lang),
    )
