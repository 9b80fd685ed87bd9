"""The lists of speakers (issue 15, session.speakers): the order the presidium sets, a point of
order at the head, the speech's states and its countdown, every refusal named, and every event
through the log's codec and back."""

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session import i18n
from session.speakers import (
    EntryStatus,
    Level,
    ListClosed,
    ListReopened,
    Source,
    SpeakerAdded,
    SpeakerCalled,
    SpeakerMoved,
    SpeakerRemoved,
    SpeakersError,
    SpeakersEvent,
    SpeakersState,
    SpeechEnded,
    SpeechKind,
    SpeechPaused,
    SpeechResumed,
    SpeechStarted,
    TimeLimits,
    apply,
    clock,
    countdown,
    decode,
    near_end,
    replay,
)

ITEM = "item-07"
T0 = datetime(2025, 6, 21, 8, 0, tzinfo=UTC)
P, F, R, PO, W = (SpeechKind.PREPARED, SpeechKind.FLOOR, SpeechKind.REPLY,
                 SpeechKind.POINT_OF_ORDER, SpeechKind.WRITTEN)  # fmt: skip


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def added(number: int, name: str, kind: SpeechKind = P, person: str = "", asked: int = 0,
          when: int = 0) -> SpeakerAdded:  # fmt: skip
    return SpeakerAdded(ITEM, number, person or f"p{number:03d}", name, "Xã Hưng Hóa",
                        "Bí thư Đảng ủy", kind, asked, Source.CARD, at(when))  # fmt: skip


def order(state: SpeakersState) -> list[int]:
    return [e.number for e in state.of(ITEM).waiting]


def listed(*names: str) -> SpeakersState:
    return replay(added(i, name) for i, name in enumerate(names, 1))


def refused(state: SpeakersState, event: SpeakersEvent, key: str) -> SpeakersError:
    with pytest.raises(SpeakersError) as caught:
        apply(state, event)
    assert caught.value.key == key
    return caught.value


def test_speakers_wait_in_the_order_they_were_added_and_the_presidium_reorders_them() -> None:
    state = listed("An", "Bình", "Chi", "Dũng")
    assert order(state) == [1, 2, 3, 4]
    state = apply(state, SpeakerMoved(ITEM, 4, None, at(5)))  # put first
    assert order(state) == [4, 1, 2, 3]
    state = apply(state, SpeakerMoved(ITEM, 1, 3, at(6)))  # after Chi
    assert order(state) == [4, 2, 3, 1]
    state = apply(state, SpeakerRemoved(ITEM, 2, "  vắng mặt ", at(7)))
    assert order(state) == [4, 3, 1]
    removed = state.of(ITEM).get(2)
    assert removed.status is EntryStatus.REMOVED and removed.removed_reason == "vắng mặt"


def test_a_point_of_order_goes_to_the_head_behind_earlier_points_of_order() -> None:
    state = listed("An", "Bình")
    state = apply(state, SpeakerCalled(ITEM, 1, at(1)))
    state = apply(state, added(3, "Chi", PO, when=2))
    state = apply(state, added(4, "Dũng", PO, when=3))
    # the one already called stays first; the points of order before everyone else
    assert order(state) == [1, 3, 4, 2]


def test_a_written_contribution_is_recorded_at_once_and_never_called() -> None:
    state = apply(listed("An"), added(2, "Bình", W))
    assert order(state) == [1]
    assert state.of(ITEM).get(2).status is EntryStatus.WRITTEN
    refused(state, SpeakerCalled(ITEM, 2, at(3)), "not_waiting")


def test_a_speech_runs_pauses_resumes_and_ends_with_its_time_spoken() -> None:
    state = apply(listed("An", "Bình"), SpeakerCalled(ITEM, 1, at(10)))
    assert state.of(ITEM).called is not None
    for event in (SpeechStarted(ITEM, 1, at(20)), SpeechPaused(ITEM, 1, at(80)),
                  SpeechResumed(ITEM, 1, at(200)), SpeechEnded(ITEM, 1, at(230))):  # fmt: skip
        state = apply(state, event)
    entry = state.of(ITEM).get(1)
    assert entry.status is EntryStatus.DONE
    assert entry.spoken(at(999)) == 90  # 60 s, then 30 s; the pause left out
    assert entry.started_at == at(20) and entry.ended_at == at(230)
    assert state.of(ITEM).current is None and order(state) == [2]


