"""A scanned line is one card code or nothing (issue 13, finding 10).

A scanner that double-reads, or two cards read in one go, types 72 digits and one Enter. The line
is not a card: taking its last 36 digits admitted the second delegate without anyone seeing the
first. Only what the operator typed before the code (a name, a reason, numbers in groups of fewer
than four) may precede it.
"""

import pytest

from session.cards import CardProblem, CardRejection, display_groups, make_code, read_code
from session.scanner import BurstDetector, split_trailing_code

SECRET = "5e" * 32
FIRST, SECOND = make_code(SECRET, 17, 0), make_code(SECRET, 18, 0)
AZERTY = str.maketrans("0123456789", "à&é\"'(-è_ç")

TWO_CODES = [
    FIRST + SECOND,
    FIRST + " " + SECOND,
    FIRST + "\t" + SECOND,
    display_groups(FIRST) + " " + display_groups(SECOND),
    (FIRST + SECOND).translate(AZERTY),
    "9" + SECOND,  # a stray digit glued to the code
    FIRST[:20] + SECOND,  # half a read, then a whole one
]


@pytest.mark.parametrize("line", TWO_CODES)
def test_a_line_holding_more_than_one_code_is_no_trailing_code(line: str) -> None:
    assert split_trailing_code(line) is None


@pytest.mark.parametrize("line", TWO_CODES)
def test_a_burst_of_more_than_one_code_is_no_scan(line: str) -> None:
    detector = BurstDetector()
    at = 100.0
    for char in line:
        detector.key(char, at)
        at += 0.005
    assert detector.enter(at) is None


@pytest.mark.parametrize("line", TWO_CODES)
def test_the_whole_line_is_refused_as_malformed(line: str) -> None:
    result = read_code(line, SECRET)
    assert isinstance(result, CardRejection) and result.problem is CardProblem.MALFORMED


@pytest.mark.parametrize(
    ("line", "before"),
    [
        (FIRST, ""),
        ("nguyen van " + FIRST, "nguyen van "),
        ("12 " + display_groups(FIRST), "12 "),  # a number typed by hand, then a scan
        ("6 7 16 18 " + FIRST, "6 7 16 18 "),  # struck numbers of a ballot, then a scan
        ("lý do: quên thẻ" + FIRST, "lý do: quên thẻ"),
    ],
)
def test_one_code_after_typed_text_is_still_found(line: str, before: str) -> None:
    assert split_trailing_code(line) == (before, line[len(before) :].strip())
