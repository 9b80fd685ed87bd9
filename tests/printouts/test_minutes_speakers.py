"""The minutes' section on the discussion (printouts/minutes_speakers.py): where it sits, each
contribution as a row (speaker, unit, title, kind, start in the congress's time zone, m:ss,
spoken or in writing), the summary with the congress's line, the same words in the PDF (read
back, NFC), the Markdown and the HTML, in both languages; its catalog complete."""

import re
import tomllib
from pathlib import Path

import pytest

from db.store import Store
from printouts.document import Block, Document, Grid, Heading, Text
from printouts.export import read_proceedings
from printouts.minutes import minutes_document
from printouts.minutes_text import html, markdown, md_escape
from printouts.pdf import write_minutes_pdf
from session.candidates import delegate_person_id
from session.i18n import t
from session.speakers import SpeechKind
from tests.conftest import ROOT
from tests.harness.export_kit import admit, new_store
from tests.harness.printouts import page_texts

ITEM = "item-14"
NFD_NAME = "Nguye\u0302\u0303n Thi\u0323 Kha\u0301ch"  # a guest's name typed decomposed
GUEST = "Nguyễn Thị Khách"
GUEST_UNIT = "Ban Tuyên giáo Tỉnh ủy"
KEY = "proceedings.minutes.discussion"
TITLE = "Phát triển kinh tế nông nghiệp theo hướng hữu cơ"


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Items 1 to 14 run; on item 14: a prepared contribution (1:00), one in writing, a guest's
    comment paused and resumed (2:00 spoken), one removed, one still waiting. The kit's clock
    moves one minute per transaction."""
    where = str(tmp_path_factory.mktemp("minutes") / "congress.db")
    with new_store(where) as store:
        admit(store, 10)
        for n in range(1, 15):
            store.start_item(f"item-{n:02d}")
        people = {d.number: d for d in store.delegates()}

        def add(number: int, kind: SpeechKind) -> None:
            d = people[number]
            store.add_speaker(ITEM, d.full_name, kind, person=delegate_person_id(d.number),
                              unit=d.unit, title=TITLE)  # fmt: skip

        add(20, SpeechKind.PREPARED)  # 1, a woman
        add(30, SpeechKind.WRITTEN)  # 2, a woman
        store.add_speaker(ITEM, NFD_NAME, SpeechKind.FLOOR, unit=GUEST_UNIT)  # 3, a guest
        add(14, SpeechKind.FLOOR)  # 4, removed
        add(16, SpeechKind.FLOOR)  # 5, still waiting
        store.start_speech(ITEM, 1)
        store.end_speech(ITEM, 1)
        store.start_speech(ITEM, 3)
        store.pause_speech(ITEM, 3)
        store.resume_speech(ITEM, 3)
        store.end_speech(ITEM, 3)
        store.remove_speaker(ITEM, 4, "vắng mặt")
    return where


def document(path: str, lang: str) -> Document:
    with Store.open(path) as store:
        return minutes_document(read_proceedings(store), lang)


def section(doc: Document, lang: str) -> list[Block]:
    """The blocks of the discussion's section."""
    blocks = list(doc.blocks)
    title = f"V. {t('proceedings.minutes.section.discussion', lang)}"
    start = blocks.index(Heading(title))
    end = next(i for i, b in enumerate(blocks) if i > start and isinstance(b, Heading)
               and b.level == 1)  # fmt: skip
    return blocks[start + 1 : end]