def test_calling_another_speaker_sends_the_one_called_back_to_wait() -> None:
    state = apply(listed("An", "Bình"), SpeakerCalled(ITEM, 1, at(1)))
    state = apply(state, SpeakerCalled(ITEM, 2, at(2)))
    assert state.of(ITEM).get(1).status is EntryStatus.WAITING
    assert state.of(ITEM).called is not None and state.of(ITEM).called.number == 2


def test_the_minutes_list_contributions_in_the_order_they_were_given() -> None:
    state = listed("An", "Bình")
    state = apply(state, added(3, "Chi", W, when=5))
    for event in (SpeechStarted(ITEM, 2, at(10)), SpeechEnded(ITEM, 2, at(20)),
                  SpeechStarted(ITEM, 1, at(30)), SpeechEnded(ITEM, 1, at(40))):  # fmt: skip
        state = apply(state, event)
    assert [e.name for e in state.of(ITEM).contributions] == ["Chi", "Bình", "An"]


def test_a_closed_list_takes_only_written_contributions_until_it_is_reopened() -> None:
    state = apply(listed("An"), ListClosed(ITEM, at(1)))
    refused(state, added(2, "Bình", F), "list_closed")
    state = apply(state, added(2, "Bình", W))
    refused(state, ListClosed(ITEM, at(2)), "already_closed")
    state = apply(state, ListReopened(ITEM, at(3)))
    refused(state, ListReopened(ITEM, at(4)), "not_closed")
    assert order(apply(state, added(3, "Chi", F))) == [1, 3]


def test_lists_of_different_items_do_not_mix() -> None:
    state = apply(listed("An"), SpeakerAdded("item-09", 1, "p9", "Bình", "", "", F, 0,
                                             Source.SEARCH, T0))  # fmt: skip
    assert order(state) == [1]
    assert [e.name for e in state.of("item-09").waiting] == ["Bình"]


@pytest.mark.parametrize(
    ("events", "event", "key"),
    [
        ([], added(2, "An"), "bad_number"),
        ([], added(1, "   "), "name_required"),
        ([], added(1, "An", asked=121 * 60), "bad_asked"),
        ([added(1, "An", person="p1")], added(2, "An", person="p1"), "already_waiting"),
        ([], SpeakerMoved(ITEM, 1, None, T0), "unknown_speaker"),
        ([added(1, "An")], SpeakerMoved(ITEM, 1, 1, T0), "same_speaker"),
        ([added(1, "An")], SpeakerRemoved(ITEM, 1, " ", T0), "reason_required"),
        ([added(1, "An"), added(2, "Bình"), SpeechStarted(ITEM, 1, at(1))],
         SpeechStarted(ITEM, 2, at(2)), "someone_speaking"),
        ([added(1, "An")], SpeechPaused(ITEM, 1, T0), "not_speaking"),
        ([added(1, "An")], SpeechResumed(ITEM, 1, T0), "not_paused"),
        ([added(1, "An")], SpeechEnded(ITEM, 1, T0), "not_speaking"),
        ([added(1, "An"), SpeechStarted(ITEM, 1, at(50))], SpeechEnded(ITEM, 1, at(10)),
         "time_backwards"),
        ([added(1, "An"), SpeechStarted(ITEM, 1, at(1)), SpeechEnded(ITEM, 1, at(2))],
         SpeakerRemoved(ITEM, 1, "lý do", at(3)), "not_waiting"),
        ([], SpeakerCalled(ITEM, 1, datetime(2025, 6, 21, 8, 0)), "bad_time"),
    ],
)  # fmt: skip
def test_every_impossible_change_is_refused_with_its_reason(
    events: list[SpeakersEvent], event: SpeakersEvent, key: str
) -> None:
    error = refused(replay(events), event, key)
    for lang in ("vi", "en"):  # a message in both languages, never the bare key
        message = i18n.t(error.prefix + error.key, lang, **error.params)
        assert "speakers.error" not in message and "{" not in message


