"""Statistics of the delegates and of an elected body (domain rules 7.4): counts and
percentages to two decimals in integer arithmetic, the groups, the table, the JSON and the
command line."""

import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.store import DelegateInfo, Store
from presidium.cli import main
from session import elections as el
from session.ballots import Person
from session.composition import Share
from session.congress_file import parse_congress
from session.count import CountMode, Totals
from session.elections import ElectionKind
from session.quorum import Kind, Status
from session.rollcall import Mode
from session.statistics import (
    AgeBand,
    Facts,
    Group,
    Statistics,
    age_bands,
    breakdown,
    lines,
    of_delegates,
    of_election,
    rows,
    statistics,
    to_json,
)
from tests.conftest import EXAMPLES
from tests.harness.bch_election import E, election_ready_to_vote
from tests.harness.elections_kit import SECTION_11, committee, person
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]
OPENING = date(2025, 6, 20)
YOUNG = date(1990, 1, 1)  # 35 on the opening day
OLD = date(1970, 1, 1)  # 55


# ---------------------------------------------------------------- known figures


def test_214_delegates_36_of_them_young() -> None:
    """36 of 214 is 16.822… %: 16,82 % (rounded half up to hundredths, never 16,83 %)."""
    people = [Facts(f"d{i}", date_of_birth=YOUNG if i < 36 else OLD) for i in range(214)]
    s = statistics(people, Group.DELEGATES, "t", OPENING, 42)
    assert (s.composition.young.count, s.composition.young.hundredths) == (36, 1682)
    assert s.composition.young.percent("vi") == "16,82 %"
    assert s.composition.young.percent("en") == "16.82 %"


def test_the_source_articles_committee_figures() -> None:
    """The source article's "tuổi trẻ 16,83 %, nữ 19,63 %": 138 young and 161 women of 820."""
    people = [
        Facts(f"p{i}", "female" if i < 161 else "male", YOUNG if i >= 820 - 138 else OLD)
        for i in range(820)
    ]
    s = statistics(people, Group.ELECTED, "t", OPENING, 42)
    assert s.composition.young.percent("vi") == "16,83 %"
    assert s.composition.women.percent("vi") == "19,63 %"
    assert to_json(s)["women"] == {"count": 161, "percent": "19.63"}


def test_rounding_is_half_up_on_exact_hundredths() -> None:
    """1 of 8 is 12.5 % exactly; 1 of 16 is 6.25 %; 1 of 32 is 3.125 % → 3.13 %; 1 of 3 is
    33.333… % → 33.33 %; 2 of 3 → 66.67 %."""
    assert [Share(c, n).percent("en") for c, n in [(1, 8), (1, 16), (1, 32), (1, 3), (2, 3)]] == [
        "12.50 %",
        "6.25 %",
        "3.13 %",
        "33.33 %",
        "66.67 %",
    ]


def test_young_is_under_the_congress_limit_on_the_opening_day() -> None:
    turning_42 = Facts("a", date_of_birth=date(1983, 6, 20))
    still_41 = Facts("b", date_of_birth=date(1983, 6, 21))
    s = statistics([turning_42, still_41], Group.DELEGATES, "t", OPENING, 42)
    assert s.composition.young.count == 1
    assert [(b, sh.count) for b, sh in s.age_bands] == [
        (AgeBand(None, 42), 1),
        (AgeBand(42, 53), 1),
        (AgeBand(53, None), 0),
    ]
    assert statistics([turning_42], Group.DELEGATES, "t", OPENING, 43).composition.young.count == 1


@pytest.mark.parametrize(
    ("limit", "bands"),
    [
        (42, [(None, 42), (42, 53), (53, None)]),
        (40, [(None, 40), (40, 53), (53, None)]),
        (60, [(None, 60), (60, None)]),
    ],
)
def test_age_bands_follow_the_young_age_limit(limit: int, bands: list[tuple[int, int]]) -> None:
    assert [(b.low, b.high) for b in age_bands(limit)] == bands


def test_age_band_labels() -> None:
    under, middle, over = age_bands(42)
    assert [under.label("vi"), middle.label("vi"), over.label("vi")] == [
        "Dưới 42 tuổi",
        "Từ 42 đến 52 tuổi",
        "Trên 52 tuổi",
    ]


