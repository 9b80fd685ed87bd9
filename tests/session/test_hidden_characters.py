"""Names and units hold nothing a terminal obeys or nobody can see (issue 13, finding 8)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session.register import MAX_TEXT_CHARS, text_problem
from session.text import hidden_character, shows_something

CONTROLS = ["\x1b", "\x07", "\x08", "\x00", "\x7f", "\x9b"]  # ESC, BEL, backspace, NUL, DEL, CSI
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C)]
INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u00ad", "\U000e0041", "\ue000"]  # ZWSP, WJ, BOM...


@pytest.mark.parametrize("char", CONTROLS + BIDI + INVISIBLE)
def test_each_hidden_character_is_found_where_it_is(char: str) -> None:
    assert hidden_character("Nguyễn Văn" + char + " Khỏe") == len("Nguyễn Văn")
    assert text_problem("Xã " + char) == ("hidden_character", f"U+{ord(char):04X}")


@pytest.mark.parametrize("joiner", ["\u200c", "\u200d"])
def test_joiners_between_latin_letters_are_hidden(joiner: str) -> None:
    """They change nothing one can see in a Vietnamese name: two names would differ unseen."""
    assert hidden_character("Nguy" + joiner + "ễn") == 4
    assert hidden_character(joiner + "An") == 0
    assert hidden_character("An" + joiner) == 2


def test_joiners_inside_a_script_that_joins_are_kept() -> None:
    """ZWJ and ZWNJ choose how Devanagari, Bengali or Arabic letters are drawn."""
    assert hidden_character("\u0915\u094d\u200d\u0937") is None  # Devanagari half-form
    assert hidden_character("\u0644\u200c\u0627") is None  # Arabic, unjoined
    assert hidden_character("\u09b0\u200d\u09cd\u09af") is None  # Bengali ya-phala


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠẰẮẲẴẶĐàáảãạ 0123456789-.,()'"))
def test_vietnamese_text_holds_nothing_hidden(text: str) -> None:
    assert hidden_character(unicodedata.normalize("NFC", text)) is None
    assert hidden_character(unicodedata.normalize("NFD", text)) is None


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200b\u200b \u200b", "\u3164", "\u2800\u2800", "\u0301", "-", "..."]
)
def test_text_with_no_letter_or_digit_shows_nothing(text: str) -> None:
    assert not shows_something(text)


@pytest.mark.parametrize("text", ["A", "Xã 7", "Lò Văn Pó", "7", "\u0915\u094d\u200d\u0937"])
def test_text_with_a_letter_or_digit_shows_something(text: str) -> None:
    assert shows_something(text)
    assert text_problem(text) is None


def test_a_filler_only_name_shows_nothing() -> None:
    assert text_problem("\u3164 \u3164") == ("nothing_visible", "")


def test_long_text_is_refused_at_the_limit() -> None:
    assert text_problem("a" * MAX_TEXT_CHARS) is None
    assert text_problem("a" * (MAX_TEXT_CHARS + 1)) == ("too_long", str(MAX_TEXT_CHARS))
