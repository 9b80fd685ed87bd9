"""Who an election has elected so far, what it waits for, and its alternates (domain rules
4.9-4.11, 12)."""

from collections.abc import Sequence
from dataclasses import dataclass

from session.elections.state import (
    Election,
)
from session.elections.vocabulary import (
    ElectionKind,
    Phase,
    RoundReason,
    RoundStatus,
    Step,
)
from session.results import (
    Purpose,
    Tie,
    order_by_votes,
)

# ---------------------------------------------------------------- outcome


@dataclass(frozen=True, slots=True)
class PhaseState:
    phase: Phase
    seats: int
    elected: tuple[str, ...]  # in order of election: round, then rank
    tie: Tie | None  # pending in the phase's last round
    tie_round: int | None
    unfilled: int  # seats neither filled nor waiting on a tie
    in_progress: bool  # the phase's last round is not announced yet
    stopped: bool

    @property
    def done(self) -> bool:
        return self.stopped or (not self.in_progress and self.tie is None and self.unfilled == 0)


def _phase(e: Election, phase: Phase) -> PhaseState | None:
    rounds = [r for r in e.rounds if r.phase is phase]
    if not rounds:
        return None
    if phase is Phase.MAIN:
        seats = e.seats if e.seats is not None else e.rounds[0].seats
    else:
        seats = e.alternate_seats - (len(e.overflow.persons) if _overflow_accepted(e) else 0)
    elected: list[str] = []
    last = rounds[-1]
    tie = None
    for r in rounds:
        if r.announced_at is None:
            continue
        res = e.result(r.number)
        assert res is not None
        if e.purpose is not Purpose.NOMINATION:
            elected.extend(res.elected)
        if r.tie_decision is not None:
            elected.extend(r.tie_decision.winners)
        elif r is last and res.tie is not None:
            tie = res.tie
    in_progress = last.announced_at is None
    waiting = tie.seats if tie else 0
    unfilled = 0 if e.purpose is Purpose.NOMINATION else max(seats - len(elected) - waiting, 0)
    if in_progress:
        unfilled = max(seats - len(elected), 0)
    stopped = any(s.phase is phase for s in e.stops)
    return PhaseState(
        phase,
        seats,
        tuple(elected),
        tie,
        last.number if tie else None,
        unfilled,
        in_progress,
        stopped,
    )


def _overflow_accepted(e: Election) -> bool:
    return e.overflow is not None and e.overflow.accepted


def overflow_of(e: Election) -> tuple[str, ...]:
    """Delegation: candidates who passed the threshold in a main round but got no official seat,
    in order of those votes (high to low; ballot order among equals)."""
    main = _phase(e, Phase.MAIN)
    if main is None:
        return ()
    elected = set(main.elected)
    best: dict[str, tuple[int, int, int]] = {}
    for r in e.rounds:
        if r.phase is not Phase.MAIN or r.announced_at is None:
            continue
        res = e.result(r.number)
        assert res is not None
        for row in res.rows:
            if row.passed and row.person not in elected and row.person not in best:
                best[row.person] = (-row.votes, r.number, row.number)
    still = {c.person.id for c in e.on_list()}
    return tuple(p for p in sorted(best, key=lambda p: best[p]) if p in still)


def _remaining(e: Election, phase: Phase) -> tuple[str, ...]:
    """Who another round of `phase` would list: the last regular round's ballot, less everyone
    elected (in any phase) and everyone no longer on the list."""
    regular = [r for r in e.rounds if r.phase is phase and r.reason is not RoundReason.TIE_BREAK]
    if not regular:
        return ()
    elected = set(_all_elected(e))
    still = {c.person.id for c in e.on_list()}
    return tuple(p for p in regular[-1].ballot if p not in elected and p in still)


def _all_elected(e: Election) -> tuple[str, ...]:
    out: list[str] = []
    for phase in Phase:
        state = _phase(e, phase)
        if state is not None:
            out.extend(state.elected)
    if _overflow_accepted(e):
        assert e.overflow is not None
        out.extend(e.overflow.persons)
    return tuple(out)


def alternate_slots(e: Election) -> tuple[tuple[str, ...], ...]:
    """A delegation's alternates in substitution order: those taken from the overflow first
    (by their votes on the official ballot), then those of the alternate ballot (round by round,
    by votes). A slot with several people is a tie the policy could not order: it waits for
    :class:`AlternateOrderDecided` (whose order, once recorded, is returned instead)."""
    if e.alternate_order is not None:
        return tuple((p,) for p in e.alternate_order.order)
    slots: list[tuple[str, ...]] = []
    dob = {c.person.id: c.person.date_of_birth for c in e.candidates}
    if _overflow_accepted(e):
        assert e.overflow is not None
        votes = _main_votes(e)
        entries = [(p, votes[p], dob[p]) for p in e.overflow.persons]
        slots.extend(order_by_votes(entries, e.tie_policy))
    for r in e.rounds:
        if r.phase is not Phase.ALTERNATE or r.announced_at is None:
            continue
        res = e.result(r.number)
        assert res is not None
        winners = list(res.elected)
        if r.tie_decision is not None:
            winners.extend(r.tie_decision.winners)
        entries = [(p, res.row(p).votes, dob[p]) for p in winners]
        slots.extend(order_by_votes(entries, e.tie_policy))
    return tuple(slots)


