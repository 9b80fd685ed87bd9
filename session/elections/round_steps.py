"""The reducer's steps from the boxes to the announcement, and after it: ties, further rounds,
stopping, the overflow, the order of alternates."""

from dataclasses import replace

from session.ballots import (
    ElectionError,
)
from session.count import (
    differences,
    new_count,
    reconcile,
)
from session.elections.building import (
    voting_warnings,
)

# ---------------------------------------------------------------- the reducer
from session.elections.changes import (
    cited_vote,
    given_reason,
    put_box,
    put_round,
)
from session.elections.events import (
    AlternateOrderDecided,
    BallotIssuedTo,
    BallotsIssued,
    BoxClosed,
    BoxCounted,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    CountingStarted,
    ElectionStopped,
    MinutesSigned,
    OverflowDecided,
    RoundAdded,
    TieResolved,
    VotingOpened,
)
from session.elections.list_steps import (
    _refuse_candidate_counter,
    candidate_among,
)
from session.elections.outcome import (
    _all_elected,
    _alternate_seats_left,
    _phase,
    _remaining,
    outcome,
    overflow_of,
)
from session.elections.readings import (
    pending_readings,
    readings_of,
)
from session.elections.state import (
    AlternateOrder,
    Box,
    Candidate,
    Election,
    OverflowDecision,
    Round,
    Stop,
    TieDecision,
)
from session.elections.vocabulary import (
    BoxKind,
    BoxStatus,
    CandidateStatus,
    ElectionKind,
    Phase,
    RoundReason,
    RoundStatus,
    Source,
    Step,
)
from session.results import (
    Purpose,
    TiePolicy,
)
from session.text import nfc


def _before_voting(e: Election, number: int) -> Round:
    r = e.round(number)
    if r is not e.current:
        raise ElectionError("not_current_round", round=number)
    if r.status not in (RoundStatus.LIST, RoundStatus.LIST_APPROVED):
        raise ElectionError("voting_started", round=number)
    return r


def _prepare_box(e: Election, ev: BoxPrepared) -> Election:
    r = _before_voting(e, ev.round)
    box_id = nfc(ev.box)
    if not box_id:
        raise ElectionError("box_id_required")
    if r.box(box_id) is not None:
        raise ElectionError("duplicate_box", box=box_id)
    if ev.kind is BoxKind.AUXILIARY and not e.auxiliary_boxes:
        raise ElectionError("auxiliary_not_allowed")
    box = Box(box_id, ev.kind, BoxStatus.PREPARED, ev.at)
    return put_round(e, replace(r, boxes=(*r.boxes, box)))


def _box(r: Round, box_id: str) -> Box:
    box = r.box(box_id)
    if box is None:
        raise ElectionError("unknown_box", box=box_id)
    return box


def _seal_box(e: Election, ev: BoxSealed) -> Election:
    r = _before_voting(e, ev.round)
    box = _box(r, ev.box)
    if box.status is not BoxStatus.PREPARED:
        raise ElectionError("box_already_sealed", box=box.id)
    by = tuple(nfc(x) for x in ev.by if nfc(x))
    if not by:
        raise ElectionError("sealed_by_required", box=box.id)
    sealed = replace(box, status=BoxStatus.SEALED, sealed_by=by, sealed_at=ev.at)
    return put_round(e, put_box(r, sealed))


def _open_voting(e: Election, ev: VotingOpened) -> Election:
    r = e.round(ev.round)
    if r is not e.current:
        raise ElectionError("not_current_round", round=ev.round)
    if r.status is RoundStatus.LIST:
        raise ElectionError("list_not_approved", election=e.title)
    if r.status is not RoundStatus.LIST_APPROVED:
        raise ElectionError("voting_started", round=r.number)
    if e.committee is None:
        raise ElectionError("no_counting_committee")
    # names may have joined the list since the committee was appointed (a later round's)
    _refuse_candidate_counter(e, candidate_among(e, e.committee.members, r.ballot))
    if not any(b.kind is BoxKind.MAIN for b in r.boxes):
        raise ElectionError("no_main_box")
    unsealed = [b.id for b in r.boxes if b.status is not BoxStatus.SEALED]
    if unsealed:
        raise ElectionError("box_not_sealed", box=unsealed[0])
    snap = ev.snapshot
    if min(snap.present, snap.entitled, snap.adjusted) < 0 or snap.present > snap.entitled:
        raise ElectionError("bad_snapshot")
    warnings = voting_warnings(e, snap)
    reason = nfc(ev.reason)
    if warnings and not reason:
        raise ElectionError("confirmation_required", warning=warnings[0].value)
    boxes = tuple(replace(b, status=BoxStatus.VOTING) for b in r.boxes)
    opened = replace(
        r,
        boxes=boxes,
        snapshot=snap,
        warnings=warnings,
        open_reason=reason,
        voting_at=ev.at,
        committee=e.committee,
    )
    return put_round(e, opened)


