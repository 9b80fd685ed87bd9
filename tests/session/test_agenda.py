"""The agenda: the built-in agendas, the plan, and the running reducer with its timing."""

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session import agenda
from session.agenda import (
    Agenda,
    AgendaError,
    AgendaItem,
    AgendaSession,
    AgendaState,
    ItemEnded,
    ItemInserted,
    ItemKind,
    ItemMoved,
    ItemSkipped,
    ItemStarted,
    ItemStatus,
    Level,
    MotionKind,
    PlannedStart,
    SessionKind,
    Template,
    default_agenda,
    describe_timing,
    format_clock,
    initial,
    plan,
    planned_minutes,
    templates,
    timing,
)
from session.i18n import LANGUAGES, catalog
from session.majority import Ratio
from session.tally import RuleSource, VoteBase, VoteRule

T0 = datetime(2025, 6, 20, 0, 30, tzinfo=UTC)  # 07:30 in Hà Nội
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(minutes: float) -> datetime:
    return T0 + timedelta(seconds=int(minutes * 60))


def small() -> Agenda:
    """Four items: a ceremony (5 min), a report (30), a vote (10), a break with no duration."""
    s = AgendaSession("session-1", SessionKind.OFFICIAL, "Phiên chính thức")
    return Agenda(
        (s,),
        (
            AgendaItem("item-01", s.key, ItemKind.CEREMONY, "Chào cờ", duration=5),
            AgendaItem("item-02", s.key, ItemKind.REPORT, "Báo cáo chính trị", "Bí thư", None, 30),
            AgendaItem(
                "item-03",
                s.key,
                ItemKind.VOTE,
                "Thông qua Nghị quyết",
                duration=10,
                motion=MotionKind.RESOLUTION,
            ),
            AgendaItem("item-04", s.key, ItemKind.BREAK, "Nghỉ", start=PlannedStart(1, 11 * 60)),
        ),
    )


def run(*events: Any, base: Agenda | None = None) -> AgendaState:
    state = initial(base or small())
    for event in events:
        state = agenda.apply(state, event)
    return state


def refused(state: AgendaState, event: Any) -> str:
    with pytest.raises(AgendaError) as caught:
        agenda.apply(state, event)
    assert "⟦" not in str(caught.value)
    return caught.value.key


def statuses(state: AgendaState) -> list[str]:
    return [s.status.value for s in state.items]


# ---------------------------------------------------------------- the built-in agendas


@pytest.mark.parametrize("lang", LANGUAGES)
def test_party_agenda(lang: str) -> None:
    a = default_agenda(Template.PARTY, lang)
    assert a.template is Template.PARTY
    assert [s.kind for s in a.sessions] == [SessionKind.PREPARATORY, SessionKind.OFFICIAL]
    assert [i.key for i in a.items] == [f"item-{n:02d}" for n in range(1, 26)]
    for item in a.items:
        assert item.title and "⟦" not in item.title and "⟦" not in item.presenter
        assert item.duration is not None and item.duration > 0
        assert (item.motion is not None) is (item.kind is ItemKind.VOTE)
    motions = [i.motion for i in a.items if i.kind is ItemKind.VOTE]
    # domain rules 7.2: bodies, agenda, rules, election regulation, credentials report, the number
    # of committee members, the election list, the Resolution (3.1)
    assert motions == [
        MotionKind.PROCEDURAL_BODY,
        MotionKind.AGENDA,
        MotionKind.RULES,
        MotionKind.ELECTION_REGULATION,
        MotionKind.CREDENTIALS_REPORT,
        MotionKind.SEAT_COUNT,
        MotionKind.ELECTION_LIST,
        MotionKind.RESOLUTION,
    ]
    # 7.1: the preparatory session elects the bodies and adopts the working documents
    prep = a.items_of("session-1")
    assert [i.motion for i in prep if i.motion][:4] == motions[:4]
    assert sum(1 for i in a.items if i.kind is ItemKind.ELECTION) == 3
    assert a.items[0].start == PlannedStart(1, 7 * 60 + 30)
    assert a.session("session-2").title == catalog(lang)["agenda.session.official"]  # type: ignore[union-attr]


