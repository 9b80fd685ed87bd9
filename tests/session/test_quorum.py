"""The base of decisions and the live quorum verdict (domain rules §2, §11, §12.1, §12.4)."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session.congress import (
    PRESET_RULES,
    AttendanceQuorum,
    BaseKind,
    CongressType,
    Rules,
    RuleSetName,
)
from session.congress_file import parse_congress
from session.majority import Ratio
from session.quorum import (
    Attendance,
    Kind,
    Member,
    Problem,
    Status,
    attendance,
    explain,
    verdict,
)

PARTY = PRESET_RULES[RuleSetName.VN_PARTY_2014]
PARTY_2024 = PRESET_RULES[RuleSetName.VN_PARTY_2024]
ROBERTS = PRESET_RULES[RuleSetName.ROBERTS_RULES]
REP = CongressType.REPRESENTATIVE
MEMBERS = CongressType.GENERAL_MEMBERS
ADJ = BaseKind.SUMMONED_ADJUSTED


def M(
    kind: Kind = Kind.OFFICIAL,
    status: Status = Status.SUMMONED,
    present: bool = False,
    replaced: bool = False,
) -> Member:
    return Member(kind, status, present, replaced)


def count(
    groups: list[tuple[Member, int]], congress_type: CongressType = REP, base: BaseKind = ADJ
) -> Attendance:
    return attendance(groups, congress_type, base)


def rules_with_quorum(ratio: Ratio, of: BaseKind = BaseKind.SUMMONED) -> Rules:
    return Rules(RuleSetName.CUSTOM, ADJ, Ratio(1, 2), AttendanceQuorum(ratio, of))


# ---------------------------------------------------------------- §12.1: who is in the base


def test_everyone_summoned_is_in_the_base() -> None:
    att = count([(M(present=True), 200), (M(Kind.EX_OFFICIO, present=True), 30), (M(), 70)])
    assert (att.summoned, att.base, att.present) == (300, 300, 230)


def test_official_absent_whole_congress_without_alternate_leaves_the_base() -> None:
    att = count([(M(present=True), 99), (M(status=Status.ABSENT_WHOLE), 1)])
    assert (att.summoned, att.base, att.absent_whole) == (100, 99, 1)


def test_official_absent_whole_congress_replaced_by_an_alternate_stays_in_the_base() -> None:
    att = count([(M(present=True), 99), (M(status=Status.ABSENT_WHOLE, replaced=True), 1)])
    assert (att.summoned, att.base, att.absent_whole) == (100, 100, 1)


def test_committee_member_absent_whole_congress_leaves_the_base() -> None:
    """§2.1 (a): a convening-committee (ex officio) member absent for the whole congress leaves
    the base; no alternate takes a committee member's seat, so the flag cannot keep them in."""
    for replaced in (False, True):
        att = count(
            [(M(present=True), 99), (M(Kind.EX_OFFICIO, Status.ABSENT_WHOLE, replaced=replaced), 1)]
        )
        assert (att.summoned, att.base) == (100, 99)


@pytest.mark.parametrize("status", [Status.SUMMONED, Status.ABSENT_EXCUSED])
def test_present_earlier_and_out_at_the_vote_stays_in_the_base(status: Status) -> None:
    att = count([(M(present=True), 97), (M(status=status, present=False), 3)])
    assert (att.base, att.present) == (100, 97)
    assert att.excused == (3 if status is Status.ABSENT_EXCUSED else 0)


def test_exempt_member_at_a_general_members_congress_counts_only_when_present() -> None:
    """§2.2: an exempted member re-enters the base when they attend (and so may vote)."""
    absent = count([(M(present=True), 18), (M(status=Status.EXEMPT), 2)], MEMBERS)
    assert (absent.summoned, absent.base, absent.present) == (20, 18, 18)
    one_came = count(
        [
            (M(present=True), 18),
            (M(status=Status.EXEMPT), 1),
            (M(status=Status.EXEMPT, present=True), 1),
        ],
        MEMBERS,
    )
    assert (one_came.base, one_came.present) == (19, 19)


