"""minutes.pdf as printed: its text read back and checked against the database (every vote's
counts and verdict, every elected name, the final hash on every page), its pages rendered to
images to catch layout breakage (ink outside the margins, a footer out of place), fonts embedded
and every character covered, in Vietnamese and English."""

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

import printouts.pdf
from db.store import Store
from printouts.document import Document, Grid, Heading
from printouts.export import export, read_proceedings
from printouts.fonts import BOLD, REGULAR, missing_char
from printouts.minutes import minutes_document
from printouts.pdf import BOTTOM, FOOTER_Y, LEFT, RIGHT, TOP, write_minutes_pdf
from session import elections as el
from session.quorum import Status
from session.tally import explain
from session.votes import VoteStatus, describe_counts
from tests.harness.export_kit import Congress, hold, new_store, run_congress
from tests.harness.printouts import page_texts

MM = 72 / 25.4  # points per millimetre
SCALE = 2  # render at 144 dpi


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Congress]:
    return hold(tmp_path_factory)


@pytest.fixture(scope="module")
def pdfs(held: tuple[str, Congress], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    with Store.open(held[0]) as store:
        for lang in ("vi", "en"):
            folder = tmp_path_factory.mktemp(lang) / "export"
            export(store, folder, lang=lang)
            out[lang] = folder / "minutes.pdf"
    return out


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_pdf_says_what_the_database_says(
    held: tuple[str, Congress], pdfs: dict[str, Path], lang: str
) -> None:
    texts = page_texts(pdfs[lang])
    text = flat(" ".join(texts))
    with Store.open(held[0]) as store:
        book, elections = store.vote_book(), store.election_book()
        final = store.events()[-1].hash
        absent = store.delegate(held[1].absent)
    for vote in book.votes:
        assert flat(vote.title) in text
        if vote.status is not VoteStatus.PUBLISHED:
            continue
        assert vote.verdict is not None
        assert flat(describe_counts(vote, lang)) in text, vote.id
        assert flat(explain(vote.verdict, lang)) in text, vote.id
    corrected = book.get(held[1].corrected_vote)
    assert corrected is not None and "Tổ 2 đếm sót khu C" in text
    assert flat(explain(corrected.history[0], lang)) in text  # the result before the correction
    assert "mở nhầm trước khi đọc báo cáo" in text  # the cancelled vote's reason
    for election in elections.elections:
        for person in election.people(el.elected(election)):
            assert person.full_name in text
    assert absent is not None and absent.full_name in text and "ốm nằm viện" in text
    for number, page in enumerate(texts, 1):
        assert final in page.replace("\n", "")  # the chain's final hash in every footer
        label = f"Trang {number}/{len(texts)}" if lang == "vi" else f"Page {number} of"
        assert label in page


def _blank(image: Image.Image, box: tuple[float, float, float, float]) -> bool:
    left, top, right, bottom = (round(v * SCALE) for v in box)
    return image.crop((left, top, right, bottom)).getextrema()[0] >= 250


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_nothing_is_drawn_outside_the_margins(pdfs: dict[str, Path], lang: str) -> None:
    check_margins(pdfs[lang])


def check_margins(pdf: Path) -> int:
    """Render every page: ink only inside the frame, and the footer alone in its band."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        count = len(document)
        assert count >= 2
        for number in range(count):
            page = document[number]
            w, h = page.get_width(), page.get_height()
            assert (round(w), round(h)) == (595, 842)  # A4
            image = page.render(scale=SCALE, grayscale=True).to_pil().convert("L")
            page.close()
            gap = 1.5 * MM
            footer_top = h - FOOTER_Y - 3.5 * MM  # the footer's cap height above its baseline
            strips = {
                "left": (0, 0, LEFT - gap, h),
                "right": (w - RIGHT + gap, 0, w, h),
                "top": (0, 0, w, TOP - gap),
                "below the frame": (0, h - BOTTOM + gap, w, footer_top),
                "below the footer": (0, h - FOOTER_Y + 2.5 * MM, w, h),
            }
            for where, box in strips.items():
                assert _blank(image, box), f"page {number + 1}: ink {where}"
            assert not _blank(image, (LEFT, footer_top, w - RIGHT, h - FOOTER_Y + 2 * MM))
    finally:
        document.close()
    return count


def test_long_unbroken_text_stays_inside_the_page(tmp_path: Path) -> None:
    path = str(tmp_path / "congress.db")
    with new_store(path) as store:
        run_congress(store)
        reason = "Giấy-triệu-tập-" * 30  # no space to break at
        number = next(d.number for d in store.delegates() if d.votes and not d.present)
        store.set_status(number, Status.CREDENTIAL_REJECTED, reason)
        export(store, tmp_path / "out")
    assert check_margins(tmp_path / "out" / "minutes.pdf") >= 2


def test_fonts_are_embedded_and_every_character_has_a_glyph(
    held: tuple[str, Congress], pdfs: dict[str, Path]
) -> None:
    for pdf in pdfs.values():
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
                assert "Helvetica" not in font["/BaseFont"]
    with Store.open(held[0]) as store:
        p = read_proceedings(store)
    for lang in ("vi", "en"):
        every = "".join(minutes_document(p, lang).texts())
        assert missing_char(every, (REGULAR, BOLD)) is None


def test_the_pdf_is_the_same_bytes_twice(held: tuple[str, Congress], tmp_path: Path) -> None:
    from printouts.pdf import write_minutes_pdf

    with Store.open(held[0]) as store:
        document = minutes_document(read_proceedings(store), "vi")
    write_minutes_pdf(tmp_path / "a.pdf", document)
    write_minutes_pdf(tmp_path / "b.pdf", document)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_a_grid_cell_that_fits_on_a_line_prints_as_its_paragraph_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grid's one-line cells are drawn by the table itself (a paragraph per cell made the
    counting minutes twice as slow): the pages are the same, pixel for pixel, as with every
    cell a paragraph; a text too long for its column still wraps."""
    long = "Nguyễn Thị Thanh Hương, Phó Bí thư Thường trực, Chủ tịch Hội đồng nhân dân"
    grid = Grid(
        header=("TT", "Họ và tên", "Số phiếu", "Tỷ lệ"),
        rows=(
            ("1", "Trần Văn Ánh", "1.234", "98,71%"),
            ("2", long, "17", "1,36%"),
            ("3", "Lê  Đức   Thọ", "0", "0,00%"),  # (spaces folded, as a paragraph does)
        ),
        widths=(1, 6, 2, 2),
        numeric=frozenset({0, 2, 3}),
    )
    document = Document(
        lang="vi", title="Thử", blocks=(Heading("Bảng"), grid), footer="chân trang", where="thử"
    )
    fast, slow = tmp_path / "fast.pdf", tmp_path / "slow.pdf"
    write_minutes_pdf(fast, document)
    with monkeypatch.context() as m:
        m.setattr(printouts.pdf, "_cell", lambda text, style, _width: printouts.pdf._p(text, style))
        write_minutes_pdf(slow, document)
    pages = [
        [page.render(scale=3).to_pil().convert("L").tobytes() for page in pdfium.PdfDocument(p)]
        for p in (fast, slow)
    ]
    assert pages[0] == pages[1]
    wrapped = [line for line in page_texts(fast)[0].splitlines() if "Nguyễn Thị" in line]
    assert wrapped and long not in wrapped[0]  # the long name is on more than one line