def test_party_agenda_titles_differ_by_language() -> None:
    vi, en = default_agenda(Template.PARTY, "vi"), default_agenda(Template.PARTY, "en")
    assert vi.items[22].title == "Thông qua Nghị quyết đại hội"
    assert en.items[22].title == "Adoption of the congress Resolution"
    assert [i.key for i in vi.items] == [i.key for i in en.items]
    assert [i.kind for i in vi.items] == [i.kind for i in en.items]


def test_general_members_congress_agenda() -> None:
    """No credentials committee at a members' congress: a report on the members attending."""
    a = default_agenda(Template.PARTY, "vi", general_members=True)
    titles = [i.title for i in a.items]
    assert "Bầu Đoàn Chủ tịch, Đoàn Thư ký" in titles
    assert "Báo cáo tình hình đảng viên tham dự đại hội" in titles
    assert not any("Thẩm tra" in t for t in titles)
    assert len(a.items) == 25


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agm_agenda(lang: str) -> None:
    a = default_agenda(Template.AGM, lang)
    assert [s.kind for s in a.sessions] == [SessionKind.OFFICIAL]
    assert len(a.items) == 8
    assert a.items[1].motion is MotionKind.AGENDA
    assert all("⟦" not in i.title for i in a.items)
    assert a.items[0].start is None  # an AGM's hour varies: durations only


def test_every_template_title_and_presenter_is_in_both_catalogs() -> None:
    for lang in LANGUAGES:
        keys = catalog(lang)
        for template in Template:
            for *_, slug, _kind, _motion, _minutes, role in agenda.TEMPLATES[template]:
                assert f"agenda.template.{template.value}.{slug}" in keys
                assert not role or f"agenda.presenter.{role}" in keys
        for slug, role in templates._MEMBERS_SLUGS.values():
            assert f"agenda.template.party.{slug}" in keys and f"agenda.presenter.{role}" in keys


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("agenda.kind.", [k.value for k in ItemKind]),
        ("agenda.session.", [k.value for k in SessionKind]),
        ("agenda.status.", [k.value for k in ItemStatus]),
        ("agenda.level.", [k.value for k in Level]),
    ],
)
def test_enum_keys_exist(prefix: str, values: list[str]) -> None:
    for lang in LANGUAGES:
        assert [prefix + v for v in values if prefix + v not in catalog(lang)] == [], lang


# ---------------------------------------------------------------- the plan


def test_the_party_plan_runs_from_0730_to_1800() -> None:
    a = default_agenda(Template.PARTY, "vi")
    slots = plan(a.items, date(2025, 6, 20), HANOI)
    assert slots[0].start == datetime(2025, 6, 20, 7, 30, tzinfo=HANOI)
    assert slots[1].start == datetime(2025, 6, 20, 7, 35, tzinfo=HANOI)
    assert slots[-1].end == datetime(2025, 6, 20, 18, 0, tzinfo=HANOI)
    for before, after in itertools.pairwise(slots):
        assert before.end == after.start


def test_planned_length_from_the_next_planned_start() -> None:
    s = "session-1"
    items = [
        AgendaItem("a", s, ItemKind.BREAK, "Nghỉ trưa", start=PlannedStart(1, 11 * 60 + 30)),
        AgendaItem("b", s, ItemKind.REPORT, "Báo cáo", start=PlannedStart(1, 13 * 60 + 30)),
        AgendaItem("c", s, ItemKind.REPORT, "Báo cáo 2", start=PlannedStart(2, 8 * 60)),
        AgendaItem("d", s, ItemKind.REPORT, "Báo cáo 3", duration=20),
    ]
    assert planned_minutes(items) == {"a": 120, "b": None, "c": None, "d": 20}
    slots = plan(items, date(2025, 6, 20), HANOI)
    assert slots[0].end == datetime(2025, 6, 20, 13, 30, tzinfo=HANOI)
    assert (slots[1].start, slots[1].end) == (datetime(2025, 6, 20, 13, 30, tzinfo=HANOI), None)
    assert slots[2].start == datetime(2025, 6, 21, 8, 0, tzinfo=HANOI)  # day 2
    assert slots[3].start is None  # c has no planned length, so nothing fixes d's start


