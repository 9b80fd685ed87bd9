"""Statistics of the delegates (the credentials report) and of an elected body (domain rules 7.4).

Built on session.composition, which counts women, the young, ethnic minorities, origins, the
newly elected and the oldest and youngest. This module chooses who is in the group, adds the
breakdowns a credentials report prints (presence, age bands, kind, ethnicity, education), and
lays the figures out as a table or as JSON.

- **The delegates**: everyone who holds a voting seat, i.e. the official and ex-officio
  delegates whose credentials stand, with an activated alternate in place of the official they
  replace (so the total is the roll call's "summoned"). Guests and alternates not activated are
  not delegates here.
- **An elected body**: the people an election elected (session.elections.outcome), with the
  particulars of the register for those who are delegates; for a candidate who is not a
  delegate only the date of birth is known, and the rest counts as not recorded.
- **Newly elected** (tham gia lần đầu) is known only for a committee election: the convening
  committee is the outgoing committee, so an elected person who was not a member of it
  (the candidate list's `committee_member`, by default an ex-officio delegate) is new. For other
  elections the previous body is not on record and the figure is left out.
- **Ethnic minorities**: every ethnicity other than Kinh (also written Việt), compared without
  diacritics or case, NFC or NFD. Not a congress file setting.
- **Age**: whole years on the congress's first day. Young is under `young_age_limit` (congress
  file, default 42). The bands are those of the Phú Thọ 2025 handbook, "under 42, 42 to 52, over
  52", with the first edge following `young_age_limit`.

Arithmetic: integers only. A percentage is the count over the whole group (those with a fact not
recorded included) in hundredths of a percent, rounded half up (session.majority.
percent_hundredths: 36 of 214 is 16.822… → 16.82 %, 138 of 820 is 16.829… → 16.83 %), shown with
two decimals and the language's decimal separator ("16,83 %"). Each figure is rounded on its own,
so the percentages of a breakdown may add up to 99.99 % or 100.01 %; the counts always add up.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from session.composition import Composition, Profile, Share, age_on, composition
from session.congress import Congress
from session.elections import Election, ElectionKind, outcome
from session.i18n import number, t
from session.quorum import Kind, Member
from session.text import fold, nfc, vi_key

OLDER_FROM = 53  # the last band: "over 52" (Phú Thọ 2025)
ORIGIN_ORDER = ("ex_officio", "elected", "appointed")
KIND_ORDER = (Kind.OFFICIAL.value, Kind.EX_OFFICIO.value, Kind.ALTERNATE.value)


class Group(StrEnum):
    DELEGATES = "delegates"
    ELECTED = "elected"


@dataclass(frozen=True, slots=True)
class Facts:
    """One member of the group, as far as the statistics go ("" or None: not recorded)."""

    person: str
    gender: str = ""  # "female", "male"
    date_of_birth: date | None = None
    ethnicity: str = ""
    origin: str = ""  # ex_officio, elected, appointed
    education: str = ""
    kind: str = ""  # a session.quorum.Kind value (delegates)
    present: bool | None = None  # in the hall now (delegates)
    newly_elected: bool | None = None  # not on the previous body (a committee election)

    def profile(self) -> Profile:
        return Profile(
            self.person,
            self.gender,
            self.date_of_birth,
            self.ethnicity,
            self.origin,
            self.newly_elected,
        )


@dataclass(frozen=True, slots=True)
class AgeBand:
    """Whole years from `low` (included) to `high` (excluded); None: open-ended."""

    low: int | None
    high: int | None

    def holds(self, age: int) -> bool:
        return (self.low is None or age >= self.low) and (self.high is None or age < self.high)

    def label(self, lang: str | None = None) -> str:
        if self.low is None:
            return t("statistics.band.under", lang, age=self.high)
        if self.high is None:
            return t("statistics.band.over", lang, age=self.low - 1)
        return t("statistics.band.between", lang, low=self.low, high=self.high - 1)

    def to_json(self) -> dict[str, int | None]:
        return {"from": self.low, "below": self.high}


def age_bands(young_age_limit: int) -> tuple[AgeBand, ...]:
    """Under the limit, from the limit to 52, over 52 (just two bands for a limit over 52)."""
    edges = [young_age_limit] + ([OLDER_FROM] if young_age_limit < OLDER_FROM else [])
    lows: list[int | None] = [None, *edges]
    highs: list[int | None] = [*edges, None]
    return tuple(AgeBand(low, high) for low, high in zip(lows, highs, strict=True))


Breakdown = tuple[tuple[str, Share], ...]


@dataclass(frozen=True, slots=True)
class Statistics:
    group: Group
    title: str
    composition: Composition
    present: Share | None  # the delegates only
    age_bands: tuple[tuple[AgeBand, Share], ...]
    kinds: Breakdown  # by kind code (the delegates only)
    ethnicities: Breakdown  # by name as first written; "" = not recorded
    education: Breakdown  # likewise
    newly_known: bool  # whether composition.newly_elected means anything

    @property
    def total(self) -> int:
        return self.composition.total


# ---------------------------------------------------------------- the arithmetic


def breakdown(values: Iterable[str], total: int, order: Sequence[str] = ()) -> Breakdown:
    """Counts per value (values that differ only in case, diacritics or NFC/NFD are one, shown
    as first written), each a share of `total`: the values in `order` first, then by count
    (largest first) and Vietnamese alphabetical order, and "" (not recorded) last."""
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for value in values:
        name = nfc(value)
        key = fold(name)
        shown.setdefault(key, name)
        counts[key] = counts.get(key, 0) + 1
    rank = {fold(v): i for i, v in enumerate(order)}

    def sort_key(key: str) -> tuple[bool, int, int, object]:
        return (key == "", rank.get(key, len(rank)), -counts[key], vi_key(shown[key]))

    return tuple((shown[k], Share(counts[k], total)) for k in sorted(counts, key=sort_key))


def statistics(
    people: Sequence[Facts],
    group: Group,
    title: str,
    reference_date: date,
    young_age_limit: int,
    newly_known: bool = False,
) -> Statistics:
    total = len(people)
    ages = [age_on(p.date_of_birth, reference_date) for p in people if p.date_of_birth]
    bands = tuple(
        (band, Share(sum(band.holds(a) for a in ages), total))
        for band in age_bands(young_age_limit)
    )
    delegates = group is Group.DELEGATES
    return Statistics(
        group,
        title,
        composition([p.profile() for p in people], reference_date, young_age_limit),
        Share(sum(p.present is True for p in people), total) if delegates else None,
        bands,
        breakdown((p.kind for p in people), total, KIND_ORDER) if delegates else (),
        breakdown((p.ethnicity for p in people), total),
        breakdown((p.education for p in people), total),
        newly_known,
    )


# ---------------------------------------------------------------- who is in the group


class Particulars(Protocol):
    """What the statistics read from a delegate (db.store.DelegateInfo has all of it)."""

    @property
    def number(self) -> int: ...
    @property
    def kind(self) -> Kind: ...
    @property
    def gender(self) -> str: ...
    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def ethnicity(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def education(self) -> str: ...
    @property
    def present(self) -> bool: ...
    @property
    def member(self) -> Member: ...


def holds_seat(d: Particulars) -> bool:
    """A voting delegate, an activated alternate in place of the official they replace."""
    return d.member.votes and not d.member.replaced_by_alternate


def delegate_facts(d: Particulars, newly_elected: bool | None = None) -> Facts:
    return Facts(
        f"d{d.number}",
        d.gender,
        d.date_of_birth,
        d.ethnicity,
        d.origin,
        d.education,
        d.kind.value,
        d.present,
        newly_elected,
    )


def of_delegates(delegates: Iterable[Particulars], congress: Congress) -> Statistics:
    """The credentials report's figures for everyone holding a voting seat."""
    people = [delegate_facts(d) for d in delegates if holds_seat(d)]
    title = t("statistics.title.delegates")
    return statistics(people, Group.DELEGATES, title, congress.start, congress.young_age_limit)


