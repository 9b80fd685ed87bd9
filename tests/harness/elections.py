"""The congress file's committee election on the hall of tests/harness/halls.py (`make_hall`),
driven through the Store as the presidium's steps would record it: created, its seats and list
decided, up to counting or to the announcement, and the hall at the ballot boxes for a teller.
The screens for each step are tested in tests/tui/test_tui_election.py. No pytest here."""

from db.store import Store
from session import elections as el
from session.agenda import MotionKind
from session.ballots import BallotInput
from session.candidates import delegate_person, delegate_person_id
from session.election_steps import election_from_spec
from tests.harness.halls import COMMITTEE, E, election_running

SEALERS = ("Trần Kiểm", "Lê Giám Sát")


def election(store: Store) -> el.Election:
    """The hall's committee election (E)."""
    found = store.election_book().get(E)
    assert found is not None
    return found


def counters(store: Store, count: int = 2) -> list[int]:
    """Delegate numbers for the counting committee: voting delegates far down the register,
    none of them among the candidates the tests list (the first few voters)."""
    return [d.number for d in store.delegates() if d.votes][-count:]


def decide(store: Store, item: str, motion: MotionKind) -> str:
    """A show-of-hands decision taken unanimously and published (the vote screen is tested in
    tests/tui/test_tui_vote.py); its vote id."""
    vote = store.open_item_vote(item, motion=motion, title=motion.value)
    store.confirm_unanimous(vote.id, "Tổ 1")
    store.confirm_unanimous(vote.id, "Tổ 2")
    return store.publish_vote(vote.id).id


def prepare(store: Store, eid: str, candidates: int, seats: int = 3, alternates: int = 0) -> str:
    """The election created from the congress file, its seats set and `candidates` delegates on
    its list; returns the running item."""
    item = store.agenda_state().current
    assert item is not None
    spec = next(s for s in store.congress.elections if s.name == eid)
    ruleset = store.congress.rules.ruleset.value
    store.record_election(lambda _b, now: election_from_spec(spec, item, ruleset, now))
    if spec.kind == el.ElectionKind.DELEGATES_HIGHER.value:
        vote = decide(store, item, MotionKind.SEAT_COUNT) if alternates else ""
        source, seats_vote, alt_vote = el.SeatsSource.ALLOCATED, "", vote
    else:
        source, seats_vote, alt_vote = (
            el.SeatsSource.VOTE,
            decide(store, item, MotionKind.SEAT_COUNT),
            "",
        )
    store.record_election(
        lambda _b, now: el.SeatsSet(eid, seats, source, seats_vote, alternates, alt_vote, now)
    )
    for d in [d for d in store.delegates() if d.votes][:candidates]:
        person = delegate_person(
            d.number, d.full_name, d.date_of_birth, committee_member=False, english=False
        )
        store.record_election(
            lambda _b, now, p=person: el.CandidateAdded(
                eid, p, el.Source.LIST, "", False, None, None, now
            )
        )
    return item


def open_count(
    store: Store,
    eid: str,
    item: str,
    returned: int,
    teams: tuple[str, ...] = ("A",),
    mode: el.CountMode = el.CountMode.BALLOTS,
) -> int:
    """A round through the Store from the list vote to counting started: every voter gets a
    ballot, `returned` are found. Returns the round's number."""
    e = store.election_book().get(eid)
    assert e is not None
    n = e.current.number
    if e.current.approved_at is None:
        listed = decide(store, item, MotionKind.ELECTION_LIST) if n == 1 else ""
        store.record_election(lambda _b, now: el.ListApproved(eid, n, listed, now))
    if e.committee is None:
        vote = decide(store, item, MotionKind.PROCEDURAL_BODY)
        head = delegate_person_id(counters(store, 1)[0])
        store.record_election(lambda _b, now: el.CountersAppointed(eid, head, (head,), vote, now))
    voters = store.snapshot().verdict.attendance.present
    steps = [
        lambda now: el.BoxPrepared(eid, n, "1", el.BoxKind.MAIN, now),
        lambda now: el.BoxSealed(eid, n, "1", ("Trần Kiểm",), now),
    ]
    for build in steps:
        store.record_election(lambda _b, now, build=build: build(now))
    store.open_election_voting(eid, n)
    steps = [
        lambda now: el.BallotsIssued(eid, n, "1", voters, "", now),
        lambda now: el.BoxClosed(eid, n, "1", now),
        lambda now: el.BoxOpened(eid, n, "1", returned, ("Trần Kiểm",), now),
        lambda now: el.CountingStarted(eid, n, mode, teams, now),
    ]
    for build in steps:
        store.record_election(lambda _b, now, build=build: build(now))
    return n


def run_round(store: Store, eid: str, item: str, ballots: list[BallotInput]) -> None:
    """A whole round through the Store, to the announcement, with `ballots` found and counted."""
    n = open_count(store, eid, item, len(ballots))
    for b in ballots:
        store.enter_ballot(eid, n, "A", "1", b)
    for build in (
        lambda now: el.BoxCounted(eid, n, "1", now),
        lambda now: el.MinutesSigned(eid, n, ("Trần Kiểm",), now),
        lambda now: el.ResultsAnnounced(eid, n, now),
    ):
        store.record_election(lambda _b, now, build=build: build(now))


def hall_at_boxes(url: str) -> Store:
    """The example congress at `url` with a 3-seat committee election on the running item: every
    voter in the hall, 4 listed, the list approved and the counting committee appointed (the
    presidium's steps, through its own Store). The caller closes it."""
    store = election_running(url, COMMITTEE)
    item = prepare(store, E, 4)
    listed = decide(store, item, MotionKind.ELECTION_LIST)
    store.record_election(lambda _b, now: el.ListApproved(E, 1, listed, now))
    vote = decide(store, item, MotionKind.PROCEDURAL_BODY)
    members = tuple(delegate_person_id(n) for n in counters(store))  # from the register
    store.record_election(lambda _b, now: el.CountersAppointed(E, members[0], members, vote, now))
    return store
