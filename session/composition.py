"""Who a body is made of: the statistics of the credentials report and of an elected committee
(domain rules 7.4): women, the young, ethnic minorities, origin, newly elected, each as a count
and a percentage of the group to two decimals ("tuổi trẻ 16,83 %, nữ 19,63 %").

The denominator is always the whole group (people with an unknown gender, age or ethnicity are
counted in it and reported separately as unknown). Young means younger than the age limit (42
by default, the Phú Thọ 2025 bands "< 42, 42–52, > 52"; the National Assembly uses 40) on the
reference date (the congress's opening day), in whole years. An ethnic minority is any ethnicity
other than Kinh (also written Việt).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from session.i18n import percent as local_percent
from session.i18n import t
from session.majority import format_percent, percent_hundredths
from session.text import fold, nfc

YOUNG_AGE_LIMIT = 42
MAJORITY_ETHNICITIES = frozenset({"kinh", "viet"})
FEMALE = "female"
MALE = "male"


@dataclass(frozen=True, slots=True)
class Profile:
    """One person of the group, as far as these statistics need."""

    person: str
    gender: str = ""  # "female", "male" or "" (unknown)
    date_of_birth: date | None = None
    ethnicity: str = ""  # "Kinh", "Tày", "Mường"... ("" unknown)
    origin: str = ""  # ex_officio, elected, appointed ("" unknown)
    newly_elected: bool | None = None  # None: not applicable / unknown


@dataclass(frozen=True, slots=True)
class Share:
    count: int
    total: int

    @property
    def hundredths(self) -> int:
        return percent_hundredths(self.count, self.total)

    def percent(self, lang: str | None = None) -> str:
        """'16,83 %' in Vietnamese, '16.83%' in English."""
        return local_percent(self.hundredths, lang)

    def to_json(self) -> dict[str, object]:
        return {"count": self.count, "percent": format_percent(self.hundredths)}


@dataclass(frozen=True, slots=True)
class Composition:
    total: int
    reference_date: date
    young_age_limit: int
    women: Share
    men: Share
    gender_unknown: int
    young: Share
    age_unknown: int
    minorities: Share
    ethnicity_unknown: int
    origins: tuple[tuple[str, Share], ...]  # sorted by origin code; "" = unknown
    newly_elected: Share
    reelected: Share
    oldest: int | None  # age in whole years
    youngest: int | None

    def to_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "reference_date": self.reference_date.isoformat(),
            "young_age_limit": self.young_age_limit,
            "women": self.women.to_json(),
            "men": self.men.to_json(),
            "gender_unknown": self.gender_unknown,
            "young": self.young.to_json(),
            "age_unknown": self.age_unknown,
            "minorities": self.minorities.to_json(),
            "ethnicity_unknown": self.ethnicity_unknown,
            "origins": {o: s.to_json() for o, s in self.origins},
            "newly_elected": self.newly_elected.to_json(),
            "reelected": self.reelected.to_json(),
            "oldest": self.oldest,
            "youngest": self.youngest,
        }


def age_on(born: date, day: date) -> int:
    """Whole years on `day` (a birthday on 29 February counts on 1 March in common years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_minority(ethnicity: str) -> bool | None:
    name = fold(nfc(ethnicity))
    if not name:
        return None
    return name not in MAJORITY_ETHNICITIES


def composition(
    people: Iterable[Profile], reference_date: date, young_age_limit: int = YOUNG_AGE_LIMIT
) -> Composition:
    group = list(people)
    total = len(group)
    women = sum(p.gender == FEMALE for p in group)
    men = sum(p.gender == MALE for p in group)
    ages = [age_on(p.date_of_birth, reference_date) for p in group if p.date_of_birth]
    young = sum(a < young_age_limit for a in ages)
    minority = [is_minority(p.ethnicity) for p in group]
    origins: dict[str, int] = {}
    for p in group:
        origins[p.origin] = origins.get(p.origin, 0) + 1
    return Composition(
        total,
        reference_date,
        young_age_limit,
        Share(women, total),
        Share(men, total),
        total - women - men,
        Share(young, total),
        total - len(ages),
        Share(sum(m is True for m in minority), total),
        sum(m is None for m in minority),
        tuple((o, Share(n, total)) for o, n in sorted(origins.items())),
        Share(sum(p.newly_elected is True for p in group), total),
        Share(sum(p.newly_elected is False for p in group), total),
        max(ages) if ages else None,
        min(ages) if ages else None,
    )


def describe(c: Composition, lang: str | None = None) -> str:
    """'Tổng số 45: nữ 9 (20,00 %), trẻ (dưới 42 tuổi) 7 (15,56 %), …' for the report."""
    return t(
        "election.composition.summary",
        lang,
        total=c.total,
        women=c.women.count,
        women_percent=c.women.percent(lang),
        young=c.young.count,
        young_percent=c.young.percent(lang),
        limit=c.young_age_limit,
        minorities=c.minorities.count,
        minorities_percent=c.minorities.percent(lang),
        new=c.newly_elected.count,
        new_percent=c.newly_elected.percent(lang),
    )
