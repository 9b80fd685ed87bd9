"""Threshold arithmetic: integers only, checked against exact fractions."""

import ast
import inspect
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session import majority, quorum
from session.majority import Ratio, format_percent, percent_hundredths

counts = st.integers(min_value=0, max_value=10**6)
big = st.integers(min_value=0, max_value=10**40)


@st.composite
def ratios(draw: st.DrawFn) -> Ratio:
    den = draw(st.integers(min_value=1, max_value=20))
    num = draw(st.integers(min_value=0, max_value=den))
    return Ratio(num, den, draw(st.booleans()))


def exact_met(r: Ratio, count: int, total: int) -> bool:
    share = Fraction(r.num, r.den) * total
    return count > share if r.strict else count >= share


# ---------------------------------------------------------------- Ratio.met / minimum


@given(ratios(), counts, counts)
def test_met_agrees_with_exact_fractions(r: Ratio, count: int, total: int) -> None:
    assert r.met(count, total) == exact_met(r, count, total)


@given(ratios(), big, big)
def test_met_is_exact_for_huge_numbers(r: Ratio, count: int, total: int) -> None:
    assert r.met(count, total) == exact_met(r, count, total)


@given(ratios(), counts)
def test_minimum_is_the_least_count_that_meets(r: Ratio, total: int) -> None:
    least = r.minimum(total)
    assert r.met(least, total)
    assert least == 0 or not r.met(least - 1, total)


@given(ratios(), counts, counts)
def test_met_is_monotonic_in_the_count(r: Ratio, count: int, total: int) -> None:
    if r.met(count, total):
        assert r.met(count + 1, total)
    assert r.met(count, total) == (count >= r.minimum(total))


@pytest.mark.parametrize(
    ("ratio", "total", "needs"),
    [
        (Ratio(1, 2), 290, 146),  # domain rules §11: votes·2 > 290
        (Ratio(1, 2), 291, 146),  # odd base: 145.5 → 146
        (Ratio(1, 2), 300, 151),
        (Ratio(1, 2), 1, 1),
        (Ratio(1, 2), 2, 2),
        (Ratio(1, 2), 0, 1),  # nobody can make "more than half" of nothing with nobody
        (Ratio(1, 2, strict=False), 290, 145),
        (Ratio(2, 3, strict=False), 300, 200),  # at least two thirds
        (Ratio(2, 3, strict=True), 300, 201),  # more than two thirds
        (Ratio(2, 3, strict=False), 290, 194),  # 193.33 → 194
        (Ratio(3, 10, strict=True), 287, 87),  # outside nominees: more than 30 % of 287 = 86.1
        (Ratio(3, 10, strict=True), 290, 88),  # exactly 30 % (87) fails strict
        (Ratio(0, 1, strict=True), 10, 1),
        (Ratio(1, 1, strict=False), 10, 10),
    ],
)
def test_minimum_examples(ratio: Ratio, total: int, needs: int) -> None:
    assert ratio.minimum(total) == needs