def _voting_box(e: Election, number: int, box_id: str) -> tuple[Round, Box]:
    r = e.round(number)
    box = _box(r, box_id)
    if box.status is not BoxStatus.VOTING:
        key = "box_closed" if box.reached(BoxStatus.CLOSED) else "box_not_voting"
        raise ElectionError(key, box=box.id)
    return r, box


def _issue(e: Election, ev: BallotsIssued) -> Election:
    r, box = _voting_box(e, ev.round, ev.box)
    if ev.count == 0:
        raise ElectionError("bad_count", value=ev.count)
    if ev.count < 0:
        given_reason(ev.reason)
    issued = box.issued + ev.count
    if issued < 0:
        raise ElectionError("issued_negative", box=box.id)
    assert r.snapshot is not None
    return put_round(e, put_box(r, replace(box, issued=issued)))


def _issue_to(e: Election, ev: BallotIssuedTo) -> Election:
    r, box = _voting_box(e, ev.round, ev.box)
    if ev.delegate in r.issued_to:
        raise ElectionError("already_issued", delegate=ev.delegate)
    r = replace(r, issued_to=r.issued_to | {ev.delegate})
    return put_round(e, put_box(r, replace(box, issued=box.issued + 1)))


def _close_box(e: Election, ev: BoxClosed) -> Election:
    r = e.round(ev.round)
    box = _box(r, ev.box)
    if box.reached(BoxStatus.CLOSED):
        raise ElectionError("box_already_closed", box=box.id)
    if box.status is not BoxStatus.VOTING:
        raise ElectionError("box_not_voting", box=box.id)
    return put_round(e, put_box(r, replace(box, status=BoxStatus.CLOSED, closed_at=ev.at)))


def _open_box(e: Election, ev: BoxOpened) -> Election:
    r = e.round(ev.round)
    box = _box(r, ev.box)
    if box.reached(BoxStatus.OPENED):
        raise ElectionError("box_already_opened", box=box.id)
    if box.status is not BoxStatus.CLOSED:
        raise ElectionError("box_not_closed", box=box.id)
    if ev.returned < 0:
        raise ElectionError("bad_count", value=ev.returned)
    by = tuple(nfc(x) for x in ev.by if nfc(x))
    if not by:
        raise ElectionError("opened_by_required", box=box.id)
    opened = replace(
        box, status=BoxStatus.OPENED, returned=ev.returned, opened_by=by, opened_at=ev.at
    )
    return put_round(e, put_box(r, opened))


def _start_count(e: Election, ev: CountingStarted) -> Election:
    r = e.round(ev.round)
    if r.snapshot is None:
        raise ElectionError("voting_not_opened", round=r.number)
    if r.count is not None:
        raise ElectionError("counting_started", round=r.number)
    count = new_count(len(r.ballot), r.seats, ev.mode, ev.teams, ev.reader or "")
    return put_round(e, replace(r, count=count))


def _counting_round(e: Election, number: int) -> Round:
    r = e.round(number)
    if r.count is None:
        raise ElectionError("counting_not_started", round=number)
    if r.signed_at is not None:
        raise ElectionError("minutes_signed", round=number)
    return r


def _counting_box(e: Election, number: int, box_id: str) -> tuple[Round, Box]:
    """A box whose ballots can be entered: opened for counting, not yet counted (a box cannot
    be counted before it is closed and opened)."""
    r = _counting_round(e, number)
    box = _box(r, box_id)
    if box.reached(BoxStatus.COUNTED):
        raise ElectionError("box_counted", box=box.id)
    if box.status is not BoxStatus.OPENED:
        raise ElectionError("box_not_opened", box=box.id)
    return r, box


def _entry_round(e: Election, number: int, team: str, seq: int) -> Round:
    """The round of an entry that may change (corrected or voided): counting, the entry known,
    its box not counted yet."""
    r = _counting_round(e, number)
    assert r.count is not None
    ballots = r.count.team(team).ballots
    if not 1 <= seq <= len(ballots):
        raise ElectionError("unknown_ballot", team=team, seq=seq)
    _counting_box(e, number, ballots[seq - 1].box)
    return r


