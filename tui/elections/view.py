"""What the election screens show, as text: no widgets here, so it is tested without an app.

The numbers and words come from session (the surplus check, the threshold, the reconciliation,
the results); this module only picks them for a line or a table row.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from session.agenda import MotionKind
from session.election_steps import Action, NextAction, blockers
from session.elections import (
    Box,
    Election,
    ElectionBook,
    ElectionError,
    ElectionKind,
    ResultsAnnounced,
    Round,
    RoundStatus,
    Step,
    apply,
    outcome,
)
from session.i18n import number, percent, t
from session.results import Purpose, RoundResult, explain_threshold
from session.surplus import explain
from tui.meeting_view import hhmm

NOT_YET = "—"


def election_row(e: Election) -> tuple[str, str, str, str]:
    """The elections list: id, title, round, what it waits for."""
    step = outcome(e).step
    return (e.id, e.title, str(e.current.number), t(f"election.step.{step.value}"))


def election_heading(e: Election) -> str:
    r = e.current
    return t(
        "tui.election.heading",
        title=e.title,
        kind=t(f"election.kind.{e.kind.value}"),
        round=r.number,
        reason=t(f"election.round_reason.{r.reason.value}"),
        status=t(f"election.round_status.{r.status.value}"),
    )


def next_line(e: Election, action: NextAction) -> str:
    """The next step, said the way the F2 key will do it, and what stands in its way, with the
    numbers (ballots still to enter, teams that differ, figures that do not add up)."""
    step = outcome(e).step
    what = t(f"tui.election.action.{action.action.value}", box=action.box or "")
    if step in (Step.COMPLETE, Step.STOPPED):
        return t("tui.election.finished", what=t(f"election.step.{step.value}"))
    lines = [t("tui.election.next", what=what)]
    lines += ["⚠ " + t(f"election.blocker.{b.key}", **b.params) for b in blockers(e, action)]
    return "\n".join(lines)


def motion_topic(e: Election, motion: MotionKind) -> str:
    """The catalog word for a motion about `e`: a delegation's seat count is its number of
    alternates (its official seats are allocated from above), not a committee's size."""
    if motion is MotionKind.SEAT_COUNT and e.kind is ElectionKind.DELEGATES_HIGHER:
        return "alternate_count"
    return motion.value


# The steps whose congress decision is an "other motion": the vote is named after the step.
DECIDED_STEPS = frozenset({Action.NEXT_ROUND, Action.OVERFLOW, Action.ALTERNATE_ORDER})


def decision_subject(e: Election, motion: MotionKind, action: Action | None = None) -> str:
    """What the congress decides, in words ("number of alternate delegates", "those beyond the
    official seats as alternates")."""
    if action in DECIDED_STEPS:
        return t(f"tui.election.vote_subject.{action.value}")  # type: ignore[union-attr]
    return t(f"vote.motion.{motion_topic(e, motion)}")


def vote_title(
    e: Election, motion: MotionKind, proposal: int | None = None, action: Action | None = None
) -> str:
    """The title of the show-of-hands vote a step of `e` needs ("Number of seats: 35 — …")."""
    if action in DECIDED_STEPS:
        subject = decision_subject(e, motion, action)
        return t("tui.election.vote_title_subject", subject=subject, election=e.title)
    topic = motion_topic(e, motion)
    if proposal is not None:
        return t(f"tui.election.vote_title_number.{topic}", election=e.title, number=proposal)
    return t(f"tui.election.vote_title.{topic}", election=e.title)


def seats_line(e: Election) -> str:
    if e.seats is None:
        return t("tui.election.seats_none")
    line = t("tui.election.seats", seats=number(e.seats))
    if e.alternate_seats:
        line += t("tui.election.alternates", seats=number(e.alternate_seats))
    return line


def facts(
    e: Election, result: RoundResult | None, names: Mapping[str, str] | None = None
) -> list[str]:
    """Seats, the surplus check while the list is open, the threshold and the ballots. Once
    voting has opened, the figures of the count come first (a short terminal shows the first
    lines only)."""
    r = e.current
    about = [seats_line(e)]
    if e.purpose is Purpose.NOMINATION:
        about.append(t("tui.election.presidium_only"))
    if r.status is RoundStatus.LIST:
        check = e.surplus()
        if check is not None:
            about.append(explain(check))
    else:
        about.append(t("tui.election.ballot_format", format=t(f"election.format.{r.format.value}")))
    committee = r.committee or e.committee
    if committee is not None:
        members = ", ".join((names or {}).get(m, m) for m in committee.members)
        about.append(t("tui.election.committee", members=members))
    return [*count_lines(r, result), *about]


