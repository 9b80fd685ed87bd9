"""Issue 13, finding 4, at the door: with its SQLite file removed under it, a door terminal
shows NOT CONNECTED for the next scans instead of "Admitted" (they were lost on closing)."""

from pathlib import Path

from db.store import Store
from session.i18n import t
from session.roles import Role
from tests.harness.roles import SECRET, terminal
from tests.harness.screens import scan
from tui.app import make_app
from tui.stations.door import DoorScreen
from tui.testing import screen_text, settle, wait_for


async def test_a_door_whose_file_was_removed_admits_no_one(store: Store, sqlite_url: str) -> None:
    store.set_passphrase(Role.DOOR, SECRET)
    door_store = terminal(store, sqlite_url, "cửa-phụ")
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ", sign_in=False)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            door = app.screen
            assert isinstance(door, DoorScreen) and door.connected
            await scan(app, pilot, store.card_code(2, 0))
            assert t("scan.admitted") in door.result_text
            for suffix in ("", "-wal", "-shm"):
                Path(sqlite_url + suffix).unlink(missing_ok=True)

            for number in (3, 4, 5):
                await scan(app, pilot, store.card_code(number, 0))
                assert t("roles.not_connected.scan") in door.result_text, number
                assert t("scan.admitted") not in door.result_text
            await wait_for(pilot, lambda: t("roles.not_connected.banner") in screen_text(app))
            assert not door.connected
    finally:
        door_store.close()
