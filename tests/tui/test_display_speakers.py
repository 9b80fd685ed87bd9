"""The projector follows the discussion (issue 15): the speaker at the microphone with their unit
and title, a large countdown that turns yellow near the end and red when over, a pause, the next
three speakers (a point of order at their head), and the panel gone once nobody is left to
speak; in both languages, beside a vote, and on PostgreSQL too.

Time is the stores' clock: the speeches are timed by the writer's, the projector counts down by
its own (the screen's `now`); both are one :class:`Clock` the test moves by hand, and the
screen's one-second tick is called at once instead of waited for.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from db.store import Store
from session import i18n
from session.agenda import AgendaState, ItemKind
from session.i18n import t
from session.roles import Role
from session.speakers import Source, SpeakersState, SpeechKind, apply
from session.speakers.events import SpeakerAdded, SpeakerCalled, SpeechStarted
from tests.harness.votes import admit, resolution
from tui.app import PresidiumApp, make_app
from tui.stations.display import DisplayScreen
from tui.stations.display_speakers import (
    SpeakersPanel,
    next_lines,
    next_speakers,
    shown_list,
)
from tui.testing import settle, wait_for

SIZE = (160, 50)
LAPTOP = (80, 24)
FLOOR = 5 * 60  # a comment from the floor's default time
UNITS = ("Đảng bộ xã Tân Lập", "Đảng bộ thị trấn", "Đảng bộ Công an huyện", "Đảng bộ xã Hiền Quan")


class Clock:
    """Now, as the test says: it moves only when told."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """A SQLite file; PostgreSQL where a test asks for it (ON_BOTH)."""
    if getattr(request, "param", "sqlite") == "pg":
        return str(request.getfixturevalue("pg_url"))
    return sqlite_url


ON_BOTH = pytest.mark.parametrize(
    "url", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)


@pytest.fixture
def hall(make_store: Callable[..., Store], url: str, clock: Clock) -> Store:
    """The example congress with its discussion item running."""
    store = make_store(url, clock=clock)
    admit(store, 20)
    store.start_item(discussion(store))
    return store


@pytest.fixture
def projector(hall: Store, url: str, clock: Clock) -> Iterator[Store]:
    with Store.open(url, terminal="host/projector", clock=clock) as store:
        yield store


def discussion(store: Store) -> str:
    return next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.DISCUSSION)


def speakers(store: Store, how_many: int, kind: SpeechKind = SpeechKind.FLOOR) -> list[str]:
    """`how_many` voting delegates asking for the floor on the discussion, each with their unit
    and a title; their names in order."""
    item = discussion(store)
    people = [d for d in store.delegates() if d.votes][:how_many]
    for i, d in enumerate(people):
        unit, title = UNITS[i % len(UNITS)], f"Ý kiến số {i + 1} về văn kiện"
        person = f"d{d.number:05d}"
        store.add_speaker(item, d.full_name, kind, person=person, unit=unit, title=title)
    return [d.full_name for d in people]


def display(app: PresidiumApp) -> DisplayScreen:
    screen = app.screen
    assert isinstance(screen, DisplayScreen), screen
    return screen


def panel(app: PresidiumApp) -> SpeakersPanel:
    return display(app).query_one(SpeakersPanel)


def shown(app: PresidiumApp) -> bool:
    return display(app).has_class("-discussion") and bool(panel(app).display)


async def tick(pilot: Pilot[None], clock: Clock, seconds: int) -> None:
    """The clock moves, and the projector's one-second tick comes."""
    clock.wait(seconds)
    display(pilot.app)._tick()  # type: ignore[arg-type]
    await settle(pilot)


@ON_BOTH
async def test_a_speaker_called_then_started_shows_name_unit_title_and_countdown(
    hall: Store, projector: Store, clock: Clock
) -> None:
    item = discussion(hall)
    names = speakers(hall, 2)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # two waiting on the running item's list: nobody at the microphone yet, both next
        await wait_for(pilot, lambda: shown(app))
        text = panel(app).text
        assert t("roles.display.speakers.nobody") in text
        assert f"1. {names[0]} · {UNITS[0]}" in text and f"2. {names[1]} · {UNITS[1]}" in text
        assert panel(app).has_class("-idle")
        assert not display(app).query_one("#display-vote").display  # the discussion took its place
        title = hall.agenda_state().find(item).item.title  # type: ignore[union-attr]
        assert panel(app).border_title == t("roles.display.speakers.title", item=title)
        hall.call_speaker(item, 1)
        await wait_for(pilot, lambda: panel(app).has_class("-called"))
        assert panel(app).digits == "5:00"  # the time they will have
        assert t("roles.display.speakers.standing.called") in panel(app).text
        hall.start_speech(item, 1)
        await wait_for(pilot, lambda: panel(app).has_class("-running"))
        text = panel(app).text
        assert names[0] in text and UNITS[0] in text
        assert t("speakers.kind.floor") in text
        assert t("roles.display.speakers.speech_title", title="Ý kiến số 1 về văn kiện") in text
        assert t("roles.display.speakers.standing.running") in text
        assert t("roles.display.speakers.limit", limit="5:00") in text
        assert t("roles.display.speakers.unit_left", time="") not in text  # no time per unit
        assert f"1. {names[1]}" in text
        assert panel(app).digits == "5:00"
        await tick(pilot, clock, 61)  # the countdown moves with the clock, no change logged
        assert panel(app).digits == "3:59"
        assert names[0] in display(app).text  # (the screen's text carries the panel's)