def grids(blocks: list[Block]) -> list[Grid]:
    return [b for b in blocks if isinstance(b, Grid)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_section_sits_after_the_agenda_before_the_votes(path: str, lang: str) -> None:
    doc = document(path, lang)
    heads = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    keys = ("general", "bodies", "attendance", "agenda", "discussion", "votes", "elections")
    roman = ("I", "II", "III", "IV", "V", "VI", "VII")
    named = zip(roman, keys, strict=True)
    expected = [f"{r}. {t(f'proceedings.minutes.section.{k}', lang)}" for r, k in named]
    assert heads[: len(keys)] == expected
    texts = list(doc.texts())
    assert not [x for x in texts if "⟦" in x], "untranslated key"
    assert not [x for x in texts if re.search(r"\{[a-z_]+\}", x)], "unfilled placeholder"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_contribution_is_a_row_in_order(path: str, lang: str) -> None:
    blocks = section(document(path, lang), lang)
    with Store.open(path) as store:
        a, d = store.delegate(20), store.delegate(30)
        p = read_proceedings(store)
    assert a is not None and d is not None
    made = p.discussion().contributions
    zone = p.congress.zone
    stamp = t("format.datetime", lang)

    def when(i: int) -> str:
        return made[i].at.astimezone(zone).strftime(stamp)

    heading = t(f"{KEY}.item", lang, number=14, title=p.agenda.find(ITEM).item.title)  # type: ignore[union-attr]
    assert Heading(heading, 2) in blocks
    table = grids(blocks)[1]
    assert table.header == tuple(
        t(f"{KEY}.column.{k}", lang)
        for k in ("number", "speaker", "unit", "title", "kind", "start", "duration", "delivery")
    )
    spoken, written = t(f"{KEY}.spoken", lang), t(f"{KEY}.written", lang)
    # the written contribution was recorded before the first speech started
    assert table.rows == (
        ("1", d.full_name, d.unit, TITLE, t("speakers.kind.written", lang), when(0),
         "–", written),
        ("2", a.full_name, a.unit, TITLE, t("speakers.kind.prepared", lang), when(1),
         "1:00", spoken),
        ("3", GUEST, GUEST_UNIT, "", t("speakers.kind.floor", lang), when(2), "2:00", spoken),
    )  # fmt: skip
    assert when(1).endswith(made[1].at.astimezone(zone).strftime("%H:%M"))  # local time
    flat = " ".join(x for b in blocks for x in Document(lang, "", (b,), "", "").texts())
    assert "Nguyễn Hữu Tuấn" not in flat and "Vũ Ngọc Toàn" not in flat  # removed, waiting


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_counts_say_women_are_people(path: str, lang: str) -> None:
    blocks = section(document(path, lang), lang)
    summary = grids(blocks)[0]
    assert Heading(t(f"{KEY}.summary", lang), 2) in blocks
    women = t(f"{KEY}.summary_column.women", lang)
    assert women in summary.header and ("người" in women if lang == "vi" else "people" in women)
    with Store.open(path) as store:
        title = read_proceedings(store).agenda.find(ITEM).item.title  # type: ignore[union-attr]
    # 3 contributions (2 spoken, 1 written) by 3 people, 2 of them women, 3 units; 3:00 spoken
    assert summary.rows == (
        (f"14. {title}", "3", "2", "1", "3", "2", "3", "3:00"),
        (t(f"{KEY}.total", lang), "3", "2", "1", "3", "2", "3", "3:00"),
    )
    lines = [b.text for b in blocks if isinstance(b, Text)]
    assert t(f"{KEY}.counting", lang) in lines and t(f"{KEY}.times", lang) in lines
    counts = t(f"{KEY}.item_counts", lang, contributions=3, spoken=2, written=1, people=3,
               women=2, units=3, time="3:00")  # fmt: skip
    assert counts in lines


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_pdf_markdown_and_html_print_the_section(path: str, lang: str, tmp_path: Path) -> None:
    doc = document(path, lang)
    write_minutes_pdf(tmp_path / "minutes.pdf", doc)  # refuses a glyph the fonts lack
    pdf = " ".join(" ".join(page_texts(tmp_path / "minutes.pdf")).split())  # NFC
    md, page = markdown(doc), html(doc)
    blocks = section(doc, lang)
    assert GUEST in pdf and NFD_NAME not in pdf  # printed composed
    for grid in grids(blocks):
        for row in grid.rows:
            for cell in row:
                assert " ".join(cell.split()) in pdf, cell
                assert md_escape(cell) in md
                assert cell.replace("&", "&amp;") in page
    for b in blocks:
        if isinstance(b, Text):
            assert " ".join(b.text.split()) in pdf
    title = f"V. {t('proceedings.minutes.section.discussion', lang)}"
    assert title in pdf and f"## {title}" in md and f"<h2>{title}</h2>" in page


def test_the_catalog_is_complete_in_both_languages() -> None:
    source = (ROOT / "printouts" / "minutes_speakers.py").read_text(encoding="utf-8")
    used = set(re.findall(r'f"\{KEY\}\.([a-z_.]+)"', source))
    used |= {f"summary_column.{k}" for k in ("item", "contributions", "spoken", "written",
                                             "people", "women", "units", "time")}  # fmt: skip
    used |= {f"column.{k}" for k in ("number", "speaker", "unit", "title", "kind", "start",
                                     "duration", "delivery")}  # fmt: skip
    files = {
        lang: tomllib.loads(
            (ROOT / "session" / "locales" / lang / "speakers_record.toml").read_text("utf-8")
        )
        for lang in ("vi", "en")
    }

    def flat(table: dict[str, object], prefix: str = "") -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in table.items():
            out |= flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": str(v)}
        return out

    vi, en = flat(files["vi"]), flat(files["en"])
    assert vi.keys() == en.keys()
    for key in vi:
        assert set(re.findall(r"\{(\w+)\}", vi[key])) == set(re.findall(r"\{(\w+)\}", en[key]))
    for key in used | {"spoken", "written"}:
        assert f"{KEY}.{key}" in vi, key
    assert "proceedings.minutes.section.discussion" in vi