def of_election(
    e: Election, delegates: Mapping[int, Particulars], congress: Congress
) -> Statistics:
    """The figures of the body an election elected (so far), register particulars where the
    person is a delegate."""
    newly_known = e.kind is ElectionKind.COMMITTEE
    people = []
    for p in e.people(outcome(e).elected):
        newly = (not p.committee_member) if newly_known else None
        d = delegates.get(p.delegate) if p.delegate is not None else None
        if d is not None:
            people.append(delegate_facts(d, newly))
        else:
            people.append(Facts(p.id, date_of_birth=p.date_of_birth, newly_elected=newly))
    title = t("statistics.title.elected", title=e.title)
    return statistics(
        people, Group.ELECTED, title, congress.start, congress.young_age_limit, newly_known
    )


# ---------------------------------------------------------------- the table and the JSON


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    count: str = ""
    percent: str = ""
    indent: int = 0


def _share_row(label: str, share: Share, lang: str | None, indent: int = 1) -> Row:
    return Row(label, number(share.count, lang), share.percent(lang), indent)


def _section(
    title: str, shares: Breakdown, name: Callable[[str], str], lang: str | None
) -> list[Row]:
    """A heading and one row per value ("not recorded" for the empty value)."""
    if not shares:
        return []
    out = [Row(t(title, lang))]
    for value, share in shares:
        label = name(value) if value else t("statistics.unknown", lang)
        out.append(_share_row(label, share, lang, 2))
    return out