def test_ethnicities_in_nfc_or_nfd_and_any_case_are_one() -> None:
    nfd = unicodedata.normalize("NFD", "Mường")
    people = [
        Facts("a", ethnicity="Mường"),
        Facts("b", ethnicity=nfd),
        Facts("c", ethnicity="MƯỜNG"),
        Facts("d", ethnicity="Kinh"),
        Facts("e", ethnicity=unicodedata.normalize("NFD", "Việt")),
        Facts("f", ethnicity="kinh"),
        Facts("g", ethnicity="Tày"),
        Facts("h"),
    ]
    s = statistics(people, Group.DELEGATES, "t", OPENING, 42)
    assert (s.composition.minorities.count, s.composition.ethnicity_unknown) == (4, 1)
    assert [(name, sh.count) for name, sh in s.ethnicities] == [
        ("Mường", 3),
        ("Kinh", 2),
        ("Tày", 1),
        ("Việt", 1),
        ("", 1),
    ]


def test_breakdown_order() -> None:
    shares = breakdown(["b", "", "a", "official", "b"], 5, ("official",))
    assert [(v, s.count) for v, s in shares] == [("official", 1), ("b", 2), ("a", 1), ("", 1)]


def test_an_empty_group() -> None:
    s = statistics([], Group.ELECTED, "t", OPENING, 42)
    assert s.total == 0 and s.composition.women.percent("vi") == "0,00 %"
    assert "Chưa có ai trúng cử" in lines(s, "vi")


# ---------------------------------------------------------------- the arithmetic, for any group

facts_strategy = st.builds(
    Facts,
    person=st.text(max_size=3),
    gender=st.sampled_from(["female", "male", ""]),
    date_of_birth=st.one_of(st.none(), st.dates(date(1940, 1, 1), date(2005, 12, 31))),
    ethnicity=st.sampled_from(["Kinh", "kinh", "Việt", "Mường", "Tày", "H'Mông", ""]),
    origin=st.sampled_from(["ex_officio", "elected", "appointed", ""]),
    education=st.sampled_from(["Đại học", "Thạc sĩ", "Tiến sĩ", ""]),
    kind=st.sampled_from(["official", "ex_officio", "alternate"]),
    present=st.booleans(),
    newly_elected=st.one_of(st.none(), st.booleans()),
)
PERCENT = re.compile(r"^\d{1,3}\.\d\d$")


def _exact_half_up(count: int, total: int) -> int:
    """The reference: count/total in hundredths of a percent, rounded half up, by fractions."""
    exact = Fraction(count * 10_000, total)
    return int(exact + Fraction(1, 2)) if total else 0


def _partitions(s: Statistics) -> list[list[Share]]:
    """Every breakdown whose categories cover the whole group exactly once."""
    c = s.composition
    gender = [c.women, c.men, Share(c.gender_unknown, c.total)]
    ages = [sh for _, sh in s.age_bands] + [Share(c.age_unknown, c.total)]
    parts = [gender, ages, [sh for _, sh in c.origins]]
    parts += [[sh for _, sh in b] for b in (s.kinds, s.ethnicities, s.education)]
    return [p for p in parts if p]


@given(st.lists(facts_strategy, max_size=60), st.integers(18, 70))
def test_every_breakdown_adds_up(people: list[Facts], limit: int) -> None:
    s = statistics(people, Group.DELEGATES, "t", OPENING, limit)
    total = len(people)
    for part in _partitions(s):
        assert sum(sh.count for sh in part) == total
        assert all(sh.total == total for sh in part)
        # each figure is off by at most half a hundredth: the sum by at most half per figure
        if total:
            assert abs(2 * sum(sh.hundredths for sh in part) - 20_000) <= len(part)
    young = s.composition.young.count
    assert young == s.age_bands[0][1].count  # the first band is the young
    assert s.composition.minorities.count + s.composition.ethnicity_unknown <= total


@given(st.integers(0, 2_000), st.integers(1, 2_000))
def test_percentages_are_integer_half_up_with_two_decimals(count: int, total: int) -> None:
    count = min(count, total)
    share = Share(count, total)
    assert share.hundredths == _exact_half_up(count, total)
    assert PERCENT.match(share.to_json()["percent"])  # type: ignore[arg-type]
    vi = share.percent("vi")
    assert re.fullmatch(r"\d{1,3},\d\d %", vi)
    assert int(vi[:-2].replace(",", "")) == share.hundredths


