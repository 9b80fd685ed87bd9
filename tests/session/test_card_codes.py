"""Card codes: 36 signed digits that survive a keyboard-wedge scanner on any layout."""

import inspect
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session import cards
from session.cards import (
    CODE_LENGTH,
    MAX_DELEGATE_NUMBER,
    MAX_ISSUE,
    CardCode,
    CardProblem,
    CardRejection,
    congress_code,
    display_groups,
    looks_like_code,
    make_code,
    new_secret,
    normalise_scan,
    read_code,
)

SECRET = "5e" * 32
PAYLOAD = re.compile(r"^[0-9]{36}$")

numbers = st.integers(min_value=1, max_value=MAX_DELEGATE_NUMBER)
issues = st.integers(min_value=0, max_value=MAX_ISSUE)

# The digit row typed by a US-keycode scanner under each layout, without Shift.
FRENCH = dict(zip("0123456789", "à&é\"'(-è_ç", strict=True))
BELGIAN = dict(zip("0123456789", "à&é\"'(§è!ç", strict=True))


def other_secret(code: str, same: bool) -> str:
    """A deterministic second secret whose congress code equals (or differs from) `code`."""
    for i in itertools.count(1):
        candidate = f"{i:064x}"
        if (congress_code(candidate) == code) == same:
            return candidate
    raise AssertionError("unreachable")


def rejected(raw: str, secret: str = SECRET) -> CardProblem:
    result = read_code(raw, secret)
    assert isinstance(result, CardRejection), f"{raw!r} was accepted as {result}"
    return result.problem


# ---------------------------------------------------------------- format and round trip


def test_secret_is_fresh_hex() -> None:
    a, b = new_secret(), new_secret()
    assert a != b
    assert re.fullmatch(r"[0-9a-f]{64}", a)


def test_code_layout() -> None:
    code = make_code(SECRET, 1234, 7)
    assert PAYLOAD.match(code)
    assert len(code) == CODE_LENGTH == 36
    assert code[0] == "1"  # version
    assert code[1:4] == congress_code(SECRET)
    assert code[4:9] == "01234"
    assert code[9:11] == "07"
    assert len(code[11:]) == 25  # the tag
    assert int(code[11:]) < 2**80  # 80 bits written in decimal


@given(numbers, issues)
def test_round_trip(number: int, issue: int) -> None:
    code = make_code(SECRET, number, issue)
    assert PAYLOAD.match(code)
    assert read_code(code, SECRET) == CardCode(number=number, issue=issue, code=code)


@given(numbers, issues, issues)
def test_each_issue_has_its_own_tag(number: int, a: int, b: int) -> None:
    assert (make_code(SECRET, number, a) == make_code(SECRET, number, b)) == (a == b)


def test_codes_are_deterministic_and_depend_on_the_secret() -> None:
    assert make_code(SECRET, 5, 0) == make_code(SECRET, 5, 0)
    other = other_secret(congress_code(SECRET), same=True)
    assert make_code(other, 5, 0)[:11] == make_code(SECRET, 5, 0)[:11]
    assert make_code(other, 5, 0)[11:] != make_code(SECRET, 5, 0)[11:]


@pytest.mark.parametrize(
    ("number", "issue"),
    [(0, 0), (MAX_DELEGATE_NUMBER + 1, 0), (-1, 0), (1, -1), (1, MAX_ISSUE + 1)],
)
def test_out_of_range_fields_refused(number: int, issue: int) -> None:
    with pytest.raises(ValueError):
        make_code(SECRET, number, issue)


def test_extreme_fields_round_trip() -> None:
    for number, issue in [(1, 0), (MAX_DELEGATE_NUMBER, MAX_ISSUE), (1, MAX_ISSUE)]:
        result = read_code(make_code(SECRET, number, issue), SECRET)
        assert isinstance(result, CardCode)
        assert (result.number, result.issue) == (number, issue)


# ---------------------------------------------------------------- rejections


@pytest.mark.parametrize(("number", "issue"), [(1, 0), (4321, 3), (99999, 99)])
def test_every_single_digit_mutation_is_rejected(number: int, issue: int) -> None:
    code = make_code(SECRET, number, issue)
    for position, digit in itertools.product(range(CODE_LENGTH), "0123456789"):
        if code[position] == digit:
            continue
        mutated = code[:position] + digit + code[position + 1 :]
        problem = rejected(mutated)
        if position == 0:
            assert problem is CardProblem.MALFORMED  # unknown version
        elif position < 4:
            assert problem is CardProblem.OTHER_CONGRESS
        else:
            assert problem is CardProblem.FORGED


@settings(max_examples=50)
@given(numbers, issues, st.integers(0, CODE_LENGTH - 1), st.integers(1, 9))
def test_mutations_property(number: int, issue: int, position: int, shift: int) -> None:
    code = make_code(SECRET, number, issue)
    digit = str((int(code[position]) + shift) % 10)
    assert isinstance(
        read_code(code[:position] + digit + code[position + 1 :], SECRET), CardRejection
    )


