"""The discussion's settings in the congress file ([speakers] and an item's `speakers`), the time
per unit, and the pure reading of a file of contributions (issue 15): defaults, overrides, every
refusal in both languages, and the time per unit's arithmetic as properties."""

import copy
import json
import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session import i18n
from session.congress_file import ConfigError, load_congress, parse_congress
from session.i18n import t
from session.register import RegisterError, RowProblem, csv_rows
from session.speakers import (
    DEFAULT_MINUTES,
    Entry,
    EntryStatus,
    ItemSpeakers,
    Level,
    Source,
    Span,
    SpeakerAdded,
    SpeakersList,
    SpeakersSettings,
    SpeechEnded,
    SpeechKind,
    SpeechPaused,
    SpeechResumed,
    SpeechStarted,
    TimeLimits,
    replay,
)
from session.speakers.units import UnitTime, unit_time, unit_times
from session.speakers_import import (
    Contribution,
    Registered,
    additions,
    parse_contributions,
)

T0 = datetime(2025, 6, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def data(congress_data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(congress_data)


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_congress(data)
    return str(caught.value)


def discussion_agenda(**speakers: object) -> dict[str, Any]:
    """One session: a report, then a discussion carrying `speakers` (if given)."""
    discussion: dict[str, Any] = {"key": "thao-luan", "kind": "discussion",
                                  "title": "Thảo luận", "duration": 120}  # fmt: skip
    if speakers:
        discussion["speakers"] = speakers
    report = {"key": "bao-cao", "kind": "report", "title": "Báo cáo chính trị", "duration": 45}
    return {"sessions": [{"kind": "official", "items": [report, discussion]}]}


# ---------------------------------------------------------------- the congress file


def test_no_speakers_table_keeps_presidiums_defaults(data: dict[str, Any]) -> None:
    del data["speakers"]
    settings = parse_congress(data).speakers
    assert settings == SpeakersSettings()
    assert settings.limits.of(SpeechKind.FLOOR) == DEFAULT_MINUTES[SpeechKind.FLOOR] * 60
    assert settings.limits.of(SpeechKind.WRITTEN) == 0
    assert settings.of("item-14") == ItemSpeakers()


def test_the_example_states_the_defaults() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "congress.toml"
    assert load_congress(example).speakers == SpeakersSettings()


def test_a_subset_of_minutes_and_a_time_per_unit(data: dict[str, Any]) -> None:
    data["speakers"] = {"minutes": {"floor": 4, "point_of_order": 1}, "unit_minutes": 15}
    settings = parse_congress(data).speakers
    assert settings.limits == TimeLimits(prepared=600, floor=240, reply=180, point_of_order=60)
    assert settings.unit_seconds == 900
    assert settings.items == {}


def test_an_item_overrides_what_it_names_for_itself_only(data: dict[str, Any]) -> None:
    data["speakers"] = {"minutes": {"floor": 4}, "unit_minutes": 15}
    data["agenda"] = discussion_agenda(minutes={"prepared": 7})
    settings = parse_congress(data).speakers
    own = settings.of("thao-luan")
    assert own.limits == TimeLimits(prepared=420, floor=240, reply=180, point_of_order=120)
    assert own.unit_seconds == 900  # the congress's
    assert settings.of("bao-cao") == ItemSpeakers(settings.limits, 900)
    assert set(settings.items) == {"thao-luan"}


def test_an_item_may_switch_the_time_per_unit_off(data: dict[str, Any]) -> None:
    data["speakers"] = {"unit_minutes": 15}
    data["agenda"] = discussion_agenda(unit_minutes=0)
    settings = parse_congress(data).speakers
    assert settings.of("thao-luan").unit_seconds == 0
    assert settings.of("bao-cao").unit_seconds == 900


def test_an_item_sub_table_in_toml_and_the_stored_copy() -> None:
    text = """
[congress]
name = "Đại hội"
start = 2025-06-20
[speakers]
minutes = { prepared = 8 }
[[agenda.items]]
kind = "discussion"
title = "Thảo luận"
duration = 90
[agenda.items.speakers]
minutes = { floor = 3 }
unit_minutes = 12
"""
    data = tomllib.loads(text)
    congress = parse_congress(data)
    own = congress.speakers.of("item-01")
    assert own == ItemSpeakers(TimeLimits(prepared=480, floor=180), 720)
    # the database keeps the file as JSON and reads it back on every open
    stored = json.loads(json.dumps(data, default=str))
    assert parse_congress(stored).speakers == congress.speakers


BAD_CONGRESS = [
    ({"minute": {"floor": 3}}, "speakers.minute", "minute"),
    ({"minutes": {"written": 3}}, "speakers.minutes.written", "written"),
    ({"minutes": {"floor": 0}}, "speakers.minutes", "floor"),
    ({"minutes": {"floor": 121}}, "speakers.minutes", "121"),
    ({"minutes": {"floor": "5"}}, "speakers.minutes", "floor"),
    ({"minutes": {"floor": 2.5}}, "speakers.minutes", "2.5"),
    ({"minutes": {"floor": True}}, "speakers.minutes", "floor"),
    ({"minutes": {"speech": 3}}, "speakers.minutes", "speech"),
    ({"minutes": 3}, "speakers.minutes", "3"),
    ({"unit_minutes": -1}, "speakers.unit_minutes", "-1"),
    ({"unit_minutes": 1441}, "speakers.unit_minutes", "1441"),
    ({"unit_minutes": "15"}, "speakers.unit_minutes", "'15'"),
    ({"unit_minutes": True}, "speakers.unit_minutes", "True"),
    (5, "speakers", "5"),
]
# A word of each refusal's text in each language: the message is translated, not English.
WORDS = {
    "en": ("unknown key", "written contribution", "whole minutes", "no kind", "expected"),
    "vi": ("khóa không hợp lệ", "văn bản", "số phút", "không có loại", "cần"),
}


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("table", "where", "names"), BAD_CONGRESS)
def test_a_bad_speakers_table_is_refused_naming_table_and_key(
    data: dict[str, Any], lang: str, table: object, where: str, names: str
) -> None:
    i18n.use(lang)
    data["speakers"] = table
    message = refused(data)
    assert message.startswith(f"{where}:") or message.startswith(f"{where}.")
    assert names in message
    assert any(word in message for word in WORDS[lang]), message


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(
    ("speakers", "names"),
    [
        ({"minutes": {"floor": 0}}, "speakers.minutes"),
        ({"minutes": {"written": 2}}, "speakers.minutes"),
        ({"unit_minutes": "x"}, "speakers.unit_minutes"),
        ({"time": 3}, "speakers.time"),
    ],
)
def test_a_bad_item_speakers_table_names_the_item(
    data: dict[str, Any], lang: str, speakers: dict[str, object], names: str
) -> None:
    i18n.use(lang)
    data["agenda"] = discussion_agenda(**speakers)
    message = refused(data)
    assert message.startswith(f"agenda.sessions[0].items[1].{names}")
    assert any(word in message for word in WORDS[lang]), message


def test_an_item_speakers_not_a_table(data: dict[str, Any]) -> None:
    data["agenda"] = discussion_agenda()
    data["agenda"]["sessions"][0]["items"][1]["speakers"] = 10
    assert refused(data).startswith("agenda.sessions[0].items[1].speakers: expected a table")


def test_the_file_is_named_with_the_refusal(tmp_path: Path) -> None:
    path = tmp_path / "congress.toml"
    path.write_text('[congress]\nname = "X"\nstart = 2025-06-20\n[speakers]\nunit = 3\n',
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        load_congress(path)
    expected = "speakers.unit: unknown key (expected minutes, unit_minutes)"
    assert str(caught.value) == f"{path}: {expected}"


# ---------------------------------------------------------------- time per unit


def entry(number: int, unit: str, spans: tuple[Span, ...], kind: SpeechKind = SpeechKind.FLOOR,
          status: EntryStatus = EntryStatus.DONE) -> Entry:  # fmt: skip
    return Entry(number, f"d{number:05d}", f"Đại biểu {number}", unit, "", kind, 0, Source.SEARCH,
                 T0, status, spans)  # fmt: skip


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_unit_running_down_through_the_reducer() -> None:
    def added(n: int, unit: str, kind: SpeechKind = SpeechKind.FLOOR) -> SpeakerAdded:
        return SpeakerAdded("i", n, f"d{n:05d}", f"Người {n}", unit, "", kind, 0, Source.SEARCH,
                            T0)  # fmt: skip

    state = replay([
        added(1, "Xã Hưng Hóa"), added(2, "Xã Hưng Hóa", SpeechKind.POINT_OF_ORDER),
        added(3, "Xã Dị Nậu"),
        SpeechStarted("i", 2, at(0)), SpeechEnded("i", 2, at(30)),  # a point of order counts
        SpeechStarted("i", 1, at(40)), SpeechPaused("i", 1, at(100)),
        SpeechResumed("i", 1, at(160)),
    ])  # fmt: skip
    speakers = state.of("i")
    assert unit_time(speakers, "Xã Hưng Hóa", 120, at(190)) == UnitTime("Xã Hưng Hóa", 120, 120)
    used = unit_time(speakers, " Xã  Hưng Hóa ", 120, at(195))  # spaced another way: the same unit
    assert (used.used, used.left, used.level) == (125, -5, Level.OVER)
    near = unit_time(speakers, "Xã Hưng Hóa", 120, at(180))  # 12 s before the end it warns
    assert (near.left, near.level) == (10, Level.NEAR_END)
    assert unit_time(speakers, "Xã Dị Nậu", 120, at(190)) == UnitTime("Xã Dị Nậu", 120, 0)
    free = unit_time(speakers, "Xã Hưng Hóa", 0, at(190))
    assert (free.limited, free.left, free.level) == (False, 0, Level.RUNNING)
    assert [u.unit for u in unit_times(speakers, 120, at(190))] == ["Xã Hưng Hóa", "Xã Dị Nậu"]


UNITS = ["Xã A", "Xã B", "Thị trấn C"]


@st.composite
def speakers_lists(draw: st.DrawFn) -> tuple[SpeakersList, int]:
    """A list whose entries spoke in spans one after another; the last may still be running.
    Also the time of the end of the last span (the earliest `now` that makes sense)."""
    entries, clock = [], 0
    count = draw(st.integers(0, 8))
    for number in range(1, count + 1):
        spans = []
        for _ in range(draw(st.integers(0, 3))):
            clock += draw(st.integers(0, 50))
            length = draw(st.integers(0, 400))
            spans.append(Span(at(clock), at(clock + length)))
            clock += length
        running = number == count and spans and draw(st.booleans())
        if running:
            spans[-1] = Span(spans[-1].start)
        status = EntryStatus.SPEAKING if running else EntryStatus.DONE
        entries.append(entry(number, draw(st.sampled_from(UNITS)), tuple(spans), status=status))
    return SpeakersList("i", tuple(entries)), clock


@given(speakers_lists(), st.sampled_from(UNITS), st.integers(0, 3600), st.integers(0, 600))
def test_used_is_the_units_spans_and_left_is_what_remains(
    listed: tuple[SpeakersList, int], unit: str, allowed: int, later: int
) -> None:
    speakers, end = listed
    now = at(end + later)
    time = unit_time(speakers, unit, allowed, now)
    spans = [s for e in speakers.entries if e.unit == unit for s in e.spans]
    assert time.used == sum(s.seconds(now) for s in spans) >= 0
    assert time.left == (allowed - time.used if allowed else 0)
    assert (time.level is Level.OVER) == (allowed > 0 and time.used > allowed)


@given(speakers_lists(), st.integers(0, 3600), st.integers(0, 600), st.integers(0, 600))
def test_used_never_goes_back_and_the_units_share_the_time(
    listed: tuple[SpeakersList, int], allowed: int, later: int, more: int
) -> None:
    speakers, end = listed
    before, after = at(end + later), at(end + later + more)
    for unit in UNITS:
        assert (
            unit_time(speakers, unit, allowed, after).used
            >= unit_time(speakers, unit, allowed, before).used
        )
    total = sum(e.spoken(after) for e in speakers.entries)
    assert sum(u.used for u in unit_times(speakers, allowed, after)) == total
    running = speakers.current
    if running is not None and more:  # only the running speech's unit moves on
        grown = {u.unit: u.used for u in unit_times(speakers, allowed, after)}
        first = {u.unit: u.used for u in unit_times(speakers, allowed, before)}
        assert grown[running.unit] - first[running.unit] == more
        assert all(grown[u] == first[u] for u in grown if u != running.unit)


# ---------------------------------------------------------------- a file of contributions

REGISTER = {
    2: Registered(2, "Trần Thị Ánh", "Đảng bộ xã Hưng Hóa"),
    3: Registered(3, "Lê Đức Điệp", "Đảng bộ thị trấn Tam Nông"),
    4: Registered(4, "Hà Thị Ước", "Đảng bộ xã Dị Nậu"),
}
ITEMS = ["item-13", "item-14"]


def rows(text: str) -> list[tuple[int, list[str]]]:
    return csv_rows(text.encode("utf-8-sig"))


def problems(text: str, item: str | None = None) -> list[RowProblem]:
    with pytest.raises(RegisterError) as caught:
        parse_contributions(rows(text), REGISTER, ITEMS, item)
    return caught.value.problems


def test_vietnamese_headings_and_values_without_diacritics_or_with() -> None:
    text = (
        "DANH SÁCH ĐĂNG KÝ THAM LUẬN\n"
        "STT,Mục,Số đại biểu,Họ và tên,Tên tham luận,Loại phát biểu,Số phút,Gửi văn bản\n"
        "1,item-14,2,(ignored),Về nông nghiệp,Tham luận,7,\n"
        "2,ITEM-14,3,,Về xây dựng Đảng,tra loi,,không\n"
        "\n"
        "3,item-13,4,,Về văn hóa,phát biểu,,Có\n"
        "4,item-13,2,,Về thủ tục,Kiến nghị thủ tục,1,\n"
    )
    found = parse_contributions(rows(text), REGISTER, ITEMS)
    assert [(c.line, c.item, c.delegate, c.kind, c.asked) for c in found] == [
        (3, "item-14", 2, SpeechKind.PREPARED, 420),
        (4, "item-14", 3, SpeechKind.REPLY, 0),
        (6, "item-13", 4, SpeechKind.WRITTEN, 0),  # written only, whatever the kind says
        (7, "item-13", 2, SpeechKind.POINT_OF_ORDER, 60),
    ]
    first = found[0]
    assert (first.person, first.name, first.unit, first.title) == (
        "d00002", "Trần Thị Ánh", "Đảng bộ xã Hưng Hóa", "Về nông nghiệp"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("prepared", SpeechKind.PREPARED), ("tham luan", SpeechKind.PREPARED),
     ("Phát biểu", SpeechKind.FLOOR), ("floor", SpeechKind.FLOOR), ("Trả lời", SpeechKind.REPLY),
     ("point_of_order", SpeechKind.POINT_OF_ORDER), ("Point of order", SpeechKind.POINT_OF_ORDER),
     ("Thủ tục", SpeechKind.POINT_OF_ORDER), ("văn bản", SpeechKind.WRITTEN),
     ("Gửi văn bản", SpeechKind.WRITTEN), ("written", SpeechKind.WRITTEN),
     ("", SpeechKind.PREPARED)],
)  # fmt: skip
def test_kinds_in_either_language(kind: str, expected: SpeechKind) -> None:
    found = parse_contributions(rows(f"number,kind\n2,{kind}\n"), REGISTER, ITEMS, "item-14")
    assert found[0].kind is expected


def test_the_item_option_for_rows_that_name_none() -> None:
    text = "item,number\n,2\nitem-13,3\n"
    found = parse_contributions(rows(text), REGISTER, ITEMS, "item-14")
    assert [c.item for c in found] == ["item-14", "item-13"]
    assert problems("number\n2\n") == [RowProblem(1, "missing_column", "item")]
    assert problems("item,number\n,2\n") == [RowProblem(2, "speakers_missing_item", "item")]
    assert problems("number\n2\n", "item-99") == [
        RowProblem(0, "speakers_unknown_item_option", "--item", "item-99")
    ]


def test_every_bad_row_is_named_with_its_column() -> None:
    text = (
        "Mục,Số ĐB,Tiêu đề,Loại,Phút,Văn bản\n"
        "item-14,2,Tốt,tham luận,5,\n"
        "item-99,99,,speech,121,maybe\n"
        "item-14,abc,,,,\n"
        "item-14,3,,văn bản,5,\n"
        "item-14,4,Hai\u200bnghĩa,,,\n"
        "item-14,2,Lại,tham luận,,\n"
    )
    assert problems(text) == [
        RowProblem(3, "speakers_unknown_item", "Mục", "item-99"),
        RowProblem(3, "speakers_unknown_delegate", "Số ĐB", "99"),
        RowProblem(3, "speakers_bad_kind", "Loại", "speech"),
        RowProblem(3, "speakers_bad_written", "Văn bản", "maybe"),
        RowProblem(3, "speakers_bad_minutes", "Phút", "121"),
        RowProblem(4, "speakers_bad_number", "Số ĐB", "abc"),
        RowProblem(5, "speakers_written_minutes", "Phút", "5"),
        RowProblem(6, "hidden_character", "Tiêu đề", "U+200B"),
        RowProblem(7, "speakers_duplicate", "", "2"),
    ]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_problem_reads_in_both_languages(lang: str) -> None:
    i18n.use(lang)
    said = {
        "en": ["column 'Loại'", "unknown kind 'speech'", "no delegate number 99", "line 2"],
        "vi": ["cột 'Loại'", "loại phát biểu 'speech'", "không có đại biểu số 99", "dòng 2"],
    }[lang]
    text = "item,number,Loại\nitem-14,99,speech\n"
    lines = [
        f"{t('import.line', line=p.line)}: " + t(f"import.{p.key}", column=p.column, value=p.value)
        for p in problems(text)
    ]
    joined = " | ".join(lines)
    assert all(part in joined for part in said), joined
    assert "⟦" not in joined


def test_empty_files_and_files_without_rows() -> None:
    assert problems("") == [RowProblem(0, "empty_file")]
    assert problems("item,number\n\n") == [RowProblem(0, "speakers_no_rows")]


def test_written_contributions_differ_by_title() -> None:
    text = "item,number,title,written\nitem-14,2,Một,có\nitem-14,2,Hai,có\nitem-14,2,một,có\n"
    assert problems(text) == [RowProblem(4, "speakers_duplicate", "", "2")]


def test_additions_number_after_the_list_and_leave_out_what_is_on_it() -> None:
    text = "item,number,kind\nitem-14,2,prepared\nitem-14,3,floor\nitem-13,4,written\n"
    found = parse_contributions(rows(text), REGISTER, ITEMS)
    at_desk = SpeakerAdded("item-14", 1, "d00003", "Lê Đức Điệp", "", "", SpeechKind.FLOOR, 0,
                           Source.CARD, T0)  # fmt: skip
    state = replay([at_desk])
    events = additions(state, found, Source.IMPORT, at(5))
    assert [(e.item, e.number, e.person, e.kind, e.source) for e in events] == [
        ("item-14", 2, "d00002", SpeechKind.PREPARED, Source.IMPORT),
        ("item-13", 1, "d00004", SpeechKind.WRITTEN, Source.IMPORT),
    ]
    again = replay([at_desk, *events])
    assert additions(again, found, Source.IMPORT, at(9)) == []


def test_a_contribution_recognises_itself_whatever_became_of_it() -> None:
    row = Contribution(2, "i", 2, "Trần Thị Ánh", "", "Một", SpeechKind.WRITTEN, 0)
    on_list = entry(2, "", (), SpeechKind.WRITTEN, EntryStatus.WRITTEN)
    assert row.same_as(replace(on_list, title="MỘT"))
    assert not row.same_as(replace(on_list, title="Hai"))
    removed = entry(2, "", (), SpeechKind.FLOOR, EntryStatus.REMOVED)
    floor = Contribution(2, "i", 2, "Trần Thị Ánh", "", "", SpeechKind.FLOOR, 0)
    assert floor.same_as(removed)


def test_csv_with_a_byte_order_mark_and_semicolons() -> None:
    data = "\ufeffSố đại biểu;Tiêu đề\n2;Về nông nghiệp\n".encode()
    found = parse_contributions(csv_rows(data), REGISTER, ITEMS, "item-14")
    assert [(c.delegate, c.title) for c in found] == [(2, "Về nông nghiệp")]
