"""Role terminals through the Textual pilot: the sign-in (the person, a teller's sector, the
passphrase), the keys and the palette a terminal offers, another terminal on the same congress,
and a database that goes away and comes back. No pytest here."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine
from textual.pilot import Pilot
from textual.widgets import Input

from db.store import Store
from tui.app import PresidiumApp
from tui.signin import SignInScreen
from tui.testing import settle

SECRET = "cửa chính mở lúc 7 giờ"
PERSON = "Nguyễn Thị Lan"


def keys_of(app: PresidiumApp) -> dict[str, str]:
    """The app's and the screen's own keys that are on now (not the fields' editing keys)."""
    ours = {f"f{n}" for n in range(1, 13)} | {"ctrl+p", "ctrl+q", "ctrl+e", "ctrl+a", "ctrl+b"}
    ours |= {"delete", "escape"}
    found = app.screen.active_bindings.items()
    return {k: b.binding.action for k, b in found if k in ours and b.node in (app, app.screen)}


def palette(app: PresidiumApp) -> list[str]:
    """The titles of the command palette's system commands on the current screen."""
    return [c.title for c in app.get_system_commands(app.screen)]


async def press(pilot: Pilot[None], *keys: str) -> None:
    """The keys as the pilot presses them (with its pauses), then settled."""
    await pilot.press(*keys)
    await settle(pilot)


async def sign_in(
    app: PresidiumApp,
    pilot: Pilot[None],
    phrase: str = SECRET,
    person: str = PERSON,
    sector: str | None = None,
) -> None:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SignInScreen), screen
    screen.query_one("#signin-person", Input).value = person
    if sector is not None:
        screen.query_one("#signin-sector").value = sector  # type: ignore[attr-defined]
    field = screen.query_one("#signin-passphrase", Input)
    field.value = phrase
    field.focus()
    await press(pilot, "enter")
    await settle(pilot)


def terminal(store: Store, sqlite_url: str, station: str) -> Store:
    """Another terminal on the same congress, as `presidium run` opens it."""
    return Store.open(sqlite_url, terminal=f"host/{station}", operator="")


@contextmanager
def database_gone(store: Store) -> Iterator[None]:
    """The store's engines point at a file that cannot be opened, then back."""
    writer, reader = store.engine, store.reader
    broken = create_engine("sqlite:////nonexistent-folder/congress.db")
    store.engine = store.reader = broken
    try:
        yield
    finally:
        store.engine, store.reader = writer, reader
        broken.dispose()
