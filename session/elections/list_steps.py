"""The reducer's steps up to the ballot: creation, seats, candidates, withdrawals, the opinion
ballot's cut, approval, the counting committee."""

from collections.abc import Iterable, Sequence
from dataclasses import replace

from session.ballots import (
    ElectionError,
    ballot_order,
)

# ---------------------------------------------------------------- the reducer
from session.elections.changes import (
    cited_vote,
    put_round,
)
from session.elections.events import (
    CandidateAdded,
    CountersAppointed,
    ElectionCreated,
    ListApproved,
    ListCut,
    SeatsSet,
    WithdrawalDecided,
    WithdrawalRequested,
)
from session.elections.outcome import (
    elected,
    outcome,
)
from session.elections.state import (
    Candidate,
    CountingCommittee,
    Election,
    ElectionBook,
    ListCutRecord,
    Round,
    Withdrawal,
    find,
)
from session.elections.vocabulary import (
    NOMINATION_POOLS,
    POOLS,
    SURPLUS_REQUIRED,
    CandidateStatus,
    ElectionKind,
    Phase,
    RoundReason,
    RoundStatus,
    SeatsSource,
    Source,
    Step,
)
from session.results import (
    ELECTION_BASES,
    Purpose,
)
from session.surplus import (
    check_surplus,
    opinion_keep,
    outside_nominee_admitted,
)
from session.text import nfc


def _create(book: ElectionBook, ev: ElectionCreated) -> ElectionBook:
    if not nfc(ev.election):
        raise ElectionError("election_id_required")
    if book.get(ev.election) is not None:
        raise ElectionError("duplicate_election", election=ev.election)
    if not nfc(ev.title):
        raise ElectionError("title_required")
    if ev.rule.base not in ELECTION_BASES:
        raise ElectionError("bad_base", base=ev.rule.base.value)
    poll = ev.kind is ElectionKind.OPINION_POLL
    if poll == (ev.purpose is Purpose.ELECT):
        raise ElectionError("bad_purpose", kind=ev.kind.value, purpose=ev.purpose.value)
    if ev.purpose is Purpose.LIST_CUT:
        parent = book.get(ev.parent or "")
        if parent is None:
            raise ElectionError("parent_required")
        if parent.kind is ElectionKind.OPINION_POLL or parent.current.approved_at is not None:
            raise ElectionError("bad_parent", election=parent.title)
    elif ev.parent is not None:
        raise ElectionError("bad_parent", election=ev.parent)
    allowed = NOMINATION_POOLS if ev.purpose is Purpose.NOMINATION else POOLS.get(ev.kind)
    if allowed is not None:
        pool = book.get(ev.pool or "")
        if pool is None:
            raise ElectionError("pool_required", kind=ev.kind.value)
        if pool.kind not in allowed:
            raise ElectionError("bad_pool", election=pool.title, kind=pool.kind.value)
    elif ev.pool is not None:
        raise ElectionError("bad_pool", election=ev.pool, kind=ev.kind.value)
    seats = None
    if ev.purpose is Purpose.NOMINATION:
        seats = 1  # one name each (domain rules 6.1)
    e = Election(
        id=ev.election,
        item=ev.item,
        kind=ev.kind,
        title=nfc(ev.title),
        ruleset=ev.ruleset,
        rule=ev.rule,
        tie_policy=ev.tie_policy,
        purpose=ev.purpose,
        pool=ev.pool,
        parent=ev.parent,
        auxiliary_boxes=ev.auxiliary_boxes,
        order=ev.order,
        created_at=ev.at,
        seats=seats,
        rounds=(Round(1, Phase.MAIN, RoundReason.FIRST, 0),),
    )
    return ElectionBook((*book.elections, e))


def _list_open(e: Election) -> Round:
    """Round 1's list can still change."""
    r = e.rounds[0]
    if r.approved_at is not None:
        raise ElectionError("list_approved", election=e.title)
    return r


def _seats(e: Election, ev: SeatsSet) -> Election:
    _list_open(e)
    if e.kind is ElectionKind.OPINION_POLL:
        raise ElectionError("seats_derived", election=e.title)
    if ev.seats < 1 or ev.alternate_seats < 0:
        raise ElectionError("bad_seats", seats=ev.seats)
    delegation = e.kind is ElectionKind.DELEGATES_HIGHER
    if delegation and ev.source is not SeatsSource.ALLOCATED:
        raise ElectionError("delegation_seats_allocated")
    if not delegation and ev.source is not SeatsSource.VOTE:
        raise ElectionError("seats_need_vote")
    if not delegation and ev.alternate_seats:
        raise ElectionError("alternates_only_for_delegation")
    if ev.source is SeatsSource.VOTE:
        cited_vote(ev.vote)
    if ev.alternate_seats:
        cited_vote(ev.alternate_vote)
    return replace(
        e,
        seats=ev.seats,
        alternate_seats=ev.alternate_seats,
        seats_source=ev.source,
        seats_vote=nfc(ev.vote),
        alternate_vote=nfc(ev.alternate_vote),
    )


