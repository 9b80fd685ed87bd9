"""Issue 13: a door terminal on PostgreSQL connects as the door's own login, as `presidium run
--role door` opens it, on a server that asks passwords as a venue's does. Its sign-in checks the
passphrase with the server (the login may not read the hash), and the terminal does its work."""

import argparse
from pathlib import Path

import pytest

from db.store import Store, StoreError
from presidium.opening import ROLE_PASSPHRASE_VAR, open_terminal
from session.demo import demo_register
from session.i18n import t
from session.roles import Role
from tests.harness.pg_logins import PASSPHRASES, owned_database, require_passwords
from tests.harness.pg_server import PrivateServer
from tests.harness.roles import sign_in
from tests.harness.screens import scan
from tui.app import make_app
from tui.signin import SignInScreen
from tui.stations.door import DoorScreen

DOOR_PHRASE = PASSPHRASES[Role.DOOR]


@pytest.fixture
def venue(private_pg: PrivateServer, congress_data: dict[str, object]) -> tuple[str, str]:
    """A congress on a server that asks passwords; its URL as the door machine names it (no
    user: the terminal puts the door's login in) and a card."""
    require_passwords(private_pg)
    url = owned_database(private_pg, "presidium", "owner's own password", createrole=True)
    with Store.create(url, congress_data) as owner:
        owner.import_register(demo_register(10), source="test")
        owner.set_passphrase(Role.DOOR, DOOR_PHRASE)
        code = owner.card_code(3, 0)
    return url, code


def _run_args(url: str) -> argparse.Namespace:
    return argparse.Namespace(db=url, station="cửa-chính", lang=None, operator=None)


def test_a_wrong_role_passphrase_opens_no_terminal(
    venue: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ROLE_PASSPHRASE_VAR, "not the door's")
    with pytest.raises(StoreError) as refused:
        open_terminal(_run_args(venue[0]), Role.DOOR)
    assert refused.value.key == "login_refused"


async def test_a_door_on_its_own_login_signs_in_with_the_server_and_scans(
    venue: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, code = venue
    monkeypatch.setenv(ROLE_PASSPHRASE_VAR, DOOR_PHRASE)
    store = open_terminal(_run_args(url), Role.DOOR)
    try:
        assert store.secret == ""  # the card key stays on the server
        app = make_app(store, role=Role.DOOR, station="cửa-chính")
        async with app.run_test(size=(160, 50)) as pilot:
            await sign_in(app, pilot, phrase="not the door's")
            assert isinstance(app.screen, SignInScreen)  # the server said no
            await pilot.pause(2.1)  # the wait after one wrong passphrase
            await sign_in(app, pilot, phrase=DOOR_PHRASE)
            door = app.screen
            assert isinstance(door, DoorScreen)
            await scan(app, pilot, code)
            assert t("scan.admitted") in door.result_text
        kinds = [e.kind for e in store.events()[-4:]]
        assert kinds[-1] == "check_in" and "role_sign_in_refused" in kinds
    finally:
        store.close()