@given(st.lists(facts_strategy, max_size=30))
def test_json_and_table_agree(people: list[Facts]) -> None:
    s = statistics(people, Group.DELEGATES, "t", OPENING, 42)
    data = to_json(s)
    assert data["total"] == len(people)
    assert data["present"]["count"] == sum(p.present is True for p in people)  # type: ignore[index]
    assert sum(b["count"] for b in data["age_bands"]) + data["age_unknown"] == len(people)  # type: ignore[attr-defined,operator]
    for lang in ("vi", "en"):
        text = "\n".join(lines(s, lang))
        assert "⟦" not in text and "{" not in text


# ---------------------------------------------------------------- the groups


def _info(number: int, **facts: object) -> DelegateInfo:
    base: dict[str, object] = {
        "number": number,
        "full_name": f"Đại biểu {number}",
        "unit": "Xã A",
        "kind": Kind.OFFICIAL,
        "status": Status.SUMMONED,
        "status_reason": "",
        "card_issue": 0,
        "present": False,
        "since": None,
        "station": None,
    }
    base.update(facts)
    return DelegateInfo(**base)  # type: ignore[arg-type]


CONGRESS = parse_congress({"congress": {"name": "Đại hội", "start": "2025-06-20"}})


def test_the_delegates_are_those_holding_a_voting_seat() -> None:
    """Guests, alternates not activated and rejected delegates are out; an activated alternate
    takes the replaced official's place, so the total is the roll call's summoned."""
    delegates = [
        _info(1, kind=Kind.EX_OFFICIO, gender="male", origin="ex_officio", present=True),
        _info(2, gender="female", origin="elected", date_of_birth=YOUNG, present=True),
        _info(3, status=Status.ABSENT_WHOLE, replaced_by_alternate=True, gender="male"),
        _info(4, kind=Kind.ALTERNATE, activated_for=3, gender="female", present=True),
        _info(5, kind=Kind.ALTERNATE, gender="female", present=True),
        _info(6, kind=Kind.GUEST, gender="female", present=True),
        _info(7, status=Status.CREDENTIAL_REJECTED, gender="female"),
        _info(8, status=Status.ABSENT_WHOLE, gender="male", ethnicity="Tày"),
    ]
    s = of_delegates(delegates, CONGRESS)
    assert s.total == 4  # 1, 2, 4 (in 3's place), 8
    assert (s.composition.women.count, s.composition.men.count) == (2, 2)
    assert s.present is not None and s.present.count == 3
    assert [(k, sh.count) for k, sh in s.kinds] == [
        ("official", 2),
        ("ex_officio", 1),
        ("alternate", 1),
    ]
    assert s.composition.minorities.count == 1 and s.composition.ethnicity_unknown == 3
    assert not s.newly_known and to_json(s)["newly_elected"] is None


def _elected_committee() -> el.Election:
    """Section 11's committee election, 3 seats from 4: delegates 1 (on the convening
    committee) and 2, and one candidate who is not a delegate."""
    outsider = Person("c1", "Lò", "Văn", "Páo", date(1990, 5, 5))
    candidates = [person(1, "p", committee_member=True), person(2), outsider, person(4)]
    run = committee(3, candidates)
    run.by_sheet({"p001": 200, "p002": 190, "c1": 180, "p004": 100}, 282, {})
    return run.e("bch")


def test_the_elected_committee() -> None:
    delegates = {
        1: _info(1, gender="male", ethnicity="Kinh", date_of_birth=OLD, origin="ex_officio"),
        2: _info(2, gender="female", ethnicity="Thái", date_of_birth=YOUNG, origin="elected"),
    }
    e = _elected_committee()
    assert el.outcome(e).elected == ("p001", "p002", "c1")

    s = of_election(e, delegates, CONGRESS)

    c = s.composition
    assert s.group is Group.ELECTED and s.total == 3 and s.newly_known
    assert (c.newly_elected.count, c.reelected.count) == (2, 1)  # only p001 was on the committee
    assert (c.women.count, c.men.count, c.gender_unknown) == (1, 1, 1)  # the outsider: unknown
    assert (c.young.count, c.age_unknown) == (2, 0)  # the outsider's birth date is on the list
    assert c.minorities.count == 1 and c.ethnicity_unknown == 1
    assert s.present is None and s.kinds == ()
    assert c.newly_elected.percent("vi") == "66,67 %"
    text = "\n".join(lines(s, "vi"))
    assert "Tham gia lần đầu" in text and "Tái cử" in text and "Bầu bch" in text


