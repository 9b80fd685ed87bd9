"""Vietnamese text rules: NFC storage, diacritic-blind search, CLDR 'vi' alphabetical order."""

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session.text import fold, matches, name_order_key, nfc, split_name, vi_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------- strategies

# Vietnamese syllables built from base letters, letter marks and tone marks (composed to NFC),
# so the properties below run over real Vietnamese, upper and lower case.
_BASES = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VOWELS = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


@st.composite
def vi_words(draw: st.DrawFn) -> str:
    letters = draw(st.lists(st.sampled_from(_BASES), min_size=1, max_size=6))
    vowel_positions = [i for i, ch in enumerate(letters) if ch in _VOWELS]
    if vowel_positions:
        i = draw(st.sampled_from(vowel_positions))
        letters[i] = letters[i] + draw(st.sampled_from(_TONES))
    word = unicodedata.normalize("NFC", "".join(letters))
    if draw(st.booleans()):
        word = word[0].upper() + word[1:]
    return word


vi_names = st.lists(vi_words(), min_size=1, max_size=4).map(" ".join)


# ---------------------------------------------------------------- nfc


def test_nfc_composes_decomposed_input() -> None:
    composed = "Nguyễn Văn Khỏe"
    decomposed = nfd(composed)
    assert decomposed != composed  # the test input really is decomposed
    assert nfc(decomposed) == composed
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_nfc_collapses_whitespace_of_spreadsheet_cells() -> None:
    assert nfc("  Trần\u00a0 Thị\t\tÁnh \n") == "Trần Thị Ánh"
    assert nfc("") == ""


@given(vi_names)
def test_nfc_is_idempotent_and_form_blind(name: str) -> None:
    assert nfc(nfc(name)) == nfc(name)
    assert nfc(nfd(name)) == nfc(name)


# ---------------------------------------------------------------- fold and matches


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Khỏe", "nguyen van khoe"),
        ("ĐẶNG THỊ ĐIỆP", "dang thi diep"),
        ("đạt", "dat"),
        ("Ðạt", "dat"),  # U+00D0 (eth), a common stand-in for Đ after legacy conversions
        ("Phạm   Quốc\u00a0Ân", "pham quoc an"),
        ("Ưng Ước Ơn Ổn Ẩn Ý Yến", "ung uoc on on an y yen"),
        ("Đảng bộ xã Hưng Hóa", "dang bo xa hung hoa"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


@given(vi_names)
def test_fold_is_ascii_lowercase_and_form_blind(name: str) -> None:
    folded = fold(name)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(nfd(name)) == folded
    assert fold(name.upper()) == folded
    assert fold(folded) == folded


def test_matches_diacritic_blind_search() -> None:
    name, unit = "Nguyễn Văn Khỏe", "Đảng bộ xã Hưng Hóa"
    assert matches("nguyen van khoe", name, unit)
    assert matches("NGUYEN VAN KHOE", name, unit)
    assert matches("khoe nguyen", name, unit)  # word order does not matter
    assert matches(nfd("Khỏe"), name, unit)  # a decomposed query
    assert matches("khỏe", nfd(name), unit)  # a decomposed name
    assert matches("hung hoa", name, unit)  # the unit is searched too
    assert matches("dang bo", name, unit)  # đ folds to d
    assert not matches("nguyen van khoa", name, unit)
    assert not matches("tran", name, unit)


@given(vi_names)
def test_every_name_matches_its_own_bare_spelling(name: str) -> None:
    assert matches(fold(name), name)
    assert matches(name, nfd(name))


# ------------------------------------------------ collation (printouts-notes §4, §7.9)

# The ICU vi_VN reference run of printouts-notes §4.
ICU_REFERENCE = (
    "An Anh Ánh Ăn Ân Ẩn Ấn Bình Dung Dũng Đạt Điệp Đông Em Êm Oanh Ổn Ơn Uyên Ưng Ước Ý Yến"
)
GOLDEN = [
    ["An", "Anh", "Ánh", "Ăn", "Ân", "Ẩn", "Ấn"],
    ["Dung", "Dũng", "Đạt", "Điệp", "Đông"],
    ["Oanh", "Ổn", "Ơn"],
    ["Uyên", "Ưng", "Ước"],
    ["Ý", "Yến"],
    ICU_REFERENCE.split(),
    # tones in CLDR order: unmarked < grave < hook < tilde < acute < dot below
    ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ"],
    # letters before tones: a toneless later letter still comes after every tone of an earlier one
    ["Ạn", "Ăn"],
    ["Dzung", "Đa"],
    ["Oành", "Ô"],
]


@pytest.mark.parametrize("expected", GOLDEN, ids=lambda names: " < ".join(names))
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_collation_golden_lists(expected: list[str], form: str) -> None:
    words = [unicodedata.normalize(form, w) for w in expected]
    for seed in range(5):
        shuffled = words[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=vi_key) == words


def test_code_point_order_is_wrong_and_vi_key_is_not() -> None:
    """The reason vi_key exists: plain sorted() puts every accented capital after Z."""
    names = ["Yến", "Ánh", "Đạt", "Dung", "Ý", "Ăn"]
    assert sorted(names) != sorted(names, key=vi_key)
    assert sorted(names, key=vi_key) == ["Ánh", "Ăn", "Dung", "Đạt", "Ý", "Yến"]


def test_lower_case_before_upper_case_only_as_last_resort() -> None:
    assert sorted(["An", "an"], key=vi_key) == ["an", "An"]
    assert sorted(["ăn", "An"], key=vi_key) == ["An", "ăn"]  # letter first, case last
    assert sorted(["Àn", "an"], key=vi_key) == ["an", "Àn"]  # tone before case


def test_shorter_name_first_and_words_compared_in_turn() -> None:
    assert sorted(["An Bình", "An", "Anh"], key=vi_key) == ["An", "An Bình", "Anh"]


@given(vi_names, vi_names)
def test_vi_key_is_form_blind_and_a_total_order(a: str, b: str) -> None:
    assert vi_key(nfd(a)) == vi_key(a)
    assert vi_key(a) == vi_key(b) or (vi_key(a) < vi_key(b)) != (vi_key(b) < vi_key(a))
    if vi_key(a) == vi_key(b):
        assert nfc(a) == nfc(b)


@settings(max_examples=50, deadline=None)
@given(st.lists(vi_names, min_size=2, max_size=12))
def test_nfc_and_nfd_lists_sort_the_same(names: list[str]) -> None:
    by_nfc = sorted(range(len(names)), key=lambda i: (vi_key(names[i]), i))
    by_nfd = sorted(range(len(names)), key=lambda i: (vi_key(nfd(names[i])), i))
    assert by_nfc == by_nfd


def test_vi_key_matches_icu_when_available() -> None:
    """Optional cross-check against ICU's vi_VN collator (skipped without PyICU)."""
    icu = pytest.importorskip("icu")
    collator = icu.Collator.createInstance(icu.Locale("vi_VN"))
    rng = random.Random(7)
    words = [w for group in GOLDEN for w in group]
    corpus = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(2000)]
    assert sorted(corpus, key=vi_key) == sorted(corpus, key=collator.getSortKey)


