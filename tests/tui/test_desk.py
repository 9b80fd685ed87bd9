"""The desk (tui/desk.py): one write queue in the order things were asked, answers by ticket, and
nothing but data in the messages its workers post (no callable rides back to the screens)."""

from typing import Any

from textual.message import Message

from db.store import Store
from session.i18n import t
from session.rollcall import Mode
from tests.harness.screens import scan
from tui.app import make_app
from tui.desk import WriteAnswered
from tui.testing import settle

SIZE = (160, 50)
DESK_MODULES = {"tui.desk", "tui.station_feed"}  # where the desk's workers' messages are declared


def callables_in(message: Message) -> list[str]:
    """The attributes of `message` (its class's own: Textual's are in slots) that hold
    something callable."""
    return [name for name, value in vars(message).items() if callable(value)]


async def test_writes_answer_in_the_order_asked_and_each_once(store: Store) -> None:
    app = make_app(store)
    answers: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for n in range(5):
            app.desk.write(lambda n=n: n * 10, answers.append)
        await settle(pilot)
        assert answers == [0, 10, 20, 30, 40]
        # Every answer was taken: an answer that came twice would find nothing waiting.
        assert app.desk.reply(1).done is None and app.desk._replies == {}


async def test_a_refused_write_goes_to_its_own_failed_only(store: Store) -> None:
    app = make_app(store)
    done: list[object] = []
    failed: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def refuse() -> None:
            return store.set_status(9999, store.delegate(1).status, "x")  # type: ignore[union-attr]

        app.desk.write(refuse, done.append, failed.append)
        app.desk.write(lambda: "after", done.append, failed.append)
        await settle(pilot)
        assert len(failed) == 1 and "9999" in failed[0]
        assert done == ["after"]


async def test_messages_from_the_workers_carry_data_only(store: Store) -> None:
    app = make_app(store)
    posted: list[Message] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        real = app.post_message

        def keep(message: Message) -> bool:
            posted.append(message)
            return real(message)

        app.post_message = keep  # type: ignore[method-assign]
        await scan(app, pilot, store.card_code(2, 0))
        app.desk.write(lambda: 1, lambda _: None, lambda _: None)
        app.desk.manual(3, Mode.ENTRY, "quên thẻ")
        await settle(pilot)
        posted = [m for m in posted if type(m).__module__ in DESK_MODULES]
        kinds = {type(m).__name__ for m in posted}
        assert {"ScanDone", "WriteAnswered", "FeedLoaded"} <= kinds, kinds
        offending = {type(m).__name__: callables_in(m) for m in posted if callables_in(m)}
        assert offending == {}
        assert t("scan.admitted") in app.rollcall.result_text  # the manual check-in's answer


def test_a_reply_names_its_ticket_and_nothing_else() -> None:
    message: Any = WriteAnswered(7, {"vote": "v-1"}, "")
    assert (message.ticket, message.result, message.error) == (7, {"vote": "v-1"}, "")
    assert callables_in(message) == []
