"""The projector (the display role): what the hall sees, following the other terminals, and that
nothing on it can change anything: no key, no palette command, no scan, and a Store that appends
nothing."""

from dataclasses import replace

import pytest
from textual.pilot import Pilot

from db.store import Store, StoreError
from session.elections import ElectionBook
from session.i18n import t
from session.results import Purpose
from session.roles import Role
from session.rollcall import Mode
from tests.harness.elections_kit import committee, people
from tests.harness.roles import database_gone, keys_of
from tests.harness.votes import PRESENT, admit, resolution
from tui.app import PresidiumApp, make_app
from tui.meeting_view import verdict_text
from tui.stations.display import DisplayScreen, elected_lines, result_lines
from tui.testing import screen_text, settle, type_burst, wait_for

SIZE = (160, 50)
EVERY_KEY = (
    *(f"f{n}" for n in range(1, 13)),
    "ctrl+p",
    "ctrl+e",
    "ctrl+b",
    "delete",
    "escape",
    "enter",
    "tab",
)


@pytest.fixture
def projector(store: Store, sqlite_url: str) -> Store:
    return Store.open(sqlite_url, terminal="host/projector")


def display(app: PresidiumApp) -> DisplayScreen:
    screen = app.screen
    assert isinstance(screen, DisplayScreen), screen
    return screen


async def started(app: PresidiumApp, pilot: Pilot[None]) -> DisplayScreen:
    await settle(pilot)
    return display(app)


async def test_the_projector_shows_attendance_quorum_item_and_clock(
    store: Store, projector: Store
) -> None:
    admit(store, 12)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(app, pilot)
        assert app.desk.signed_in  # no sign-in: the projector needs no passphrase
        text = screen.text
        assert t("roles.display.attendance", present="12", summoned="28", base="28") in text
        assert t("roles.display.quorum_not_ok") in text  # 12 of 28: nothing can pass
        assert t("tui.now.idle_next", next="Chào cờ") in text
        assert t("roles.display.no_vote") in text and t("roles.display.no_results") in text
        # another terminal admits eight more: the projector follows
        admit(store, 20)
        await wait_for(pilot, lambda: "Present 20 of 28" in display(app).text)
        assert t("roles.display.quorum_ok") in display(app).text
        assert t("roles.display.present") in screen_text(app)


async def test_the_projector_follows_a_vote_to_its_announced_result(
    store: Store, projector: Store
) -> None:
    admit(store, PRESENT)
    item = resolution(store)
    store.start_item(item)
    vote = store.open_item_vote(item)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        text = display(app).text
        assert vote.title in text and t("vote.status.open").upper() in text
        assert t("roles.display.sectors", confirmed=0, sectors=3) in text
        counts = {"A": (13, 1, 0), "B": (5, 0, 0), "C": (1, 0, 0)}
        for sector, (yes, no, other) in counts.items():
            for teller in ("Tổ 1", "Tổ 2"):
                options = [o.value for o in vote.options]
                store.enter_count(
                    vote.id, sector, teller, dict(zip(options, (yes, no, other), strict=True))
                )
        await wait_for(pilot, lambda: t("roles.display.to_announce") in display(app).text)
        assert t("roles.display.no_results") in display(app).text  # not before it is announced
        published = store.publish_vote(vote.id)
        assert published.verdict is not None
        await wait_for(pilot, lambda: verdict_text(published.verdict) in display(app).text)  # type: ignore[arg-type]
        assert t("roles.display.no_vote") in display(app).text


def test_the_elected_are_shown_and_a_nomination_ballot_never() -> None:
    run = committee(3, people(4))
    run.by_sheet({"p001": 200, "p002": 190, "p003": 180, "p004": 20}, 282, {}, returned=282)
    elected = run.e("bch")
    lines = "\n".join(elected_lines(run.book))
    names = [p.full_name for p in elected.people(("p001", "p002", "p003"))]
    assert elected.title in lines and all(n in lines for n in names)
    assert elected.people(("p004",))[0].full_name not in lines
    # the same results as a secret nomination ballot: for the presidium only
    nomination = replace(elected, purpose=Purpose.NOMINATION)
    assert elected_lines(ElectionBook((nomination,))) == [t("roles.display.none_elected")]
    poll = replace(elected, purpose=Purpose.LIST_CUT)
    assert elected_lines(ElectionBook((poll,))) == [t("roles.display.none_elected")]


def test_no_result_is_shown_before_it_is_announced() -> None:
    from session.votes import VoteBook

    assert result_lines(VoteBook()) == [t("roles.display.no_results")]


async def test_nothing_on_the_projector_can_change_anything(store: Store, projector: Store) -> None:
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(app, pilot)
        before = store.last_seq()
        assert keys_of(app) == {"f1": "help", "ctrl+q": "quit"}
        assert screen.focus_chain == []  # no field, no button: nothing takes a key
        type_burst(app, store.card_code(2, 0))  # a card scanned at the projector
        await settle(pilot)
        for key in EVERY_KEY:
            if key == "f1":
                continue
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, key
        for action in ("manual", "cycle_mode", "agenda", "vote", "elections", "export"):
            assert not await app.run_action(action), action
            assert app.screen is screen
        assert store.last_seq() == before
        d = store.delegate(2)
        assert d is not None and not d.present
        # even a write slipped onto its queue is refused by its Store: it appends nothing
        refused: list[str] = []
        app.desk.write(
            lambda: projector.scan(store.card_code(2, 0), Mode.ENTRY, "x"), failed=refused.append
        )
        await settle(pilot)
        assert refused and t("error.role_refused", role="display", kind="check_in") in refused[0]
        with pytest.raises(StoreError):
            projector.manual(3, Mode.ENTRY, "x", "quên thẻ")
        assert store.last_seq() == before
        await pilot.press("f1")
        await settle(pilot)
        help_text = screen_text(app)
        assert t("tui.command.quit.title") in help_text
        assert t("tui.command.manual.title") not in help_text


async def test_the_projector_says_when_it_is_not_connected(store: Store, projector: Store) -> None:
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        with database_gone(projector):
            await wait_for(pilot, lambda: not app.desk.connected)
            assert t("roles.not_connected.banner") in screen_text(app)
        await wait_for(pilot, lambda: app.desk.connected)
        assert t("roles.not_connected.banner") not in screen_text(app)


async def test_the_projector_shows_the_log_s_head_as_an_anchor_verify_takes(
    store: Store, projector: Store, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: the hash the hall sees is one `presidium verify --anchor` finds in the log."""
    from presidium.cli import main

    admit(store, 5)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        seq, digest = store.head()
        await wait_for(pilot, lambda: digest[:4] in screen_text(app))
        shown = screen_text(app)
        assert f"{seq}" in shown and " ".join(digest[i : i + 4] for i in range(0, 16, 4)) in shown
        admit(store, 6)  # the head moves with a scan at the door, not only with the meeting
        seq, digest = store.head()
        await wait_for(pilot, lambda: digest[:4] in screen_text(app))
    copied = shown.split("hash ")[1].split(" (")[0] if "hash " in shown else ""
    assert copied, shown
    assert main(["--lang", "en", "verify", "--db", sqlite_url, "--anchor", copied]) == 0
