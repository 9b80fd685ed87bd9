"""What the printouts tests print for and read back: the example congress in a language, the
worked example of domain rules 11 counted, and a PDF's text page by page (pypdf's extraction,
NFC). No pytest here."""

import tomllib
import unicodedata
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from session.ballots import InvalidReason, Person
from session.congress import Congress
from session.congress_file import parse_congress
from session.results import TiePolicy
from tests.harness.elections_kit import Run, committee, people

ROOT = Path(__file__).resolve().parent.parent.parent
NAMES = {"k1": "Lê Văn Kiểm", "k2": "Trần Thị Phiếu", "k3": "Ngô Quang Đếm"}  # the counters
HIGH = [281, *range(240, 199, -1)]  # ranks 1 to 42
LOW = [100, 90, 80, 70, 60, 50]  # ranks 49 to 54
SECTION_11_VOTES = [*HIGH, 151, 150, 150, 146, 145, 144, *LOW]  # ranks 43 to 48 as in §11


def congress_in(lang: str = "vi") -> Congress:
    """examples/congress.toml, parsed, in `lang`."""
    data = tomllib.loads((ROOT / "examples" / "congress.toml").read_text(encoding="utf-8"))
    return replace(parse_congress(data), language=lang)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as pypdf extracts it, NFC-normalised."""
    return [unicodedata.normalize("NFC", p.extract_text()) for p in PdfReader(pdf).pages]


def section_11(
    votes_by_rank: list[int], tie_policy: TiePolicy = TiePolicy.REVOTE_TIED
) -> tuple[Run, list[Person]]:
    """Domain rules 11: 45 seats, 54 names; 300 summoned, base 290, 287 present; 287 issued,
    285 returned, 3 invalid, 282 valid. Returns the run and the candidates by rank."""
    candidates = people(54)
    run = committee(45, candidates, tie_policy=tie_policy)
    by_rank = [candidates[(i * 17) % 54] for i in range(54)]  # not the ballot order
    votes = {p.id: v for p, v in zip(by_rank, votes_by_rank, strict=True)}
    invalid = {InvalidReason.SIGNED_OR_MARKED: 2, InvalidReason.WRITE_IN: 1}
    run.by_sheet(votes, 282, invalid, issued=287, returned=285)
    return run, by_rank
