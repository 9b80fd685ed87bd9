"""The operator's dialogs: manual check-in, correction, absences, reissue, help, quitting.

Scans must still be taken while a dialog is open, whatever field has focus.
"""

from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Button, Input

from db.store import Store
from session.i18n import t
from session.quorum import Status
from session.rollcall import Action, Mode
from tests.harness.screens import banner
from tui.app import PresidiumApp, make_app
from tui.dialog import Choice, ConfirmScreen
from tui.elections.forms import NominationDialog
from tui.help import HelpScreen
from tui.modals import (
    AbsenceScreen,
    CorrectionScreen,
    ManualCheckInScreen,
    NewCardScreen,
    ReissueScreen,
)
from tui.picker import DelegatePicker
from tui.testing import press, screen_text, settle, type_burst, wait_for
from tui.widgets.scan_input import ScanAwareInput, ScanField

SIZE = (160, 50)
KHOE = 1  # demo_register: number 1 is Nguyễn Văn Khỏe


def highlighted(found: CommandList) -> str:
    """The palette's highlighted command, as plain text (its title)."""
    if found.highlighted is None:
        return ""
    prompt = found.get_option_at_index(found.highlighted).prompt
    return str(getattr(prompt, "plain", prompt)).splitlines()[0].strip()


async def search(app: PresidiumApp, pilot: Pilot[None], query: str) -> DelegatePicker:
    picker = app.screen.query_one(DelegatePicker)
    field = picker.query_one("#pick-query", ScanAwareInput)
    type_burst(app, query, enter=False)
    # Typed, then searched once the typing paused (however long a busy machine takes).
    await wait_for(pilot, lambda: field.value.endswith(query) and not picker.waiting)
    return picker


async def give_reason(app: PresidiumApp, pilot: Pilot[None], reason: str) -> None:
    app.screen.query_one("#reason", ScanAwareInput).focus()
    await pilot.pause()
    type_burst(app, reason)
    await settle(pilot)


async def confirm(app: PresidiumApp, pilot: Pilot[None]) -> None:
    assert isinstance(app.screen, ConfirmScreen)
    app.screen.query_one("#confirm", Button).press()
    await settle(pilot)


async def test_manual_check_in_found_without_diacritics(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, ManualCheckInScreen)
        picker = await search(app, pilot, "nguyen van khoe")
        assert picker.selected is not None and picker.selected.number == KHOE
        assert picker.selected.full_name == "Nguyễn Văn Khỏe"
        assert "Nguyễn Văn Khỏe" in screen_text(app)
        await give_reason(app, pilot, "quên thẻ ở nhà")
        assert app.screen is app.rollcall
        assert isinstance(app.focused, ScanField)  # focus back on the scan field
        d = store.delegate(KHOE)
        assert d is not None and d.present
        entry = store.attendance_log(1)[0]
        assert entry.number == KHOE and entry.method == "manual"
        assert entry.reason == "quên thẻ ở nhà" and entry.action is Action.CHECK_IN
        assert t("scan.admitted") in banner(app) and "quên thẻ ở nhà" in banner(app)