def _pool_members(book: ElectionBook, e: Election) -> frozenset[str] | None:
    if e.pool is None:
        return None
    pool = book.get(e.pool)
    assert pool is not None
    return frozenset(elected(pool))


def _add_candidate(book: ElectionBook, e: Election, ev: CandidateAdded) -> Election:
    _list_open(e)
    person = ev.person
    if not person.id or not person.given:
        raise ElectionError("name_required")
    if e.candidate(person.id) is not None:
        raise ElectionError("duplicate_candidate", name=person.full_name)
    if ev.source is Source.ADDED:
        raise ElectionError("bad_source", source=ev.source.value)
    pool = _pool_members(book, e)
    if pool is not None and person.id not in pool:
        raise ElectionError("not_in_pool", name=person.full_name, pool=e.pool)
    if e.purpose is Purpose.LIST_CUT:
        parent = book.get(e.parent or "")
        assert parent is not None
        c = parent.candidate(person.id)
        if c is None or c.status is not CandidateStatus.ON_LIST:
            raise ElectionError("not_on_parent_list", name=person.full_name)
    status = CandidateStatus.ON_LIST
    support = ev.support
    present = ev.present
    if ev.source is not Source.LIST:
        if ev.source is Source.NOMINATED:
            if not nfc(ev.nominator):
                raise ElectionError("nominator_required")
            if ev.nominator_on_committee and e.party:
                raise ElectionError("committee_member_off_list", name=person.full_name)
        if ev.source is Source.SELF and person.committee_member and e.party:
            raise ElectionError("committee_member_self_nomination", name=person.full_name)
        if e.party and e.purpose is Purpose.ELECT:
            if support is None or present is None:
                raise ElectionError("support_required")
            if present < 1 or not 0 <= support <= present:
                raise ElectionError("bad_support", support=support, present=present)
            if not outside_nominee_admitted(support, present):
                status = CandidateStatus.NOT_ADMITTED
    candidate = Candidate(person, ev.source, status, 1, ev.at, nfc(ev.nominator), support, present)
    return replace(e, candidates=(*e.candidates, candidate))


def _list_of_current(e: Election, person: str) -> Round:
    """The current round's list still changes and `person` is on it."""
    r = e.current
    if r.approved_at is not None:
        raise ElectionError("withdrawal_after_list_vote", election=e.title)
    c = e.candidate(person)
    if c is None or c.status is not CandidateStatus.ON_LIST:
        raise ElectionError("not_on_list", person=person)
    if r.number > 1 and person not in r.persons:
        raise ElectionError("not_on_list", person=person)
    return r


def _request_withdrawal(e: Election, ev: WithdrawalRequested) -> Election:
    _list_of_current(e, ev.person)
    if any(w.person == ev.person and w.allowed is None for w in e.withdrawals):
        raise ElectionError("withdrawal_pending", person=ev.person)
    w = Withdrawal(ev.person, nfc(ev.reason), ev.at)
    return replace(e, withdrawals=(*e.withdrawals, w))


def _decide_withdrawal(e: Election, ev: WithdrawalDecided) -> Election:
    _list_of_current(e, ev.person)
    pending = next(
        (i for i, w in enumerate(e.withdrawals) if w.person == ev.person and w.allowed is None),
        None,
    )
    if pending is None:
        raise ElectionError("no_withdrawal_request", person=ev.person)
    vote = cited_vote(ev.vote)
    decided = replace(e.withdrawals[pending], allowed=ev.allowed, vote=vote, decided_at=ev.at)
    withdrawals = (*e.withdrawals[:pending], decided, *e.withdrawals[pending + 1 :])
    candidates = e.candidates
    if ev.allowed:
        candidates = tuple(
            replace(c, status=CandidateStatus.WITHDRAWN) if c.person.id == ev.person else c
            for c in e.candidates
        )
    return replace(e, withdrawals=withdrawals, candidates=candidates)


def poll_outcome(poll: Election) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An opinion ballot's (kept, cut) names; ElectionError while it is not settled."""
    state = outcome(poll)
    if state.step is not Step.COMPLETE:
        raise ElectionError("poll_not_settled", election=poll.title)
    kept = set(state.elected)
    listed = poll.rounds[0].ballot
    return tuple(p for p in listed if p in kept), tuple(p for p in listed if p not in kept)


def _cut(book: ElectionBook, e: Election, ev: ListCut) -> Election:
    _list_open(e)
    poll = find(book, ev.poll)
    if poll.purpose is not Purpose.LIST_CUT or poll.parent != e.id:
        raise ElectionError("bad_poll", election=poll.title)
    if any(c.poll == poll.id for c in e.cuts):
        raise ElectionError("poll_applied", election=poll.title)
    _kept, cut = poll_outcome(poll)
    removed = frozenset(cut)
    candidates = tuple(
        replace(c, status=CandidateStatus.CUT)
        if c.person.id in removed and c.status is CandidateStatus.ON_LIST
        else c
        for c in e.candidates
    )
    record = ListCutRecord(poll.id, tuple(cut), ev.at)
    return replace(e, candidates=candidates, cuts=(*e.cuts, record))


