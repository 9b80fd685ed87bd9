"""Delegate cards and the code list as printed: every QR read back from the rendered PDF.

Real parts only: a SQLite congress, reportlab's output, pdfium's rendering at 150 dpi (a cheap
office printer's resolution) and zxing-cpp, which is what a camera scanner would run.
"""

import math
import subprocess
import sys
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from db.store import Store, StoreError
from presidium.cli import main
from printouts.cards import (
    CARD_H,
    CARD_W,
    MARGIN_X,
    MARGIN_Y,
    PER_PAGE,
    QR_SIZE,
    CardData,
    card_data,
    code_lines,
    write_card_list,
    write_cards,
)
from printouts.qr import qr_matrix
from session.cards import display_groups, make_code
from session.congress import Congress
from session.i18n import t
from session.quorum import Kind

ROOT = Path(__file__).resolve().parents[2]
DPI = 150
PX_PER_MM = DPI / 25.4
SECRET = "5e" * 32


@dataclass(frozen=True)
class Read:
    page: int
    slot: int  # 0..9, row by row from the top left
    text: str
    version: str
    ec_level: str
    side_mm: float  # the symbol without its quiet zone
    quiet_zone_white: bool


def _slot(x_px: float, y_px: float) -> int:
    col = int((x_px / PX_PER_MM - MARGIN_X / 72 * 25.4) // (CARD_W / 72 * 25.4))
    row = int((y_px / PX_PER_MM - MARGIN_Y / 72 * 25.4) // (CARD_H / 72 * 25.4))
    return row * 2 + col


def _quiet_zone_white(image: Image.Image, left: int, top: int, right: int, bottom: int) -> bool:
    """The 4-module ring around the symbol holds no ink (no text, no band, no outline)."""
    module = (right - left) / 25
    gap, ring = 2, int(4 * module) - 1  # skip the anti-aliased edge of the symbol itself
    strips = [
        (left - ring, top - ring, right + ring, top - gap),
        (left - ring, bottom + gap, right + ring, bottom + ring),
        (left - ring, top - ring, left - gap, bottom + ring),
        (right + gap, top - ring, right + ring, bottom + ring),
    ]
    return all(image.crop(box).getextrema()[0] >= 200 for box in strips)


def read_all(pdf: Path) -> list[Read]:
    """Every QR code on every page, where it sits and what it says."""
    reads = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number in range(len(document)):
            page = document[number]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                p = found.position
                left, top = min(p.top_left.x, p.bottom_left.x), min(p.top_left.y, p.top_right.y)
                right = max(p.top_right.x, p.bottom_right.x)
                bottom = max(p.bottom_left.y, p.bottom_right.y)
                reads.append(Read(
                    page=number, slot=_slot((left + right) / 2, (top + bottom) / 2),
                    text=found.text, version=found.extra["Version"],
                    ec_level=found.extra["ECLevel"], side_mm=(right - left) / PX_PER_MM,
                    quiet_zone_white=_quiet_zone_white(image, left, top, right, bottom),
                ))  # fmt: skip
    finally:
        document.close()
    return reads


def pdf_text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def synthetic_cards(count: int) -> list[CardData]:
    kinds = [Kind.OFFICIAL, Kind.OFFICIAL, Kind.EX_OFFICIO, Kind.ALTERNATE, Kind.GUEST]
    return [
        CardData(number=n, full_name=f"Nguyễn Thị Ước {n}", unit="Đảng bộ xã Dị Nậu",
                 kind=kinds[n % len(kinds)], code=make_code(SECRET, n, 0))
        for n in range(1, count + 1)
    ]  # fmt: skip


@pytest.fixture
def store45(make_store: Callable[..., Store], sqlite_url: str) -> Store:
    return make_store(sqlite_url, delegates=45)


@pytest.fixture
def cards45(store45: Store, tmp_path: Path) -> tuple[list[CardData], Path]:
    cards = card_data(store45)
    out = tmp_path / "cards.pdf"
    write_cards(out, store45.congress, cards)
    return cards, out


# ----------------------------------------------------------------------------- the cards


def test_every_card_decodes_to_its_own_code_in_its_own_place(
    cards45: tuple[list[CardData], Path],
) -> None:
    cards, pdf = cards45
    expected = {(i // PER_PAGE, i % PER_PAGE): card.code for i, card in enumerate(cards)}

    reads = read_all(pdf)

    assert {(r.page, r.slot): r.text for r in reads} == expected
    assert len(reads) == len(cards) == 45  # none twice, none extra
    assert {(r.version, r.ec_level) for r in reads} == {("2", "Q")}
    # 25 modules of the 33 (quiet zone included) that must measure at least 22 mm.
    assert all(r.side_mm * 33 / 25 >= 22 for r in reads)
    assert all(r.quiet_zone_white for r in reads)


def test_card_data_matches_the_register(store45: Store) -> None:
    cards = card_data(store45)

    assert [c.number for c in cards] == list(range(1, 46))
    for card, delegate in zip(cards, store45.delegates(), strict=True):
        assert (card.full_name, card.unit, card.kind, card.sector, card.issue) == (
            delegate.full_name,
            delegate.unit,
            delegate.kind,
            delegate.sector,
            delegate.card_issue,
        )
        assert card.code == store45.card_code(delegate.number, delegate.card_issue)


def test_page_count_names_and_kind_labels(
    cards45: tuple[list[CardData], Path], store45: Store
) -> None:
    cards, pdf = cards45
    pages = pdf_text(pdf)
    lang = store45.congress.language

    assert len(pages) == math.ceil(45 / PER_PAGE) == 5
    for i, card in enumerate(cards):
        page = pages[i // PER_PAGE]
        assert card.full_name in page and card.unit in page
        assert all(line in page for line in code_lines(card.code))
    text = "\n".join(pages)
    assert unicodedata.is_normalized("NFC", text)
    assert "⟦" not in text  # every label found in the catalog
    for kind in (Kind.GUEST, Kind.ALTERNATE):
        label = t(f"printouts.kind.{kind.value}", lang)
        assert text.count(label) == sum(c.kind is kind for c in cards) > 0
    assert t("printouts.kind.guest", "vi") == "KHÁCH MỜI – không biểu quyết"
    assert t("printouts.kind.guest", "en") == "GUEST – does not vote"


def test_nfd_names_are_printed_in_nfc(store45: Store, tmp_path: Path) -> None:
    name, unit = "Nguyễn Thị Ước", "Đảng bộ xã Hưng Hóa"
    nfd = CardData(
        number=7,
        full_name=unicodedata.normalize("NFD", name),
        unit=unicodedata.normalize("NFD", unit),
        kind=Kind.OFFICIAL,
        code=make_code(SECRET, 7, 0),
    )
    assert nfd.full_name != name

    write_cards(tmp_path / "nfd.pdf", store45.congress, [nfd])

    (text,) = pdf_text(tmp_path / "nfd.pdf")
    assert name in text and unit in text


def test_single_number_gives_one_card(store45: Store, tmp_path: Path) -> None:
    guest = next(d for d in store45.delegates() if d.kind is Kind.GUEST)
    cards = card_data(store45, [guest.number])
    write_cards(tmp_path / "one.pdf", store45.congress, cards)

    reads = read_all(tmp_path / "one.pdf")
    (text,) = pdf_text(tmp_path / "one.pdf")

    assert [(r.page, r.slot, r.text) for r in reads] == [
        (0, 0, store45.card_code(guest.number, guest.card_issue))
    ]
    assert guest.full_name in text
    assert t("printouts.kind.guest", store45.congress.language) in text


def test_reissued_card_carries_the_new_code(store45: Store, tmp_path: Path) -> None:
    new_code = store45.reissue_card(3, "lost at the door")
    (card,) = card_data(store45, [3])
    write_cards(tmp_path / "reissued.pdf", store45.congress, [card])

    assert (card.issue, card.code) == (1, new_code)
    assert [r.text for r in read_all(tmp_path / "reissued.pdf")] == [new_code]
    assert t("printouts.cards.issue", "vi", issue=1) in pdf_text(tmp_path / "reissued.pdf")[0]


def test_unknown_number_is_refused(store45: Store) -> None:
    with pytest.raises(StoreError) as caught:
        card_data(store45, [3, 999])
    assert caught.value.key == "no_such_delegate" and caught.value.params == {"number": 999}


def test_same_input_gives_the_same_bytes(store45: Store, tmp_path: Path) -> None:
    cards = card_data(store45)
    for name in ("a", "b"):
        write_cards(tmp_path / f"{name}.pdf", store45.congress, cards)
        write_card_list(tmp_path / f"{name}-list.pdf", store45.congress, cards)

    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert (tmp_path / "a-list.pdf").read_bytes() == (tmp_path / "b-list.pdf").read_bytes()


def test_progress_is_reported_per_page(store45: Store, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    write_cards(
        tmp_path / "p.pdf",
        store45.congress,
        card_data(store45),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls == [(10, 45), (20, 45), (30, 45), (40, 45), (45, 45)]


def test_fonts_are_embedded_and_no_standard_font_is_used(
    cards45: tuple[list[CardData], Path],
) -> None:
    for page in PdfReader(cards45[1]).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            assert "Helvetica" not in font["/BaseFont"]


@pytest.mark.parametrize("field", ["full_name", "unit"])
def test_a_character_missing_from_the_font_is_named(
    store45: Store, tmp_path: Path, field: str
) -> None:
    good = synthetic_cards(3)
    text = {"full_name": "Nguyễn Văn 李", "unit": "Đảng bộ 李 xã"}[field]
    bad = replace(good[1], **{field: text})
    out = tmp_path / "bad.pdf"

    with pytest.raises(ValueError, match=r"(?s)2.*'李' \(U\+674E\)"):
        write_cards(out, _english(store45.congress), [good[0], bad, good[2]])
    with pytest.raises(ValueError, match="U\\+674E"):
        write_card_list(out, store45.congress, [bad])
    assert not out.exists()


def _english(congress: Congress) -> Congress:
    return replace(congress, language="en")


# ----------------------------------------------------------------------------- the code list


def test_list_has_every_name_and_grouped_code(store45: Store, tmp_path: Path) -> None:
    cards = card_data(store45)
    write_card_list(tmp_path / "list.pdf", store45.congress, cards)

    text = "\n".join(pdf_text(tmp_path / "list.pdf"))

    for card in cards:
        assert card.full_name in text
        assert display_groups(card.code) in text
    assert "⟦" not in text


def test_long_list_runs_over_numbered_pages(store45: Store, tmp_path: Path) -> None:
    cards = synthetic_cards(130)
    write_card_list(tmp_path / "long.pdf", store45.congress, cards)

    pages = pdf_text(tmp_path / "long.pdf")
    lang = store45.congress.language

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert t("printouts.page", lang, page=number, pages=len(pages)) in page
        assert t("printouts.list.column.code", lang) in page  # the header repeats
    text = "\n".join(pages)
    assert all(display_groups(c.code) in text and c.full_name in text for c in cards)


# ----------------------------------------------------------------------------- the command


def test_cli_writes_cards_and_refuses_unknown_numbers(
    store: Store, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_url  # the file behind the `store` fixture
    expected = [c.code for c in card_data(store)]
    store.close()
    out = tmp_path / "cli.pdf"

    assert main(["cards", "--db", db, "--out", str(out)]) == 0
    assert sorted(r.text for r in read_all(out)) == sorted(expected)

    assert main(["cards", "--db", db, "--out", str(tmp_path / "one.pdf"), "--number", "4"]) == 0
    assert [r.text for r in read_all(tmp_path / "one.pdf")] == [expected[3]]

    assert main(["cards", "--db", db, "--out", str(tmp_path / "list.pdf"), "--list"]) == 0
    assert display_groups(expected[0]) in pdf_text(tmp_path / "list.pdf")[0]

    capsys.readouterr()
    assert main(["cards", "--db", db, "--out", str(tmp_path / "x.pdf"), "--number", "999"]) == 1
    assert "999" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


# ----------------------------------------------------------------------------- the parts


def test_qr_is_version_2_with_quiet_zone_and_big_enough() -> None:
    matrix = qr_matrix(make_code(SECRET, 1600, 12))

    assert len(matrix) == 25 + 2 * 4 and all(len(row) == 33 for row in matrix)
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # quiet zone is white
    assert QR_SIZE / 72 * 25.4 >= 22


def test_catalogs_are_complete_and_namespaced() -> None:
    def keys(table: dict[str, object], prefix: str = "") -> set[str]:
        found: set[str] = set()
        for key, value in table.items():
            found |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return found

    catalogs = {
        lang: tomllib.loads((ROOT / "session" / "locales" / lang / "printouts.toml").read_text(
            encoding="utf-8"))
        for lang in ("vi", "en")
    }  # fmt: skip
    assert all(set(data) == {"printouts"} for data in catalogs.values())
    assert keys(catalogs["vi"]) == keys(catalogs["en"])


def test_printouts_never_import_textual() -> None:
    code = "import sys, printouts.cards; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
