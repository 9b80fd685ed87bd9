"""The vote screen (F8) driven like the presidium's desk: open the running item's vote, two
tellers per sector, a dispute and its recount, refused entries, the verdict with its arithmetic,
the announcement, a correction, the quick "all present in favour" path and a warned opening."""

import time
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from db.store import Store
from session import i18n
from session.i18n import t
from session.tally import explain, rule_label
from session.votes import SectorStatus, VoteStatus
from tests.harness.screens import confirm, enter_counts, fill_counts, pick_sector
from tests.harness.votes import PRESENT, admit, resolution
from tui.app import PresidiumApp, make_app
from tui.dialog import ConfirmScreen
from tui.forms import CorrectionDialog, CountDialog, ReasonDialog, TellerDialog
from tui.testing import caught_up, screen_text, settle, type_burst, wait_for
from tui.testing import press as press_keys
from tui.vote import VoteScreen, present_text
from tui.widgets.meeting import Notice, NowBar
from tui.widgets.sectors import SectorBox, SectorGrid

SIZE = (160, 50)


def make_hall(make_store: Callable[..., Store], url: str) -> Store:
    """20 of the 28 voting delegates in the hall, and the Resolution's vote item running."""
    store = make_store(url)
    admit(store, PRESENT)
    store.start_item(resolution(store))
    return store


@pytest.fixture
def hall(make_store: Callable[..., Store], sqlite_url: str) -> Store:
    return make_hall(make_store, sqlite_url)


async def open_vote_screen(app: PresidiumApp, pilot: Pilot[None]) -> VoteScreen:
    await settle(pilot)
    await press_keys(pilot, "f8")
    assert app.screen is app.vote_screen
    return app.vote_screen


async def press(app: PresidiumApp, pilot: Pilot[None], *keys: str) -> None:
    await press_keys(pilot, *keys)


def dialog_text(dialog: CountDialog) -> str:
    """Everything the form says or holds: its texts and its fields' values."""
    texts = [str(s.content) for s in dialog.query(Static)]
    return "\n".join(texts + [f.value for f in dialog.query(Input)])


def notice(app: PresidiumApp) -> Notice:
    return app.vote_screen.query_one(Notice)


def footer_keys(screen: VoteScreen) -> dict[str, bool]:
    """Whether the footer offers F2 (open), F3 (count) and F6 (announce), or shows them dimmed."""
    shown = {k.key: not k.has_class("-disabled") for k in screen.query("FooterKey")}  # type: ignore[attr-defined]
    return {key: shown[key] for key in ("f2", "f3", "f6")}


def box(app: PresidiumApp, sector: str) -> SectorBox:
    return app.vote_screen.query_one(SectorGrid).box(sector)