def test_a_person_may_ask_for_another_kind_of_contribution_while_waiting() -> None:
    state = replay([added(1, "An", person="p1"), added(2, "An", R, person="p1")])
    assert order(state) == [1, 2]


def test_time_limits_come_from_the_congress_file_and_refuse_what_is_not_a_minute_count() -> None:
    limits = TimeLimits().overridden({"prepared": 7, "point_of_order": 1}, "[speakers]")
    assert limits.of(P) == 420 and limits.of(PO) == 60 and limits.of(F) == 300
    assert limits.of(W) == 0
    for bad, key in (({"prepared": 0}, "bad_minutes"), ({"floor": 2.5}, "bad_minutes"),
                     ({"floor": True}, "bad_minutes"), ({"speech": 3}, "unknown_kind"),
                     ({"written": 3}, "written_not_timed")):  # fmt: skip
        with pytest.raises(SpeakersError) as caught:
            TimeLimits().overridden(bad, "[speakers]")
        assert caught.value.key == key


def test_the_countdown_turns_near_the_end_and_goes_over() -> None:
    state = replay([added(1, "An", F), SpeechStarted(ITEM, 1, at(0))])
    entry = state.of(ITEM).get(1)
    limits = TimeLimits()
    assert countdown(entry, limits, at(100)).level is Level.RUNNING
    assert countdown(entry, limits, at(270)).level is Level.NEAR_END  # 30 s left of 5 min
    over = countdown(entry, limits, at(307))
    assert over.level is Level.OVER and clock(over.left) == "-0:07"
    asked = replay([added(1, "An", F, asked=120), SpeechStarted(ITEM, 1, at(0))]).of(ITEM)
    assert countdown(asked.get(1), limits, at(0)).limit == 120


@given(limit=st.integers(1, 7200), spoken=st.integers(0, 10_000))
def test_the_countdown_is_whole_seconds_left_and_its_level_follows_them(
    limit: int, spoken: int
) -> None:
    state = replay([added(1, "An", F, asked=min(limit, 7200)), SpeechStarted(ITEM, 1, at(0))])
    c = countdown(state.of(ITEM).get(1), TimeLimits(), at(spoken))
    assert c.left == limit - spoken and c.spoken == spoken
    assert (c.level is Level.OVER) == (spoken > limit)
    assert (c.level is Level.NEAR_END) == (0 <= limit - spoken <= near_end(limit))
    assert 1 <= near_end(limit) <= 30


@given(st.integers(-10_000, 10_000))
def test_the_clock_reads_back_to_its_seconds(seconds: int) -> None:
    text = clock(seconds)
    minutes, rest = text.lstrip("-").split(":")
    value = int(minutes) * 60 + int(rest)
    assert (-value if text.startswith("-") else value) == seconds


EVENTS: list[SpeakersEvent] = [
    added(1, "Nguyễn Thị Hoà", P, asked=480),
    SpeakerMoved(ITEM, 1, None, T0),
    SpeakerMoved(ITEM, 1, 2, T0),
    SpeakerRemoved(ITEM, 1, "xin rút", T0),
    SpeakerCalled(ITEM, 1, T0),
    SpeechStarted(ITEM, 1, T0),
    SpeechPaused(ITEM, 1, T0),
    SpeechResumed(ITEM, 1, T0),
    SpeechEnded(ITEM, 1, T0),
    ListClosed(ITEM, T0),
    ListReopened(ITEM, T0),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.KIND)
def test_every_event_goes_through_the_log_and_back(event: SpeakersEvent) -> None:
    assert decode(event.KIND, event.payload()) == event
    payload = event.payload()
    assert set(payload) == {f.name for f in fields(event)}


def test_an_unreadable_event_is_refused_by_name() -> None:
    with pytest.raises(SpeakersError) as caught:
        decode("speaker_added", {"item": ITEM})
    assert caught.value.key == "bad_event"