def _count_box(e: Election, ev: BoxCounted) -> Election:
    r, box = _counting_box(e, ev.round, ev.box)
    count = r.count
    assert count is not None and box.returned is not None
    waiting = [x for x in readings_of(r, box.id) if x.pending]
    if waiting:  # a sheet the machine could not call is the committee's to decide first
        raise ElectionError("readings_pending", box=box.id, count=len(waiting))
    for team in count.teams:
        entered = count.standing(team.name, box.id)  # voided entries do not count
        if entered != box.returned:
            raise ElectionError(
                "box_incomplete", box=box.id, team=team.name, entered=entered, returned=box.returned
            )
    diffs = [d for d in differences(count) if d.box == box.id]
    if diffs:
        raise ElectionError("double_entry_differs", box=box.id, batches=len(diffs))
    check = reconcile(box.issued, box.returned, count.totals(box.id), r.seats)
    problems = [p for p in check.problems if p.key != "returned_above_issued"]
    if problems:
        raise problems[0].error()
    counted = replace(box, status=BoxStatus.COUNTED, counted_at=ev.at)
    return put_round(e, put_box(r, counted))


def _sign(e: Election, ev: MinutesSigned) -> Election:
    r = e.round(ev.round)
    if r.signed_at is not None:
        raise ElectionError("minutes_signed", round=r.number)
    if r.count is None:
        raise ElectionError("counting_not_started", round=r.number)
    waiting = [b.id for b in r.boxes if not b.reached(BoxStatus.COUNTED)]
    if waiting:
        raise ElectionError("box_not_counted", box=waiting[0])
    pending = pending_readings(r)
    if pending:
        raise ElectionError("readings_pending", box=pending[0].box, count=len(pending))
    if differences(r.count):
        raise ElectionError("double_entry_differs", box="*", batches=len(differences(r.count)))
    check = r.reconciliation()
    assert check is not None
    if check.problems:
        raise check.problems[0].error()
    signers = tuple(nfc(s) for s in ev.signers if nfc(s))
    if not signers:
        raise ElectionError("signers_required")
    boxes = tuple(replace(b, status=BoxStatus.SIGNED) for b in r.boxes)
    return put_round(e, replace(r, boxes=boxes, signed_by=signers, signed_at=ev.at))


def _announced_last(e: Election) -> Round:
    last = e.current
    if last.announced_at is None:
        raise ElectionError("round_not_announced", round=last.number)
    return last


def _resolve_tie(e: Election, ev: TieResolved) -> Election:
    last = _announced_last(e)
    if ev.round != last.number:
        raise ElectionError("not_current_round", round=ev.round)
    if e.stops and any(s.phase is last.phase for s in e.stops):
        raise ElectionError("election_stopped", election=e.title)
    res = e.result(last.number)
    assert res is not None
    if res.tie is None or last.tie_decision is not None:
        raise ElectionError("no_tie", round=last.number)
    if e.tie_policy is TiePolicy.REVOTE_TIED:
        raise ElectionError("tie_needs_revote", round=last.number)
    winners = tuple(ev.winners)
    if len(set(winners)) != len(winners) or len(winners) != res.tie.seats:
        raise ElectionError("bad_tie_winners", seats=res.tie.seats)
    if any(w not in res.tie.persons for w in winners):
        raise ElectionError("bad_tie_winners", seats=res.tie.seats)
    decision = TieDecision(winners, given_reason(ev.reason), nfc(ev.vote), ev.at)
    return put_round(e, replace(last, tie_decision=decision))