def test_plan_without_any_start() -> None:
    slots = plan(default_agenda(Template.AGM, "en").items, date(2025, 9, 27), HANOI)
    assert all(s.start is None for s in slots)
    assert slots[0].minutes == 5


# ---------------------------------------------------------------- the reducer


def test_start_end_and_what_comes_next() -> None:
    state = initial(small())
    assert state.current_item is None
    assert state.next_item.key == "item-01"  # type: ignore[union-attr]
    state = agenda.apply(state, ItemStarted("item-01", at(0)))
    assert state.current == "item-01" and statuses(state)[0] == "running"
    assert state.next_item.key == "item-02"  # type: ignore[union-attr]
    state = agenda.apply(state, ItemEnded("item-01", at(6)))
    assert state.current is None
    item = state.find("item-01")
    assert item is not None and item.status is ItemStatus.DONE
    assert (item.started_at, item.ended_at) == (at(0), at(6))
    assert item.elapsed(at(100)) == 360  # ended: the clock stopped
    assert [s.key for s in state.done] == ["item-01"]
    assert state.next_item.key == "item-02"  # type: ignore[union-attr]


def test_starting_an_item_ends_the_running_one() -> None:
    state = run(ItemStarted("item-01", at(0)), ItemStarted("item-02", at(7)))
    first = state.find("item-01")
    assert first is not None and first.status is ItemStatus.DONE
    assert first.spans[-1].end == at(7) and first.spans[-1].auto_ended
    assert state.current == "item-02"
    assert sum(s.status is ItemStatus.RUNNING for s in state.items) == 1


def test_an_ended_item_can_resume_and_its_time_adds_up() -> None:
    """A discussion interrupted by lunch: start it again after the break."""
    state = run(
        ItemStarted("item-02", at(0)),
        ItemStarted("item-04", at(20)),  # the break interrupts the report
        ItemStarted("item-02", at(50)),
    )
    report = state.find("item-02")
    assert report is not None and report.status is ItemStatus.RUNNING
    assert len(report.spans) == 2
    assert report.elapsed(at(55)) == 25 * 60
    assert report.started_at == at(0)
    assert refused(state, ItemStarted("item-04", at(10))) == "time_backwards"


def test_refused_transitions() -> None:
    state = run(ItemStarted("item-01", at(0)))
    assert refused(state, ItemStarted("item-01", at(1))) == "already_running"
    assert refused(state, ItemEnded("item-02", at(1))) == "not_running"
    assert refused(state, ItemEnded("item-01", at(-1))) == "ends_before_start"
    assert refused(state, ItemStarted("item-02", at(-1))) == "ends_before_start"
    assert refused(state, ItemStarted("item-99", at(1))) == "unknown_item"
    assert refused(state, ItemSkipped("item-01", at(1))) == "item_running"
    assert refused(state, ItemMoved("item-01", None, at(1))) == "item_running"
    naive = ItemEnded("item-01", datetime(2025, 6, 20, 8, 0))
    assert refused(state, naive) == "bad_time"
    state = agenda.apply(state, ItemEnded("item-01", at(5)))
    assert refused(state, ItemEnded("item-01", at(6))) == "not_running"
    assert refused(state, ItemSkipped("item-01", at(6))) == "item_done"
    assert refused(state, ItemMoved("item-01", "item-03", at(6))) == "item_done"
    assert refused(state, ItemMoved("item-02", "item-02", at(6))) == "same_item"
    assert refused(state, ItemMoved("item-02", "item-77", at(6))) == "unknown_item"


