"""The app speaks the process language on every screen, with no missing-key markers."""

import pytest

from db.store import Store
from session import i18n
from session.i18n import t
from session.rollcall import Mode
from tui.app import PresidiumApp, make_app
from tui.dialog import ConfirmScreen
from tui.modals import NewCardScreen
from tui.testing import press, screen_text, settle, type_burst

SIZE = (160, 50)


def clean(app: PresidiumApp, where: str) -> str:
    text = screen_text(app)
    assert "⟦" not in text, f"missing translation on {where}:\n{text}"
    return text


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_every_screen_is_translated(store: Store, lang: str) -> None:
    i18n.use(lang)
    store.scan(store.card_code(3, 0), Mode.ENTRY, "cửa-chính")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = clean(app, "roll call")
        assert t("mode.entry") in text and t("tui.vitals.title") in text
        assert t("tui.command.manual.title") in text  # the footer
        for code in (
            store.card_code(2, 0),
            store.card_code(2, 0),
            "garbage",
            store.card_code(7, 0),
            store.card_code(999, 0),
        ):
            type_burst(app, code)
            await settle(pilot)
            clean(app, f"result of {code}")
        for mode in ("exit", "voting_check", "entry"):
            await press(pilot, "f3")
            assert t(f"mode.{mode}") in clean(app, mode)
        for key in ("f1", "f2", "f4", "f5", "f6", "ctrl+p"):
            await press(pilot, key)
            assert app.screen is not app.rollcall
            clean(app, key)
            await press(pilot, "escape")
            assert app.screen is app.rollcall
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        assert t("tui.quit.question") in clean(app, "quit")
        await press(pilot, "escape")
        app.push_screen(NewCardScreen(store.delegate(4), 4, store.card_code(4, 0)))
        await settle(pilot)
        clean(app, "new card")


async def test_vietnamese_numbers_and_words(store: Store) -> None:
    i18n.use("vi")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "VÀO HỘI TRƯỜNG" in text
        assert "Có mặt 0" in text and "triệu tập 28" in text
        assert "quá một nửa" in text  # the rule the gauge applies
