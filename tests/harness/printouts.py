"""What the printouts tests print for and read back: the example congress in a language, and a
PDF's text page by page (pypdf's extraction, NFC). No pytest here."""

import tomllib
import unicodedata
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from session.congress import Congress
from session.congress_file import parse_congress

ROOT = Path(__file__).resolve().parent.parent.parent


def congress_in(lang: str = "vi") -> Congress:
    """examples/congress.toml, parsed, in `lang`."""
    data = tomllib.loads((ROOT / "examples" / "congress.toml").read_text(encoding="utf-8"))
    return replace(parse_congress(data), language=lang)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as pypdf extracts it, NFC-normalised."""
    return [unicodedata.normalize("NFC", p.extract_text()) for p in PdfReader(pdf).pages]
