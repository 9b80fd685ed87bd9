"""The agenda screen (F7) driven like the presidium's desk: start, time, end, skip, move, insert,
the running item on every screen, and card scans still taken while it is shown."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from db.store import Store
from session import agenda, i18n
from session.agenda import ItemKind, ItemStatus, MotionKind
from session.i18n import t
from session.rollcall import Mode
from tests.harness.clocks import FakeClock
from tests.harness.screens import confirm, select
from tui.agenda import AgendaScreen, AgendaTable
from tui.app import PresidiumApp, make_app
from tui.dialog import ConfirmScreen
from tui.forms import InsertDialog, MoveDialog, ReasonDialog
from tui.testing import pause, press, screen_text, settle, type_burst, wait_for
from tui.widgets.meeting import Notice, NowBar
from tui.widgets.scan_input import ScanAwareInput

SIZE = (160, 50)
T0 = datetime(2025, 6, 20, 0, 30, tzinfo=UTC)  # 07:30 in Hà Nội


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def hall(make_store: Callable[..., Store], sqlite_url: str, clock: FakeClock) -> Store:
    """A congress with 20 delegates in the hall (a quorum) and a clock the test moves."""
    store = make_store(sqlite_url, clock=clock)
    for d in [d for d in store.delegates() if d.votes][:20]:
        store.scan(store.card_code(d.number, 0), Mode.ENTRY, "d")
    return store


def keys(store: Store) -> list[str]:
    return [s.key for s in store.agenda_state().items]


def title(store: Store, key: str) -> str:
    found = store.agenda_state().find(key)
    assert found is not None
    return found.item.title


async def open_agenda(app: PresidiumApp, pilot: Pilot[None]) -> AgendaScreen:
    await settle(pilot)
    await press(pilot, "f7")
    assert app.screen is app.agenda_screen
    return app.agenda_screen


def now_line(screen: object) -> str:
    return screen.query_one(NowBar).text  # type: ignore[attr-defined]


def ticked(screen: AgendaScreen, timing: str, level: str) -> bool:
    """The clocks have ticked since the time moved: the now bar's and the running item's."""
    return timing in now_line(screen) and screen.query_one("#agenda-current").has_class(level)


async def test_start_time_end_with_the_running_item_on_every_screen(
    hall: Store, clock: FakeClock
) -> None:
    first, second = keys(hall)[:2]
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agenda(app, pilot)
        assert screen.query_one(AgendaTable).selected == first  # the next item
        assert t("tui.agenda.no_current") in screen_text(app)
        await press(pilot, "f2")
        state = hall.agenda_state()
        assert state.current == first
        started = state.find(first)
        assert started is not None and started.started_at == T0
        text = screen_text(app)
        assert f"▶ {title(hall, first)} · 00:00" in text
        assert t("tui.agenda.done.started", title=title(hall, first)) in text

        clock.advance(4 * 60 + 10)  # 04:10 of 05:00: ending soon (yellow)
        timing = agenda.timing(hall.agenda_state(), clock.now)
        assert timing is not None
        expected = agenda.describe_timing(timing)
        assert "04:10" in expected
        # the screen ticks by itself (every second), without reading the database
        await wait_for(pilot, lambda: ticked(screen, expected, "-soon"), seconds=10)
        assert expected in now_line(screen)
        assert screen.query_one(NowBar).has_class("-soon")
        assert screen.query_one("#agenda-current").has_class("-soon")
        assert t("agenda.level.soon") in screen_text(app)

        clock.advance(2 * 60)  # 06:10 of 05:00: over (red)
        over = agenda.describe_timing(agenda.timing(hall.agenda_state(), clock.now))  # type: ignore[arg-type]
        await wait_for(pilot, lambda: ticked(screen, over, "-over"), seconds=10)
        assert "01:10" in over and over in now_line(screen)
        assert screen.query_one(NowBar).has_class("-over")

        # the roll call shows it too
        await press(pilot, "f7")
        assert app.screen is app.rollcall
        assert over in now_line(app.rollcall)
        assert app.rollcall.query_one(NowBar).has_class("-over")
        assert f"▶ {title(hall, first)}" in screen_text(app)

        # and the vote screen, and a dialog over the roll call
        await press(pilot, "f8")
        assert over in now_line(app.vote_screen)
        await press(pilot, "f8", "f2")
        assert f"▶ {title(hall, first)}" in screen_text(app)
        await press(pilot, "escape")

        # end it: done, with its actual times
        await press(pilot, "f7")
        clock.advance(20)
        await press(pilot, "f3")
        state = hall.agenda_state()
        done = state.find(first)
        assert state.current is None and done is not None and done.status is ItemStatus.DONE
        assert done.ended_at == clock.now
        text = screen_text(app)
        assert "✓" in text and "07:30–07:36" in text and "06:30 / 05:00 (+01:30)" in text
        assert t("tui.now.idle_next", next=title(hall, second)) in now_line(screen)

        # starting another while one runs ends it at the same moment
        await select(app, pilot, second)
        await press(pilot, "f2")
        third = keys(hall)[2]
        await select(app, pilot, third)
        clock.advance(60)
        await press(pilot, "f2")
        state = hall.agenda_state()
        assert state.current == third
        auto = state.find(second)
        assert auto is not None and auto.status is ItemStatus.DONE and auto.spans[-1].auto_ended
        await select(app, pilot, second)  # its note, whole, on the line under the table
        assert t("tui.agenda.note.auto_ended") in screen_text(app)


async def test_skip_asks_for_a_reason(hall: Store) -> None:
    target = keys(hall)[2]
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(app, pilot)
        await select(app, pilot, target)
        await press(pilot, "f4")
        assert isinstance(app.screen, ReasonDialog)
        assert title(hall, target) in screen_text(app)
        seq = hall.last_seq()
        await confirm(app, pilot)  # no reason: refused in the form, nothing written
        assert isinstance(app.screen, ReasonDialog)
        assert t("tui.dialog.missing", field=t("tui.reason.label")) in screen_text(app)
        assert hall.last_seq() == seq
        await press(pilot, "escape")  # and Escape changes nothing
        await settle(pilot)
        assert hall.last_seq() == seq
        assert app.screen is app.agenda_screen
        await press(pilot, "f4")
        app.screen.query_one("#reason", ScanAwareInput).value = "dời sang buổi chiều"
        await press(pilot, "enter")
        assert app.screen is app.agenda_screen
        skipped = hall.agenda_state().find(target)
        assert skipped is not None and skipped.status is ItemStatus.SKIPPED
        assert skipped.skip_reason == "dời sang buổi chiều"
        text = screen_text(app)
        assert t("tui.agenda.note.skipped", reason="dời sang buổi chiều") in text
        assert t("tui.agenda.summary", done=0, skipped=1, pending=24, total=25) in text
        # a skipped item is passed over: the next one follows
        assert hall.agenda_state().skipped[0].key == target


async def test_move_up_down_and_after_another(hall: Store) -> None:
    order = keys(hall)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(app, pilot)
        await select(app, pilot, order[4])
        await press(pilot, "ctrl+up")
        assert keys(hall)[:5] == [order[0], order[1], order[2], order[4], order[3]]
        table = app.agenda_screen.query_one(AgendaTable)
        assert table.selected == order[4]  # the cursor follows the item
        await press(pilot, "ctrl+down", "ctrl+down")
        assert keys(hall)[:6] == [order[0], order[1], order[2], order[3], order[5], order[4]]
        assert t("tui.agenda.note.moved") in screen_text(app)
        # after another, chosen in a list
        await select(app, pilot, order[10])
        await press(pilot, "f6")
        dialog = app.screen
        assert isinstance(dialog, MoveDialog)
        targets = dialog.query_one("#move-targets", DataTable)
        targets.move_cursor(row=2)  # row 0 is "to the top", then the items in order
        await pause(pilot)
        assert dialog.target == order[1]
        await confirm(app, pilot)
        assert keys(hall)[:3] == [order[0], order[1], order[10]]
        moved = hall.agenda_state().find(order[10])
        assert moved is not None and moved.moved
        # an item already held cannot move: the key is off
        await select(app, pilot, order[0])
        await press(pilot, "f2")
        assert app.agenda_screen.check_action("move_up", ()) is None
        seq = hall.last_seq()
        await press(pilot, "ctrl+down")
        assert hall.last_seq() == seq


async def test_insert_an_item_with_a_form(hall: Store) -> None:
    order = keys(hall)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(app, pilot)
        await select(app, pilot, order[1])
        await press(pilot, "f5")
        dialog = app.screen
        assert isinstance(dialog, InsertDialog)
        assert title(hall, order[1]) in screen_text(app)  # where it goes
        seq = hall.last_seq()
        await confirm(app, pilot)  # no title: said in the form, the cursor there
        assert isinstance(app.screen, InsertDialog)
        assert t("tui.dialog.missing", field=t("tui.insert.item_title")) in screen_text(app)
        assert app.focused is dialog.query_one("#insert-title")
        assert hall.last_seq() == seq
        dialog.query_one("#insert-title", Input).value = "Biểu quyết bổ sung nhân sự"
        dialog.query_one("#insert-duration", Input).value = "mười"
        await confirm(app, pilot)
        assert t("tui.insert.bad_duration", value="mười") in screen_text(app)
        assert hall.last_seq() == seq
        dialog.query_one("#insert-kind", Select).value = ItemKind.VOTE
        await pause(pilot)
        assert dialog.query_one("#insert-motion-row").display  # a vote says what it decides
        dialog.query_one("#insert-motion", Select).value = MotionKind.ELECTION_LIST
        dialog.query_one("#insert-presenter", Input).value = "Đoàn Chủ tịch"
        dialog.query_one("#insert-duration", Input).value = "7"
        await confirm(app, pilot)
        assert app.screen is app.agenda_screen
        state = hall.agenda_state()
        new = state.items[2]
        assert [s.key for s in state.items[:2]] == order[:2]
        assert new.item.title == "Biểu quyết bổ sung nhân sự"
        assert new.item.kind is ItemKind.VOTE and new.item.motion is MotionKind.ELECTION_LIST
        assert new.item.duration == 7 and new.item.presenter == "Đoàn Chủ tịch"
        assert new.inserted_at is not None
        assert app.agenda_screen.query_one(AgendaTable).selected == new.key
        text = screen_text(app)
        assert "Biểu quyết bổ sung nhân sự" in text
        assert t("tui.agenda.note.inserted", at="07:30") in text
        kinds = [e.kind for e in hall.events() if e.kind.startswith("agenda_")]
        assert kinds == ["agenda_item_inserted"]


async def test_a_scan_on_the_agenda_screen(hall: Store) -> None:
    d = next(d for d in hall.delegates() if d.votes and not d.present)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(app, pilot)
        type_burst(app, hall.card_code(d.number, 0))
        await settle(pilot)
        info = hall.delegate(d.number)
        assert info is not None and info.present
        notice = app.agenda_screen.query_one(Notice)
        assert notice.colour == "green"
        assert t("scan.admitted") in notice.text and d.full_name in notice.text
        assert app.screen is app.agenda_screen  # the screen stays
        assert "Present 21" in str(app.rollcall.query_one("#counts", Static).content)


async def test_palette_and_help_offer_the_agenda(hall: Store) -> None:
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.rollcall)}
        assert t("tui.command.agenda.title") in titles and t("tui.command.vote.title") in titles
        titles = {c.title for c in app.get_system_commands(app.agenda_screen)}
        for name in ("agenda_start", "agenda_end", "agenda_skip", "agenda_insert", "rollcall"):
            assert t(f"tui.command.{name}.title") in titles
        assert t("tui.command.manual.title") not in titles  # the roll call's keys stay there
        await press(pilot, "ctrl+p")
        wanted = t("tui.command.agenda.title")
        type_burst(app, wanted, enter=False)
        commands = app.screen.query_one(CommandList)

        def found() -> bool:  # the palette's search has put the command first
            first = commands.highlighted
            return first is not None and wanted in str(commands.get_option_at_index(first).prompt)

        await wait_for(pilot, found)
        await press(pilot, "enter")
        assert app.screen is app.agenda_screen
        await press(pilot, "f1")
        text = screen_text(app)
        assert t("tui.help.agenda_keys") in text and t("tui.command.agenda_skip.help") in text
        await press(pilot, "escape")
        await press(pilot, "escape")  # back to the roll call
        await settle(pilot)
        assert app.screen is app.rollcall


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_the_agenda_screen_is_translated(hall: Store, clock: FakeClock, lang: str) -> None:
    i18n.use(lang)
    order = keys(hall)
    hall.start_item(order[0])
    clock.advance(400)
    hall.start_item(order[1])
    hall.skip_item(order[2], "lý do")
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(app, pilot)
        text = screen_text(app)
        assert "⟦" not in text, text
        assert t("tui.agenda.current") in text and t("tui.command.agenda_start.title") in text
        for key in ("f4", "f5", "f6"):
            await select(app, pilot, order[3])
            await press(pilot, key)
            assert app.screen is not app.agenda_screen
            assert "⟦" not in screen_text(app), key
            await press(pilot, "escape")
        await press(pilot, "f7")
        assert "⟦" not in screen_text(app)
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)


async def test_the_running_item_is_in_view_when_the_agenda_first_shows(hall: Store) -> None:
    """Seen in tmux at 80×24: F7 showed items 10-17 while the cursor was on the running item
    20 (the table was filled before it had a size, so it could not scroll)."""
    items = keys(hall)
    hall.start_item(items[19])
    app = make_app(hall)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(app, pilot)
        table = screen.query_one(AgendaTable)
        assert table.selected == items[19]
        await wait_for(pilot, lambda: title(hall, items[19])[:20] in screen_text(app))
        row_top = table.cursor_row - int(table.scroll_y)
        assert 0 <= row_top < table.scrollable_content_region.height - 1  # (the header row)