def test_skip() -> None:
    state = run(ItemStarted("item-01", at(0)), ItemSkipped("item-02", at(1), "Hoãn sang chiều"))
    skipped = state.find("item-02")
    assert skipped is not None and skipped.status is ItemStatus.SKIPPED
    assert skipped.skip_reason == "Hoãn sang chiều" and skipped.skipped_at == at(1)
    assert [s.key for s in state.skipped] == ["item-02"]
    assert state.next_item.key == "item-03"  # type: ignore[union-attr]
    assert refused(state, ItemSkipped("item-02", at(2))) == "already_skipped"
    # a skipped item may still be taken up: it runs, and is no longer skipped
    state = agenda.apply(state, ItemStarted("item-02", at(3)))
    assert state.find("item-02").status is ItemStatus.RUNNING  # type: ignore[union-attr]
    assert state.skipped == ()


def test_next_item_returns_to_an_item_passed_over() -> None:
    state = run(ItemStarted("item-03", at(0)), ItemEnded("item-03", at(5)))
    assert state.next_item.key == "item-04"  # type: ignore[union-attr]
    state = agenda.apply(state, ItemSkipped("item-04", at(6)))
    assert state.next_item.key == "item-01"  # type: ignore[union-attr]
    for key in ("item-01", "item-02"):
        state = agenda.apply(state, ItemSkipped(key, at(6)))
    assert state.next_item is None


def test_move() -> None:
    state = run(ItemMoved("item-03", None, at(0)))
    assert [s.key for s in state.items] == ["item-03", "item-01", "item-02", "item-04"]
    assert state.find("item-03").moved  # type: ignore[union-attr]
    state = agenda.apply(state, ItemMoved("item-03", "item-04", at(1)))
    assert [s.key for s in state.items] == ["item-01", "item-02", "item-04", "item-03"]
    state = agenda.apply(state, ItemSkipped("item-02", at(1)))
    state = agenda.apply(state, ItemMoved("item-02", "item-03", at(2)))  # a skipped item moves
    assert [s.key for s in state.items][-1] == "item-02"


def test_a_moved_item_joins_the_session_it_lands_in() -> None:
    state = initial(default_agenda(Template.PARTY, "vi"))
    state = agenda.apply(state, ItemMoved("item-10", "item-03", at(0)))  # into the preparatory
    assert state.find("item-10").item.session == "session-1"  # type: ignore[union-attr]
    assert [s.key for s in state.items][3] == "item-10"
    assert state.agenda.items_of("session-1")[3].key == "item-10"


def test_insert() -> None:
    state = run(ItemStarted("item-01", at(0)))
    new = AgendaItem(
        state.next_key(), "", ItemKind.PROCEDURAL, "Phát biểu của đại biểu khách mời", duration=5
    )
    assert new.key == "item-05"
    state = agenda.apply(state, ItemInserted(new, "item-01", at(1)))
    assert [s.key for s in state.items] == ["item-01", "item-05", "item-02", "item-03", "item-04"]
    inserted = state.find("item-05")
    assert inserted is not None and inserted.inserted_at == at(1)
    assert inserted.item.session == "session-1"
    assert state.next_item.key == "item-05"  # type: ignore[union-attr]
    assert state.next_key() == "item-06"
    top = AgendaItem("item-06", "", ItemKind.CEREMONY, "Chào cờ", duration=3)
    state = agenda.apply(state, ItemInserted(top, None, at(2)))
    assert state.items[0].key == "item-06"


def _new(key: str = "item-09", session: str = "", **changes: Any) -> AgendaItem:
    fields: dict[str, Any] = {"kind": ItemKind.REPORT, "title": "Báo cáo", "duration": 5}
    fields.update(changes)
    return AgendaItem(key, session, **fields)


