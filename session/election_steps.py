"""What the presidium does next in an election, and which congress decision that step cites.

The reducer in session.elections says what is allowed; this module says what comes next, so the
election screen can offer one "next step" key that walks the operator through domain rules 4:
seats, the list (withdrawals decided first), the counting committee, the boxes (prepared, then
sealed), voting (ballots issued, each box closed), counting (each box opened with the ballots
found, then entered, then counted), the signed minutes, the announcement, and then a tie, another
round, the delegation's alternates, or the end. When that step cannot go ahead yet,
:func:`blockers` says why, with the numbers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from session.agenda import AgendaState, ItemKind, MotionKind
from session.ballots import Person
from session.congress import ElectionSpec
from session.count import CountMode, differences, reconcile
from session.elections import (
    Box,
    BoxStatus,
    CountingCommittee,
    Election,
    ElectionBook,
    ElectionCreated,
    ElectionKind,
    Purpose,
    Round,
    RoundStatus,
    Step,
    candidate_among,
    create_election,
    outcome,
    readings_of,
)
from session.results import TiePolicy
from session.votes import Vote, VoteBook, VoteStatus


class Action(StrEnum):
    SEATS = "seats"
    DECIDE_WITHDRAWAL = "decide_withdrawal"
    OPINION_POLL = "opinion_poll"  # the list is over the cap: an opinion ballot to cut it
    WAIT_POLL = "wait_poll"  # that opinion ballot is under way (it is the election to run)
    CUT_LIST = "cut_list"  # the opinion ballot is settled: apply it to the list
    LIST_FROM_POOL = "list_from_pool"  # a nomination ballot lists the pool's elected members
    APPROVE_LIST = "approve_list"
    APPOINT_COUNTERS = "appoint_counters"
    PREPARE_BOX = "prepare_box"
    SEAL_BOX = "seal_box"
    OPEN_VOTING = "open_voting"
    ISSUE_BALLOTS = "issue_ballots"
    CLOSE_BOX = "close_box"
    OPEN_BOX = "open_box"
    START_COUNTING = "start_counting"
    COUNT = "count"  # ballots still to enter on the counting screen
    BOX_COUNTED = "box_counted"
    SIGN = "sign"
    ANNOUNCE = "announce"
    TIE_BREAK = "tie_break"  # a further ballot among the tied (RoundAdded, no vote needed)
    TIE_DECISION = "tie_decision"  # the presidium's recorded choice among the tied
    NEXT_ROUND = "next_round"  # another round for the unfilled seats, or stop (a vote)
    OVERFLOW = "overflow"
    ALTERNATES = "alternates"
    ALTERNATE_ORDER = "alternate_order"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class NextAction:
    action: Action
    round: int
    box: str | None = None
    motion: MotionKind | None = None  # the show-of-hands decision the step must cite
    election: str | None = None  # the opinion ballot a list waits for


def next_action(e: Election, book: ElectionBook | None = None) -> NextAction:
    """The one thing the election waits for now (`book`: the other elections, for the opinion
    ballot that cuts this one's list, and the pool a nomination ballot draws on)."""
    r = e.current
    step = outcome(e).step
    match step:
        case Step.SEATS:
            return NextAction(Action.SEATS, r.number, motion=seats_motion(e))
        case Step.LIST:
            if e.pending_withdrawals():  # first: a withdrawal may bring the list within the cap
                return NextAction(Action.DECIDE_WITHDRAWAL, r.number, motion=MotionKind.WITHDRAWAL)
            before = _before_list_vote(e, book) if book is not None else None
            if before is not None:
                return before
            needs_vote = r.number == 1 and e.purpose is Purpose.ELECT
            motion = MotionKind.ELECTION_LIST if needs_vote else None
            return NextAction(Action.APPROVE_LIST, r.number, motion=motion)
        case Step.VOTING:
            return _voting_action(e)
        case Step.COUNTING:
            return _counting_action(e)
        case Step.SIGNING:
            return NextAction(Action.SIGN, r.number)
        case Step.ANNOUNCING:
            return NextAction(Action.ANNOUNCE, r.number)
        case Step.TIE:
            if e.tie_policy is TiePolicy.REVOTE_TIED:
                return NextAction(Action.TIE_BREAK, r.number)
            return NextAction(Action.TIE_DECISION, r.number)
        case Step.NEXT_ROUND:
            return NextAction(Action.NEXT_ROUND, r.number, motion=MotionKind.OTHER)
        case Step.OVERFLOW:
            return NextAction(Action.OVERFLOW, r.number, motion=MotionKind.OTHER)
        case Step.ALTERNATES:
            return NextAction(Action.ALTERNATES, r.number)
        case Step.ALTERNATE_ORDER:
            return NextAction(Action.ALTERNATE_ORDER, r.number, motion=MotionKind.OTHER)
        case _:
            return NextAction(Action.DONE, r.number)


def opinion_polls(book: ElectionBook, e: Election) -> tuple[Election, ...]:
    """The opinion ballots on `e`'s list not applied to it yet."""
    applied = {c.poll for c in e.cuts}
    return tuple(p for p in book.elections if p.parent == e.id and p.id not in applied)


def _before_list_vote(e: Election, book: ElectionBook) -> NextAction | None:
    """Round 1's list: an opinion ballot first when it is over the cap (domain rules 4.4); a
    nomination ballot's list taken from the pool."""
    if e.purpose is Purpose.NOMINATION and not e.candidates and e.pool is not None:
        return NextAction(Action.LIST_FROM_POOL, 1)
    if e.purpose is not Purpose.ELECT:
        return None
    pending = opinion_polls(book, e)
    if pending:
        poll = pending[-1]
        settled = outcome(poll).step is Step.COMPLETE
        return NextAction(Action.CUT_LIST if settled else Action.WAIT_POLL, 1, election=poll.id)
    check = e.surplus()
    if check is not None and check.opinion_ballot:
        return NextAction(Action.OPINION_POLL, 1)
    return None


def pool_members(book: ElectionBook, e: Election) -> tuple[Person, ...]:
    """Who a pooled election may list: the pool election's elected, in order of election."""
    pool = book.get(e.pool or "")
    if pool is None:
        return ()
    return pool.people(outcome(pool).elected)


def seats_motion(e: Election) -> MotionKind | None:
    """A delegation's official seats are allocated from above; everything else is voted (its
    alternates too, once the congress file declares any)."""
    if e.kind is ElectionKind.DELEGATES_HIGHER:
        return None
    return MotionKind.SEAT_COUNT


def _voting_action(e: Election) -> NextAction:
    r = e.current
    n = r.number
    if r.status is RoundStatus.LIST_APPROVED:
        listed = set(r.ballot)
        if e.committee is None or listed & set(e.committee.members):
            return NextAction(Action.APPOINT_COUNTERS, n, motion=MotionKind.PROCEDURAL_BODY)
        if not r.boxes:
            return NextAction(Action.PREPARE_BOX, n)
        prepared = next((b for b in r.boxes if b.status is BoxStatus.PREPARED), None)
        if prepared is not None:
            return NextAction(Action.SEAL_BOX, n, prepared.id)
        return NextAction(Action.OPEN_VOTING, n)
    voting = next(b for b in r.boxes if b.status is BoxStatus.VOTING)
    if voting.issued == 0:
        return NextAction(Action.ISSUE_BALLOTS, n, voting.id)
    return NextAction(Action.CLOSE_BOX, n, voting.id)


def _counting_action(e: Election) -> NextAction:
    r = e.current
    n = r.number
    closed = next((b for b in r.boxes if b.status is BoxStatus.CLOSED), None)
    if closed is not None:
        return NextAction(Action.OPEN_BOX, n, closed.id)
    if r.count is None:
        return NextAction(Action.START_COUNTING, n)
    for box in r.boxes:
        if box.status is not BoxStatus.OPENED:
            continue
        # standing entries only: a voided entry no longer stands for a ballot of the box
        complete = all(
            r.count.standing(team.name, box.id) == box.returned for team in r.count.teams
        )
        return NextAction(Action.BOX_COUNTED if complete else Action.COUNT, n, box.id)
    return NextAction(Action.SIGN, n)  # unreachable while the round is counting


# ---------------------------------------------------------------- what blocks a step


@dataclass(frozen=True)
class Blocker:
    """Why a step cannot go ahead yet: a key under 'election.blocker.' and its parameters (the
    screen shows t("election.blocker." + key, **params))."""

    key: str
    params: Mapping[str, object]


def blockers(e: Election, step: NextAction) -> tuple[Blocker, ...]:
    """What stands between the election and `step` (its `next_action`), with the numbers:
    ballots still to enter or entered beyond what a box held (per team), batches the two teams
    counted differently, figures that do not reconcile, a counting committee member on the list.
    Empty when nothing does (or for a step this does not check)."""
    r = e.round(step.round)
    match step.action:
        case Action.APPOINT_COUNTERS | Action.OPEN_VOTING:
            return _counter_blockers(e, r)
        case Action.COUNT | Action.BOX_COUNTED:
            box = r.box(step.box or "")
            if box is None or r.count is None or box.returned is None:
                return ()
            if step.action is Action.COUNT:
                return _entry_blockers(r, box)
            return (*_difference_blockers(r, box), *_box_checks(r, box))
        case Action.SIGN:
            return _round_checks(r)
        case Action.APPROVE_LIST if r.number == 1:
            return _list_blockers(e)
    return ()


def _list_blockers(e: Election) -> tuple[Blocker, ...]:
    """The list against the surplus rules before the congress is asked to vote on it: an empty
    or short list would only be refused at its approval, after the vote."""
    check = e.surplus()
    if check is None or check.ok:
        return ()
    params = {
        "seats": check.seats,
        "candidates": check.candidates,
        "max_candidates": check.max_candidates,
        "excess": check.excess,
    }
    return (Blocker(f"list_{check.status.value}", params),)


def _counter_blockers(e: Election, r: Round) -> tuple[Blocker, ...]:
    if e.committee is None:
        return ()
    persons = r.ballot if r.approved_at is not None else None
    found = candidate_among(e, e.committee.members, persons)
    if found is None:
        return ()
    params = {"name": found.person.full_name, "election": e.title}
    return (Blocker("counter_is_candidate", params),)


def _entry_blockers(r: Round, box: Box) -> tuple[Blocker, ...]:
    """Per team: its standing entries against the ballots found in the box; for the machine's
    team, the sheets it read that wait for the counting committee's decision."""
    assert r.count is not None and box.returned is not None
    out = []
    pending = sum(1 for x in readings_of(r, box.id) if x.pending)
    for team in r.count.teams:
        entered = r.count.standing(team.name, box.id)
        params = {"box": box.id, "team": team.name, "entered": entered, "found": box.returned}
        if team.name == r.count.reader and pending:  # read by machine, the committee to decide
            out.append(Blocker("readings_pending", {**params, "count": pending}))
        if entered < box.returned:
            out.append(Blocker("entries_missing", {**params, "missing": box.returned - entered}))
        elif entered > box.returned:  # only in a log older than the box_full check
            sheets = r.count.mode_of(team.name) is CountMode.SHEETS
            key = "sheets_extra" if sheets else "entries_extra"
            out.append(Blocker(key, {**params, "extra": entered - box.returned}))
    return tuple(out)


def _difference_blockers(r: Round, box: Box) -> tuple[Blocker, ...]:
    """Double entry: each batch of the box the two teams counted differently."""
    assert r.count is not None
    if not r.count.double_entry:
        return ()
    first, second = r.count.teams[0].name, r.count.teams[1].name
    out = []
    for d in differences(r.count):
        if d.box != box.id:
            continue
        figures = len(d.candidates) + len(d.invalid) + (d.first.valid != d.second.valid)
        params = {
            "box": box.id, "batch": d.batch, "first": first, "second": second,
            "first_ballots": d.first.ballots, "second_ballots": d.second.ballots,
            "figures": figures,
        }  # fmt: skip
        out.append(Blocker("batch_differs", params))
    return tuple(out)


def _box_checks(r: Round, box: Box) -> tuple[Blocker, ...]:
    """The box's own reconciliation, as BoxCounted checks it once every ballot is entered (more
    returned than issued is the round's matter, at signing)."""
    assert r.count is not None and box.returned is not None
    check = reconcile(box.issued, box.returned, r.count.totals(box.id), r.seats)
    return tuple(
        Blocker(f"box_{p.key}", {"box": box.id, **p.params})
        for p in check.problems
        if p.key != "returned_above_issued"
    )


def _round_checks(r: Round) -> tuple[Blocker, ...]:
    """The round's reconciliation, which signing the minutes needs."""
    check = r.reconciliation()
    if check is None:
        return ()
    return tuple(Blocker(f"round_{p.key}", {"round": r.number, **p.params}) for p in check.problems)


def cited_votes(book: ElectionBook) -> frozenset[str]:
    """Every congress vote some election event has already cited."""
    cited: set[str] = set()
    for e in book.elections:
        cited.update((e.seats_vote, e.alternate_vote))
        if e.committee is not None:
            cited.add(e.committee.vote)
        cited.update(w.vote for w in e.withdrawals)
        cited.update(s.vote for s in e.stops)
        if e.overflow is not None:
            cited.add(e.overflow.vote)
        if e.alternate_order is not None:
            cited.add(e.alternate_order.vote)
        for r in e.rounds:
            cited.update((r.list_vote, r.decision_vote))
            if r.tie_decision is not None:
                cited.add(r.tie_decision.vote)
            if r.committee is not None:
                cited.add(r.committee.vote)
    cited.discard("")
    return frozenset(cited)


# The decisions an election may find at an earlier agenda item: the standard Party agenda votes
# the number of seats and the list at their own vote items just before the election item (domain
# rules 7.2, 4.2 steps 1 and 5). Other decisions belong to the election's own item.
EARLIER_ITEM_MOTIONS = frozenset({MotionKind.SEAT_COUNT, MotionKind.ELECTION_LIST})


def decision_items(agenda: AgendaState | None, item: str, motion: MotionKind) -> tuple[str, ...]:
    """Where an election held at `item` may find its decision on `motion`: its own item, then,
    for the seats and the list, the vote items the agenda marks with that motion before it,
    nearest first. The walk stops at the previous election item: a vote taken before another
    election belongs to that one, and a vote after this election's item is never its decision."""
    if agenda is None or motion not in EARLIER_ITEM_MOTIONS:
        return (item,)
    keys = [s.key for s in agenda.items]
    if item not in keys:
        return (item,)
    found = [item]
    for s in reversed(agenda.items[: keys.index(item)]):
        if s.item.kind is ItemKind.ELECTION:
            break
        if s.item.kind is ItemKind.VOTE and s.item.motion is motion:
            found.append(s.key)
    return tuple(found)


def citable_votes(
    votes: VoteBook,
    elections: ElectionBook,
    item: str,
    motion: MotionKind,
    agenda: AgendaState | None = None,
) -> tuple[Vote, ...]:
    """The published, passed votes on `motion` that no election has cited yet, newest first:
    a step cites the decision it needs (the seats' vote for the seats, never the list's). With
    the `agenda`, the seats' and the list's votes taken at the agenda's own vote items before
    the election's `item` too (see decision_items), after the item's own.
    The counting committee is the exception: elected once, it serves every election."""
    cited = frozenset() if motion is MotionKind.PROCEDURAL_BODY else cited_votes(elections)
    return tuple(
        v
        for key in decision_items(agenda, item, motion)
        for v in reversed(votes.for_item(key))
        if v.motion is motion
        and v.status is VoteStatus.PUBLISHED
        and v.verdict is not None
        and v.verdict.passed
        and v.id not in cited
    )


def latest_committee(book: ElectionBook) -> CountingCommittee | None:
    """The counting committee most recently appointed in any election (the default for the
    next one)."""
    found = [e.committee for e in book.elections if e.committee is not None]
    return max(found, key=lambda c: c.at) if found else None


def election_item(agenda: AgendaState) -> str | None:
    """The agenda item an election declared in the congress file belongs to: the running item
    when it is an election, else the agenda's first election item."""
    running = agenda.current_item
    if running is not None and running.item.kind is ItemKind.ELECTION:
        return running.key
    return next((s.key for s in agenda.items if s.item.kind is ItemKind.ELECTION), None)


def undeclared(book: ElectionBook, specs: tuple[ElectionSpec, ...]) -> tuple[ElectionSpec, ...]:
    """The congress file's elections not created yet, in the file's order."""
    return tuple(spec for spec in specs if book.get(spec.name) is None)


def election_from_spec(
    spec: ElectionSpec, item: str, ruleset: str, at: datetime
) -> ElectionCreated:
    """The ElectionCreated of an election declared in the congress file."""
    return create_election(
        spec.name,
        item,
        ElectionKind(spec.kind),
        spec.title,
        ruleset,
        at,
        tie_policy=TiePolicy(spec.tie_policy),
        auxiliary_boxes=spec.auxiliary_boxes,
        pool=spec.pool or None,
    )
