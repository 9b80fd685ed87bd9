"""The app follows other terminals through the change watcher (db/watch.py), not by polling.

The backstop poll is pushed out to an hour here, so a change made by another terminal can reach
the screen only through the watcher's wake-up: SQLite's data_version, PostgreSQL's NOTIFY.
"""

import asyncio
from collections.abc import Callable

import psycopg
import pytest
from textual.pilot import Pilot

import tui.desk
from db.store import Store
from session.roles import Role
from session.rollcall import Mode
from tui.app import make_app
from tui.stations.door import DoorScreen
from tui.testing import screen_text, settle

MakeStore = Callable[..., Store]
SIZE = (160, 50)
HOUR = 3600.0


@pytest.fixture
def no_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.desk, "POLL_SECONDS", HOUR)


async def shows(pilot: Pilot[None], text: str, seconds: float = 10) -> bool:
    for _ in range(int(seconds / 0.05)):
        if text in screen_text(pilot.app):
            return True
        await pilot.pause(0.05)
    return False


@pytest.mark.usefixtures("no_backstop")
async def test_the_roll_call_follows_another_door_without_polling(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url, delegates=30)
    other = Store.open(db_url, terminal="door-2")
    app = make_app(other, station="door-2")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Present 0" in screen_text(app)
            for number in (1, 2):
                store.scan(store.card_code(number, 0), Mode.ENTRY, "door-1")
                assert await shows(pilot, f"Present {number}"), "the other door's scan never showed"
    finally:
        other.close()


@pytest.mark.usefixtures("no_backstop")
async def test_a_door_station_follows_the_hall_without_polling(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url, delegates=30)
    other = Store.open(db_url, terminal="door-2")
    app = make_app(other, role=Role.DOOR, station="door-2", sign_in=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            door = app.screen
            assert isinstance(door, DoorScreen)
            assert door.hall_present == "0"
            store.scan(store.card_code(1, 0), Mode.ENTRY, "door-1")
            for _ in range(200):
                if door.hall_present == "1":
                    break
                await pilot.pause(0.05)
            assert door.hall_present == "1", "the hall's count never moved"
    finally:
        other.close()


@pytest.mark.pg
async def test_closing_the_app_closes_its_watcher_connection(
    make_store: MakeStore, pg_url: str
) -> None:
    store = make_store(pg_url, delegates=5)
    database = pg_url.rsplit("/", 1)[1]

    def watchers() -> int:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = 'presidium-watch' AND datname = %s",
                (database,),
            ).fetchone()
        return int(row[0]) if row else 0

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(100):
            if watchers() == 1:
                break
            await pilot.pause(0.05)
        assert watchers() == 1
    for _ in range(100):
        if watchers() == 0:
            break
        await asyncio.sleep(0.05)
    assert watchers() == 0, "the watcher's connection outlived the app"


@pytest.mark.pg
def test_store_connections_carry_the_keepalive_options(make_store: MakeStore, pg_url: str) -> None:
    """A cut link must fail a write in seconds, not after the kernel's 15-minute timeout."""
    store = make_store(pg_url, delegates=5)
    with store.engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert isinstance(dbapi, psycopg.Connection)
        parameters = dbapi.info.get_parameters()
    assert parameters["keepalives"] == "1"
    assert parameters["tcp_user_timeout"] == "10000"
    assert parameters["connect_timeout"] == "3"
    assert parameters["application_name"] == "presidium"