# ---------------------------------------------------------------- names


def test_split_name_fallback() -> None:
    assert split_name("Nguyễn Văn Khỏe") == ("Nguyễn", "Văn", "Khỏe")
    assert split_name("  Trần   Thị Mỹ  Ánh ") == ("Trần", "Thị Mỹ", "Ánh")
    assert split_name("Lê Anh") == ("Lê", "", "Anh")
    assert split_name("Ánh") == ("", "", "Ánh")
    assert split_name(nfd("Đỗ Hùng")) == ("Đỗ", "", "Hùng")


def test_name_order_given_name_first() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Anh", "Bùi Thị Ánh", "Hà Văn Ăn"]
    assert sorted(names, key=name_order_key) == [
        "Nguyễn Thị An",
        "Lê Anh",
        "Bùi Thị Ánh",
        "Hà Văn Ăn",
        "Trần Văn Bình",
    ]


def test_name_order_same_given_name_then_family_name() -> None:
    names = ["Trần Văn An", "Nguyễn Văn An", "Đỗ Văn An", "Dương Văn An", "Âu Văn An"]
    assert sorted(names, key=name_order_key) == [
        "Âu Văn An",
        "Dương Văn An",
        "Đỗ Văn An",
        "Nguyễn Văn An",
        "Trần Văn An",
    ]


def test_name_order_same_given_and_family_then_middle_name() -> None:
    names = ["Nguyễn Văn An", "Nguyễn Thị An", "Nguyễn Đức An", "Nguyễn An", "Nguyễn Duy An"]
    assert sorted(names, key=name_order_key) == [
        "Nguyễn An",
        "Nguyễn Duy An",
        "Nguyễn Đức An",
        "Nguyễn Thị An",
        "Nguyễn Văn An",
    ]


def test_name_order_ignores_the_family_name_when_given_names_differ() -> None:
    # A plain sort on the full name would put "Âu" first; the ballot rule looks at "Yến" vs "An".
    assert sorted(["Âu Thị Yến", "Vũ Văn An"], key=name_order_key) == ["Vũ Văn An", "Âu Thị Yến"]


@settings(max_examples=50, deadline=None)
@given(st.lists(vi_names, min_size=2, max_size=10))
def test_name_order_is_form_blind(names: list[str]) -> None:
    assert [name_order_key(n) for n in names] == [name_order_key(nfd(n)) for n in names]