@pytest.mark.parametrize(
    ("item", "after", "key"),
    [
        (_new("item-02"), None, "duplicate_item"),
        (_new(), "x", "unknown_item"),
        (_new(session="s-9"), None, "unknown_session"),
        (_new(title="  "), None, "title_required"),
        (_new(" "), None, "key_required"),
        (_new(duration=0), None, "bad_duration"),
        (_new(duration=24 * 60 + 1), None, "bad_duration"),
        (_new(kind=ItemKind.VOTE), None, "motion_required"),
        (_new(motion=MotionKind.OTHER), None, "motion_not_vote"),
    ],
)
def test_insert_refusals(item: AgendaItem, after: str | None, key: str) -> None:
    assert refused(initial(small()), ItemInserted(item, after, at(0))) == key


def test_an_inserted_vote_may_carry_its_own_rule() -> None:
    rule = VoteRule(Ratio(2, 3, strict=False), VoteBase.PRESENT, RuleSource.ITEM)
    item = AgendaItem(
        "item-05", "", ItemKind.VOTE, "Bổ sung", duration=5, motion=MotionKind.OTHER, majority=rule
    )
    state = run(ItemInserted(item, "item-03", at(0)))
    assert state.find("item-05").item.majority == rule  # type: ignore[union-attr]


# ---------------------------------------------------------------- timing


def test_timing_within_soon_and_over() -> None:
    state = run(ItemStarted("item-02", at(0)))  # 30 minutes planned
    within = timing(state, at(10))
    assert within is not None
    assert (within.item, within.elapsed, within.planned, within.remaining) == (
        "item-02",
        600,
        1800,
        1200,
    )
    assert within.level is Level.OK and not within.overrun and within.over_by == 0
    assert timing(state, at(28.5)).level is Level.SOON  # type: ignore[union-attr]
    over = timing(state, at(33.5))
    assert over is not None and over.overrun and over.level is Level.OVER
    assert (over.over_by, over.remaining) == (210, 0)
    assert describe_timing(over, "en") == "33:30 of 30:00: over by 03:30"
    assert describe_timing(within, "en") == "10:00 of 30:00 (20:00 left)"
    assert "⟦" not in describe_timing(over, "vi")


def test_timing_when_nothing_runs_and_for_a_done_item() -> None:
    state = initial(small())
    assert timing(state, at(0)) is None
    state = run(ItemStarted("item-01", at(0)), ItemEnded("item-01", at(8)))
    assert timing(state, at(50)) is None
    done = timing(state, at(50), key="item-01")
    assert done is not None and done.elapsed == 480 and done.over_by == 180  # 8 of 5 minutes


def test_timing_unplanned_and_derived() -> None:
    s = "session-1"
    items = (
        AgendaItem("a", s, ItemKind.BREAK, "Nghỉ trưa", start=PlannedStart(1, 11 * 60 + 30)),
        AgendaItem("b", s, ItemKind.REPORT, "Báo cáo", start=PlannedStart(1, 13 * 60 + 30)),
    )
    state = run(
        ItemStarted("a", at(0)), base=Agenda((AgendaSession(s, SessionKind.OFFICIAL, "P"),), items)
    )
    assert timing(state, at(30)).planned == 120 * 60  # type: ignore[union-attr]
    state = agenda.apply(state, ItemStarted("b", at(121)))
    unplanned = timing(state, at(131))
    assert unplanned is not None and unplanned.level is Level.UNPLANNED
    assert unplanned.planned is None and not unplanned.overrun
    assert describe_timing(unplanned, "en") == "10:00 (no planned time)"


def test_timing_counts_whole_seconds() -> None:
    state = run(ItemStarted("item-01", at(0)))
    assert timing(state, at(0) + timedelta(milliseconds=1999)).elapsed == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00"), (59, "00:59"), (727, "12:07"), (3727, "1:02:07"), (-5, "00:00")],
)
def test_format_clock(seconds: int, text: str) -> None:
    assert format_clock(seconds) == text


# ---------------------------------------------------------------- events for the store


