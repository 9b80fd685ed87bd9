"""The counting screen under a fast typist (tui/counting.py, commit 2007ff9): ballots typed as one
burst, each with its Enter, while the screen is still busy storing the one before, are three
ballots, each with its own numbers. Before that fix the field was emptied only once the screen
handled the submitted ballot, so the next ballot's digits were typed into the previous one's
text ("1", then "12", then "123")."""

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from db.store import Store
from session import elections as el
from session.agenda import MotionKind
from session.ballots import BallotInput
from session.candidates import delegate_person, delegate_person_id
from session.election_steps import election_from_spec
from tests.harness.halls import election_running
from tui.app import make_app
from tui.counting import CountingScreen
from tui.testing import settle, type_burst

SIZE = (170, 55)
E = "committee"
COUNTERS = ("Trần Kiểm",)
FOUND = 3  # ballots in the box: exactly the burst's


def decide(store: Store, item: str, motion: MotionKind) -> str:
    """A show-of-hands decision taken unanimously and published; its vote id."""
    vote = store.open_item_vote(item, motion=motion, title=motion.value)
    store.confirm_unanimous(vote.id, "Tổ 1")
    store.confirm_unanimous(vote.id, "Tổ 2")
    return store.publish_vote(vote.id).id


def record(store: Store, *steps: Callable[[datetime], el.ElectionEvent]) -> None:
    for build in steps:
        store.record_election(lambda _b, now, build=build: build(now))


def counting_started(store: Store) -> None:
    """A 3-seat committee election of 4 names through the Store, up to counting ballot by
    ballot by one team ("A") at box "1", with FOUND ballots found."""
    item = store.agenda_state().current
    assert item is not None
    spec = next(s for s in store.congress.elections if s.name == E)
    ruleset = store.congress.rules.ruleset.value
    store.record_election(lambda _b, now: election_from_spec(spec, item, ruleset, now))
    seats = decide(store, item, MotionKind.SEAT_COUNT)
    record(store, lambda now: el.SeatsSet(E, 3, el.SeatsSource.VOTE, seats, 0, "", now))
    for d in [d for d in store.delegates() if d.votes][:4]:
        person = delegate_person(
            d.number, d.full_name, d.date_of_birth, committee_member=False, english=False
        )
        record(
            store,
            lambda now, p=person: el.CandidateAdded(
                E, p, el.Source.LIST, "", False, None, None, now
            ),
        )
    listed = decide(store, item, MotionKind.ELECTION_LIST)
    counters = decide(store, item, MotionKind.PROCEDURAL_BODY)
    last = [d.number for d in store.delegates() if d.votes][-1]  # not a candidate
    committee = (delegate_person_id(last),)
    record(
        store,
        lambda now: el.ListApproved(E, 1, listed, now),
        lambda now: el.CountersAppointed(E, committee[0], committee, counters, now),
        lambda now: el.BoxPrepared(E, 1, "1", el.BoxKind.MAIN, now),
        lambda now: el.BoxSealed(E, 1, "1", COUNTERS, now),
    )
    store.open_election_voting(E, 1)
    voters = store.snapshot().verdict.attendance.present
    record(
        store,
        lambda now: el.BallotsIssued(E, 1, "1", voters, "", now),
        lambda now: el.BoxClosed(E, 1, "1", now),
        lambda now: el.BoxOpened(E, 1, "1", FOUND, COUNTERS, now),
        lambda now: el.CountingStarted(E, 1, el.CountMode.BALLOTS, ("A",), now),
    )


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    """The example congress with one committee election, every voting delegate in the hall,
    the election item running and its counting started."""
    election = {"name": E, "kind": "committee", "title": "Bầu BCH", "seats": 3}
    with election_running(sqlite_url, election) as created:
        counting_started(created)
        yield created


async def test_a_burst_of_ballots_is_three_ballots(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, CountingScreen)
        # One burst, no wait between the keys: the second ballot is typed while the first is
        # still being stored.
        type_burst(app, "1\r2\r3")
        await settle(pilot)
        e = store.election_book().get(E)
        assert e is not None and e.current.count is not None
        entered = [b.ballot for b in e.current.count.team("A").ballots]
        assert entered == [BallotInput.struck(n) for n in (1, 2, 3)], entered