def test_two_swapped_digits_are_rejected() -> None:
    code = make_code(SECRET, 1234, 1)
    for i in range(4, CODE_LENGTH - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert rejected(swapped) is CardProblem.FORGED


def test_truncated_and_extended_codes_are_malformed() -> None:
    code = make_code(SECRET, 17, 0)
    for raw in (code[:-1], code[1:], code[:35], code + "0", "0" + code, code + code, code[:11]):
        assert rejected(raw) is CardProblem.MALFORMED


@pytest.mark.parametrize("raw", ["", "   ", "\t", "\r\n"])
def test_empty_scan(raw: str) -> None:
    assert rejected(raw) is CardProblem.EMPTY


@pytest.mark.parametrize(
    "raw",
    [
        "hello",
        "1" * 35 + "A",
        "١" * 36,  # Arabic-Indic digits: isdigit() but not ASCII
        "２" * 36,  # full-width digits
        "DB1412341.FALYSDUJ2ZA77TMV",
    ],
)
def test_garbage_is_malformed(raw: str) -> None:
    assert rejected(raw) is CardProblem.MALFORMED
    assert not looks_like_code(raw)


def test_unknown_version_is_malformed() -> None:
    code = make_code(SECRET, 17, 0)
    assert rejected("2" + code[1:]) is CardProblem.MALFORMED


def test_card_of_another_congress() -> None:
    other = other_secret(congress_code(SECRET), same=False)
    code = make_code(other, 17, 0)
    assert rejected(code) is CardProblem.OTHER_CONGRESS
    assert isinstance(read_code(code, other), CardCode)


def test_card_of_another_congress_with_the_same_three_digit_code_is_forged() -> None:
    """1 congress in 1000 shares the 3-digit code; the signature still tells them apart."""
    twin = other_secret(congress_code(SECRET), same=True)
    assert twin != SECRET
    assert rejected(make_code(twin, 17, 0)) is CardProblem.FORGED


def test_verification_uses_a_constant_time_comparison() -> None:
    assert "compare_digest" in inspect.getsource(cards.read_code)


# ---------------------------------------------------------------- what scanners type


@pytest.mark.parametrize("layout", [FRENCH, BELGIAN], ids=["french", "belgian"])
def test_azerty_digit_row_maps_back(layout: dict[str, str]) -> None:
    code = make_code(SECRET, 9876, 12)
    typed = "".join(layout[d] for d in code)
    assert not typed.isdigit()
    assert normalise_scan(typed) == code
    assert looks_like_code(typed)
    assert read_code(typed, SECRET) == CardCode(9876, 12, code)


def test_azerty_symbol_table() -> None:
    assert normalise_scan("à&é\"'(-è_ç") == "0123456789"
    assert normalise_scan("à&é\"'(§è!ç") == "0123456789"
    # the same keys as some systems type them with Caps Lock on
    assert normalise_scan("ÀÉÈÇ") == "0279"


def test_decomposed_accents_map_back() -> None:
    """A pasted code may carry é as e + combining acute (NFD)."""
    code = make_code(SECRET, 222, 2)
    typed = "".join(FRENCH[d] for d in code)
    decomposed = typed.replace("é", "e\u0301").replace("è", "e\u0300").replace("à", "a\u0300")
    assert decomposed != typed
    assert normalise_scan(decomposed) == code


def test_spaces_and_scanner_suffixes_are_ignored() -> None:
    code = make_code(SECRET, 42, 0)
    grouped = display_groups(code)
    assert grouped.split(" ") == [code[i : i + 4] for i in range(0, 36, 4)]
    for raw in (
        grouped,
        f" {code} ",
        code + "\r",
        code + "\r\n",
        code + "\n",
        grouped.replace(" ", "\u00a0"),
        grouped.replace(" ", "\t"),
    ):
        assert read_code(raw, SECRET) == CardCode(42, 0, code)


@settings(max_examples=60)
@given(numbers, issues, st.data())
def test_any_mix_of_layouts_and_spaces_reads_back(
    number: int, issue: int, data: st.DataObject
) -> None:
    code = make_code(SECRET, number, issue)
    typed = []
    for digit in code:
        typed.append(data.draw(st.sampled_from([digit, FRENCH[digit], BELGIAN[digit]])))
        typed.append(data.draw(st.sampled_from(["", "", " ", "\u00a0"])))
    raw = "".join(typed)
    assert read_code(raw, SECRET) == CardCode(number, issue, code)


# ---------------------------------------------------------------- QR symbol


@settings(max_examples=15, deadline=None)
@given(numbers, issues)
def test_qr_numeric_mode_version_2_at_ec_q(number: int, issue: int) -> None:
    qrcode = pytest.importorskip("qrcode")
    from qrcode.constants import ERROR_CORRECT_Q
    from qrcode.util import MODE_NUMBER

    code = make_code(SECRET, number, issue)
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    assert qr.version <= 2
    assert [segment.mode for segment in qr.data_list] == [MODE_NUMBER]


def test_qr_decodes_back_to_a_valid_card() -> None:
    qrcode = pytest.importorskip("qrcode")
    zxingcpp = pytest.importorskip("zxingcpp")
    from qrcode.constants import ERROR_CORRECT_Q

    code = make_code(SECRET, MAX_DELEGATE_NUMBER, MAX_ISSUE)
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, box_size=6, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    image = qr.make_image().get_image().convert("L")
    decoded = zxingcpp.read_barcodes(image)
    assert [d.text for d in decoded] == [code]
    assert read_code(decoded[0].text, SECRET) == CardCode(MAX_DELEGATE_NUMBER, MAX_ISSUE, code)
