"""A door terminal given both servers of a primary and its standby (issue 16), through the
Textual pilot: the primary's postmaster SIGKILLed, the door says NOT CONNECTED and takes
nothing, the standby promoted by command, and the door back by itself (its reads and its change
watcher on the new primary), taking scans again; the operator's desk told of a lost standby."""

from collections.abc import Iterator
from typing import Any

import pytest

from db.standby import STANDBY_LOST
from db.store import Store
from session.i18n import t
from session.roles import Role
from tests.harness.pg_server import pg_bin
from tests.harness.screens import scan
from tests.harness.standby_pair import StandbyPair
from tui.app import make_app
from tui.stations.door import DoorScreen
from tui.testing import screen_text, settle, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.pg]
SIZE = (160, 50)


@pytest.fixture
def pair(congress_data: dict[str, Any]) -> Iterator[StandbyPair]:
    if pg_bin() is None:
        pytest.skip("no PostgreSQL server programs on this machine")
    pair = StandbyPair(congress_data, 40)
    try:
        pair.set_up()
        yield pair
    finally:
        pair.close()


async def test_a_door_rides_through_the_takeover(pair: StandbyPair) -> None:
    with Store.open(pair.both(), terminal="host/cửa-chính") as store:
        app = make_app(store, role=Role.DOOR, station="cửa-chính", sign_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            door = app.screen
            assert isinstance(door, DoorScreen)
            await scan(app, pilot, pair.codes[0])
            assert t("scan.admitted") in door.result_text

            pair.kill_primary()
            await scan(app, pilot, pair.codes[1])  # the write fails: not acknowledged
            assert t("roles.not_connected.scan") in door.result_text
            await wait_for(pilot, lambda: not app.desk.connected, seconds=10)
            assert t("roles.not_connected.banner") in screen_text(app)

            pair.promote()
            await wait_for(pilot, lambda: door.connected, seconds=30)  # back by itself
            assert t("roles.not_connected.banner") not in screen_text(app)
            await scan(app, pilot, pair.codes[1])
            assert t("scan.admitted") in door.result_text
        present = {d.number for d in store.delegates() if d.present}
        assert len(present) == 2 and store.verify() is None


async def test_the_operator_is_told_the_standby_is_lost(pair: StandbyPair) -> None:
    with Store.open(pair.both()) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            store.append_note(STANDBY_LOST, {"standby": "presidium_standby", "seconds": 5})
            lead = t("standby.warning.lost", at="@").split("@")[0]  # "STANDBY LOST at "

            def shown() -> bool:
                return any(lead in n.message for n in app._notifications)

            await wait_for(pilot, shown, seconds=10)
