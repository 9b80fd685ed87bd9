"""Ballots: Vietnamese order (domain rules 4.6, 12.15; printouts-notes §4), the format, and
validity (4.7, 12.7)."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session.ballots import (
    BallotFormat,
    BallotInput,
    BallotOrder,
    ElectionError,
    InvalidReason,
    MarkMode,
    Person,
    ballot_format,
    ballot_order,
    judge,
    order_for,
    parse_numbers,
    same_name,
)


def p(full: str, born: date | None = None, pid: str | None = None) -> Person:
    return Person.from_full_name(pid or full, full, date_of_birth=born)


def names(people: tuple[Person, ...]) -> list[str]:
    return [x.full_name for x in people]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------- order


def test_vietnamese_order_is_by_given_name_first() -> None:
    listed = [p("Trần Văn Bình"), p("Nguyễn Thị An"), p("Lê Minh Chi"), p("Phạm Anh Dũng")]
    assert names(ballot_order(listed)) == [
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Lê Minh Chi",
        "Phạm Anh Dũng",
    ]


def test_d_with_stroke_comes_after_d() -> None:
    listed = [
        p("Lê Văn Đạt"),
        p("Trần Thị Dung"),
        p("Ngô Đức Điệp"),
        p("Vũ Văn Dũng"),
        p("Hồ Thị Em"),
    ]
    assert names(ballot_order(listed)) == [
        "Trần Thị Dung",
        "Vũ Văn Dũng",
        "Lê Văn Đạt",
        "Ngô Đức Điệp",
        "Hồ Thị Em",
    ]


def test_letters_before_tones_and_the_vietnamese_alphabet() -> None:
    """The reference order of printouts-notes §4 (PyICU vi_VN), as given names."""
    expected = ["An", "Anh", "Ánh", "Ăn", "Ân", "Ẩn", "Ấn", "Bình", "Dung", "Dũng", "Đạt",
                "Điệp", "Đông", "Em", "Êm", "Oanh", "Ổn", "Ơn", "Uyên", "Ưng", "Ước", "Ý",
                "Yến"]  # fmt: skip
    listed = [Person(g, "Nguyễn", "Văn", g) for g in reversed(expected)]
    assert [x.given for x in ballot_order(listed)] == expected


def test_same_given_name_then_family_then_middle_then_birth() -> None:
    listed = [
        p("Trần Văn Hùng", date(1970, 1, 1), "a"),
        p("Lê Văn Hùng", date(1980, 1, 1), "b"),
        p("Lê Đức Hùng", date(1975, 1, 1), "c"),
        p("Lê Đức Hùng", date(1965, 5, 5), "d"),  # same name: the older first
        p("Đặng Văn Hùng", None, "e"),
    ]
    # family names đ < l < t; then Lê Đức < Lê Văn (middle name); then the older Lê Đức Hùng
    assert [x.id for x in ballot_order(listed)] == ["e", "d", "c", "b", "a"]
    assert same_name(listed) == frozenset({"c", "d"})


def test_family_name_order_uses_vietnamese_letters() -> None:
    listed = [Person("1", "Trần", "Văn", "Hùng"), Person("2", "Đặng", "Văn", "Hùng"),
              Person("3", "Dương", "Văn", "Hùng"), Person("4", "Âu", "Văn", "Hùng")]  # fmt: skip
    assert [x.family for x in ballot_order(listed)] == ["Âu", "Dương", "Đặng", "Trần"]


def test_compound_family_names_are_kept_apart() -> None:
    """Store the parts separately: 'Tôn Nữ Thị Hà' has the family name 'Tôn Nữ'."""
    hoa = Person("1", "Tôn Nữ", "Thị", "Hà")
    assert hoa.full_name == "Tôn Nữ Thị Hà"
    assert names(ballot_order([Person("2", "Lê", "", "Hà"), hoa])) == ["Lê Hà", "Tôn Nữ Thị Hà"]


def test_nfd_input_orders_and_prints_like_nfc() -> None:
    raw = ["Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Ngọc Ẩn", "Phạm Thu Ước", "Hoàng Ư Ưng"]
    composed = ballot_order([p(x) for x in raw])
    decomposed = ballot_order([p(nfd(x), pid=x) for x in raw])
    assert [x.id for x in composed] == [x.id for x in decomposed]
    assert names(decomposed) == names(composed)
    assert all(unicodedata.is_normalized("NFC", x.full_name) for x in decomposed)


def test_english_order_for_other_rule_sets() -> None:
    assert order_for("vn_party_2014") is BallotOrder.VI_GIVEN_NAME
    assert order_for("vn_party_2024") is BallotOrder.VI_GIVEN_NAME
    assert order_for("roberts_rules") is BallotOrder.EN_FAMILY_NAME
    listed = [
        Person.from_full_name("1", "Mary Ann Smith", english=True),
        Person.from_full_name("2", "John Adams", english=True),
        Person.from_full_name("3", "Émile Zola", english=True),
        Person.from_full_name("4", "Abigail Adams", english=True),
    ]
    assert names(ballot_order(listed, BallotOrder.EN_FAMILY_NAME)) == [
        "Abigail Adams",
        "John Adams",
        "Mary Ann Smith",
        "Émile Zola",
    ]


_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


@st.composite
def vi_words(draw: st.DrawFn) -> str:
    letters = draw(st.lists(st.sampled_from(_LETTERS), min_size=1, max_size=5))
    tone = draw(st.sampled_from(_TONES))
    word = "".join(letters)
    word = unicodedata.normalize("NFC", word[0] + tone + word[1:])
    return word.capitalize()


@st.composite
def vi_people(draw: st.DrawFn) -> list[Person]:
    n = draw(st.integers(1, 12))
    out = []
    for i in range(n):
        born = draw(st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2000, 1, 1))))
        out.append(Person(str(i), draw(vi_words()), draw(vi_words()), draw(vi_words()), born))
    return out


@settings(max_examples=60, deadline=None)
@given(vi_people(), st.randoms(use_true_random=False))
def test_order_ignores_input_order_and_normalisation(listed: list[Person], rnd: object) -> None:
    shuffled = list(listed)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    decomposed = [
        Person(x.id, nfd(x.family), nfd(x.middle), nfd(x.given), x.date_of_birth) for x in shuffled
    ]
    assert [x.id for x in ballot_order(listed)] == [x.id for x in ballot_order(decomposed)]


@settings(max_examples=60, deadline=None)
@given(st.lists(vi_words(), min_size=2, max_size=10))
def test_every_given_name_with_d_precedes_every_one_with_d_stroke(words: list[str]) -> None:
    listed = [Person(str(i), "Lê", "", "D" + w.lower()) for i, w in enumerate(words)]
    listed += [Person(f"x{i}", "Lê", "", "Đ" + w.lower()) for i, w in enumerate(words)]
    order = [x.given[0] for x in ballot_order(listed)]
    assert order == sorted(order, key=lambda c: c == "Đ")


# ---------------------------------------------------------------- format


def test_agree_disagree_columns_when_the_list_has_no_surplus() -> None:
    assert ballot_format(45, 45) is BallotFormat.YES_NO_COLUMNS
    assert ballot_format(1, 1) is BallotFormat.YES_NO_COLUMNS
    assert ballot_format(54, 45) is BallotFormat.STRIKE_OUT
    assert ballot_format(3, 1) is BallotFormat.STRIKE_OUT


# ---------------------------------------------------------------- 12.7: validity


def test_kept_more_than_seats_is_invalid() -> None:
    j = judge(BallotInput.struck(1), candidates=5, seats=3)  # 4 kept for 3 seats
    assert not j.valid and j.reason is InvalidReason.TOO_MANY_KEPT and j.derived
    assert judge(BallotInput.struck(), 5, 3).reason is InvalidReason.TOO_MANY_KEPT  # none struck


def test_all_struck_on_a_surplus_list_is_invalid() -> None:
    j = judge(BallotInput.struck(1, 2, 3, 4, 5), 5, 3)
    assert not j.valid and j.reason is InvalidReason.ALL_STRUCK_WITH_SURPLUS


def test_exactly_seats_or_fewer_kept_is_valid() -> None:
    exactly = judge(BallotInput.struck(2, 4), 5, 3)
    assert exactly.valid and exactly.votes == {1, 3, 5}
    fewer = judge(BallotInput.struck(1, 2, 4, 5), 5, 3)
    assert fewer.valid and fewer.votes == {3}


def test_kept_mode_means_the_same_ballot() -> None:
    assert judge(BallotInput.kept(1, 3, 5), 5, 3) == judge(BallotInput.struck(2, 4), 5, 3)
    assert judge(BallotInput.kept(1, 2, 3, 4), 5, 3).reason is InvalidReason.TOO_MANY_KEPT
    assert judge(BallotInput.kept(), 5, 3).reason is InvalidReason.ALL_STRUCK_WITH_SURPLUS


@pytest.mark.parametrize(
    "reason",
    [
        InvalidReason.WRITE_IN,
        InvalidReason.SIGNED_OR_MARKED,
        InvalidReason.NOT_ISSUED,
        InvalidReason.OTHER,
    ],
)
def test_reasons_the_committee_rules_on(reason: InvalidReason) -> None:
    j = judge(BallotInput.spoilt(reason, "ghi thêm tên"), 5, 3)
    assert not j.valid and j.reason is reason and not j.derived
    with pytest.raises(ElectionError):
        judge(BallotInput(MarkMode.STRUCK, (1,), (), reason), 5, 3)


def test_single_candidate_both_or_neither_box_is_invalid() -> None:
    assert (
        judge(BallotInput.struck(unclear=[1]), 1, 1).reason is InvalidReason.SINGLE_BOTH_OR_NEITHER
    )
    agree = judge(BallotInput.struck(), 1, 1)
    assert agree.valid and agree.votes == {1}
    disagree = judge(BallotInput.struck(1), 1, 1)
    assert disagree.valid and disagree.votes == frozenset()


def test_no_surplus_list_with_both_or_neither_on_one_name_stays_valid() -> None:
    """A multi-name list without surplus: that name gets no vote, the ballot counts."""
    j = judge(BallotInput.struck(2, unclear=[3]), 4, 4)
    assert j.valid and j.votes == {1, 4}
    everyone_disagrees = judge(BallotInput.struck(1, 2, 3, 4), 4, 4)
    assert everyone_disagrees.valid and everyone_disagrees.votes == frozenset()


def test_malformed_entries_are_refused() -> None:
    for ballot, key in [
        (BallotInput.struck(6), "number_out_of_range"),
        (BallotInput.struck(0), "number_out_of_range"),
        (BallotInput.struck(2, 2), "repeated_number"),
        (BallotInput.struck(2, unclear=[2]), "marked_twice"),
        (BallotInput.struck(2, unclear=[3]), "unclear_on_strike_out"),
    ]:
        with pytest.raises(ElectionError) as err:
            judge(ballot, 5, 3)
        assert err.value.key == key


def test_typed_numbers() -> None:
    assert parse_numbers("3 7 12", 20) == (3, 7, 12)
    assert parse_numbers("3,7;12", 20) == (3, 7, 12)
    assert parse_numbers("3-5 9", 20) == (3, 4, 5, 9)
    assert parse_numbers("  ", 20) == ()
    for text, key in [
        ("3 x", "bad_number"),
        ("21", "number_out_of_range"),
        ("3 3", "repeated_number"),
        ("5-3", "bad_number"),
    ]:
        with pytest.raises(ElectionError) as err:
            parse_numbers(text, 20)
        assert err.value.key == key


def test_ballot_input_round_trips_through_json() -> None:
    for b in [
        BallotInput.struck(1, 4),
        BallotInput.kept(2, unclear=[3]),
        BallotInput.spoilt(InvalidReason.SIGNED_OR_MARKED, "có chữ ký"),
    ]:
        assert BallotInput.from_json(b.to_json()) == b


def test_person_round_trips_through_json() -> None:
    x = Person("d0123", "Nguyễn", "Văn", "Khỏe", date(1970, 2, 3), 123, True)
    assert Person.from_json(x.to_json()) == x
    assert x.full_name == "Nguyễn Văn Khỏe"
