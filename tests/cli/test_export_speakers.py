"""The discussion in `presidium export` (issue 15): a congress driven through the Store with a
discussion on its discussion item (a prepared contribution, a comment from the floor, a point of
order put at the head, one in writing, one speaker removed, one speech paused and resumed) and
two more contributions on the resolution (the same woman again, a guest), exported; the
minutes' PDF text in both languages, proceedings.json against its schema, speakers.csv read
back; an interim export during a speech; the same bytes from PostgreSQL."""

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from db.store import Store
from printouts.export import FILES, export, read_proceedings, verify_export
from printouts.minutes import minutes_document
from session.candidates import delegate_person_id
from session.i18n import t
from session.speakers import Source, SpeechKind
from tests.conftest import ROOT
from tests.harness.export_kit import CARD_KEY, Clock, load_csv, morning
from tests.harness.printouts import page_texts

SCHEMA = json.loads((ROOT / "docs" / "proceedings.schema.json").read_text(encoding="utf-8"))
ITEM, RESOLUTION = "item-14", "item-23"  # the standard agenda's discussion, its resolution
REMOVED = "xin rút, đã gửi ý kiến bằng văn bản"
GUEST = "Hoàng Thị Khách"  # not on the register: never counted as a woman
GUEST_UNIT = "Ban Tuyên giáo Tỉnh ủy"


class Stopwatch(Clock):
    """The export kit's clock, one minute per transaction, whose next step the test may set: a
    speech lasts what the test says, to the second."""

    def __init__(self) -> None:
        super().__init__()
        self.step: timedelta | None = None

    def __call__(self) -> datetime:
        step, self.step = self.step or timedelta(minutes=1), None
        self.at += step
        return self.at


@dataclass
class Held:
    store: Store
    speakers: dict[str, str]  # role in the scene -> name
    units: dict[str, str]  # role -> unit
    speaking_at: datetime  # a moment while F was speaking


def hold(make_store: Callable[..., Store], url: str) -> Held:
    """The morning (roll call, items 1 to 10 with their votes and bodies), the discussion on
    item 14, two contributions on the resolution (item 23), the congress closed."""
    clock = Stopwatch()
    store = make_store(url, delegates=30, clock=clock, card_key=CARD_KEY)
    morning(store)
    people = {d.number: d for d in store.delegates()}
    cast = {"A": 20, "B": 14, "C": 16, "D": 30, "E": 18, "F": 22}  # A and D are women

    def add(role: str, kind: SpeechKind, item: str = ITEM, **kw: object) -> int:
        d = people[cast[role]]
        person = delegate_person_id(d.number)
        state = store.add_speaker(item, d.full_name, kind, person=person, unit=d.unit,
                                  title="Nâng cao chất lượng sinh hoạt chi bộ", **kw)  # type: ignore[arg-type]  # fmt: skip
        return max(e.number for e in state.of(item).entries)

    def speak(item: str, number: int, *seconds: int) -> None:
        store.start_speech(item, number)
        for i, stretch in enumerate(seconds):
            if i:
                store.resume_speech(item, number)  # after the kit's minute of pause
            clock.step = timedelta(seconds=stretch)
            (store.end_speech if i == len(seconds) - 1 else store.pause_speech)(item, number)

    for key in ("item-11", "item-12", "item-13", ITEM):
        store.start_item(key)
    a = add("A", SpeechKind.PREPARED, asked=600, source=Source.IMPORT)
    b, e, f = add("B", SpeechKind.FLOOR), add("E", SpeechKind.FLOOR), add("F", SpeechKind.REPLY)
    add("D", SpeechKind.WRITTEN)  # recorded at once, never called
    store.call_speaker(ITEM, a)
    speak(ITEM, a, 450)  # 7:30
    c = add("C", SpeechKind.POINT_OF_ORDER)  # to the head of those waiting
    assert [x.number for x in store.speakers_state().of(ITEM).waiting] == [c, b, e, f]
    speak(ITEM, c, 70)  # 1:10
    store.remove_speaker(ITEM, e, REMOVED)
    speak(ITEM, b, 185)  # 3:05
    store.start_speech(ITEM, f)
    speaking_at = clock.at
    clock.step = timedelta(seconds=120)
    store.pause_speech(ITEM, f)
    store.resume_speech(ITEM, f)  # a minute later: the pause is not spoken
    clock.step = timedelta(seconds=90)
    store.end_speech(ITEM, f)  # 2:00 + 1:30 = 3:30
    store.close_speakers(ITEM)
    for key in [f"item-{n}" for n in range(15, 24)]:
        store.start_item(key)
    again = add("A", SpeechKind.FLOOR, RESOLUTION)
    speak(RESOLUTION, again, 120)  # 2:00
    guest = store.add_speaker(RESOLUTION, GUEST, SpeechKind.FLOOR, unit=GUEST_UNIT,
                              title="Góp ý dự thảo Nghị quyết")  # fmt: skip
    speak(RESOLUTION, max(x.number for x in guest.of(RESOLUTION).entries), 300)  # 5:00
    for key in ("item-24", "item-25"):
        store.start_item(key)
    store.end_item("item-25")
    names = {role: people[n].full_name for role, n in cast.items()}
    units = {role: people[n].unit for role, n in cast.items()}
    return Held(store, names, units, speaking_at)


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def section(text: str, lang: str) -> str:
    """The discussion's section of the minutes' text: from its heading to the votes'."""
    start = text.index(f"V. {t('proceedings.minutes.section.discussion', lang)}")
    return text[start : text.index(f"VI. {t('proceedings.minutes.section.votes', lang)}")]


