"""What an operator on a laptop terminal (160 x 50) sees whole: every screen's footer keys fit
on the line, in both languages, and the election and counting screens show their numbers (the
ballot boxes' issued / returned / counted, the ballot's votes and percentages, the last ballots'
judgement) rather than pushing them off the right edge."""

from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from db.store import Store
from session import i18n
from session.ballots import InvalidReason
from session.i18n import t
from session.roles import Role
from tests.harness.elections import open_count, prepare
from tests.harness.halls import COMMITTEE, E, election_running
from tests.harness.screens import invalid
from tui.app import PresidiumApp, make_app
from tui.elections.counting import CountingScreen
from tui.elections.screen import ElectionScreen
from tui.testing import press, settle, wait_for
from tui.widgets.redraw import show

SIZE = (160, 50)
WIDE = {
    "boxes": ("issued", "returned", "counted"),
    "candidates": ("votes", "of_base", "of_valid", "outcome"),
    "recent": ("judgement",),
}


@pytest.fixture
def hall(sqlite_url: str) -> Iterator[Store]:
    """The example congress, every voter in the hall, the election item running and a
    committee election on it whose ballots are being counted."""
    with election_running(sqlite_url, COMMITTEE) as store:
        item = prepare(store, E, 4)
        open_count(store, E, item, returned=5)
        yield store


@pytest.fixture
def terminal(hall: Store, sqlite_url: str) -> Iterator[object]:
    """Another terminal on the same congress, as `presidium run` opens it for a role."""
    opened: list[Store] = []

    def open_(station: str) -> Store:
        store = Store.open(sqlite_url, terminal=f"host/{station}", operator="")
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def footer_fits(app: PresidiumApp, where: str) -> None:
    """Every key of the footer is drawn whole, left of the command palette's key."""
    screen = app.screen
    keys = list(screen.query(FooterKey))
    assert keys, f"no footer on {where}"
    width = screen.region.width
    palette = [k for k in keys if k.has_class("-command-palette")]
    limit = palette[0].region.x if palette else width
    for key in keys:
        region = key.region
        label = f"{key.key_display} {key.description}"
        assert region.width > 0, f"{where}: {label!r} is not drawn at all"
        assert region.right <= width, f"{where}: {label!r} runs off the screen ({region})"
        if not key.has_class("-command-palette"):
            assert region.right <= limit, f"{where}: {label!r} runs into the palette ({region})"


def columns_visible(table: DataTable[object], keys: tuple[str, ...], where: str) -> None:
    """The columns `keys` lie whole within the table's visible width."""
    visible = table.scrollable_content_region.width
    x = 0
    ends: dict[str, int] = {}
    for column in table.ordered_columns:
        x += column.get_render_width(table)
        ends[str(column.key.value)] = x
    for key in keys:
        assert ends[key] <= visible, f"{where}: column {key!r} ends at {ends[key]} > {visible}"


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_the_operator_s_screens_fit(hall: Store, lang: str) -> None:
    i18n.use(lang)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer_fits(app, "roll call")
        for key, name in (("f7", "agenda"), ("f8", "vote")):
            await press(pilot, key)
            assert app.screen is not app.rollcall, name
            footer_fits(app, name)
            await press(pilot, key)
            assert app.screen is app.rollcall, name
        await press(pilot, "f9")
        screen = app.screen
        assert isinstance(screen, ElectionScreen)
        footer_fits(app, "election")
        for table in ("boxes", "candidates"):
            found = screen.query_one(f"#{table}", DataTable)
            assert found.row_count, table
            columns_visible(found, WIDE[table], f"election {table}")
        await press(pilot, "f3")
        counting = app.screen
        assert isinstance(counting, CountingScreen)
        await press(pilot, *"1 2", "enter")
        await invalid(app, pilot, InvalidReason.SIGNED_OR_MARKED)  # the longest reason
        assert app.screen is counting
        footer_fits(app, "counting")
        recent = counting.query_one("#recent", DataTable)
        assert recent.row_count == 2
        columns_visible(recent, WIDE["recent"], "counting")
        reason = t(f"election.invalid.{InvalidReason.SIGNED_OR_MARKED.value}")
        assert reason in str(recent.get_cell_at(Coordinate(0, 2)))
        assert recent.ordered_columns[2].get_render_width(recent) > len(reason)  # not cut


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("role", [Role.DOOR, Role.TELLER, Role.COUNTING])
async def test_the_role_terminals_fit(hall: Store, terminal: object, lang: str, role: Role) -> None:
    i18n.use(lang)
    store = terminal(role.value)  # type: ignore[operator]
    sector = "A" if role is Role.TELLER else None
    app = make_app(store, role=role, sector=sector, sign_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # (the counting room opens the round's screen once it has read the elections)
        await wait_for(pilot, lambda: bool(list(app.screen.query(FooterKey))))
        footer_fits(app, f"{role.value} terminal")


class _Lines(App[None]):
    CSS = "Static { width: 20; } #time { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static("one line", id="text")
        with Horizontal():
            yield Static("12:00", id="time")
            yield Static("after", id="after")


async def test_a_text_redrawn_in_place_is_laid_out_when_its_size_changes() -> None:
    """`redraw.show` skips the layout only when the text keeps its size: a text that comes to
    wrap gets its second line, one that unwraps gives it back, and a text sized by its width
    pushes its neighbour when it grows."""
    app = _Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        text, time, after = (app.query_one(f"#{i}", Static) for i in ("text", "time", "after"))
        show(text, "two words")  # one line still
        await pilot.pause()
        assert text.size.height == 1
        show(text, "a text too long for one line")
        await pilot.pause()
        assert text.size.height == 2
        show(text, "short again")
        await pilot.pause()
        assert text.size.height == 1
        assert after.region.x == 5
        show(time, "12:00:59")
        await pilot.pause()
        assert (time.size.width, after.region.x) == (8, 8)