async def test_the_countdown_turns_near_end_then_over(
    hall: Store, projector: Store, clock: Clock
) -> None:
    item = discussion(hall)
    speakers(hall, 1)
    hall.start_speech(item, 1)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: panel(app).has_class("-running"))
        await tick(pilot, clock, FLOOR - 31)  # 0:31 left: still running
        assert panel(app).digits == "0:31" and panel(app).has_class("-running")
        await tick(pilot, clock, 1)  # the last 30 seconds
        assert panel(app).digits == "0:30" and panel(app).has_class("-near-end")
        assert not panel(app).has_class("-running")
        assert t("roles.display.speakers.standing.near_end") in panel(app).text
        await tick(pilot, clock, 37)
        assert panel(app).digits == "-0:07" and panel(app).has_class("-over")
        assert not panel(app).has_class("-near-end")
        assert t("roles.display.speakers.standing.over") in panel(app).text


async def test_a_paused_speech_shows_paused_and_its_countdown_stands(
    hall: Store, projector: Store, clock: Clock
) -> None:
    item = discussion(hall)
    speakers(hall, 1)
    hall.start_speech(item, 1)
    clock.wait(100)
    hall.pause_speech(item, 1)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: panel(app).has_class("-paused"))
        assert panel(app).digits == "3:20"
        assert t("roles.display.speakers.standing.paused") in panel(app).text
        await tick(pilot, clock, 60)
        assert panel(app).digits == "3:20"  # a pause does not count
        hall.resume_speech(item, 1)
        await wait_for(pilot, lambda: panel(app).has_class("-running"))
        await tick(pilot, clock, 20)
        assert panel(app).digits == "3:00"


async def test_the_next_three_in_order_a_point_of_order_at_their_head(
    hall: Store, projector: Store
) -> None:
    item = discussion(hall)
    names = speakers(hall, 5)
    hall.start_speech(item, 1)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: panel(app).has_class("-running"))
        nexts = panel(app).text.split(t("roles.display.speakers.next") + "\n")[1].splitlines()
        assert nexts == [f"{n}. {names[n]} · {UNITS[n % 4]}" for n in (1, 2, 3)]
        # the chair calls the fourth; then someone rises on a point of order
        hall.call_speaker(item, 4)
        other = [d for d in hall.delegates() if d.votes][10]
        hall.add_speaker(item, other.full_name, SpeechKind.POINT_OF_ORDER, unit="Đoàn Thanh niên")
        await wait_for(pilot, lambda: other.full_name in panel(app).text)
        nexts = panel(app).text.split(t("roles.display.speakers.next") + "\n")[1].splitlines()
        kind = t("speakers.kind.point_of_order")
        noted = t("roles.display.speakers.noted", name=other.full_name, kind=kind)
        assert nexts == [
            f"1. {names[3]} · {UNITS[3]}",  # called
            f"2. {noted} · Đoàn Thanh niên",  # the point of order, at the head of the rest
            f"3. {names[1]} · {UNITS[1]}",
        ]
        assert names[2] not in panel(app).text and names[4] not in panel(app).text  # three only


async def test_ending_the_last_speech_hides_the_panel(hall: Store, projector: Store) -> None:
    item = discussion(hall)
    speakers(hall, 1)
    hall.start_speech(item, 1)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: shown(app))
        assert t("roles.display.speakers.none_next") in panel(app).text
        hall.end_speech(item, 1)
        await wait_for(pilot, lambda: not shown(app))
        assert not panel(app).display
        assert display(app).query_one("#display-vote").display  # the usual panels are back
        assert t("roles.display.no_vote") in display(app).text
        assert t("roles.display.speakers.nobody") not in display(app).text


async def test_the_panel_in_vietnamese(hall: Store, projector: Store, clock: Clock) -> None:
    i18n.use("vi")  # (the conftest's autouse fixture puts English back)
    item = discussion(hall)
    names = speakers(hall, 3)
    hall.start_speech(item, 1)
    app = make_app(projector, role=Role.DISPLAY)
    async with app.run_test(size=LAPTOP) as pilot:
        await wait_for(pilot, lambda: panel(app).has_class("-running"))
        text = panel(app).text
        assert "ĐANG PHÁT BIỂU" in text and "thời gian 5:00" in text and "Tiếp theo" in text
        assert "ý kiến tại hội trường" in text and f"1. {names[1]}" in text
        await tick(pilot, clock, FLOOR + 5)
        assert "QUÁ GIỜ" in panel(app).text and panel(app).digits == "-0:05"
        hall.pause_speech(item, 1)
        await wait_for(pilot, lambda: "TẠM DỪNG" in panel(app).text)
        assert not panel(app).has_class("-compact")  # the whole panel fits a laptop's screen