def count_lines(r: Round, result: RoundResult | None) -> list[str]:
    """The threshold, the ballots and their problems, and the attendance frozen at voting."""
    lines = []
    if result is not None:
        lines.append(explain_threshold(result))
    check = r.reconciliation()
    if check is not None:
        lines.append(
            t(
                "tui.election.reconciliation",
                issued=number(check.issued),
                returned=number(check.returned),
                valid=number(check.totals.valid),
                invalid=number(check.totals.invalid_total),
            )
        )
        lines.extend(f"⚠ {p.error()}" for p in r.standing_problems())
    if r.snapshot is not None:
        lines.append(
            t(
                "tui.election.frozen",
                present=number(r.snapshot.present),
                entitled=number(r.snapshot.entitled),
                base=number(r.snapshot.adjusted),
            )
        )
    return lines


# The candidate table's columns: while the list is drawn up, where each name came from and its
# status; once the ballot is approved, its numbers and the round's figures first (they must stay
# on a laptop's screen), where the name came from after them.
LIST_COLUMNS = ("no", "name", "source", "status")
BALLOT_COLUMNS = ("no", "name", "votes", "of_base", "of_valid", "outcome", "source")
# The status board: the box and its figures first, then its kind and who sealed it and when.
BOX_COLUMNS = ("box", "status", "issued", "returned", "counted", "kind", "sealed")


def candidate_columns(e: Election | None) -> tuple[str, ...]:
    """The columns :func:`candidate_rows` fills for `e`."""
    return LIST_COLUMNS if e is None or e.current.approved_at is None else BALLOT_COLUMNS


FINAL = frozenset({RoundStatus.COUNTED, RoundStatus.SIGNED, RoundStatus.ANNOUNCED})


def candidate_rows(e: Election, result: RoundResult | None) -> list[tuple[str, ...]]:
    """The ballot of the current round (its numbers) once approved: number, name, votes, % of the
    base, % of the valid ballots, the outcome and where the name came from; else the list as it
    stands: name, where it came from and its status (see :func:`candidate_columns`)."""
    r = e.current
    if r.approved_at is None:
        return [
            (
                "",
                c.person.full_name,
                t(f"election.source.{c.source.value}"),
                t(f"election.candidate_status.{c.status.value}"),
            )
            for c in e.candidates
            if r.number == 1 or c.id in r.persons
        ]
    rows = []
    # Votes are running totals while boxes are counted; who is elected waits for the last box.
    pending = "" if r.status in FINAL else t("tui.election.outcome_pending")
    for n, person in enumerate(e.ballot(r.number), 1):
        c = e.candidate(person.id)
        row = result.row(person.id) if result is not None else None
        rows.append(
            (
                str(n),
                person.full_name,
                number(row.votes) if row else "",
                percent(row.percent_of_base) if row else "",
                percent(row.percent_of_valid) if row else "",
                (pending or t(f"election.outcome.{row.outcome.value}")) if row else "",
                t(f"election.source.{c.source.value}") if c else "",
            )
        )
    return rows


def box_row(box: Box, zone: tzinfo, names: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The status board (:data:`BOX_COLUMNS`): box, status, issued, returned, counted, kind, and
    sealed by whom (by name, where a person id was recorded) and when."""
    sealed = ""
    if box.sealed_at is not None:
        by = ", ".join((names or {}).get(p, p) for p in box.sealed_by)
        sealed = t("tui.election.sealed_by", by=by, at=hhmm(box.sealed_at, zone))
    return (
        box.id,
        t(f"election.box_status.{box.status.value}"),
        number(box.issued),
        NOT_YET if box.returned is None else number(box.returned),
        hhmm(box.counted_at, zone) if box.counted_at else "",
        t(f"election.box_kind.{box.kind.value}"),
        sealed,
    )


def elected_line(e: Election) -> str:
    """Who is elected so far (and the alternates of a delegation), in order."""
    out = outcome(e)
    names = [p.full_name for p in e.people(out.elected)]
    line = t("tui.election.elected", names=", ".join(names) or NOT_YET)
    if out.alternates:
        alternates = [" = ".join(p.full_name for p in e.people(slot)) for slot in out.alternates]
        line += "\n" + t("tui.election.alternate_list", names=", ".join(alternates))
    if out.tie is not None:
        tied = ", ".join(p.full_name for p in e.people(out.tie.persons))
        line += "\n" + t(
            "tui.election.tie", names=tied, votes=number(out.tie.votes), seats=out.tie.seats
        )
    return line


def announcing_line(book: ElectionBook, e: Election, round_number: int) -> str:
    """Who will be elected once round `round_number` is announced: the confirmation names it
    (before the announcement the election's outcome has nobody elected in that round yet)."""
    try:
        after = apply(book, ResultsAnnounced(e.id, round_number, datetime.now(UTC))).get(e.id)
    except ElectionError:  # (the announcement itself will say why it cannot be made)
        return elected_line(e)
    return elected_line(after or e)


def current_result(e: Election) -> RoundResult | None:
    """The signed result of the current round, or (while counting) the provisional one."""
    r: Round = e.current
    return e.result(r.number, provisional=r.signed_at is None)
