"""`presidium speakers` and `presidium speakers import` (issue 15) on real databases: a file of
contributions put on the lists all or none (SQLite and PostgreSQL), imported again without
doubling, refused row by row naming the line and the column; the lists printed as text and
JSON."""

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db.store import Store
from presidium.cli import main
from session.demo import demo_register
from session.speakers import EntryStatus, Source, SpeechKind

MakeStore = Callable[..., Store]
ITEM = "item-14"  # the example congress's (standard agenda) discussion item
GOOD = (
    "\ufeffSTT,Mục,Số đại biểu,Họ và tên,Tên tham luận,Loại,Số phút,Gửi văn bản\n"
    f"1,{ITEM},2,,Về phát triển nông nghiệp,Tham luận,7,\n"
    f"2,{ITEM},3,,Về công tác xây dựng Đảng,tham luan,,\n"
    f"3,{ITEM},4,,Về văn hóa,Phát biểu,,có\n"
    "4,item-12,5,,Ý kiến về thủ tục,Kiến nghị thủ tục,,\n"
)


def write(tmp_path: Path, text: str, name: str = "tham-luan.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*argv: str) -> int:
    return main(["--lang", "en", *argv])


def speaker_events(store: Store) -> list[str]:
    return [e.kind for e in store.events() if e.kind.startswith(("speaker", "speech"))]


# ---------------------------------------------------------------- import


def test_a_file_is_put_on_the_lists_and_a_second_import_adds_nothing(
    make_store: MakeStore, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(db_url)
    path = write(tmp_path, GOOD)
    assert run("speakers", "import", path, "--db", db_url) == 0
    out = capsys.readouterr().out
    assert "4 contribution(s) added to the lists of speakers; 0 already on them" in out
    assert "[item-14]" not in out and "«Thảo luận" in out and ": 3 added" in out
    state = store.speakers_state()
    listed = state.of(ITEM)
    two = store.delegate(2)
    assert two is not None
    first = listed.get(1)
    assert (first.person, first.name, first.unit, first.kind, first.asked, first.source) == (
        "d00002", two.full_name, two.unit, SpeechKind.PREPARED, 420, Source.IMPORT
    )  # fmt: skip
    assert listed.get(3).status is EntryStatus.WRITTEN
    assert state.of("item-12").get(1).kind is SpeechKind.POINT_OF_ORDER
    events = len(store.events())

    assert run("speakers", "import", path, "--db", db_url) == 0
    assert "0 contribution(s) added to the lists of speakers; 4 already" in capsys.readouterr().out
    assert len(store.events()) == events  # nothing written at all
    assert store.verify() is None


def test_rows_already_on_a_list_are_left_out_the_new_ones_added(
    make_store: MakeStore, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(db_url)
    two = store.delegate(2)
    assert two is not None
    store.add_speaker(ITEM, two.full_name, SpeechKind.PREPARED, person="d00002",
                      source=Source.CARD)  # fmt: skip
    assert run("speakers", "import", write(tmp_path, GOOD), "--db", db_url) == 0
    assert "3 contribution(s) added" in capsys.readouterr().out
    assert [e.number for e in store.speakers_state().of(ITEM).entries] == [1, 2, 3]


def test_a_bad_row_names_line_and_column_and_nothing_is_written(
    make_store: MakeStore, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(db_url)
    before = len(store.events())
    bad = GOOD + f"5,{ITEM},3,,Lại,bài phát biểu,,\n"
    assert run("speakers", "import", write(tmp_path, bad), "--db", db_url) == 1
    err = capsys.readouterr().err
    assert "tham-luan.csv: line 6: column 'Loại': unknown kind 'bài phát biểu'" in err
    assert err.strip().endswith("; nothing was imported")
    assert len(store.events()) == before and store.speakers_state().lists == ()


def test_every_bad_row_is_listed_then_one_summary(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_store(sqlite_url)
    text = "number,title,minutes\n2,A,7\n999,B,\n3,C,2 giờ\n"
    assert run("speakers", "import", write(tmp_path, text), "--db", sqlite_url,
               "--item", ITEM) == 1  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("line 3: column 'number': no delegate number 999 on the register")
    assert err[1].endswith("line 4: column 'minutes': '2 giờ' is not whole minutes from 0 to 120")
    assert err[2] == "presidium: Nothing was imported: 2 problem(s)"


def test_the_database_refuses_the_whole_file_when_one_change_is_impossible(
    make_store: MakeStore, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every row is good, but the discussion's list is closed: the first rows are not kept."""
    store = make_store(db_url)
    store.close_speakers(ITEM)
    before = len(store.events())
    text = f"item,number,kind\nitem-12,2,floor\n{ITEM},3,floor\n"
    assert run("speakers", "import", write(tmp_path, text), "--db", db_url) == 1
    assert "is closed: only written contributions are taken" in capsys.readouterr().err
    assert len(store.events()) == before
    assert store.speakers_state().of("item-12").entries == ()


def test_the_item_option_and_its_refusal(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url)
    path = write(tmp_path, "Số ĐB;Tiêu đề\n2;Về nông nghiệp\n3;Về giáo dục\n")
    assert run("speakers", "import", path, "--db", sqlite_url, "--item", "item-99") == 1
    assert "--item: there is no agenda item 'item-99'" in capsys.readouterr().err
    assert run("speakers", "--db", sqlite_url, "import", path, "--item", ITEM) == 0
    assert [e.title for e in store.speakers_state().of(ITEM).entries] == [
        "Về nông nghiệp", "Về giáo dục"
    ]  # fmt: skip


def test_an_xlsx_workbook_with_a_title_line(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH ĐĂNG KÝ THAM LUẬN"])
    sheet.append(["STT", "MỤC CHƯƠNG TRÌNH", "SỐ ĐẠI BIỂU", "TIÊU ĐỀ", "HÌNH THỨC", "THỜI GIAN"])
    sheet.append([1, ITEM, 7, "Về chuyển đổi số", "tham luận", 8])
    sheet.append([2, ITEM, 9.0, "Về đất đai", "Trả lời", None])
    path = tmp_path / "tham-luan.xlsx"
    book.save(path)
    assert run("speakers", "import", str(path), "--db", sqlite_url) == 0
    entries = store.speakers_state().of(ITEM).entries
    assert [(e.person, e.kind, e.asked) for e in entries] == [
        ("d00007", SpeechKind.PREPARED, 480), ("d00009", SpeechKind.REPLY, 0)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "says"),
    [(("speakers", "import"), "Name the file"),
     (("speakers", "import", "x.csv", "--json"), "--json prints the lists")],
)  # fmt: skip
def test_import_needs_its_file_and_takes_no_json(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...], says: str,
) -> None:  # fmt: skip
    make_store(sqlite_url)
    assert run(*argv, "--db", sqlite_url) == 1
    assert says in capsys.readouterr().err


# ---------------------------------------------------------------- the lists printed


def _discussion_under_way(store: Store) -> None:
    """Four on the list: one spoke, one removed, one written, one speaking now."""
    people = [store.delegate(n) for n in (2, 3, 4, 5)]
    assert all(p is not None for p in people)
    a, b, c, d = people  # type: ignore[misc]
    store.add_speaker(ITEM, a.full_name, SpeechKind.PREPARED, person="d00002", unit=a.unit,
                      title="Về nông nghiệp", asked=420)  # fmt: skip
    store.add_speaker(ITEM, b.full_name, SpeechKind.FLOOR, person="d00003", unit=b.unit)
    store.add_speaker(ITEM, c.full_name, SpeechKind.WRITTEN, person="d00004", unit=c.unit,
                      title="Về văn hóa")  # fmt: skip
    store.add_speaker(ITEM, d.full_name, SpeechKind.REPLY, person="d00005", unit=d.unit)
    store.start_speech(ITEM, 1)
    store.end_speech(ITEM, 1)
    store.remove_speaker(ITEM, 2, "xin rút")
    store.start_speech(ITEM, 4)


def test_the_lists_as_text(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url)
    assert run("speakers", "--db", sqlite_url) == 0
    assert capsys.readouterr().out.strip() == "No list of speakers yet: no one has been put on one"
    _discussion_under_way(store)
    five = store.delegate(5)
    assert five is not None
    assert run("speakers", "--db", sqlite_url) == 0
    out = capsys.readouterr().out
    assert "«Thảo luận" in out and f"[{ITEM}]: list open" in out
    assert f"At the microphone: 4. {five.full_name} (delegate 5), {five.unit} — reply" in out
    assert "of 3:00" in out
    assert "Spoken and in writing (2):" in out and "«Về nông nghiệp»: spoke at " in out
    assert "of 7:00" in out and "«Về văn hóa»: received at " in out
    assert "Taken off the list (1):" in out and ": reason: xin rút" in out
    assert "Waiting" not in out
    assert main(["--lang", "vi", "speakers", "--db", sqlite_url, "--item", ITEM]) == 0
    out = capsys.readouterr().out
    assert "danh sách đang mở" in out and "Đang phát biểu: 4." in out and "lý do: xin rút" in out


def test_the_lists_as_json(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url)
    _discussion_under_way(store)
    store.close_speakers(ITEM)
    assert run("speakers", "--db", sqlite_url, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"congress", "at", "lists"}
    (one,) = data["lists"]
    assert (one["item"], one["closed"], one["unit_seconds"]) == (ITEM, True, 0)
    assert one["limits"] == {"prepared": 600, "floor": 300, "reply": 180, "point_of_order": 120}
    assert one["current"]["number"] == 4 and one["current"]["status"] == "speaking"
    assert one["current"]["delegate"] == 5 and one["current"]["limit"] == 180
    assert one["waiting"] == []
    # in the order given: the written one was handed in before the first speech began
    assert [(c["number"], c["kind"], c["status"]) for c in one["contributions"]] == [
        (3, "written", "written"), (1, "prepared", "done")
    ]  # fmt: skip
    spoke = next(c for c in one["contributions"] if c["number"] == 1)
    assert spoke["asked"] == spoke["limit"] == 420 and spoke["title"] == "Về nông nghiệp"
    assert spoke["started_at"].endswith("+00:00") and spoke["ended_at"] is not None
    (removed,) = one["removed"]
    assert (removed["number"], removed["removed_reason"], removed["kind"]) == (
        2,
        "xin rút",
        "floor",
    )
    assert set(removed) == {
        "number", "delegate", "person", "name", "unit", "title", "kind", "status", "source",
        "asked", "limit", "spoken", "added_at", "started_at", "ended_at", "removed_reason",
    }  # fmt: skip
    assert [u["unit"] for u in one["units"]] == list(
        dict.fromkeys(e.unit for e in store.speakers_state().of(ITEM).entries)
    )
    assert all(u["left"] is None and u["allowed"] == 0 for u in one["units"])


def test_time_per_unit_and_an_items_own_limits(
    congress_data: dict[str, Any], sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(congress_data)
    data["speakers"] = {"minutes": {"reply": 4}, "unit_minutes": 15}
    start = datetime(2025, 6, 20, 3, 0, tzinfo=UTC)
    now = [start]
    with Store.create(sqlite_url, data, clock=lambda: now[0]) as store:
        store.import_register(demo_register(10), source="test")
        one = store.delegate(2)
        assert one is not None
        store.add_speaker(ITEM, one.full_name, SpeechKind.FLOOR, person="d00002", unit=one.unit)
        store.add_speaker(ITEM, one.full_name, SpeechKind.REPLY, person="d00002", unit=one.unit)
        now[0] = start + timedelta(seconds=2)
        store.start_speech(ITEM, 1)
        now[0] = start + timedelta(seconds=60)
        store.end_speech(ITEM, 1)  # 58 s of the unit's 15 minutes
    assert run("speakers", "--db", sqlite_url, "--json") == 0
    (listed,) = json.loads(capsys.readouterr().out)["lists"]
    assert listed["limits"]["reply"] == 240 and listed["unit_seconds"] == 900
    assert listed["units"] == [{"unit": one.unit, "allowed": 900, "used": 58, "left": 842,
                                "level": "running"}]  # fmt: skip
    assert run("speakers", "--db", sqlite_url) == 0
    out = capsys.readouterr().out
    assert "Time per unit (15:00 each):" in out and f"{one.unit}: used 0:58, 14:02 left" in out
    assert "comment from the floor" in out and "reply: limit 4:00" in out


def test_an_unknown_item_is_refused(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_store(sqlite_url)
    assert run("speakers", "--db", sqlite_url, "--item", "item-99") == 1
    assert capsys.readouterr().err.strip() == "presidium: There is no agenda item item-99"


def test_help_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    for lang, words in (("en", "print the lists of speakers"), ("vi", "in danh sách phát biểu")):
        with pytest.raises(SystemExit) as done:
            main(["--lang", lang, "speakers", "--help"])
        assert done.value.code == 0
        assert "--item KEY" in capsys.readouterr().out
        with pytest.raises(SystemExit):
            main(["--lang", lang, "--help"])
        assert words in capsys.readouterr().out
