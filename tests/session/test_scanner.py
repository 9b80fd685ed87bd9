"""The pure scan detector: trailing codes in typed text, and bursts fed (character, time)."""

import random

import pytest

from session.cards import CODE_LENGTH, display_groups, looks_like_code
from session.scanner import MAX_GAP, BurstDetector, split_trailing_code

CODE = "1" + "2" * 10 + "3" * 25  # card-shaped (not a valid signature: shape is all we test)
AZERTY = str.maketrans("0123456789", "à&é\"'(-è_ç")


def feed(detector: BurstDetector, text: str, start: float = 100.0, gap: float = 0.005) -> float:
    at = start
    for char in text:
        detector.key(char, at)
        at += gap
    return at


def test_split_finds_a_code_at_the_end_and_keeps_what_came_before() -> None:
    assert split_trailing_code(CODE) == ("", CODE)
    assert split_trailing_code("nguyen van " + CODE) == ("nguyen van ", CODE)
    assert split_trailing_code("lý do: quên thẻ" + CODE + "  ") == ("lý do: quên thẻ", CODE)


def test_split_accepts_azerty_symbols_and_groups_of_four() -> None:
    typed = CODE.translate(AZERTY)
    assert split_trailing_code("abc" + typed) == ("abc", typed)
    grouped = " ".join(CODE[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    before, code = split_trailing_code("x " + grouped) or ("", "")
    assert before == "x " and looks_like_code(code)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nguyen van khoe",
        CODE[:-1],
        CODE + "x",
        "12345",
        CODE[:20] + "abc" + CODE[:16],
        "\x00\x01" * 40,
        "à" * 10,
    ],
)
def test_split_refuses_text_that_does_not_end_with_a_code(text: str) -> None:
    assert split_trailing_code(text) is None


def test_a_longer_digit_run_is_no_code() -> None:
    """Its last 36 digits are not the card the scanner read (issue 13, finding 10)."""
    assert split_trailing_code("9" + CODE) is None


def test_fast_burst_ending_in_enter_is_a_scan() -> None:
    d = BurstDetector()
    at = feed(d, CODE)
    assert d.enter(at) == CODE
    assert d.enter(at + 0.001) is None  # the buffer was consumed


def test_burst_after_slow_typing_is_still_a_scan() -> None:
    d = BurstDetector()
    at = feed(d, "nguyen", gap=0.25)  # a person typing
    at = feed(d, CODE, start=at + 1.0)
    assert d.enter(at) == CODE


def test_slow_typing_is_not_a_scan() -> None:
    d = BurstDetector()
    at = feed(d, CODE, gap=MAX_GAP * 2)
    assert d.enter(at) is None


def test_late_enter_is_not_a_scan() -> None:
    d = BurstDetector()
    at = feed(d, CODE)
    assert d.enter(at + MAX_GAP * 3) is None


def test_other_keys_break_a_burst() -> None:
    d = BurstDetector()
    at = feed(d, CODE[:10])
    d.other(at)
    at = feed(d, CODE[10:], start=at)
    assert d.enter(at) is None


def test_enter_alone_or_garbage_is_not_a_scan() -> None:
    d = BurstDetector()
    assert d.enter(1.0) is None
    rng = random.Random(7)
    garbage = "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(5000))
    at = feed(d, garbage, gap=0.001)
    assert d.in_burst(at)
    assert not d.in_burst(at + 1)
    assert d.enter(at) is None


def test_buffer_is_bounded() -> None:
    d = BurstDetector(max_keys=50)
    at = feed(d, "x" * 10_000 + CODE, gap=0.0001)
    assert d.enter(at) == CODE


def test_numbers_typed_one_by_one_are_not_a_code() -> None:
    """The struck names of a long ballot hold 36 digits and more in groups of 1-3."""
    struck = " ".join(str(n) for n in range(6, 200, 7))
    assert sum(c.isdigit() for c in struck) >= 36
    assert split_trailing_code(struck) is None
    assert split_trailing_code("12 " + display_groups(CODE)) == ("12 ", display_groups(CODE))
