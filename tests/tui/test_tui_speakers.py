"""The list of speakers (F10) driven by keys as the presidium's desk runs a discussion, on SQLite
and PostgreSQL, in both languages: a delegate put on the list by their card and others by name
(typed without diacritics), the list reordered, a point of order to the head, a speech over its
time (the countdown turns red), a pause, a written contribution, a removal with its reason, and
the list closed; the projector following it on a terminal of its own, and the minutes' section
read back from the PDF. Then the secretariat's `--role speakers` terminal: signed in, the lists and
nothing else."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from db.store import Store
from printouts.export import export
from session import i18n
from session.agenda import ItemKind
from session.i18n import t
from session.roles import SIGNED_IN, Role
from session.rollcall import Mode
from session.speakers import EntryStatus, Source, SpeakersList, SpeechKind
from tests.harness.clocks import FakeClock
from tests.harness.printouts import page_texts
from tests.harness.roles import SECRET, keys_of, palette, sign_in, terminal
from tests.harness.screens import scan
from tui.app import PresidiumApp, make_app
from tui.forms import ReasonDialog
from tui.picker import DelegatePicker
from tui.speakers import SpeakersScreen
from tui.speakers_forms import AddSpeakerDialog
from tui.stations.display_speakers import SpeakersPanel
from tui.stations.speakers_desk import SpeakersDesk
from tui.testing import press, screen_text, settle, wait_for

SIZE = (160, 50)
T0 = datetime(2025, 6, 20, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
KIND_ORDER = list(SpeechKind)  # the order the form's choice lists them in


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


def discussion(store: Store) -> str:
    return next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.DISCUSSION)


# Each language once, each database once: the flow is long (CI time).
SETTINGS = [
    pytest.param(("sqlite", "vi"), id="sqlite-vi"),
    pytest.param(("pg", "en"), id="pg-en", marks=pytest.mark.pg),
]


@pytest.fixture(params=SETTINGS)
def setting(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def lang(setting: tuple[str, str]) -> str:
    i18n.use(setting[1])
    return setting[1]


@pytest.fixture
def db_url(setting: tuple[str, str], request: pytest.FixtureRequest) -> str:
    """This module's database: the setting's (tests/conftest.py's db_url runs both)."""
    return str(request.getfixturevalue("sqlite_url" if setting[0] == "sqlite" else "pg_url"))


@pytest.fixture
def hall(make_store: Callable[..., Store], db_url: str, clock: FakeClock, lang: str) -> Store:
    """The example congress, 20 delegates in the hall, its discussion item running."""
    store = make_store(db_url, clock=clock)
    for d in [d for d in store.delegates() if d.votes][:20]:
        store.scan(store.card_code(d.number, 0), Mode.ENTRY, "d")
    store.start_item(discussion(store))
    return store


def the_list(store: Store) -> SpeakersList:
    return store.speakers_state().of(discussion(store))


def waiting_names(store: Store) -> list[str]:
    return [e.name for e in the_list(store).waiting]


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def add_by_name(
    app: PresidiumApp, pilot: Pilot[None], typed: str, kind: SpeechKind, subject: str = ""
) -> None:
    """F2, the name typed without diacritics, the first one found, the kind chosen from the
    list by the arrow keys, the title, Enter."""
    await press(pilot, "f2")
    assert isinstance(app.screen, AddSpeakerDialog)
    await type_text(pilot, typed)
    picker = app.screen.query_one(DelegatePicker)
    await wait_for(pilot, lambda: picker.selected is not None and not picker.waiting)
    await press(pilot, "tab")
    await choose_kind(pilot, kind)
    if subject:
        await press(pilot, "tab")
        await type_text(pilot, subject)
    await press(pilot, "enter")


async def choose_kind(pilot: Pilot[None], kind: SpeechKind) -> None:
    """The kind's list opened with Down (it starts on a comment from the floor), then moved."""
    steps = KIND_ORDER.index(kind) - KIND_ORDER.index(SpeechKind.FLOOR)
    await press(pilot, "down")
    await press(pilot, *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")


async def select_row(app: PresidiumApp, pilot: Pilot[None], number: int) -> None:
    """The list's cursor on entry `number`, by the arrow keys."""
    screen = app.screen
    assert isinstance(screen, SpeakersScreen)
    rows = screen._rows
    here = rows.index(screen.selected_number) if screen.selected_number in rows else 0
    step = "down" if rows.index(number) > here else "up"
    for _ in range(abs(rows.index(number) - here)):
        await press(pilot, step)
    assert screen.selected_number == number


@pytest.mark.slow
async def test_a_discussion_run_by_keys(
    hall: Store, clock: FakeClock, lang: str, db_url: str, tmp_path: Path
) -> None:
    item = discussion(hall)
    app = make_app(hall)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f10")
        screen = app.screen
        assert isinstance(screen, SpeakersScreen) and screen.item == item
        assert t("tui.speakers.nobody") in screen_text(app)

        # by card: the form opens with the delegate in it; a prepared contribution, 7 minutes
        await scan(app, pilot, hall.card_code(2, 0))
        assert isinstance(app.screen, AddSpeakerDialog)
        assert "Lê Thành Nam" in screen_text(app)
        await choose_kind(pilot, SpeechKind.PREPARED)
        await press(pilot, "tab")
        await type_text(pilot, "Về phát triển kinh tế")
        await press(pilot, "tab")
        seq = hall.last_seq()
        await type_text(pilot, "7x")  # a mistyped figure: said in the form, nothing written
        await press(pilot, "enter")
        assert isinstance(app.screen, AddSpeakerDialog) and hall.last_seq() == seq
        assert t("tui.speakers.add.bad_minutes", value="7x", most=120) in screen_text(app)
        await press(pilot, "backspace")
        await press(pilot, "enter")
        assert app.screen is screen
        first = the_list(hall).get(1)
        assert (first.name, first.kind, first.source) == (
            "Lê Thành Nam",
            SpeechKind.PREPARED,
            Source.CARD,
        )
        assert (first.title, first.asked, first.person) == ("Về phát triển kinh tế", 420, "d00002")
        assert first.unit == "Đảng bộ xã Vạn Xuân"

        # a card that is not one: refused, and nothing written
        seq = hall.last_seq()
        forged = hall.card_code(3, 0)[:-1] + str((int(hall.card_code(3, 0)[-1]) + 1) % 10)
        await scan(app, pilot, forged)
        assert app.screen is screen and hall.last_seq() == seq
        assert t("scan.forged") in screen_text(app)

        # by name, typed without diacritics
        await add_by_name(app, pilot, "luong van trung", SpeechKind.FLOOR)
        await add_by_name(app, pilot, "vu ngoc an", SpeechKind.REPLY, "Trả lời về giáo dục")
        assert waiting_names(hall) == ["Lê Thành Nam", "Lương Văn Trung", "Vũ Ngọc An"]
        assert the_list(hall).get(3).source is Source.SEARCH

        # reorder: Vũ Ngọc An up one place, then Lương Văn Trung to the head
        await select_row(app, pilot, 3)
        await press(pilot, "ctrl+up")
        assert waiting_names(hall) == ["Lê Thành Nam", "Vũ Ngọc An", "Lương Văn Trung"]
        await select_row(app, pilot, 2)
        await press(pilot, "ctrl+t")
        assert waiting_names(hall) == ["Lương Văn Trung", "Lê Thành Nam", "Vũ Ngọc An"]

        # a point of order goes to the head of the list
        await add_by_name(app, pilot, "vo dinh tuan", SpeechKind.POINT_OF_ORDER)
        assert waiting_names(hall)[0] == "Võ Đình Tuấn"

        # called, started, over its two minutes: the countdown turns red
        await press(pilot, "f3")
        assert the_list(hall).called is not None and the_list(hall).called.name == "Võ Đình Tuấn"
        await press(pilot, "f4")
        assert the_list(hall).current is not None
        panel = screen.query_one("#speakers-current")
        clock.advance(110)  # 1:50 of 2:00: near the end
        await wait_for(pilot, lambda: panel.has_class("-near_end"), seconds=5)
        clock.advance(40)  # 2:30 of 2:00
        await wait_for(pilot, lambda: panel.has_class("-over"), seconds=5)
        assert t("tui.speakers.timing_over", left="0:30", limit="2:00", spoken="2:30") in (
            screen_text(app)
        )
        await projector_follows(db_url, clock, "Võ Đình Tuấn", "-0:30")
        await press(pilot, "f6")
        done = the_list(hall).get(4)
        assert done.status is EntryStatus.DONE and done.spoken(clock.now) == 150

        # the next speaker, paused and resumed: the pause is not counted
        await press(pilot, "f3", "f4")
        clock.advance(60)
        await press(pilot, "f5")
        assert the_list(hall).current.status is EntryStatus.PAUSED  # type: ignore[union-attr]
        clock.advance(300)
        await press(pilot, "f4")
        clock.advance(30)
        await press(pilot, "f6")
        assert the_list(hall).get(2).spoken(clock.now) == 90

        # a written contribution: recorded, never called
        await add_by_name(app, pilot, "ta van toan", SpeechKind.WRITTEN, "Góp ý văn kiện")
        written = the_list(hall).get(5)
        assert written.status is EntryStatus.WRITTEN and written.title == "Góp ý văn kiện"

        # removed with its reason (Esc first: nothing recorded; then no reason: refused)
        await select_row(app, pilot, 3)
        seq = hall.last_seq()
        await press(pilot, "delete")
        assert isinstance(app.screen, ReasonDialog)
        await press(pilot, "escape")
        assert app.screen is screen and hall.last_seq() == seq
        await press(pilot, "delete", "enter")
        assert isinstance(app.screen, ReasonDialog) and hall.last_seq() == seq
        await type_text(pilot, "xin rut")
        await press(pilot, "enter")
        removed = the_list(hall).get(3)
        assert removed.status is EntryStatus.REMOVED and removed.removed_reason == "xin rut"

        # the list closed: no one more asks for the floor (the form says so), writing still goes
        await press(pilot, "ctrl+l")
        assert the_list(hall).closed
        assert t("tui.speakers.closed") in screen_text(app)
        seq = hall.last_seq()
        await add_by_name(app, pilot, "nguyen van khoe", SpeechKind.FLOOR)
        assert isinstance(app.screen, AddSpeakerDialog) and hall.last_seq() == seq
        assert t("speakers.error.list_closed", item=item) in screen_text(app)
        await press(pilot, "escape")
        await add_by_name(app, pilot, "nguyen van khoe", SpeechKind.WRITTEN)
        assert the_list(hall).get(6).status is EntryStatus.WRITTEN

        # what the screen says, in the operator's language
        text = screen_text(app)
        for status in ("done", "written", "removed"):
            assert t(f"tui.speakers.status.{status}") in text
        assert t("tui.speakers.counts", waiting=1, spoken=2, written=2) in text
        assert hall.verify() is None

    # the minutes list every contribution, in order, with the counts
    export(hall, tmp_path / "out", lang=lang)
    minutes = " ".join(" ".join(page_texts(tmp_path / "out" / "minutes.pdf")).split())
    start = minutes.index(f"V. {t('proceedings.minutes.section.discussion')}")
    section = minutes[start : minutes.index(f"VI. {t('proceedings.minutes.section.votes')}")]
    order = ["Võ Đình Tuấn", "Lương Văn Trung", "Tạ Văn Toàn", "Nguyễn Văn Khỏe"]
    assert sorted(order, key=section.index) == order  # spoken and written, in time order
    assert "Lê Thành Nam" not in section  # still waiting: not a contribution
    assert "Vũ Ngọc An" not in section  # removed
    assert "Góp ý văn kiện" in section and "2:30" in section and "1:30" in section


async def projector_follows(url: str, clock: FakeClock, name: str, digits: str) -> None:
    """The projector, on a terminal of its own, shows the speaker and the countdown, red."""
    with Store.open(url, terminal="host/projector", clock=clock) as seen:
        projector = make_app(seen, role=Role.DISPLAY)
        async with projector.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            panel = projector.screen.query_one(SpeakersPanel)
            await wait_for(pilot, lambda: panel.has_class("-over"))
            assert name in panel.text and panel.digits == digits


@pytest.fixture
def speakers_desk(hall: Store, db_url: str) -> Store:
    hall.set_passphrase(Role.SPEAKERS, SECRET)
    if not db_url.startswith("postgresql"):
        return terminal(hall, db_url, "thu-ky")
    return Store.open_as(hall.url, Role.SPEAKERS, SECRET, person="")


@pytest.mark.slow
async def test_the_speakers_desk_runs_the_lists_and_nothing_else(
    hall: Store, speakers_desk: Store
) -> None:
    app = make_app(speakers_desk, role=Role.SPEAKERS)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await sign_in(app, pilot)
            desk = app.screen
            assert isinstance(desk, SpeakersDesk)
            assert hall.events()[-1].kind == SIGNED_IN
            await scan(app, pilot, hall.card_code(2, 0))  # a card: the form, not an entry
            assert isinstance(app.screen, AddSpeakerDialog)
            await press(pilot, "enter")
            added = hall.events()[-1]
            assert (added.kind, added.role) == ("speaker_added", "speakers")
            assert waiting_names(hall) == ["Lê Thành Nam"]
            assert not hall.delegate(2).present or hall.delegate(2).station == "d"  # type: ignore[union-attr]
            await press(pilot, "f3", "f4", "f6")
            assert the_list(hall).get(1).status is EntryStatus.DONE

            keys = keys_of(app)
            assert keys["f2"] == "add" and keys["f6"] == "end"
            assert "f7" not in keys and "f8" not in keys and "f12" not in keys
            seq = hall.last_seq()
            for key in ("f7", "f8", "f9", "f10", "f12", "escape"):
                await press(pilot, key)
                assert app.screen is desk, key
            for action in ("agenda", "vote", "elections", "export", "manual", "speakers"):
                assert not await app.run_action(action), action
            assert hall.last_seq() == seq
            titles = palette(app)
            assert t("tui.command.speakers_call.title") in titles
            assert t("tui.command.agenda.title") not in titles
            assert hall.verify() is None  # the desk's events, under its role, check out
    finally:
        speakers_desk.close()