async def test_beside_a_vote_the_discussion_takes_the_lower_row(
    hall: Store, projector: Store
) -> None:
    """A vote being taken keeps its place; the speech still at the microphone moves to the
    results' row: the whole panel on a large screen, one coloured line on a laptop's."""
    item = discussion(hall)
    names = speakers(hall, 2)
    hall.start_speech(item, 1)
    vote_item = resolution(hall)
    hall.start_item(vote_item)
    vote = hall.open_item_vote(vote_item)
    for size, compact in ((SIZE, False), (LAPTOP, True)):
        app = make_app(projector, role=Role.DISPLAY)
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: shown(app))  # noqa: B023
            screen = display(app)
            assert screen.has_class("-vote-on") and screen.query_one("#display-vote").display
            assert vote.title in screen.text
            assert not screen.query_one("#display-results").display
            assert panel(app).has_class("-compact") is compact
            now = str(screen.query_one("#speakers-now").content)
            assert names[0] in now and panel(app).has_class("-running")
            if compact:
                assert now.startswith("5:00 " + t("roles.display.speakers.standing.running"))
            quorum = str(screen.query_one("#display-quorum").content)
            assert quorum and screen.query_one("#display-quorum").region.height > 0


async def test_a_unit_s_time_runs_down_beside_its_speaker_s(
    congress_data: dict[str, Any],
    make_store: Callable[..., Store],
    sqlite_url: str,
    clock: Clock,
) -> None:
    """With `unit_minutes` in the congress file, what the speaker's unit has left of its time on
    the item, all its speeches together."""
    congress_data["speakers"] = {**congress_data.get("speakers", {}), "unit_minutes": 6}
    hall = make_store(sqlite_url, clock=clock)
    item = discussion(hall)
    hall.start_item(item)
    names = speakers(hall, 5)  # the first and the fifth speak for one unit
    hall.start_speech(item, 1)
    clock.wait(4 * 60)
    hall.end_speech(item, 1)
    hall.start_speech(item, 5)
    clock.wait(30)
    with Store.open(sqlite_url, terminal="host/projector", clock=clock) as projector:
        app = make_app(projector, role=Role.DISPLAY)
        async with app.run_test(size=LAPTOP) as pilot:
            await wait_for(pilot, lambda: names[4] in panel(app).text)
            assert panel(app).digits == "4:30"  # the speaker's own time
            assert t("roles.display.speakers.unit_left", time="1:30") in panel(app).text
            await tick(pilot, clock, 120)
            assert panel(app).digits == "2:30" and panel(app).has_class("-running")
            assert t("roles.display.speakers.unit_over", time="0:30") in panel(app).text
            state = display(app).query_one("#speakers-state")
            assert state.region.height == 3  # beside the digits, even on a laptop's screen


# ---------------------------------------------------------------- which list, as text


def test_the_projector_follows_the_microphone_then_the_called_then_the_running_item() -> None:
    at = datetime(2025, 6, 20, 8, tzinfo=UTC)
    state = SpeakersState()
    for item, number in (("a", 1), ("a", 2), ("b", 1), ("b", 2), ("b", 3)):
        added = SpeakerAdded(
            item, number, "", f"{item}{number}", "", "", SpeechKind.FLOOR, 0, Source.SEARCH, at
        )
        state = apply(state, added)
    running_b = AgendaState((), (), current="b")
    nobody = AgendaState((), ())
    assert shown_list(state, nobody) is None  # waiting, but no item runs: nothing
    assert shown_list(state, running_b) is state.of("b")
    called = apply(state, SpeakerCalled("a", 2, at))
    assert shown_list(called, running_b) is called.of("a")  # someone called to the microphone
    speaking = apply(called, SpeechStarted("b", 2, at))
    assert shown_list(speaking, running_b) is speaking.of("b")  # the microphone first
    assert [e.name for e in next_speakers(speaking.of("a"))] == ["a1"]  # (a2 called: on top)
    assert [e.name for e in next_speakers(speaking.of("b"))] == ["b1", "b3"]
    called_too = apply(speaking, SpeakerCalled("b", 3, at))
    assert [e.name for e in next_speakers(called_too.of("b"))] == ["b3", "b1"]  # called first
    assert next_lines((), closed=True) == [
        t("roles.display.speakers.next_closed"),
        t("roles.display.speakers.none_next"),
    ]
