"""A card scanned while a terminal's sign-in screen is up (issue 13, finding 10): a USB scanner
types the code's 36 digits and Enter into whichever field has focus. The code must not stay in
the name (it would be recorded as the person) nor be checked as a passphrase (a wrong one, that
brings a wait); the screen says where cards are scanned. The wait after wrong passphrases is the
database's: a terminal started again still waits (finding 2). The real app, through its pilot."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from textual.widgets import Input

from db.store import Store
from session.i18n import t
from session.roles import SIGN_IN_REFUSED, Role
from tests.harness.roles import PERSON, SECRET, press, sign_in, terminal
from tui.app import make_app
from tui.signin import SignInScreen
from tui.stations.door import DoorScreen
from tui.testing import settle, type_burst

SIZE = (160, 50)


@pytest.fixture
def door_store(store: Store, sqlite_url: str) -> Iterator[Store]:
    store.set_passphrase(Role.DOOR, SECRET)
    door = terminal(store, sqlite_url, "cửa-phụ")
    yield door
    door.close()


async def test_a_card_scanned_into_the_name_is_taken_out(store: Store, door_store: Store) -> None:
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        name = screen.query_one("#signin-person", Input)
        assert app.focused is name
        await press(pilot, *"Lan")
        before = store.last_seq()
        type_burst(app, store.card_code(2, 0))
        await settle(pilot)
        assert name.value == "Lan"  # what was typed by hand stays; the code does not
        assert app.focused is name  # the Enter was the scanner's: it moved nothing
        assert screen.message == t("roles.signin.scanned")
        assert store.last_seq() == before and not store.delegate(2).present  # type: ignore[union-attr]


async def test_a_card_scanned_into_the_passphrase_is_not_checked(
    store: Store, door_store: Store
) -> None:
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        screen.query_one("#signin-person", Input).value = PERSON
        field = screen.query_one("#signin-passphrase", Input)
        field.focus()
        before = store.last_seq()
        for number in (2, 3, 4):  # three wrong passphrases would make the next one wait
            type_burst(app, store.card_code(number, 0))
            await settle(pilot)
            assert field.value == "" and screen.message == t("roles.signin.scanned")
        assert store.last_seq() == before  # nothing checked: nothing counted
        await sign_in(app, pilot)
        assert isinstance(app.screen, DoorScreen)


def _door_at(sqlite_url: str, at: datetime) -> Store:
    """The door terminal cửa-phụ, its clock stopped at `at` (the wait is then the same however
    long the test takes)."""
    return Store.open(sqlite_url, terminal="host/cửa-phụ", operator="", clock=lambda: at)


async def test_a_restarted_terminal_still_waits(store: Store, sqlite_url: str) -> None:
    store.set_passphrase(Role.DOOR, SECRET)
    at = datetime.now(UTC)
    with _door_at(sqlite_url, at) as first:
        app = make_app(first, role=Role.DOOR, station="cửa-phụ")
        async with app.run_test(size=SIZE) as pilot:
            for n in range(3):
                await sign_in(app, pilot, phrase=f"sai mật khẩu {n}")
            wait = t("roles.signin.wait", text=t("roles.signin.wrong"), seconds=2)
            assert isinstance(app.screen, SignInScreen) and wait in app.screen.message
    seq = store.last_seq()
    with _door_at(sqlite_url, at) as again:  # the terminal started again
        app = make_app(again, role=Role.DOOR, station="cửa-phụ")
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(app, pilot)  # the right passphrase, too soon: not checked
            screen = app.screen
            assert isinstance(screen, SignInScreen)
            too_soon = t("roles.signin.too_soon")
            assert screen.message == t("roles.signin.wait", text=too_soon, seconds=2)
    assert store.last_seq() == seq
    assert [e.kind for e in store.events()[-3:]] == [SIGN_IN_REFUSED] * 3
    assert store.verify() is None