def item_counts(lang: str, *figures: object) -> str:
    """An item's line of counts, as the minutes print it."""
    keys = ("contributions", "spoken", "written", "people", "women", "units", "time")
    return t("proceedings.minutes.discussion.item_counts", lang,
             **dict(zip(keys, figures, strict=True)))  # fmt: skip


# ----------------------------------------------------------------------------- the export


def test_the_export_records_the_discussion(
    make_store: Callable[..., Store], db_url: str, tmp_path: Path
) -> None:
    held = hold(make_store, db_url)
    store, who = held.store, held.speakers
    for lang in ("vi", "en"):
        export(store, tmp_path / lang, lang=lang)
        assert verify_export(store, tmp_path / lang).files == len(FILES) + 1
    assert "speakers.csv" in FILES

    # proceedings.json: valid, with every contribution and the counts
    data = json.loads((tmp_path / "vi" / "proceedings.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert not data["interim"]
    discussion = data["discussion"]
    assert discussion["counts"] == {"contributions": 7, "spoken": 6, "written": 1, "people": 6,
                                    "women": 2, "units": 5, "spoken_seconds": 1335}  # fmt: skip
    first, second = discussion["items"]
    assert (first["item"], first["number"], second["item"], second["number"]) == (
        ITEM, 14, RESOLUTION, 23,
    )  # fmt: skip
    assert [c["name"] for c in first["contributions"]] == [
        who["D"], who["A"], who["C"], who["B"], who["F"],
    ]  # fmt: skip
    assert [c["seconds"] for c in first["contributions"]] == [None, 450, 70, 185, 210]
    assert [c["kind"] for c in first["contributions"]] == [
        "written", "prepared", "point_of_order", "floor", "reply",
    ]  # fmt: skip
    assert first["counts"] == {"contributions": 5, "spoken": 4, "written": 1, "people": 5,
                               "women": 2, "units": 4, "spoken_seconds": 915}  # fmt: skip
    assert second["counts"]["women"] == 1 and second["counts"]["people"] == 2
    guest = second["contributions"][1]
    assert (guest["name"], guest["person"], guest["gender"], guest["unit"]) == (
        GUEST, "", "", GUEST_UNIT,
    )  # fmt: skip
    everyone = [c["name"] for i in discussion["items"] for c in i["contributions"]]
    assert who["E"] not in everyone  # removed from the list: no contribution

    # speakers.csv: the same rows
    rows = load_csv(tmp_path / "vi" / "speakers.csv")
    assert [r["name"] for r in rows] == everyone
    assert [r["seconds"] for r in rows] == ["", "450", "70", "185", "210", "120", "300"]
    assert [r["spoken"] for r in rows] == ["False"] + ["True"] * 6
    assert [r["order"] for r in rows] == ["1", "2", "3", "4", "5", "1", "2"]
    assert rows[1]["person"] == delegate_person_id(20) and rows[1]["gender"] == "female"
    assert all(r["at"].endswith("+07:00") for r in rows) and rows[0]["ended_at"] == ""
    assert rows[1]["unit"] == held.units["A"] and rows[-1]["person"] == ""
    assert (tmp_path / "en" / "speakers.csv").read_bytes() == (
        tmp_path / "vi" / "speakers.csv"
    ).read_bytes()  # no language in it

    # the minutes, as printed, in both languages
    for lang in ("vi", "en"):
        text = section(flat(" ".join(page_texts(tmp_path / lang / "minutes.pdf"))), lang)
        for role in "ABCDF":
            assert who[role] in text and held.units[role] in text, role
        assert who["E"] not in text and REMOVED not in text
        assert GUEST in text and GUEST_UNIT in text
        for duration in ("7:30", "1:10", "3:05", "3:30", "2:00", "5:00"):
            assert duration in text
        assert flat(item_counts(lang, 5, 4, 1, 5, 2, 4, "15:15")) in text
        assert flat(item_counts(lang, 2, 2, 0, 2, 1, 2, "7:00")) in text
        assert t("proceedings.minutes.discussion.total", lang) in text
        for kind in ("prepared", "floor", "point_of_order", "written"):
            assert flat(t(f"speakers.kind.{kind}", lang)) in text
        assert t("proceedings.minutes.discussion.written", lang) in text
        assert "20/06/2025" in text if lang == "vi" else "2025-06-20" in text
        md = (tmp_path / lang / "minutes.md").read_text(encoding="utf-8")
        assert who["F"] in md and "3:30" in md and who["E"] not in section(md, lang)


def test_an_interim_export_leaves_out_the_speech_under_way(
    make_store: Callable[..., Store], sqlite_url: str, tmp_path: Path
) -> None:
    held = hold(make_store, sqlite_url)
    p = read_proceedings(held.store, held.speaking_at)
    assert p.interim
    record = p.discussion()
    names = [c.name for c in record.contributions]
    who = held.speakers
    assert names == [who["D"], who["A"], who["C"], who["B"]]  # F is still speaking
    assert (record.counts.contributions, record.counts.seconds) == (4, 450 + 70 + 185)
    export(held.store, tmp_path / "noon", as_of=held.speaking_at)
    rows = load_csv(tmp_path / "noon" / "speakers.csv")
    assert [r["name"] for r in rows] == names
    texts = list(minutes_document(p, "vi").texts())
    assert who["F"] not in " ".join(texts)


def test_a_congress_without_a_discussion_says_so(
    make_store: Callable[..., Store], sqlite_url: str, tmp_path: Path
) -> None:
    store = make_store(sqlite_url, delegates=30, clock=Stopwatch(), card_key=CARD_KEY)
    morning(store)
    store.add_speaker(ITEM, "Nguyễn Văn Chờ", SpeechKind.FLOOR)  # waiting: not a contribution
    export(store, tmp_path / "out", lang="en")
    data = json.loads((tmp_path / "out" / "proceedings.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["discussion"] == {
        "counts": {"contributions": 0, "spoken": 0, "written": 0, "people": 0, "women": 0,
                   "units": 0, "spoken_seconds": 0},
        "items": [],
    }  # fmt: skip
    assert load_csv(tmp_path / "out" / "speakers.csv") == []
    text = flat(" ".join(page_texts(tmp_path / "out" / "minutes.pdf")))
    assert flat(t("proceedings.minutes.discussion.none", "en")) in section(text, "en")


@pytest.mark.pg
def test_postgresql_exports_the_discussion_as_sqlite_does(
    make_store: Callable[..., Store], sqlite_url: str, pg_url: str, tmp_path: Path
) -> None:
    for name, url in (("sqlite", sqlite_url), ("pg", pg_url)):
        export(hold(make_store, url).store, tmp_path / name)
    for name in FILES:
        assert (tmp_path / "pg" / name).read_bytes() == (tmp_path / "sqlite" / name).read_bytes()