def _add_round(e: Election, ev: RoundAdded) -> Election:
    last = _announced_last(e)
    state = _phase(e, last.phase)
    assert state is not None
    additions = tuple(ev.additions)
    vote = nfc(ev.vote)
    if e.purpose is Purpose.NOMINATION:
        raise ElectionError("nomination_single_round")
    match ev.reason:
        case RoundReason.TIE_BREAK:
            if state.stopped or state.tie is None:
                raise ElectionError("no_tie", round=last.number)
            if additions:
                raise ElectionError("no_additions_to_tie_break")
            phase, seats, persons = last.phase, state.tie.seats, state.tie.persons
        case RoundReason.UNFILLED:
            if state.stopped:
                raise ElectionError("election_stopped", election=e.title)
            if state.tie is not None:
                raise ElectionError("tie_pending", round=last.number)
            if state.unfilled <= 0:
                raise ElectionError("seats_filled", election=e.title)
            cited_vote(vote)
            phase, seats = last.phase, state.unfilled
            persons = _remaining(e, last.phase)
        case RoundReason.ALTERNATES:
            if e.kind is not ElectionKind.DELEGATES_HIGHER or e.alternate_seats <= 0:
                raise ElectionError("no_alternates", election=e.title)
            if last.phase is not Phase.MAIN or not state.done:
                raise ElectionError("official_seats_pending", election=e.title)
            if overflow_of(e) and e.overflow is None:
                raise ElectionError("overflow_undecided", election=e.title)
            seats = _alternate_seats_left(e)
            if seats <= 0:
                raise ElectionError("alternates_filled", election=e.title)
            phase = Phase.ALTERNATE
            taken = set(_all_elected(e))
            still = {c.person.id for c in e.on_list()}
            regular = [
                r
                for r in e.rounds
                if r.phase is Phase.MAIN and r.reason is not RoundReason.TIE_BREAK
            ]
            persons = tuple(p for p in regular[-1].ballot if p not in taken and p in still)
        case _:
            raise ElectionError("bad_round_reason", reason=ev.reason.value)
    if additions:
        cited_vote(vote)
    number = last.number + 1
    candidates = list(e.candidates)
    for person in additions:
        if e.candidate(person.id) is not None:
            raise ElectionError("duplicate_candidate", name=person.full_name)
        candidates.append(Candidate(person, Source.ADDED, CandidateStatus.ON_LIST, number, ev.at))
    persons = (*persons, *(p.id for p in additions))
    if not persons:
        raise ElectionError("empty_list")
    new = Round(number, phase, ev.reason, seats, tuple(persons), vote)
    return replace(e, candidates=tuple(candidates), rounds=(*e.rounds, new))


def _stop(e: Election, ev: ElectionStopped) -> Election:
    last = _announced_last(e)
    state = _phase(e, last.phase)
    assert state is not None
    if state.stopped:
        raise ElectionError("election_stopped", election=e.title)
    if state.tie is None and state.unfilled <= 0:
        raise ElectionError("seats_filled", election=e.title)
    stop = Stop(last.phase, cited_vote(ev.vote), nfc(ev.reason), ev.at)
    return replace(e, stops=(*e.stops, stop))


def _decide_overflow(e: Election, ev: OverflowDecided) -> Election:
    if e.kind is not ElectionKind.DELEGATES_HIGHER:
        raise ElectionError("no_alternates", election=e.title)
    last = _announced_last(e)
    state = _phase(e, Phase.MAIN)
    assert state is not None
    if last.phase is not Phase.MAIN or not state.done:
        raise ElectionError("official_seats_pending", election=e.title)
    if e.overflow is not None:
        raise ElectionError("overflow_decided", election=e.title)
    persons = overflow_of(e)
    if not persons:
        raise ElectionError("no_overflow", election=e.title)
    if ev.accepted and len(persons) > e.alternate_seats:
        raise ElectionError(
            "overflow_exceeds_alternates", overflow=len(persons), seats=e.alternate_seats
        )
    decision = OverflowDecision(ev.accepted, persons, cited_vote(ev.vote), ev.at)
    return replace(e, overflow=decision)


def _decide_order(e: Election, ev: AlternateOrderDecided) -> Election:
    if e.kind is not ElectionKind.DELEGATES_HIGHER:
        raise ElectionError("no_alternates", election=e.title)
    if e.alternate_order is not None:
        raise ElectionError("alternate_order_decided", election=e.title)
    state = outcome(e)
    if state.step is not Step.ALTERNATE_ORDER:
        raise ElectionError("alternate_order_not_needed", election=e.title)
    slots = state.alternates
    order = tuple(ev.order)
    expected = [p for slot in slots for p in slot]
    if sorted(order) != sorted(expected) or len(set(order)) != len(order):
        raise ElectionError("bad_alternate_order")
    i = 0
    for slot in slots:  # only the order inside a tied slot may change
        if set(order[i : i + len(slot)]) != set(slot):
            raise ElectionError("bad_alternate_order")
        i += len(slot)
    decision = AlternateOrder(order, given_reason(ev.reason), nfc(ev.vote), ev.at)
    return replace(e, alternate_order=decision)