def test_exempt_status_does_not_shrink_a_representative_congress_base() -> None:
    att = count([(M(present=True), 18), (M(status=Status.EXEMPT), 2)], REP)
    assert att.base == 20


def test_general_members_absent_with_approved_reason_leave_the_base() -> None:
    """§2.2 quiz: 20 full members, 3 away on mission without exemption → the base stays 20."""
    att = count([(M(present=True), 17), (M(status=Status.ABSENT_EXCUSED), 3)], MEMBERS)
    assert att.base == 20
    att = count([(M(present=True), 17), (M(status=Status.ABSENT_WHOLE), 3)], MEMBERS)
    assert att.base == 17


def test_guests_alternates_and_rejected_credentials_are_never_in_the_base() -> None:
    att = count(
        [
            (M(present=True), 10),
            (M(Kind.GUEST, present=True), 5),
            (M(Kind.GUEST, present=False), 4),
            (M(Kind.ALTERNATE, present=True), 2),
            (M(Kind.ALTERNATE), 1),
            (M(status=Status.CREDENTIAL_REJECTED, present=True), 3),
            (M(Kind.EX_OFFICIO, Status.CREDENTIAL_REJECTED), 1),
            (M(Kind.GUEST, Status.CREDENTIAL_REJECTED, present=True), 1),
        ]
    )
    assert (att.summoned, att.base, att.present) == (10, 10, 10)
    assert att.guests == 7  # guests and alternates in the hall; rejected credentials not at all


def test_worked_example_section_11() -> None:
    """300 official delegates summoned, 10 absent for the whole congress with no alternate (2 of
    them committee members) → base 290; 287 present (3 out of the hall during the vote)."""
    att = count(
        [
            (M(Kind.EX_OFFICIO, present=True), 28),
            (M(Kind.EX_OFFICIO, Status.ABSENT_WHOLE), 2),
            (M(present=True), 259),
            (M(status=Status.ABSENT_WHOLE), 8),
            (M(status=Status.SUMMONED, present=False), 2),
            (M(status=Status.ABSENT_EXCUSED, present=False), 1),
            (M(Kind.GUEST, present=True), 12),
        ]
    )
    assert (att.summoned, att.base, att.present, att.guests) == (300, 290, 287, 12)
    assert (att.absent_whole, att.excused) == (10, 1)
    v = verdict(att, PARTY)
    assert v.decision_needs == 146
    assert v.quorum_needs is None  # no attendance quorum in the Party rule sets
    assert v.ok and v.problems == ()


def test_groups_may_repeat_and_be_split_arbitrarily() -> None:
    one = count([(M(present=True), 5), (M(status=Status.ABSENT_WHOLE), 2)])
    split = count(
        [
            (M(present=True), 2),
            (M(status=Status.ABSENT_WHOLE), 1),
            (M(present=True), 3),
            (M(status=Status.ABSENT_WHOLE), 1),
            (M(), 0),
        ]
    )
    assert one == split


@pytest.mark.parametrize(
    ("base_kind", "expected"),
    [(BaseKind.SUMMONED_ADJUSTED, 95), (BaseKind.SUMMONED, 100), (BaseKind.PRESENT, 60)],
)
def test_base_kinds(base_kind: BaseKind, expected: int) -> None:
    att = count(
        [(M(present=True), 60), (M(), 35), (M(status=Status.ABSENT_WHOLE), 5)], REP, base_kind
    )
    assert att.base == expected
    assert att.summoned == 100
    assert att.adjusted == 95


# ---------------------------------------------------------------- §12.4 and the verdict


@pytest.mark.parametrize(
    ("present", "ok"), [(145, False), (146, True), (0, False), (290, True), (144, False)]
)
def test_no_decision_possible_when_twice_present_is_at_most_the_base(
    present: int, ok: bool
) -> None:
    att = count([(M(present=True), present), (M(), 290 - present)])
    v = verdict(att, PARTY)
    assert v.ok is ok
    assert (Problem.NO_DECISION_POSSIBLE in v.problems) is (not ok)
    assert v.decision_needs == 146


