"""The next alternate to seat, the outcomes of a book, and an election as JSON."""

from collections.abc import Iterable
from datetime import datetime

from session.ballots import (
    ElectionError,
)
from session.elections.outcome import (
    ElectionOutcome,
    alternate_slots,
    outcome,
)
from session.elections.readings import (
    reading_minutes,
)
from session.elections.state import (
    Box,
    Election,
    ElectionBook,
    Round,
    find,
)
from session.elections.vocabulary import (
    ElectionKind,
)
from session.results import (
    RoundResult,
)

# ---------------------------------------------------------------- alternates at the higher congress


def next_alternate(e: Election, activated: Iterable[str] = ()) -> str:
    """The alternate who takes the next absent official's place (domain rules 5.3): the first
    in substitution order not yet activated. ElectionError while their order is undecided (a
    tie) or when none is left. The store then marks the official `replaced_by_alternate` (see
    session.results.activation_base_change: the base gains the official's place back)."""
    if e.kind is not ElectionKind.DELEGATES_HIGHER:
        raise ElectionError("no_alternates", election=e.title)
    done = set(activated)
    for slot in alternate_slots(e):
        left = [p for p in slot if p not in done]
        if not left:
            continue
        if len(left) > 1:
            raise ElectionError("alternate_order_undecided", persons=", ".join(left))
        return left[0]
    raise ElectionError("no_alternate_left", election=e.title)


def outcome_of(book: ElectionBook, election_id: str) -> ElectionOutcome:
    return outcome(find(book, election_id))


def round_outcomes(e: Election) -> tuple[tuple[int, RoundResult], ...]:
    """Every signed round's result, for `presidium results --json` and the minutes."""
    out = []
    for r in e.rounds:
        res = e.result(r.number)
        if res is not None:
            out.append((r.number, res))
    return tuple(out)


def _iso(at: datetime) -> str:
    return at.isoformat()


def _box_json(b: Box) -> dict[str, object]:
    return {
        "id": b.id,
        "kind": b.kind.value,
        "status": b.status.value,
        "sealed_by": list(b.sealed_by),
        "sealed_at": None if b.sealed_at is None else _iso(b.sealed_at),
        "closed_at": None if b.closed_at is None else _iso(b.closed_at),
        "opened_by": list(b.opened_by),
        "opened_at": None if b.opened_at is None else _iso(b.opened_at),
        "issued": b.issued,
        "returned": b.returned,
    }


def _trace_json(r: Round) -> dict[str, list[dict[str, object]]]:
    """The entries corrected and voided in a round's count, in the order they were made."""
    trace = r.count.trace() if r.count is not None else ()
    return {
        "corrections": [
            {"team": x.team, "seq": x.seq, "box": x.box, "before": x.before.to_json(),
             "after": x.after.to_json(), "reason": x.reason, "at": _iso(x.at)}
            for x in trace
            if x.after is not None
        ],
        "voided": [
            {"team": x.team, "seq": x.seq, "box": x.box, "ballot": x.before.to_json(),
             "reason": x.reason, "at": _iso(x.at)}
            for x in trace
            if x.after is None
        ],
    }  # fmt: skip


def reading_json(r: Round) -> dict[str, object] | None:
    """How a round's boxes were counted when a machine read the ballots (issue 14): the reader
    team, per box the sheets read / valid / invalid / decided / pending, and every sheet the
    counting committee decided. None when no machine read (the JSON then has no such key)."""
    minutes = reading_minutes(r)
    if not minutes.by_machine:
        return None
    return {
        "reader": minutes.reader,
        "boxes": [
            {"box": b.box, "checkers": list(b.checkers), "read": b.counts.read,
             "valid": b.counts.valid, "invalid": b.counts.invalid,
             "decided": b.counts.decided, "pending": b.counts.pending}
            for b in minutes.boxes
        ],
        "decided": [
            {"box": d.box, "batch": d.batch, "sheet": d.sheet, "file": d.file, "page": d.page,
             "slot": d.slot, "image": d.image, "marks": d.marks,
             "doubts": [x.value for x in d.doubts], "ballot": d.ballot.to_json(),
             "reason": d.reason, "seq": d.seq, "at": _iso(d.decided_at)}
            for d in minutes.decided
        ],
    }  # fmt: skip


def to_json(e: Election) -> dict[str, object]:
    """Everything `presidium results --json` shows of an election: its rule, list and every
    round (ballot order, attendance, boxes, reconciliation figures, and once the minutes are
    signed the per-candidate votes, percentages in hundredths and outcomes), then where it
    stands. A nomination ballot's rounds carry "presidium_only": true."""
    rounds = []
    for r in e.rounds:
        check = r.reconciliation()
        res = e.result(r.number)
        rounds.append(
            {
                "number": r.number,
                "phase": r.phase.value,
                "reason": r.reason.value,
                "status": r.status.value,
                "seats": r.seats,
                "format": r.format.value if r.ballot else None,
                "ballot": [
                    {"number": i, "person": p.id, "full_name": p.full_name}
                    for i, p in enumerate(e.people(r.ballot), 1)
                ],
                "decision_vote": r.decision_vote,
                "list_vote": r.list_vote,
                "snapshot": None if r.snapshot is None else r.snapshot.to_json(),
                "counting_committee": None
                if r.committee is None
                else {"head": r.committee.head, "members": list(r.committee.members)},
                "boxes": [_box_json(b) for b in r.boxes],
                **_trace_json(r),
                **({} if (reading := reading_json(r)) is None else {"reading": reading}),
                "reconciliation": None if check is None else check.to_json(),
                "result": None if res is None else res.to_json(),
                "tie_decision": None
                if r.tie_decision is None
                else {
                    "winners": list(r.tie_decision.winners),
                    "reason": r.tie_decision.reason,
                    "vote": r.tie_decision.vote,
                },
                "signed_by": list(r.signed_by),
                "announced_at": None if r.announced_at is None else _iso(r.announced_at),
            }
        )
    return {
        "id": e.id,
        "item": e.item,
        "kind": e.kind.value,
        "purpose": e.purpose.value,
        "title": e.title,
        "ruleset": e.ruleset,
        "rule": e.rule.to_json(),
        "tie_policy": e.tie_policy.value,
        "seats": e.seats,
        "alternate_seats": e.alternate_seats,
        "seats_source": None if e.seats_source is None else e.seats_source.value,
        "candidates": [
            {
                **c.person.to_json(),
                "source": c.source.value,
                "status": c.status.value,
                "round": c.round,
                "support": c.support,
                "present": c.present,
            }
            for c in e.candidates
        ],
        "withdrawals": [
            {"person": w.person, "reason": w.reason, "allowed": w.allowed, "vote": w.vote}
            for w in e.withdrawals
        ],
        "rounds": rounds,
        "outcome": outcome(e).to_json(),
    }
