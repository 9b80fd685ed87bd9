"""Which items have a list of speakers and which one a desk shows (session.speakers.items), and
whom F3 calls and F4 starts."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from session import agenda
from session.agenda import Agenda, AgendaItem, AgendaSession, ItemKind, SessionKind, initial
from session.agenda.events import ItemEnded, ItemStarted
from session.speakers import (
    SpeakerAdded,
    SpeakerCalled,
    SpeakersState,
    SpeechKind,
    SpeechPaused,
    SpeechStarted,
    apply,
)
from session.speakers.events import Source
from session.speakers.items import list_items, shown_item, step_item, to_call, to_start

T0 = datetime(2025, 6, 20, 2, 0, tzinfo=UTC)
S = AgendaSession("session-1", SessionKind.OFFICIAL, "Phiên chính thức")
ITEMS = (
    AgendaItem("report", S.key, ItemKind.REPORT, "Báo cáo chính trị"),
    AgendaItem("talk-1", S.key, ItemKind.DISCUSSION, "Thảo luận văn kiện"),
    AgendaItem("vote", S.key, ItemKind.VOTE, "Thông qua chương trình"),
    AgendaItem("talk-2", S.key, ItemKind.DISCUSSION, "Thảo luận phương hướng"),
)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def add(state: SpeakersState, item: str, name: str, kind: SpeechKind = SpeechKind.FLOOR):
    number = state.of(item).next_number
    event = SpeakerAdded(item, number, f"p{number}", name, "", "", kind, 0, Source.SEARCH, at(0))
    return apply(state, event)


def test_every_discussion_item_has_a_list_and_so_does_the_running_one() -> None:
    plan = initial(Agenda((S,), ITEMS))
    assert list_items(plan, SpeakersState()) == ("talk-1", "talk-2")
    running = agenda.apply(plan, ItemStarted("report", at(0)))
    assert list_items(running, SpeakersState()) == ("report", "talk-1", "talk-2")
    # an item someone was put on keeps its list once it has ended
    speakers = add(SpeakersState(), "report", "An")
    ended = agenda.apply(running, ItemEnded("report", at(60)))
    assert list_items(ended, speakers) == ("report", "talk-1", "talk-2")
    assert list_items(ended, SpeakersState()) == ("talk-1", "talk-2")


def test_the_list_shown_follows_the_microphone_then_the_agenda() -> None:
    plan = initial(Agenda((S,), ITEMS))
    assert shown_item(plan, SpeakersState(), None) == "talk-1"  # the next discussion item
    running = agenda.apply(plan, ItemStarted("talk-2", at(0)))
    assert shown_item(running, SpeakersState(), None) == "talk-2"  # the running one
    speakers = add(SpeakersState(), "talk-1", "An")
    speakers = apply(speakers, SpeakerCalled("talk-1", 1, at(1)))
    assert shown_item(running, speakers, None) == "talk-1"  # someone called to speak there
    assert shown_item(running, speakers, "talk-2") == "talk-2"  # the desk turned to it
    assert shown_item(running, speakers, "vote") == "talk-1"  # no list there: not kept
    assert shown_item(initial(Agenda((S,), ITEMS[:1])), SpeakersState(), None) is None


@given(st.integers(min_value=-10, max_value=10), st.integers(min_value=1, max_value=6))
def test_stepping_goes_round_the_items(step: int, count: int) -> None:
    items = tuple(f"i{n}" for n in range(count))
    assert step_item(items, items[0], step) == items[step % count]
    assert step_item(items, "elsewhere", step) == items[0]
    assert step_item((), None, step) is None


def test_calling_takes_the_first_not_called_and_starting_the_called_or_the_paused() -> None:
    state = SpeakersState()
    for name in ("An", "Bình", "Chi"):
        state = add(state, "talk-1", name)
    the_list = state.of("talk-1")
    assert to_call(the_list).name == "An"  # type: ignore[union-attr]
    assert to_start(the_list).name == "An"  # type: ignore[union-attr]
    state = apply(state, SpeakerCalled("talk-1", 2, at(1)))  # called out of turn
    the_list = state.of("talk-1")
    assert to_call(the_list).name == "An"  # type: ignore[union-attr]
    assert to_start(the_list).name == "Bình"  # type: ignore[union-attr]
    state = apply(state, SpeechStarted("talk-1", 2, at(2)))
    assert to_start(state.of("talk-1")) is None  # someone speaks
    state = apply(state, SpeechPaused("talk-1", 2, at(3)))
    assert to_start(state.of("talk-1")).name == "Bình"  # type: ignore[union-attr]
    assert to_call(SpeakersState().of("talk-1")) is None
    assert to_start(SpeakersState().of("talk-1")) is None