def _approve(book: ElectionBook, e: Election, ev: ListApproved) -> Election:
    r = e.round(ev.round)
    if r is not e.current:
        raise ElectionError("not_current_round", round=ev.round)
    if r.approved_at is not None:
        raise ElectionError("list_approved", election=e.title)
    if e.pending_withdrawals():
        raise ElectionError("withdrawals_pending", count=len(e.pending_withdrawals()))
    on_list = {c.person.id for c in e.on_list()}
    persons = tuple(c.person.id for c in e.on_list()) if r.number == 1 else r.persons
    persons = tuple(p for p in persons if p in on_list)
    if not persons:
        raise ElectionError("empty_list")
    if r.number == 1 and e.purpose is Purpose.ELECT:
        cited_vote(ev.vote)  # the congress votes the list before any ballot is printed
    seats = r.seats
    if r.number == 1:
        if e.purpose is Purpose.LIST_CUT:
            seats = _poll_seats(book, e, persons)
            e = replace(e, seats=seats)
        elif e.purpose is Purpose.NOMINATION:
            seats = 1
        else:
            if e.seats is None:
                raise ElectionError("seats_missing", election=e.title)
            seats = e.seats
            check = check_surplus(
                e.seats + e.alternate_seats,
                len(persons),
                limited=e.party,
                required=e.party and e.kind in SURPLUS_REQUIRED,
            )
            if not check.ok:
                raise ElectionError(
                    f"surplus_{check.status.value}",
                    seats=check.seats,
                    candidates=check.candidates,
                    max_candidates=check.max_candidates,
                    max_surplus=check.max_surplus,
                    excess=check.excess,
                )
    ordered = tuple(p.id for p in ballot_order(e.people(persons), e.order))
    approved = replace(
        r, seats=seats, persons=persons, ballot=ordered, list_vote=nfc(ev.vote), approved_at=ev.at
    )
    return put_round(e, approved)


def _poll_seats(book: ElectionBook, poll: Election, persons: Sequence[str]) -> int:
    """How many names an opinion ballot keeps: the parent's list ends at seats + max surplus,
    and the names not on the opinion ballot stay on it."""
    parent = find(book, poll.parent or "")
    if parent.seats is None:
        raise ElectionError("parent_seats_missing", election=parent.title)
    if parent.rounds[0].approved_at is not None:
        raise ElectionError("list_approved", election=parent.title)
    listed = {c.person.id for c in parent.on_list()}
    outside = next((p for p in persons if p not in listed), None)
    if outside is not None:
        raise ElectionError("not_on_parent_list", name=outside)
    if not parent.party:
        raise ElectionError("poll_not_needed", election=parent.title)
    try:
        keep = opinion_keep(
            parent.seats + parent.alternate_seats, len(persons), len(listed) - len(persons)
        )
    except ValueError:
        raise ElectionError("poll_cannot_cut", election=parent.title) from None
    if keep >= len(persons):
        raise ElectionError("poll_not_needed", election=parent.title)
    return keep


def delegate_number(person: str) -> int | None:
    """The delegate number in a delegate's person id ("d00012" -> 12: the inverse of
    session.candidates.delegate_person_id); None for any other id or free-text name."""
    digits = person[1:]
    if person[:1] == "d" and digits.isascii() and digits.isdigit():
        return int(digits)
    return None


def candidate_among(
    e: Election, members: Iterable[str], persons: Iterable[str] | None = None
) -> Candidate | None:
    """The first candidate on the list (of `persons`, a round's ballot; default: everyone on
    the list) that one of `members` is: by person id, or by delegate number when the candidate
    carries one (a candidate imported with another id is still that delegate)."""
    on_ballot = None if persons is None else frozenset(persons)
    listed = [c for c in e.on_list() if on_ballot is None or c.person.id in on_ballot]
    for member in members:
        number = delegate_number(member)
        for c in listed:
            if c.person.id == member or (number is not None and c.person.delegate == number):
                return c
    return None


def _refuse_candidate_counter(e: Election, candidate: Candidate | None) -> None:
    """Domain rules 4.8: the counting committee's members are not on the election list. The
    reducer knows candidates' names, which is what the refusal shows."""
    if candidate is not None:
        raise ElectionError(
            "counter_is_candidate", name=candidate.person.full_name, election=e.title
        )


def _counters(e: Election, ev: CountersAppointed) -> Election:
    members = tuple(nfc(m) for m in ev.members)
    if not members or not all(members) or len(set(members)) != len(members):
        raise ElectionError("bad_counters")
    head = nfc(ev.head)
    if head not in members:
        raise ElectionError("head_not_member", head=head)
    status = e.current.status
    if status not in (RoundStatus.LIST, RoundStatus.LIST_APPROVED, RoundStatus.ANNOUNCED):
        raise ElectionError("round_in_progress", round=e.current.number)
    _refuse_candidate_counter(e, candidate_among(e, (head, *members)))
    committee = CountingCommittee(head, members, cited_vote(ev.vote), ev.at)
    return replace(e, committee=committee)