async def test_the_whole_vote_through_the_pilot(
    make_store: Callable[..., Store], db_url: str
) -> None:
    """On SQLite and on PostgreSQL."""
    hall = make_hall(make_store, db_url)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_vote_screen(app, pilot)
        item = resolution(hall)
        title = hall.agenda_state().find(item).item.title  # type: ignore[union-attr]
        assert t("tui.vote.none_ready", title=title) in screen_text(app)
        await wait_for(pilot, lambda: footer_keys(screen) == {"f2": True, "f3": False, "f6": False})
        await press(app, pilot, "f2")  # create and open: no warning with 20 of 28 present
        book = hall.vote_book()
        vote = book.active
        assert vote is not None and vote.item == item and vote.status is VoteStatus.OPEN
        # First, while it is there: a notice gives way to "ready" after a few seconds.
        assert t("tui.vote.done.opened", title=vote.title) in notice(app).text
        assert vote.snapshot is not None and vote.snapshot.present == PRESENT
        text = screen_text(app)
        assert vote.id not in text and t("vote.status.open").upper() in text  # (no id shown)
        assert rule_label(vote.rule) in text
        assert t("vote.option.tan_thanh") in text  # the Party rule set's options
        assert app.vote_screen.check_action("open_vote", ()) is None  # once is enough
        await wait_for(
            pilot, lambda: footer_keys(screen) == {"f2": False, "f3": True, "f6": False}
        )  # it follows

        # sector A: two tellers who agree
        await enter_counts(app, pilot, "A", "Tổ 1", 13, 1, 0)
        assert box(app, "A").state is SectorStatus.AWAITING_SECOND
        assert t("vote.sector_state.awaiting_second") in screen_text(app)
        # the second teller's form shows neither the first teller's numbers nor any count
        await press(app, pilot, "f3")
        second = app.screen
        assert isinstance(second, CountDialog) and second.entry == 2
        assert all(f.value == "" for f in second.query(Input))
        vote = hall.vote_book().active
        assert vote is not None and vote.snapshot is not None
        seated = vote.snapshot.in_sector("A")  # those the register seats in sector A
        assert seated is not None and 0 < seated < PRESENT
        present = present_text(vote, "A", app.vote_screen._sector_title("A"))
        assert str(seated) in present and str(PRESENT) in present
        assert t("tui.count.help_second", teller="Tổ 1", present=present) in dialog_text(second)
        # (the dialog's own text: the screen under it has a clock, whose seconds may read 13)
        assert "13" not in dialog_text(second)
        # the same teller twice is refused in the form, nothing written
        seq = hall.last_seq()
        fill_counts(second, "Tổ 1", 13, 1, 0)
        await confirm(app, pilot)
        assert app.screen is second
        assert "Tổ 1 has already entered sector A" in screen_text(app)
        assert hall.last_seq() == seq
        fill_counts(second, "Tổ 2", 13, 1, 0)
        await confirm(app, pilot)
        assert app.screen is screen
        assert box(app, "A").state is SectorStatus.CONFIRMED
        assert "13 · 1 · 0" in screen_text(app)  # confirmed counts show
        assert notice(app).colour == "green"

        # sector B: a mismatch is disputed, recounted, entered again
        await enter_counts(app, pilot, "B", "Tổ 3", 3, 0, 0)
        await enter_counts(app, pilot, "B", "Tổ 4", 2, 1, 0)
        assert hall.vote_book().get(vote.id).sector("B").status is SectorStatus.DISPUTED  # type: ignore[union-attr]
        assert box(app, "B").state is SectorStatus.DISPUTED
        assert t("vote.sector_state.disputed") in screen_text(app)
        assert notice(app).colour == "red"
        assert t("tui.vote.done.disputed", sector="Khu B – giữa") in notice(app).text
        await press(app, pilot, "f3")  # no third entry: recount first
        assert app.screen is screen
        await press(app, pilot, "f4")
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one("#reason", Input).value = "hai tổ lệch nhau"
        await confirm(app, pilot)
        sector_b = hall.vote_book().get(vote.id).sector("B")  # type: ignore[union-attr]
        assert sector_b is not None and sector_b.status is SectorStatus.MISSING
        assert sector_b.round == 2 and sector_b.cleared[0].reason == "hai tổ lệch nhau"
        await enter_counts(app, pilot, "B", "Tổ 3", 3, 0, 0)
        await enter_counts(app, pilot, "B", "Tổ 4", 3, 0, 0)
        assert box(app, "B").state is SectorStatus.CONFIRMED

        # sector C: refused entries show their message and write nothing
        seq = hall.last_seq()
        dialog = await enter_counts(app, pilot, "C", "Tổ 5", -1, 0, 0)
        assert app.screen is dialog
        assert t("vote.error.negative", option=t("vote.option.tan_thanh"), value="-1") in (
            screen_text(app)
        )
        fill_counts(dialog, "Tổ 5", 25, 0, 0)
        await confirm(app, pilot)
        assert t(
            "vote.error.option_above_present",
            option=t("vote.option.tan_thanh"),
            count=25,
            present=PRESENT,
        ) in screen_text(app)
        fill_counts(dialog, "Tổ 5", "năm", 0, 0)
        await confirm(app, pilot)
        assert "is not a whole number" in screen_text(app)
        fill_counts(dialog, "Tổ 5", 4, 0, 0)  # 13+1 + 3 + 4 = 21 > 20 present
        await confirm(app, pilot)
        assert t("vote.error.sectors_above_present", total=21, present=PRESENT) in (
            screen_text(app)
        )
        assert hall.last_seq() == seq
        fill_counts(dialog, "Tổ 5", 2, 0, 1)
        await confirm(app, pilot)
        await enter_counts(app, pilot, "C", "Tổ 6", 2, 0, 1)

        # counted: the verdict with its arithmetic, the rule, those not voting
        vote = hall.vote_book().get(vote.id)
        assert vote is not None and vote.status is VoteStatus.COUNTED
        verdict = vote.verdict
        assert verdict is not None and verdict.passed
        text = screen_text(app)
        assert explain(verdict) in text
        assert "18 × 2 = 36 > 28" in text and "64.29 %" in text
        assert t("tui.vote.passed") in text and rule_label(vote.rule) in text
        assert t("vote.not_voting") in text
        assert t("tui.vote.done.counted", title=vote.title) in notice(app).text
        await wait_for(pilot, lambda: footer_keys(screen) == {"f2": False, "f3": False, "f6": True})

        # announce, after a confirmation (Escape says no)
        await press(app, pilot, "f6")
        assert isinstance(app.screen, ConfirmScreen)
        assert explain(verdict) in screen_text(app)
        await press(app, pilot, "escape")
        assert hall.vote_book().get(vote.id).status is VoteStatus.COUNTED  # type: ignore[union-attr]
        await press(app, pilot, "f6")
        await confirm(app, pilot)
        assert hall.vote_book().get(vote.id).status is VoteStatus.PUBLISHED  # type: ignore[union-attr]
        assert t("vote.status.published").upper() in screen_text(app)

        # a correction: new totals and a reason, confirmed; both verdicts on screen
        await press(app, pilot, "ctrl+e")
        dialog = app.screen
        assert isinstance(dialog, CorrectionDialog)
        assert dialog.query_one("#count-tan_thanh", Input).value == "18"  # starts from the count
        dialog.query_one("#count-tan_thanh", Input).value = "13"
        dialog.query_one("#count-khong_tan_thanh", Input).value = "6"
        seq = hall.last_seq()
        await confirm(app, pilot)  # no reason: refused in the form
        assert app.screen is dialog and hall.last_seq() == seq
        assert t("tui.dialog.missing", field=t("tui.reason.label")) in screen_text(app)
        dialog.query_one("#reason", Input).value = "khu A đếm nhầm"
        await confirm(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # are you sure?
        await confirm(app, pilot)
        assert app.screen is screen
        corrected = hall.vote_book().get(vote.id)
        assert corrected is not None and len(corrected.corrections) == 1
        assert corrected.corrections[0].reason == "khu A đếm nhầm"
        earlier, now = corrected.history
        assert earlier.passed and not now.passed  # 13 × 2 = 26 < 28
        text = screen_text(app)
        assert explain(earlier) in text and explain(now) in text
        assert "khu A đếm nhầm" in text and t("tui.vote.failed") in text


async def test_all_present_in_favour_needs_two_different_tellers(hall: Store) -> None:
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_vote_screen(app, pilot)
        await press(app, pilot, "f2")
        await press(app, pilot, "f5")
        assert isinstance(app.screen, TellerDialog)
        assert t("tui.unanimous.title", present=PRESENT) in screen_text(app)
        app.screen.query_one("#teller", Input).value = "Tổ 1"
        await confirm(app, pilot)
        vote = hall.vote_book().active
        assert vote is not None and vote.status is VoteStatus.COUNTING and len(vote.unanimous) == 1
        assert t("tui.vote.unanimous_pending", tellers="Tổ 1", count=1) in screen_text(app)
        await press(app, pilot, "f5")
        dialog = app.screen
        assert isinstance(dialog, TellerDialog)
        seq = hall.last_seq()
        dialog.query_one("#teller", Input).value = "Tổ 1"
        await confirm(app, pilot)
        assert app.screen is dialog and hall.last_seq() == seq  # the same teller: refused
        assert "Tổ 1 has already entered" in screen_text(app)
        dialog.query_one("#teller", Input).value = "Tổ 2"
        await confirm(app, pilot)
        vote = hall.vote_book().get(vote.id)
        assert vote is not None and vote.status is VoteStatus.COUNTED
        assert vote.tally is not None and vote.tally.yes == PRESENT
        text = screen_text(app)
        assert vote.verdict is not None and explain(vote.verdict) in text
        assert t("vote.method.unanimous") in text


async def test_opening_with_too_few_present_asks_for_a_reason(
    make_store: Callable[..., Store], sqlite_url: str
) -> None:
    store = make_store(sqlite_url)
    admit(store, 3)
    item = resolution(store)
    store.start_item(item)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_vote_screen(app, pilot)
        await press(app, pilot, "f2")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert store.vote_book().for_item(item) == ()  # nothing written while asking
        check = store.opening_check(item)
        assert check.warnings
        said = str(dialog.query_one(".dialog-help", Static).content)
        for text in check.explained():
            assert text in said
        assert t("tui.open.help") in screen_text(app)
        seq = store.last_seq()
        await confirm(app, pilot)  # no reason: said in the form, nothing written
        assert app.screen is dialog and store.last_seq() == seq
        assert t("tui.dialog.missing", field=t("tui.reason.label")) in screen_text(app)
        dialog.query_one("#reason", Input).value = "Đoàn Chủ tịch xác nhận tiếp tục"
        await confirm(app, pilot)
        vote = store.vote_book().for_item(item)[-1]
        opened = store.vote_book().get(vote.id)
        assert opened is not None and opened.status is VoteStatus.OPEN
        assert opened.open_reason == "Đoàn Chủ tịch xác nhận tiếp tục"
        assert t("tui.vote.opened_despite", reason=opened.open_reason) in screen_text(app)


async def test_cancel_asks_twice_and_a_scan_works_on_the_vote_screen(hall: Store) -> None:
    d = next(d for d in hall.delegates() if d.votes and not d.present)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_vote_screen(app, pilot)
        await press(app, pilot, "f2")
        type_burst(app, hall.card_code(d.number, 0))  # a scan while the sector grid has focus
        await settle(pilot)
        info = hall.delegate(d.number)
        assert info is not None and info.present
        assert notice(app).colour == "green" and d.full_name in notice(app).text
        assert app.screen is screen
        vote = hall.vote_book().active
        assert vote is not None and vote.snapshot is not None
        assert vote.snapshot.present == PRESENT  # frozen when it opened
        # and a scan while a teller's form has focus: taken, the typing kept, nothing entered
        other = next(o for o in hall.delegates() if o.votes and not o.present)
        await press(app, pilot, "f3")
        assert isinstance(app.screen, CountDialog)
        type_burst(app, "Tổ 9", enter=False)
        time.sleep(0.1)  # a person's typing, then a card: the scanner's digits glued to the 9
        type_burst(app, hall.card_code(other.number, 0))
        await settle(pilot)
        info = hall.delegate(other.number)
        assert info is not None and info.present
        assert app.screen.query_one("#teller", Input).value == "Tổ 9"
        assert not hall.vote_book().get(vote.id).sector("A").entries  # type: ignore[union-attr]
        await press(app, pilot, "escape")
        await press(app, pilot, "delete")
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one("#reason", Input).value = "nhầm nội dung"
        await confirm(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "nhầm nội dung" in screen_text(app)
        await confirm(app, pilot)
        cancelled = hall.vote_book().get(vote.id)
        assert cancelled is not None and cancelled.status is VoteStatus.CANCELLED
        assert app.screen is screen
        assert t("vote.status.cancelled").upper() in screen_text(app)
        assert "nhầm nội dung" in screen_text(app)
        # the item may hold a new vote
        assert screen.check_action("open_vote", ()) is True
        await press(app, pilot, "f8")
        assert app.screen is app.rollcall
        assert t("vote.status.cancelled") not in app.rollcall.query_one(NowBar).text


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_the_vote_screen_is_translated(hall: Store, lang: str) -> None:
    i18n.use(lang)
    vote = hall.open_vote(hall.create_vote(resolution(hall)).id)
    options = [o.value for o in vote.options]

    def counts(*n: int) -> dict[str, object]:
        return dict(zip(options, n, strict=True))

    hall.enter_count(vote.id, "A", "1", counts(7, 1, 0))
    hall.enter_count(vote.id, "B", "1", counts(6, 0, 0))
    hall.enter_count(vote.id, "B", "2", counts(5, 0, 0))
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await open_vote_screen(app, pilot)
        text = screen_text(app)
        assert "⟦" not in text, text
        assert t("vote.sector_state.disputed") in text
        assert t("tui.command.vote_count.title") in text  # the footer
        for sector, key in (("A", "f3"), ("B", "f4"), ("C", "f5"), ("C", "delete")):
            await pick_sector(app, pilot, sector)
            await press(app, pilot, key)
            assert app.screen is not app.vote_screen, key
            assert "⟦" not in screen_text(app), key
            await press(app, pilot, "escape")
        hall.recount_sector(vote.id, "B", "x")
        hall.enter_count(vote.id, "A", "2", counts(7, 1, 0))
        for sector in ("B", "C"):
            for teller in ("1", "2"):
                hall.enter_count(vote.id, sector, teller, counts(6, 0, 0))
        hall.publish_vote(vote.id)
        hall.correct_vote(vote.id, counts(7, 0, 0), "y")
        await caught_up(pilot)  # another terminal's changes: the change watcher brings them
        text = screen_text(app)
        assert "⟦" not in text, text
        assert t("tui.vote.passed") in text and t("vote.status.published").upper() in text
        await press(app, pilot, "ctrl+e")
        assert isinstance(app.screen, CorrectionDialog)
        assert "⟦" not in screen_text(app)
        await press(app, pilot, "escape")
        await press(app, pilot, "f1")
        assert "⟦" not in screen_text(app)
