"""A snapshot of the projector during a speech (issue 15), at 160×50 in Vietnamese: the demo
congress's discussion item running, a prepared contribution at the microphone with 1:25 left,
the next speaker called and a point of order at the head of the rest. Compared with the SVG
picture stored in tests/tui/__snapshots__/test_snapshot_display_speakers/, as
tests/tui/test_snapshots.py does for every other screen (its determinism too: the stores' clock
moves only when the builder moves it, the card secret is fixed, the clock on screen is brought
to the store's before the picture, animations and the theme are fixed).

    uv run pytest -n 0 tests/tui/test_snapshot_display_speakers.py --snapshot-update  # accept it
"""

from datetime import timedelta
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy import SnapshotAssertion

import db.store
from db.store import Store
from session import i18n
from session.agenda import ItemKind, ItemStatus
from session.candidates import delegate_person_id
from session.roles import Role
from session.speakers import SpeechKind
from tests.harness import scenes
from tests.harness.scenes import DemoClock
from tui.app import make_app
from tui.stations.display import DisplayScreen
from tui.stations.display_speakers import SpeakersPanel
from tui.testing import settle, wait_for

pytestmark = pytest.mark.slow

SECRET = "0123456789abcdef" * 4  # the congress's card secret: the same log, the same anchor
DELEGATES = 100  # as in test_snapshots: enough in the hall for the morning's votes
SIZE = (160, 50)
THEME = "textual-dark"
TITLES = (
    "Nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở đảng",
    "",
    "Phát triển kinh tế nông nghiệp gắn với xây dựng nông thôn mới",
    "",
)


def to_the_discussion(store: Store, clock: DemoClock) -> str:
    """From the morning's moment, each item in turn for its planned length (the votes carried
    unanimously) up to the discussion, which is started; its key."""
    for state in store.agenda_state().items:
        if state.status is not ItemStatus.PENDING:
            continue
        start = clock.now
        store.start_item(state.key)
        if state.item.kind is ItemKind.DISCUSSION:
            return state.key
        if state.item.kind is ItemKind.VOTE:
            scenes.unanimous(store, clock, state.key)
        clock.now = start + timedelta(minutes=state.item.duration)
    raise AssertionError("the demo's agenda has a discussion item")


def discussion(location: str, clock: DemoClock) -> Store:
    """The demo congress 8:35 into a prepared contribution: the next speaker called, a point of
    order raised."""
    store = scenes.create(location, DELEGATES, clock)
    hall = scenes.open_congress(store, clock, came=80)
    item = to_the_discussion(store, clock)
    clock.wait(2)
    for n, (d, title) in enumerate(zip(hall.voters[4:40:9], TITLES, strict=True)):
        kind = SpeechKind.PREPARED if title else SpeechKind.FLOOR
        person = delegate_person_id(d.number)
        store.add_speaker(item, d.full_name, kind, person=person, unit=d.unit, title=title)
        clock.wait(0.5 + n)
    clock.wait(1)
    store.start_speech(item, 1)
    clock.wait(4)
    store.call_speaker(item, 2)
    order = hall.voters[41]
    store.add_speaker(item, order.full_name, SpeechKind.POINT_OF_ORDER, unit=order.unit)
    clock.now += timedelta(minutes=4, seconds=35)
    return store


async def test_the_projector_during_a_speech(
    snapshot: SnapshotAssertion, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.use("vi")  # (the conftest's autouse fixture puts English back)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(db.store, "new_secret", lambda: SECRET)
    clock = DemoClock()
    with discussion("congress.db", clock) as store:
        app = make_app(store, role=Role.DISPLAY)
        app.animation_level = "none"
        if app.theme != THEME:  # (TEXTUAL_THEME in the environment)
            app.theme = THEME
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, DisplayScreen)
            panel = screen.query_one(SpeakersPanel)
            await wait_for(pilot, lambda: panel.has_class("-running"))
            screen._tick()  # the clocks on screen at the store's time
            await settle(pilot)
            assert panel.digits == "1:25"
            svg = app.export_screenshot(simplify=True)
    assert snapshot.use_extension(SVGImageExtension) == svg