def _origin_name(code: str, lang: str | None) -> str:
    return t(f"statistics.origin.{code}", lang) if code in ORIGIN_ORDER else code


def rows(st: Statistics, lang: str | None = None) -> list[Row]:
    """The table: category, count and percentage of the group, in the congress language."""
    c = st.composition
    out = [Row(t("statistics.total", lang), number(st.total, lang))]
    if st.present is not None:
        out.append(_share_row(t("statistics.present", lang), st.present, lang))
    out += [
        _share_row(t("statistics.women", lang), c.women, lang),
        _share_row(t("statistics.men", lang), c.men, lang),
        *_unknown_row(c.gender_unknown, c.total, lang),
        _share_row(t("statistics.young", lang, limit=c.young_age_limit), c.young, lang),
        _share_row(t("statistics.minorities", lang), c.minorities, lang),
    ]
    if st.newly_known:
        out.append(_share_row(t("statistics.newly_elected", lang), c.newly_elected, lang))
        out.append(_share_row(t("statistics.reelected", lang), c.reelected, lang))
    out.append(Row(t("statistics.section.age", lang)))
    out += [_share_row(band.label(lang), share, lang, 2) for band, share in st.age_bands]
    out += _unknown_row(c.age_unknown, c.total, lang, 2)
    if c.oldest is not None and c.youngest is not None:
        out.append(Row(t("statistics.oldest", lang), number(c.oldest, lang), indent=2))
        out.append(Row(t("statistics.youngest", lang), number(c.youngest, lang), indent=2))
    origins = tuple(sorted(c.origins, key=lambda o: (o[0] == "", _rank(o[0], ORIGIN_ORDER))))
    out += _section("statistics.section.origin", origins, lambda v: _origin_name(v, lang), lang)
    out += _section("statistics.section.kind", st.kinds, lambda v: _kind_name(v, lang), lang)
    out += _section("statistics.section.ethnicity", st.ethnicities, str, lang)
    out += _section("statistics.section.education", st.education, str, lang)
    return out


def _kind_name(code: str, lang: str | None) -> str:
    name = t(f"kind.{code}", lang)
    return name[:1].upper() + name[1:]


def _unknown_row(count: int, total: int, lang: str | None, indent: int = 1) -> list[Row]:
    """'Not recorded' with its count, when some are."""
    if count <= 0:
        return []
    return [_share_row(t("statistics.unknown", lang), Share(count, total), lang, indent)]


def _rank(value: str, order: Sequence[str]) -> int:
    return order.index(value) if value in order else len(order)


def lines(st: Statistics, lang: str | None = None) -> list[str]:
    """The table as aligned text lines, with its title and the age reference."""
    table = rows(st, lang)
    labels = ["  " * r.indent + r.label for r in table]
    width = max(len(label) for label in labels)
    counts = max(len(r.count) for r in table)
    out = [
        st.title,
        t(
            "statistics.reference",
            lang,
            date=st.composition.reference_date.strftime(t("format.date", lang)),
            limit=st.composition.young_age_limit,
        ),
    ]
    if st.group is Group.ELECTED and not st.newly_known:
        out.append(t("statistics.newly_unknown", lang))
    if st.total == 0:
        out.append(t(f"statistics.empty.{st.group.value}", lang))
    out.append("")
    for label, r in zip(labels, table, strict=True):
        out.append(f"{label.ljust(width)}  {r.count.rjust(counts)}  {r.percent}".rstrip())
    return out


def to_json(st: Statistics) -> dict[str, object]:
    """Counts and percentages ("16.83", a point whatever the language) for scripts."""
    data: dict[str, object] = {"group": st.group.value, "title": st.title}
    data.update(st.composition.to_json())
    if not st.newly_known:
        data["newly_elected"] = data["reelected"] = None
    data["present"] = st.present.to_json() if st.present is not None else None
    data["age_bands"] = [{**b.to_json(), **s.to_json()} for b, s in st.age_bands]
    data["kinds"] = {k: s.to_json() for k, s in st.kinds}
    data["ethnicities"] = {k: s.to_json() for k, s in st.ethnicities}
    data["education"] = {k: s.to_json() for k, s in st.education}
    return data