def test_newly_elected_is_unknown_outside_a_committee_election() -> None:
    run = committee(2, [person(1), person(2), person(3)], kind=ElectionKind.INSPECTION_COMMITTEE)
    run.by_sheet({"p001": 200, "p002": 190, "p003": 100}, 282, {}, snapshot=SECTION_11)
    s = of_election(run.e("bch"), {}, CONGRESS)
    assert s.total == 2 and not s.newly_known
    assert to_json(s)["newly_elected"] is None
    assert "Tham gia lần đầu" not in "\n".join(r.label for r in rows(s, "vi"))
    assert any("không xác định" in line for line in lines(s, "vi"))


# ---------------------------------------------------------------- the command line


def _init_example(db: str) -> None:
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", db]) == 0
    assert main(["import", str(EXAMPLES / "delegates.csv"), "--db", db]) == 0


def test_cli_delegates_table_and_json(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """examples/delegates.csv: 6 voting delegates (1 ex officio, 5 official); women 2, 4, 7;
    young 2, 4, 7 (born 1985, 1990, 1995); one Mường; origins 1 / 4 / 1."""
    _init_example(sqlite_url)
    with Store.open(sqlite_url) as store:
        store.scan(store.card_code(2, 0), Mode.ENTRY, "cửa-chính")
    capsys.readouterr()

    assert main(["statistics", "--db", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "Tổng số" in out and "Nữ" in out
    assert re.search(r"Nữ\s+3\s+50,00 %", out)
    assert re.search(r"Dân tộc thiểu số\s+1\s+16,67 %", out)
    assert re.search(r"Có mặt\s+1\s+16,67 %", out)
    assert "20/06/2025" in out

    assert main(["statistics", "--db", sqlite_url, "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 6 and data["young"] == {"count": 3, "percent": "50.00"}
    assert data["origins"] == {
        "appointed": {"count": 1, "percent": "16.67"},
        "elected": {"count": 4, "percent": "66.67"},
        "ex_officio": {"count": 1, "percent": "16.67"},
    }
    assert data["ethnicities"]["Mường"] == {"count": 1, "percent": "16.67"}
    assert data["present"] == {"count": 1, "percent": "16.67"}
    assert data["newly_elected"] is None


def test_cli_unknown_election(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _init_example(sqlite_url)
    capsys.readouterr()
    assert main(["statistics", "--election", "nope", "--db", sqlite_url, "--lang", "en"]) == 1
    assert "No election named nope" in capsys.readouterr().err


def _announce(store: Store, votes: dict[str, int], present: int) -> None:
    """Vote, count from one tally sheet and announce round 1 of the store's election."""
    store.open_election_voting(E, 1)
    rec = store.record_election
    rec(lambda b, now: el.BallotsIssued(E, 1, "main", present, "", now))
    rec(lambda b, now: el.BoxClosed(E, 1, "main", now))
    rec(lambda b, now: el.BoxOpened(E, 1, "main", present, ("k1", "k2"), now))
    rec(lambda b, now: el.CountingStarted(E, 1, CountMode.SHEETS, ("A",), now))
    ballot = store.election_book().get(E).current.ballot  # type: ignore[union-attr]
    totals = Totals.of([votes.get(p, 0) for p in ballot], present, {})
    rec(lambda b, now: el.SheetEntered(E, 1, "A", "main", "", totals, "", now))
    rec(lambda b, now: el.BoxCounted(E, 1, "main", now))
    rec(lambda b, now: el.MinutesSigned(E, 1, ("k1", "k2"), now))
    rec(lambda b, now: el.ResultsAnnounced(E, 1, now))


def test_cli_statistics_of_an_elected_committee(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 20)
    election_ready_to_vote(store)  # 3 seats, candidates: delegates 1 to 4
    _announce(store, {"p001": 18, "p002": 17, "p003": 16, "p004": 3}, 20)
    women = sum(store.delegate(n).gender == "female" for n in (1, 2, 3))  # type: ignore[union-attr]
    store.close()

    assert main(["statistics", "--election", E, "--json", "--db", sqlite_url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["group"], data["total"]) == ("elected", 3)
    assert data["women"]["count"] == women
    assert data["newly_elected"] == {"count": 3, "percent": "100.00"}  # none on the committee
    assert data["kinds"] == {} and data["present"] is None

    assert main(["statistics", "--election", E, "--db", sqlite_url, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Composition of the elected body: Bầu BCH" in out
    assert re.search(r"Newly elected\s+3\s+100.00 %", out)