def test_exactly_half_never_passes_a_strict_majority() -> None:
    half = Ratio(1, 2)
    for base in range(0, 2001, 2):
        assert not half.met(base // 2, base)
        assert half.met(base // 2 + 1, base)


def test_worked_example_show_of_hands() -> None:
    """Domain rules §11: 280 of base 290 passes; 140 fails though it is 'the most votes'."""
    half = Ratio(1, 2)
    assert half.met(280, 290)
    assert not half.met(140, 290)
    assert not half.met(145, 290)
    assert half.met(146, 290)
    # the same 144 votes pass against 282 valid ballots and fail against the base of 290 (§12.3)
    assert half.met(144, 282)
    assert not half.met(144, 290)


@pytest.mark.parametrize(("num", "den"), [(1, 0), (0, 0), (3, 2), (-1, 2), (1, -2)])
def test_invalid_ratios_refused(num: int, den: int) -> None:
    with pytest.raises(ValueError):
        Ratio(num, den)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/2", Ratio(1, 2)), (" 2 / 3 ", Ratio(2, 3)), ("0/1", Ratio(0, 1)), ("3/4", Ratio(3, 4))],
)
def test_parse(text: str, expected: Ratio) -> None:
    assert Ratio.parse(text, strict=True) == expected
    assert Ratio.parse(text, strict=False) == Ratio(expected.num, expected.den, False)


@pytest.mark.parametrize("text", ["1:2", "0.5", "half", "1/2/3", "/2", "1/", "3/2", "1/0", "-1/2"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        Ratio.parse(text, strict=True)


def test_label() -> None:
    assert Ratio(1, 2).label == "> 1/2"
    assert Ratio(2, 3, strict=False).label == "≥ 2/3"


# ---------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    ("count", "total", "hundredths", "text"),
    [
        (280, 290, 9655, "96.55"),  # §11 resolution: 96.55 % of the base
        (150, 290, 5172, "51.72"),  # §11 rank 44–45
        (145, 290, 5000, "50.00"),  # exactly half: shown as 50.00, and it does not pass
        (146, 290, 5034, "50.34"),
        (281, 290, 9690, "96.90"),
        (144, 290, 4966, "49.66"),
        (280, 287, 9756, "97.56"),  # the same vote against those present
        (282, 282, 10000, "100.00"),
        (0, 290, 0, "0.00"),
        (1, 8, 1250, "12.50"),
        (1, 80000, 0, "0.00"),  # 0.00125 % rounds down
        (1, 16, 625, "6.25"),
        (1, 3, 3333, "33.33"),
        (2, 3, 6667, "66.67"),
        (1, 0, 0, "0.00"),
    ],
)
def test_percent_hundredths(count: int, total: int, hundredths: int, text: str) -> None:
    assert percent_hundredths(count, total) == hundredths
    assert format_percent(hundredths) == text


def test_vietnamese_decimal_comma() -> None:
    assert format_percent(9655, ",") == "96,55"
    assert format_percent(5, ",") == "0,05"


@given(counts, st.integers(min_value=1, max_value=10**6))
def test_percent_is_rounded_half_up_exactly(count: int, total: int) -> None:
    exact = Fraction(count * 10_000, total)
    expected = int(exact + Fraction(1, 2))  # floor(x + 1/2): half up, for x >= 0
    assert percent_hundredths(count, total) == expected


@given(big, st.integers(min_value=1, max_value=10**40))
def test_percent_is_exact_beyond_float_precision(count: int, total: int) -> None:
    exact = Fraction(count * 10_000, total)
    assert percent_hundredths(count, total) == int(exact + Fraction(1, 2))


# ---------------------------------------------------------------- no floats


@pytest.mark.parametrize("module", [majority, quorum], ids=lambda m: m.__name__)
def test_no_float_arithmetic(module: object) -> None:
    """No float literals, true division or float() in the threshold code."""
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), node.lineno
        assert not isinstance(node, ast.Div), f"true division at line {node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"float", "round"}, node.lineno


# ---------------------------------------------------------------- one base for every decision

_counts = st.integers(min_value=0, max_value=2_000)


@given(_counts, _counts, _counts, _counts, _counts, _counts)
def test_a_show_of_hands_and_an_election_share_the_attendance_bases(
    present: int, entitled: int, adjusted: int, yes: int, no: int, abstain: int
) -> None:
    """tally.decision_base is the one rule: a show of hands and an election opened with the same
    attendance are measured against the same number for every attendance base; the count-based
    bases read each count's own figures."""
    from session.ballots import InvalidReason
    from session.count import Totals
    from session.results import election_base
    from session.tally import Snapshot, Tally, VoteBase, base_count

    snap = Snapshot(present=present, entitled=entitled, adjusted=adjusted)
    tally = Tally(yes, no, abstain)
    # (the election's ballots: yes + no valid, `abstain` invalid, `no` of those forged)
    ballots = Totals.of([], yes + no, {InvalidReason.TOO_MANY_KEPT: abstain, "not_issued": no})
    for base, expected in (
        (VoteBase.SUMMONED_ADJUSTED, adjusted),
        (VoteBase.ENTITLED, entitled),
        (VoteBase.PRESENT, present),
    ):
        assert base_count(base, tally, snap) == expected == election_base(base, snap, ballots)
    assert base_count(VoteBase.YES_NO, tally, snap) == yes + no
    assert base_count(VoteBase.CAST, tally, snap) == yes + no + abstain
    assert election_base(VoteBase.CAST, snap, ballots) == yes + no + abstain  # (forged: not)
    assert election_base(VoteBase.VALID, snap, ballots) == yes + no
