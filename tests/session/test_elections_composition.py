"""Statistics of a body (domain rules 7.4): women, young, ethnic minorities, origin, newly
elected, as counts and percentages to two decimals ("tuổi trẻ 16,83 %, nữ 19,63 %")."""

from datetime import date

import pytest

from session.composition import Profile, age_on, composition, describe, is_minority

OPENING = date(2025, 6, 20)


def test_the_source_articles_percentages() -> None:
    """820 committee members, 138 young and 161 women: 16,83 % and 19,63 %."""
    people = [
        Profile(
            f"m{i}",
            gender="female" if i < 161 else "male",
            date_of_birth=date(1990, 1, 1) if i % 820 >= 820 - 138 else date(1970, 1, 1),
        )
        for i in range(820)
    ]
    c = composition(people, OPENING)
    assert (c.young.count, c.women.count, c.total) == (138, 161, 820)
    assert c.young.percent("vi") == "16,83 %" and c.women.percent("vi") == "19,63 %"
    assert c.young.percent("en") == "16.83 %"
    assert c.to_json()["young"] == {"count": 138, "percent": "16.83"}


def test_young_is_under_the_limit_on_the_reference_date() -> None:
    turning_42 = Profile("a", date_of_birth=date(1983, 6, 20))  # 42 on the opening day
    still_41 = Profile("b", date_of_birth=date(1983, 6, 21))
    c = composition([turning_42, still_41], OPENING)
    assert c.young.count == 1 and (c.oldest, c.youngest) == (42, 41)
    assert composition([turning_42, still_41], OPENING, young_age_limit=43).young.count == 2
    assert composition([turning_42], OPENING, young_age_limit=40).young.count == 0
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25


def test_minorities_origin_and_newly_elected() -> None:
    people = [
        Profile("a", "female", None, "Kinh", "elected", True),
        Profile("b", "male", None, "Tày", "ex_officio", False),
        Profile("c", "male", None, "Mường", "appointed", True),
        Profile("d", "", None, "", "elected", None),
        Profile("e", "female", None, "kinh", "elected", False),
        Profile("f", "male", None, "Việt", "elected", True),
    ]
    c = composition(people, OPENING)
    assert (c.minorities.count, c.ethnicity_unknown) == (2, 1)
    assert c.minorities.hundredths == 3333
    assert dict((o, s.count) for o, s in c.origins) == {
        "appointed": 1,
        "elected": 4,
        "ex_officio": 1,
    }
    assert (c.newly_elected.count, c.reelected.count) == (3, 2)
    assert (c.women.count, c.men.count, c.gender_unknown) == (2, 3, 1)
    assert c.age_unknown == 6 and c.oldest is None


@pytest.mark.parametrize(
    ("name", "minority"),
    [
        ("Kinh", False),
        ("KINH", False),
        ("Việt", False),
        ("Thái", True),
        ("H'Mông", True),
        ("", None),
    ],
)
def test_minority_names(name: str, minority: bool | None) -> None:
    assert is_minority(name) is minority


def test_an_empty_group_has_zero_percentages() -> None:
    c = composition([], OPENING)
    assert c.total == 0 and c.women.hundredths == 0 and c.women.percent("vi") == "0,00 %"


def test_the_summary_sentence() -> None:
    people = [
        Profile("a", "female", date(1990, 1, 1), "Tày", "elected", True),
        Profile("b", "male"),
    ]
    text = describe(composition(people, OPENING), "vi")
    assert "nữ 1 (50,00 %)" in text and "dưới 42 tuổi" in text
    assert "{" not in describe(composition(people, OPENING), "en")