async def test_manual_needs_a_delegate_and_a_reason(store: Store) -> None:
    """Enter says what is missing and puts the cursor there; Esc records nothing and says so."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f2")
        await press(pilot, "enter")
        assert t("tui.pick.required") in screen_text(app)
        assert app.focused is app.screen.query_one("#pick-query")
        await search(app, pilot, "17")  # by number
        await press(pilot, "enter")
        assert t("tui.dialog.missing", field=t("tui.reason.label")) in screen_text(app)
        assert app.focused is app.screen.query_one("#reason")
        assert isinstance(app.screen, ManualCheckInScreen)
        await press(pilot, "escape")
        assert app.screen is app.rollcall and isinstance(app.focused, ScanField)
        assert t("tui.dialog.cancelled", title=app_title(ManualCheckInScreen)) in banner(app)
        assert store.attendance_log() == []


def app_title(dialog: type) -> str:
    """The title of a roll-call dialog, as the cancel notice names it (entry mode)."""
    return t("tui.manual.title", mode=t("mode.entry")) if dialog is ManualCheckInScreen else ""


async def test_manual_in_exit_mode_records_a_manual_exit(store: Store) -> None:
    store.scan(store.card_code(KHOE, 0), Mode.ENTRY, "cửa-chính")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3", "f2")
        await search(app, pilot, "khoe nguyen")
        await give_reason(app, pilot, "ra ngoài, quên thẻ")
        d = store.delegate(KHOE)
        assert d is not None and not d.present
        entry = store.attendance_log(1)[0]
        assert entry.action is Action.CHECK_OUT and entry.method == "manual"


async def test_scan_while_the_manual_search_field_has_focus(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        field = app.screen.query_one("#pick-query", ScanAwareInput)
        assert app.focused is field
        type_burst(app, "nguyen", enter=False)
        type_burst(app, store.card_code(2, 0))
        await settle(pilot)
        d = store.delegate(2)
        assert d is not None and d.present
        assert t("scan.admitted") in banner(app)
        assert field.value == "nguyen"  # what the operator typed is kept; the code is not
        assert isinstance(app.screen, ManualCheckInScreen)  # the dialog stays open
        # and in the reason field
        await give_reason(app, pilot, "")
        type_burst(app, "lý do " + store.card_code(3, 0))
        await settle(pilot)
        d = store.delegate(3)
        assert d is not None and d.present
        assert app.screen.query_one("#reason", ScanAwareInput).value == "lý do "


async def test_correction_of_a_mistaken_entry(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_burst(app, store.card_code(4, 0))
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CorrectionScreen)
        assert screen.selected is not None and screen.selected.number == 4
        # the cursor starts in the number filter (the list moves with the arrows); a scan there
        assert app.focused is screen.query_one("#entry-filter")
        type_burst(app, store.card_code(5, 0))
        await settle(pilot)
        d5 = store.delegate(5)
        assert d5 is not None and d5.present
        await give_reason(app, pilot, "quét nhầm thẻ")
        assert isinstance(app.screen, ConfirmScreen)  # it names the entry before undoing it
        assert f"#{screen.selected.id}" in screen_text(app)
        await confirm(app, pilot)
        d = store.delegate(4)
        assert d is not None and not d.present
        log = store.attendance_log(number=4)
        assert log[0].is_correction and log[0].reason == "quét nhầm thẻ"
        assert log[1].reversed  # nothing deleted: the original is kept, marked corrected
        assert isinstance(app.focused, ScanField)
        assert t(
            "tui.correct.done", id=log[1].id, name=d.full_name, action=t("tui.action.check_out")
        ) in banner(app)


async def test_absence_for_the_whole_congress_lowers_the_base(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "base 28" in screen_text(app)
        await pilot.press("f5")
        assert isinstance(app.screen, AbsenceScreen)
        await search(app, pilot, "4")
        app.screen.query_one("#status", Choice).value = Status.ABSENT_WHOLE.value
        await give_reason(app, pilot, "ốm nằm viện")
        assert isinstance(app.screen, ConfirmScreen)  # leaving the base: asked first
        await confirm(app, pilot)
        d = store.delegate(4)
        assert d is not None and d.status is Status.ABSENT_WHOLE
        assert d.status_reason == "ốm nằm viện"
        assert store.snapshot().verdict.attendance.base == 27
        assert "base 27" in screen_text(app)
        # the absence shows in the missing list
        assert t("status.absent_whole_congress") in screen_text(app)


async def test_absence_refused_for_a_delegate_in_the_hall_is_shown(store: Store) -> None:
    store.scan(store.card_code(4, 0), Mode.ENTRY, "cửa-chính")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await search(app, pilot, "4")
        app.screen.query_one("#status", Choice).value = Status.ABSENT_WHOLE.value
        await give_reason(app, pilot, "nhầm")
        await confirm(app, pilot)
        d = store.delegate(4)
        assert d is not None and d.status is Status.SUMMONED
        assert "record the exit first" in banner(app)
        assert app.screen is app.rollcall


async def test_reissue_after_confirmation_revokes_the_old_card(
    store: Store, tmp_path: Path
) -> None:
    old = store.card_code(5, 0)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        assert isinstance(app.screen, ReissueScreen)
        await search(app, pilot, "5")
        await give_reason(app, pilot, "mất thẻ")
        assert isinstance(app.screen, ConfirmScreen)  # irreversible: asks first
        await press(pilot, "escape")  # back to the form: nothing recorded yet
        assert isinstance(app.screen, ReissueScreen)
        d = store.delegate(5)
        assert d is not None and d.card_issue == 0
        await press(pilot, "enter")  # the form again: Enter asks again
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "enter")  # Enter confirms
        await settle(pilot)
        d = store.delegate(5)
        assert d is not None and d.card_issue == 1
        assert isinstance(app.screen, NewCardScreen)
        new = store.card_code(5, 1)
        assert new.replace(" ", "")[:8] in screen_text(app).replace(" ", "")
        await pilot.press("escape")
        await settle(pilot)
        type_burst(app, old)
        await settle(pilot)
        assert t("scan.revoked") in banner(app)
        type_burst(app, new)
        await settle(pilot)
        assert t("scan.admitted") in banner(app)
        assert app.rollcall.last_sheet is not None and app.rollcall.last_sheet.number == 5


async def test_reissue_writes_the_card_sheet_next_to_the_database(store: Store) -> None:
    pytest.importorskip("printouts.cards")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await search(app, pilot, "6")
        await give_reason(app, pilot, "mất thẻ")
        await confirm(app, pilot)
        await settle(pilot)
        sheet = app.rollcall.last_sheet
        assert sheet is not None and sheet.path is not None, sheet and sheet.error
        assert sheet.path.parent == app.desk.folder()
        assert sheet.path.exists() and sheet.path.read_bytes()[:4] == b"%PDF"


async def test_help_lists_every_key(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in ("F1", "F2", "F3", "F4", "F5", "F6", "ctrl+p", "ctrl+q"):
            assert key in text
        for name in ("manual", "mode", "correct", "absence", "reissue", "quit"):
            assert t(f"tui.command.{name}.title") in text
        await pilot.press("escape")
        assert app.screen is app.rollcall and isinstance(app.focused, ScanField)


async def test_palette_offers_every_action(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.rollcall)}
        for name in ("help", "manual", "mode", "correct", "absence", "reissue", "quit"):
            assert t(f"tui.command.{name}.title") in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen is not app.rollcall
        # a scan while the palette's own search field has focus (not one of our fields)
        type_burst(app, store.card_code(8, 0))
        await settle(pilot)
        d = store.delegate(8)
        assert d is not None and d.present
        assert app.screen.query_one(Input).value == ""  # the code was taken out of its field
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.rollcall
        # a command chosen in the palette runs on the roll-call screen
        await pilot.press("ctrl+p")
        type_burst(app, t("tui.command.manual.title"), enter=False)
        found = app.screen.query_one(CommandList)
        # (the palette searches in the background: Enter once it highlights what was typed)
        await wait_for(pilot, lambda: highlighted(found) == t("tui.command.manual.title"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ManualCheckInScreen)


async def test_quit_asks_first(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        assert t("tui.quit.question") in screen_text(app)
        assert app.focused is app.screen.query_one("#confirm")  # Enter quits, as every question
        type_burst(app, store.card_code(9, 0))  # a scan while a button has focus
        await settle(pilot)
        d = store.delegate(9)
        assert d is not None and d.present
        assert isinstance(app.screen, ConfirmScreen)  # (the scan's Enter did not quit)
        await press(pilot, "escape")
        assert app.screen is app.rollcall and isinstance(app.focused, ScanField)
        assert t("tui.dialog.cancelled", title=t("tui.quit.question")) not in banner(app)
        await press(pilot, "ctrl+q", "enter")
        await pilot.pause()
        assert app.return_code == 0


@pytest.mark.parametrize("size", [(160, 50), (160, 40), (120, 36), (80, 24)])
async def test_a_tall_dialog_keeps_its_error_hint_and_buttons_in_view(
    store: Store, size: tuple[int, int]
) -> None:
    """Seen in tmux at 160×50: the nomination dialog's fields pushed its refusal, key hint and
    buttons below its frame, so Enter seemed to do nothing. The body now scrolls in the room
    left; everything under it shows, also after a long refusal."""
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        dialog = NominationDialog(lambda _r, _d: None, store.search, "Bầu", 30)
        app.push_screen(dialog)
        await settle(pilot)

        def all_in_view() -> bool:
            frame = dialog.query_one(".dialog").content_region
            parts = ("#dialog-error", "#dialog-hint", "#confirm", "#cancel")
            return all(frame.contains_region(dialog.query_one(p).region) for p in parts)

        await wait_for(pilot, all_in_view)
        await press(pilot, "enter")  # nobody chosen: refused, and the refusal is in view
        await wait_for(pilot, lambda: t("tui.pick.required") in screen_text(app))
        assert all_in_view()
        dialog.fail(" ".join([t("tui.pick.required")] * 8))  # a refusal over several lines
        await wait_for(pilot, all_in_view)
        await press(pilot, "escape")
        assert app.screen is not dialog


async def test_a_long_action_keeps_cancel_on_a_laptop_screen(store: Store) -> None:
    """Seen in tmux at 80×24: the overflow step's button, "quyết định những người quá số chính
    thức có trở thành dự khuyết không", pushed Cancel off the screen. A long action is named
    whole on the hint line; its button says "Record"."""
    action = "decide whether those beyond the official seats become alternates"
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        question = ConfirmScreen("Question?", "detail", action)
        app.push_screen(question)
        await settle(pilot)
        confirm, cancel = question.query_one("#confirm", Button), question.query_one("#cancel")
        assert str(confirm.label) == t("tui.dialog.record")
        assert cancel.region.right <= 80 and cancel.region.width > 0
        assert action in screen_text(app)  # (on the hint line)
        await press(pilot, "escape")