@given(st.integers(0, 600), st.integers(0, 600), st.integers(0, 50))
def test_no_decision_possible_property(present: int, absent: int, absent_whole: int) -> None:
    att = count(
        [(M(present=True), present), (M(), absent), (M(status=Status.ABSENT_WHOLE), absent_whole)]
    )
    for rules in (PARTY, PARTY_2024):
        v = verdict(att, rules)
        if att.base == 0:
            assert v.problems == (Problem.EMPTY_BASE,)
            continue
        assert (Problem.NO_DECISION_POSSIBLE in v.problems) == (2 * present <= att.base)
        assert v.decision_needs is not None
        assert 2 * v.decision_needs > att.base >= 2 * (v.decision_needs - 1)


def test_empty_base() -> None:
    att = count([(M(Kind.GUEST, present=True), 3)])
    v = verdict(att, PARTY)
    assert v.problems == (Problem.EMPTY_BASE,)
    assert v.decision_needs is None
    assert not v.ok


# ---------------------------------------------------------------- attendance quorum (§2.3)


@pytest.mark.parametrize(
    ("strict", "present", "needs", "met"),
    [
        (False, 199, 200, False),
        (False, 200, 200, True),
        (True, 200, 201, False),
        (True, 201, 201, True),
    ],
)
def test_two_thirds_attendance_quorum(strict: bool, present: int, needs: int, met: bool) -> None:
    att = count([(M(present=True), present), (M(), 300 - present)])
    v = verdict(att, rules_with_quorum(Ratio(2, 3, strict)))
    assert v.quorum_needs == needs
    assert (Problem.QUORUM_UNMET in v.problems) is (not met)
    assert Problem.NO_DECISION_POSSIBLE not in v.problems  # 199 of 300 can still decide


def test_quorum_of_summoned_versus_summoned_adjusted() -> None:
    # 300 summoned, 30 absent for the whole congress: 2/3 of 300 = 200, 2/3 of 270 = 180
    att = count([(M(present=True), 185), (M(), 85), (M(status=Status.ABSENT_WHOLE), 30)])
    of_summoned = verdict(att, rules_with_quorum(Ratio(2, 3, False), BaseKind.SUMMONED))
    of_adjusted = verdict(att, rules_with_quorum(Ratio(2, 3, False), BaseKind.SUMMONED_ADJUSTED))
    assert (of_summoned.quorum_needs, of_summoned.ok) == (200, False)
    assert (of_adjusted.quorum_needs, of_adjusted.ok) == (180, True)


def test_quorum_of_summoned_adjusted_under_another_decision_base() -> None:
    """A quorum 'of summoned_adjusted' means that count even when decisions use another base."""
    rules = Rules(
        RuleSetName.CUSTOM,
        BaseKind.PRESENT,
        Ratio(1, 2),
        AttendanceQuorum(Ratio(2, 3, False), BaseKind.SUMMONED_ADJUSTED),
    )
    att = count(
        [(M(present=True), 100), (M(), 170), (M(status=Status.ABSENT_WHOLE), 30)],
        REP,
        BaseKind.PRESENT,
    )
    v = verdict(att, rules)
    assert v.quorum_needs == 180  # 2/3 of 270, not 2/3 of the 100 present
    assert Problem.QUORUM_UNMET in v.problems


def test_quorum_from_the_congress_file(congress_data: dict[str, object]) -> None:
    data = dict(congress_data)
    data["rules"] = {"ruleset": "vn_party_2014", "quorum": {"ratio": "2/3", "strict": False}}
    rules = parse_congress(data).rules
    att = count([(M(present=True), 199), (M(), 101)])
    v = verdict(att, rules)
    assert (v.decision_needs, v.quorum_needs) == (151, 200)
    assert v.problems == (Problem.QUORUM_UNMET,)