def _main_votes(e: Election) -> dict[str, int]:
    votes: dict[str, int] = {}
    for r in e.rounds:
        if r.phase is Phase.MAIN and r.announced_at is not None:
            res = e.result(r.number)
            assert res is not None
            for row in res.rows:
                if row.passed:
                    votes.setdefault(row.person, row.votes)
    return votes


@dataclass(frozen=True, slots=True)
class ElectionOutcome:
    step: Step
    round: int  # the current round
    elected: tuple[str, ...]  # the seats (a delegation's official delegates)
    unfilled: int
    tie: Tie | None
    tie_round: int | None
    remaining: tuple[str, ...]  # who another round would list
    overflow: tuple[str, ...]  # delegation
    alternates: tuple[tuple[str, ...], ...]  # delegation, substitution order (see alternate_slots)
    alternate_unfilled: int

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step.value,
            "round": self.round,
            "elected": list(self.elected),
            "unfilled": self.unfilled,
            "tie": None
            if self.tie is None
            else {
                "round": self.tie_round,
                "persons": list(self.tie.persons),
                "seats": self.tie.seats,
                "votes": self.tie.votes,
            },
            "remaining": list(self.remaining),
            "overflow": list(self.overflow),
            "alternates": [list(s) for s in self.alternates],
            "alternate_unfilled": self.alternate_unfilled,
        }


_STEP_OF_ROUND = {
    RoundStatus.LIST: Step.LIST,
    RoundStatus.LIST_APPROVED: Step.VOTING,
    RoundStatus.VOTING: Step.VOTING,
    RoundStatus.CLOSED: Step.COUNTING,
    RoundStatus.COUNTING: Step.COUNTING,
    RoundStatus.COUNTED: Step.SIGNING,
    RoundStatus.SIGNED: Step.ANNOUNCING,
}


def outcome(e: Election) -> ElectionOutcome:
    """Where the election stands: who is elected, what waits, and the next step."""
    last = e.current
    main = _phase(e, Phase.MAIN)
    alt = _phase(e, Phase.ALTERNATE)
    assert main is not None
    state = alt if last.phase is Phase.ALTERNATE and alt is not None else main
    overflow = overflow_of(e) if e.kind is ElectionKind.DELEGATES_HIGHER else ()
    alternates = alternate_slots(e) if e.kind is ElectionKind.DELEGATES_HIGHER else ()
    filled_alternates = sum(len(s) for s in alternates)
    alt_unfilled = max(e.alternate_seats - filled_alternates, 0)

    if e.seats is None and e.kind is not ElectionKind.OPINION_POLL:
        step = Step.SEATS
    elif last.status is not RoundStatus.ANNOUNCED:
        step = _STEP_OF_ROUND[last.status]
    elif state.stopped and (last.phase is Phase.ALTERNATE or not _wants_alternates(e)):
        step = Step.STOPPED
    elif state.tie is not None and not state.stopped:
        step = Step.TIE
    elif state.unfilled > 0 and not state.stopped:
        step = Step.NEXT_ROUND
    elif last.phase is Phase.MAIN and _wants_alternates(e):
        if overflow and e.overflow is None:
            step = Step.OVERFLOW
        elif _alternate_seats_left(e) > 0:
            step = Step.ALTERNATES
        else:
            step = _order_step(alternates)
    elif e.kind is ElectionKind.DELEGATES_HIGHER:
        step = _order_step(alternates) if not state.stopped else Step.STOPPED
    else:
        step = Step.COMPLETE
    remaining = _remaining(e, state.phase) if step is Step.NEXT_ROUND else ()
    return ElectionOutcome(
        step,
        last.number,
        main.elected,
        main.unfilled,
        state.tie,
        state.tie_round,
        remaining,
        overflow,
        alternates,
        alt_unfilled,
    )


def _order_step(slots: Sequence[tuple[str, ...]]) -> Step:
    return Step.ALTERNATE_ORDER if any(len(s) > 1 for s in slots) else Step.COMPLETE


def _wants_alternates(e: Election) -> bool:
    """A delegation with alternate seats whose alternate phase has not started."""
    return (
        e.kind is ElectionKind.DELEGATES_HIGHER
        and e.alternate_seats > 0
        and not any(r.phase is Phase.ALTERNATE for r in e.rounds)
    )


def _alternate_seats_left(e: Election) -> int:
    taken = len(e.overflow.persons) if _overflow_accepted(e) and e.overflow else 0
    return e.alternate_seats - taken


def elected(e: Election) -> tuple[str, ...]:
    """The seats filled so far, in order of election."""
    main = _phase(e, Phase.MAIN)
    return main.elected if main else ()
