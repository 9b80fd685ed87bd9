"""The counting screen under a fast typist (tui/counting.py, commit 2007ff9): ballots typed as one
burst, each with its Enter, while the screen is still busy storing the one before, are three
ballots, each with its own numbers. Before that fix the field was emptied only once the screen
handled the submitted ballot, so the next ballot's digits were typed into the previous one's
text ("1", then "12", then "123")."""

from collections.abc import Iterator

import pytest

from db.store import Store
from session.ballots import BallotInput
from tests.harness.elections import open_count, prepare
from tests.harness.halls import E, election_running
from tui.app import make_app
from tui.elections.counting import CountingScreen
from tui.testing import settle, type_burst

SIZE = (170, 55)
FOUND = 3  # ballots in the box: exactly the burst's


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    """The example congress with one committee election, every voting delegate in the hall,
    the election item running: 3 seats, 4 names, and its counting started ballot by ballot by
    one team ("A") at box "1", with FOUND ballots found."""
    election = {"name": E, "kind": "committee", "title": "Bầu BCH", "seats": 3}
    with election_running(sqlite_url, election) as created:
        open_count(created, E, prepare(created, E, 4), FOUND)
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