def test_roberts_rules_preset() -> None:
    """§9.1: quorum = a majority of the delegates registered; motions need a majority of the votes
    cast, which no gauge can know before the vote, so there is no fixed decision base."""
    assert ROBERTS.quorum is not None
    assert ROBERTS.quorum.of is BaseKind.SUMMONED
    assert ROBERTS.quorum.ratio == Ratio(1, 2, strict=True)
    members = [(M(present=True), 50), (M(), 50), (M(Kind.GUEST, present=True), 7)]
    short = verdict(count(members, REP, ROBERTS.base), ROBERTS)
    assert short.quorum_needs == 51
    assert short.decision_needs is None
    assert short.problems == (Problem.QUORUM_UNMET,)
    members[0] = (M(present=True), 51)
    members[1] = (M(), 49)
    met = verdict(count(members, REP, ROBERTS.base), ROBERTS)
    assert met.ok


# ---------------------------------------------------------------- explain()


def _section_11() -> Attendance:
    return count([(M(present=True), 287), (M(), 3), (M(status=Status.ABSENT_WHOLE), 10)])


def test_explain_english_sentence() -> None:
    sentence, problems = explain(verdict(_section_11(), PARTY), "en")
    assert sentence == "present 287 of base 290: decisions need at least 146"
    assert problems == []


def test_explain_vietnamese_sentence_has_the_same_arithmetic() -> None:
    sentence, problems = explain(verdict(_section_11(), PARTY), "vi")
    assert "⟦" not in sentence
    assert sentence.index("287") < sentence.index("290") < sentence.index("146")
    assert problems == []


def test_explain_uses_the_current_language_by_default() -> None:
    english, _ = explain(verdict(_section_11(), PARTY))  # conftest switches to English
    assert english == explain(verdict(_section_11(), PARTY), "en")[0]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explain_no_decision_possible(lang: str) -> None:
    att = count([(M(present=True), 145), (M(), 145)])
    sentence, problems = explain(verdict(att, PARTY), lang)
    assert "145" in sentence and "290" in sentence and "146" in sentence
    assert len(problems) == 1
    assert "145" in problems[0] and "146" in problems[0] and "⟦" not in problems[0]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explain_quorum_unmet(lang: str) -> None:
    att = count([(M(present=True), 199), (M(), 101)])
    sentence, problems = explain(verdict(att, rules_with_quorum(Ratio(2, 3, False))), lang)
    assert "≥ 2/3" in sentence and "200" in sentence
    assert len(problems) == 1
    assert "199" in problems[0] and "200" in problems[0] and "{" not in problems[0]


@pytest.mark.parametrize(("lang", "grouped"), [("en", "1,600"), ("vi", "1.600")])
def test_explain_groups_thousands_the_local_way(lang: str, grouped: str) -> None:
    att = count([(M(present=True), 1586), (M(), 14)])
    sentence, _ = explain(verdict(att, PARTY), lang)
    assert grouped in sentence
    assert "1.586" in sentence if lang == "vi" else "1,586" in sentence


def test_explain_roberts_rules_shows_only_the_quorum() -> None:
    att = count([(M(present=True), 40), (M(), 60)], REP, ROBERTS.base)
    sentence, problems = explain(verdict(att, ROBERTS), "en")
    assert "decisions need" not in sentence
    assert "51" in sentence
    assert len(problems) == 1 and "40" in problems[0] and "51" in problems[0]


def test_explain_empty_base() -> None:
    sentence, problems = explain(verdict(count([]), PARTY), "en")
    assert sentence == ""
    assert len(problems) == 1 and "⟦" not in problems[0]


def test_problem_counts_are_consistent() -> None:
    """Every problem appears once, and only the ones that apply."""
    att = count([(M(present=True), 100), (M(), 200)])
    v = verdict(att, rules_with_quorum(Ratio(2, 3, False)))
    assert Counter(v.problems) == Counter([Problem.NO_DECISION_POSSIBLE, Problem.QUORUM_UNMET])