def test_every_event_survives_the_store() -> None:
    rule = VoteRule(Ratio(2, 3, strict=False), VoteBase.PRESENT, RuleSource.ITEM)
    new = AgendaItem(
        "item-05",
        "session-1",
        ItemKind.VOTE,
        "Biểu quyết bổ sung",
        "Đoàn Chủ tịch",
        PlannedStart(1, 615),
        5,
        MotionKind.OTHER,
        rule,
    )
    events = [
        ItemStarted("item-01", at(0)),
        ItemInserted(new, "item-01", at(1)),
        ItemStarted("item-05", at(2)),
        ItemEnded("item-05", at(4)),
        ItemSkipped("item-02", at(5), "Hoãn"),
        ItemMoved("item-02", None, at(6)),
    ]
    assert {e.KIND for e in events} == agenda.EVENT_KINDS
    stored = [(e.KIND, json.loads(json.dumps(e.payload(), ensure_ascii=False))) for e in events]
    decoded = [agenda.decode(kind, payload) for kind, payload in stored]
    assert decoded == events
    assert agenda.replay(small(), decoded) == agenda.replay(small(), events)


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("agenda_item_started", {"item": "item-01"}),
        ("agenda_item_started", {"item": "item-01", "at": "2025-06-20T07:30:00"}),
        ("agenda_item_started", {"item": "item-01", "at": "soon"}),
        ("agenda_item_inserted", {"item": {"key": "x"}, "at": "2025-06-20T07:30:00+07:00"}),
        ("agenda_item_exploded", {"item": "item-01", "at": "2025-06-20T07:30:00+07:00"}),
    ],
)
def test_unreadable_events(kind: str, payload: dict[str, object]) -> None:
    with pytest.raises(AgendaError) as caught:
        agenda.decode(kind, payload)
    assert caught.value.key in {"bad_event", "bad_time"}


# ---------------------------------------------------------------- invariants under any operations


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, int, int | None]]:
    ops = ["start", "end", "skip", "move", "insert"]
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(ops),
                st.integers(0, 30),
                st.one_of(st.none(), st.integers(0, 30)),
            ),
            max_size=40,
        )
    )


@settings(max_examples=80, deadline=None)
@given(operations())
def test_any_sequence_keeps_the_invariants_and_replays(
    ops: list[tuple[str, int, int | None]],
) -> None:
    base = default_agenda(Template.PARTY, "en")
    state = initial(base)
    accepted: list[Any] = []
    now = T0
    for name, pick, other in ops:
        now += timedelta(minutes=3)
        keys = [s.key for s in state.items]
        key = keys[pick % len(keys)]
        after = None if other is None else keys[other % len(keys)]
        event: Any = {
            "start": ItemStarted(key, now),
            "end": ItemEnded(key, now),
            "skip": ItemSkipped(key, now),
            "move": ItemMoved(key, after, now),
            "insert": ItemInserted(
                AgendaItem(state.next_key(), "", ItemKind.PROCEDURAL, "Thêm", duration=5),
                after,
                now,
            ),
        }[name]
        try:
            state = agenda.apply(state, event)
        except AgendaError:
            continue
        accepted.append(event)
        running = [s.key for s in state.items if s.status is ItemStatus.RUNNING]
        assert running == ([state.current] if state.current else [])
        assert len({s.key for s in state.items}) == len(state.items)
        for s in state.items:
            assert (s.status is ItemStatus.PENDING) == (not s.spans and s.skipped_at is None)
            assert all(span.end is not None for span in s.spans[:-1])
            assert (s.spans[-1].end is None if s.spans else False) is (
                s.status is ItemStatus.RUNNING
            )
    inserted = sum(isinstance(e, ItemInserted) for e in accepted)
    assert len(state.items) == len(base.items) + inserted
    stored = [agenda.decode(e.KIND, json.loads(json.dumps(e.payload()))) for e in accepted]
    assert agenda.replay(base, stored) == state
