"""Show-of-hands votes: the verdict arithmetic (domain rules §3, §11, §12.1–12.4, §12.16, §12.17)
and the teller workflow as a pure reducer over events."""

import ast
import copy
import inspect
import json
import re
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session import agenda, tally, votes
from session.agenda import MotionKind
from session.congress import Congress
from session.congress_file import parse_congress
from session.i18n import LANGUAGES, catalog
from session.majority import Ratio
from session.quorum import Attendance, Kind, Member, Status, attendance, verdict
from session.tally import (
    RuleSource,
    Snapshot,
    Tally,
    VoteBase,
    VoteRule,
    arithmetic,
    can_pass,
    decide,
    explain,
    parse_base,
    rule_label,
    shown_percent,
)
from session.votes import (
    HALL,
    CountEntered,
    Method,
    OpenWarning,
    Option,
    SectorRecounted,
    SectorStatus,
    UnanimousConfirmed,
    UnanimousWithdrawn,
    VoteBook,
    VoteCancelled,
    VoteCorrected,
    VoteCreated,
    VoteError,
    VoteOpened,
    VotePublished,
    VoteStatus,
)

ROOT = Path(__file__).resolve().parents[2]
PARTY = VoteRule(Ratio(1, 2), VoteBase.SUMMONED_ADJUSTED)
T0 = datetime(2025, 6, 20, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
SECTION_11 = Snapshot(present=287, entitled=300, adjusted=290)
P = ("tan_thanh", "khong_tan_thanh", "y_kien_khac")


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def counts(yes: int, no: int, other: int, options: tuple[str, ...] = P) -> dict[str, int]:
    return dict(zip(options, (yes, no, other), strict=True))


# ---------------------------------------------------------------- §11: the Resolution


def test_worked_example_resolution_passes() -> None:
    """287 present: 280 tán thành, 5 không tán thành, 2 ý kiến khác → 280·2 = 560 > 290."""
    v = decide(Tally(280, 5, 2), PARTY, SECTION_11)
    assert v.passed
    assert (v.base, v.needed, v.not_voting) == (290, 146, 0)
    assert v.percent_of_base == 9655  # 96.55 % of the base
    assert v.percent_of_present == 9756  # 97.56 % of those present (reported second)
    assert arithmetic(v, "en") == "280 × 2 = 560 > 290"
    assert explain(v, "en") == "280 × 2 = 560 > 290: passed, 96.55 % of the base"
    vi = explain(v, "vi")
    assert vi.startswith("280 × 2 = 560 > 290: ") and "96,55 %" in vi and "⟦" not in vi


def test_worked_example_most_votes_but_not_half_the_base_fails() -> None:
    """140 in favour and the rest abstaining fails (140·2 ≤ 290), though it is 'the most votes'."""
    v = decide(Tally(140, 0, 147), PARTY, SECTION_11)
    assert not v.passed
    assert explain(v, "en") == "140 × 2 = 280 ≤ 290: not passed, 48.28 % of the base"
    assert "không thông qua" in explain(v, "vi")


def test_worked_example_through_the_whole_flow(congress: Congress) -> None:
    """The same Resolution counted by two tellers in each of the three sectors."""
    book, vote_id = opened(congress, SECTION_11, item="item-23")
    for code, c in (("A", (100, 2, 1)), ("B", (90, 2, 1)), ("C", (90, 1, 0))):
        book = both_tellers(book, vote_id, code, counts(*c))
    vote = book.get(vote_id)
    assert vote is not None and vote.status is VoteStatus.COUNTED
    assert vote.motion is MotionKind.RESOLUTION
    assert vote.tally == Tally(280, 5, 2)
    assert vote.verdict is not None and vote.verdict.passed
    assert explain(vote.verdict, "en") == "280 × 2 = 560 > 290: passed, 96.55 % of the base"
    assert votes.describe_counts(vote, "en") == (
        "in favour 280 · against 5 · other opinion 2 · not voting 0"
    )
    assert vote.method is Method.SECTORS


# ---------------------------------------------------------------- §12.1: the base of the vote


def test_section_11_attendance_gives_the_snapshot() -> None:
    """§12.1 through a vote: committee members absent for the whole congress leave the base, a
    delegate out of the hall at the vote stays in it."""

    def m(kind: Kind = Kind.OFFICIAL, status: Status = Status.SUMMONED, present: bool = True):
        return Member(kind, status, present)

    groups = [
        (m(Kind.EX_OFFICIO), 28),
        (m(Kind.EX_OFFICIO, Status.ABSENT_WHOLE, False), 2),
        (m(), 259),
        (m(status=Status.ABSENT_WHOLE, present=False), 8),
        (m(present=False), 3),  # in earlier sessions, out during the vote: in the base
        (m(Kind.GUEST), 12),
    ]
    from session.congress import PRESET_RULES, BaseKind, CongressType, RuleSetName

    att = attendance(groups, CongressType.REPRESENTATIVE, BaseKind.SUMMONED_ADJUSTED)
    q = verdict(att, PRESET_RULES[RuleSetName.VN_PARTY_2014])
    assert votes.snapshot_of(q) == Snapshot(287, 300, 290, None)
    assert votes.snapshot_of(att) == Snapshot(287, 300, 290, None)
    assert votes.open_warnings(PARTY, q) == ()


def test_an_alternate_replacing_a_delegate_keeps_the_seat_in_the_base() -> None:
    groups = [
        (Member(Kind.OFFICIAL, Status.SUMMONED, True), 99),
        (Member(Kind.OFFICIAL, Status.ABSENT_WHOLE, False, replaced_by_alternate=True), 1),
    ]
    from session.congress import BaseKind, CongressType

    att = attendance(groups, CongressType.REPRESENTATIVE, BaseKind.SUMMONED_ADJUSTED)
    assert votes.snapshot_of(att).adjusted == 100


# ---------------------------------------------------------------- §12.2: strict majority


@pytest.mark.parametrize(
    ("base", "needed"), [(290, 146), (291, 146), (2, 2), (1, 1), (300, 151), (301, 151)]
)
def test_strict_majority_even_and_odd_bases(base: int, needed: int) -> None:
    snap = Snapshot(base, base, base)
    assert decide(Tally(needed, 0, 0), PARTY, snap).passed
    assert not decide(Tally(needed - 1, 0, 0), PARTY, snap).passed
    assert decide(Tally(needed, 0, 0), PARTY, snap).needed == needed


@given(st.integers(1, 5000))
def test_strict_threshold_property(base: int) -> None:
    """The least passing count is base//2 + 1, for even and odd bases alike."""
    snap = Snapshot(base, base, base)
    least = base // 2 + 1
    assert decide(Tally(least), PARTY, snap).passed
    assert not decide(Tally(least - 1), PARTY, snap).passed


@given(st.integers(0, 5000), st.sampled_from(list(VoteBase)))
def test_exactly_half_never_passes(half: int, base_kind: VoteBase) -> None:
    """Exactly half of any base fails a strict majority, and is shown as at most 50.00 %."""
    rule = VoteRule(Ratio(1, 2), base_kind)
    total = 2 * half
    snap = Snapshot(total, total, total)
    # yes = half of every base: the fixed ones (all `total`), and cast/valid/YN/YNA (yes = no)
    v = decide(Tally(half, half, 0), rule, snap)
    assert v.base == total
    assert not v.passed
    assert v.percent_of_base <= 5000


def test_fifty_percent_is_shown_as_fifty_and_never_as_a_majority() -> None:
    v = decide(Tally(145, 0, 0), PARTY, Snapshot(287, 300, 290))
    assert not v.passed and v.percent_of_base == 5000
    assert explain(v, "en") == "145 × 2 = 290 ≤ 290: not passed, 50.00 % of the base"


# ---------------------------------------------------------------- §12.3: base choices


def test_same_tally_passes_on_valid_and_fails_on_the_base() -> None:
    """144 in favour of 282 raised hands passes against the valid votes (≥ 142) and fails
    against the base of 290 (≥ 146)."""
    t = Tally(144, 138, 0)
    assert t.cast == 282
    valid = decide(t, VoteRule(Ratio(1, 2), VoteBase.VALID), SECTION_11)
    base = decide(t, PARTY, SECTION_11)
    assert valid.passed and valid.needed == 142 and valid.base == 282
    assert not base.passed and base.needed == 146
    assert valid.rule.base is VoteBase.VALID and base.rule.base is VoteBase.SUMMONED_ADJUSTED


# ---------------------------------------------------------------- §12.4: nothing can pass


@pytest.mark.parametrize(("present", "warned"), [(145, True), (146, False), (0, True)])
def test_no_outcome_can_pass_warning(present: int, warned: bool) -> None:
    att = Attendance(300, 290, present, 0, 10, 0, 290)
    from session.congress import PRESET_RULES, RuleSetName

    q = verdict(att, PRESET_RULES[RuleSetName.VN_PARTY_2014])
    warnings = votes.open_warnings(PARTY, q)
    assert (OpenWarning.NO_OUTCOME_CAN_PASS in warnings) is warned
    assert can_pass(PARTY, votes.snapshot_of(q)) is not warned


@given(st.integers(0, 400), st.integers(1, 400), st.data())
def test_when_twice_present_is_at_most_the_base_no_count_passes(
    present: int, base: int, data: st.DataObject
) -> None:
    snap = Snapshot(present, max(base, present), base)
    yes = data.draw(st.integers(0, present))
    no = data.draw(st.integers(0, present - yes))
    v = decide(Tally(yes, no, present - yes - no), PARTY, snap)
    if 2 * present <= base:
        assert not can_pass(PARTY, snap)
        assert not v.passed
    else:
        assert can_pass(PARTY, snap)


def test_opening_despite_the_warning_needs_a_reason(congress: Congress) -> None:
    book, vote_id = created(congress)
    q = quorum_of(Snapshot(145, 300, 290))
    event = votes.open_vote(book, vote_id, q, at(1))
    assert event.warnings == (OpenWarning.NO_OUTCOME_CAN_PASS,)
    assert refused(book, event) == "confirmation_required"
    confirmed = votes.open_vote(book, vote_id, q, at(1), reason="  Đoàn Chủ tịch quyết định  ")
    vote = votes.apply(book, confirmed).get(vote_id)
    assert vote is not None and vote.status is VoteStatus.OPEN
    assert vote.open_reason == "Đoàn Chủ tịch quyết định"
    assert vote.warnings == (OpenWarning.NO_OUTCOME_CAN_PASS,)
    text = votes.explain_warning(OpenWarning.NO_OUTCOME_CAN_PASS, vote.rule, vote.snapshot, "en")
    assert "145" in text and "146" in text and "290" in text


def test_attendance_quorum_unmet_warning(congress_data: dict[str, Any]) -> None:
    data = copy.deepcopy(congress_data)
    data["rules"] = {"ruleset": "vn_party_2014", "quorum": {"ratio": "2/3", "strict": False}}
    congress = parse_congress(data)
    att = Attendance(300, 290, 199, 0, 10, 0, 290)
    q = verdict(att, congress.rules)
    rule = congress.vote_rule(MotionKind.RESOLUTION)
    assert votes.open_warnings(rule, q) == (OpenWarning.QUORUM_UNMET,)
    snap = votes.snapshot_of(q)
    assert snap.quorum_needs == 200
    for lang in LANGUAGES:
        text = votes.explain_warning(OpenWarning.QUORUM_UNMET, rule, snap, lang)
        assert "199" in text and "200" in text and "⟦" not in text


def test_empty_base_warning_and_verdict() -> None:
    snap = Snapshot(0, 0, 0)
    assert votes.open_warnings(PARTY, Attendance(0, 0, 0, 0, 0, 0, 0)) == (OpenWarning.EMPTY_BASE,)
    v = decide(Tally(), PARTY, snap)
    assert not v.passed and v.needed is None
    assert "not passed" in explain(v, "en")


# ---------------------------------------------------------------- §12.16: percentages


@pytest.mark.parametrize(
    ("yes", "total", "base_kind", "shown"),
    [
        (280, 290, VoteBase.SUMMONED_ADJUSTED, "96.55"),
        (150, 290, VoteBase.SUMMONED_ADJUSTED, "51.72"),
        (280, 287, VoteBase.VALID, "97.56"),  # the same Resolution against the valid votes
        (150, 282, VoteBase.VALID, "53.19"),
        (145, 290, VoteBase.SUMMONED_ADJUSTED, "50.00"),
    ],
)
def test_two_decimal_percentages(yes: int, total: int, base_kind: VoteBase, shown: str) -> None:
    snap = Snapshot(total, total, total)
    v = decide(Tally(yes, total - yes, 0), VoteRule(Ratio(1, 2), base_kind), snap)
    from session.majority import format_percent

    assert format_percent(v.percent_of_base) == shown
    assert format_percent(v.percent_of_base, ",") == shown.replace(".", ",")


def test_a_majority_by_a_hair_never_shows_fifty_percent() -> None:
    """12 501 of 25 000 is 50.004 %: half-up rounding says 50.00, which would read as 'not
    more than half'; the verdict passed, so the figure shown is 50.01."""
    snap = Snapshot(25_000, 25_000, 25_000)
    v = decide(Tally(12_501), PARTY, snap)
    assert v.passed and v.percent_of_base == 5001
    assert "50.01 %" in explain(v, "en")


def test_a_failure_by_a_hair_never_shows_above_the_threshold() -> None:
    """At least 2/3: 19 999 of 30 000 is 66.663 %, shown 66.66 (not 66.67, which would meet 2/3)."""
    rule = VoteRule(Ratio(2, 3, strict=False), VoteBase.PRESENT)
    v = decide(Tally(19_999), rule, Snapshot(30_000, 30_000, 30_000))
    assert not v.passed and v.percent_of_base <= 6666
    ok = decide(Tally(20_000), rule, Snapshot(30_000, 30_000, 30_000))
    assert ok.passed and ok.percent_of_base == 6667
    assert arithmetic(ok, "en") == "20,000 × 3 = 60,000 ≥ 30,000 × 2 = 60,000"


@st.composite
def ratios(draw: st.DrawFn) -> Ratio:
    den = draw(st.integers(1, 12))
    return Ratio(draw(st.integers(0, den)), den, draw(st.booleans()))


@given(ratios(), st.integers(1, 10**6), st.data())
def test_the_percentage_shown_never_contradicts_the_verdict(
    ratio: Ratio, total: int, data: st.DataObject
) -> None:
    count = data.draw(st.integers(0, total))
    passed = ratio.met(count, total)
    shown = shown_percent(count, total, ratio, passed)
    assert ratio.met(shown, 10_000) is passed  # a 50.00 % is never a 'more than half'
    exact = Fraction(count * 10_000, total)
    assert abs(shown - exact) <= 1  # and it stays within a hundredth of the truth


# ---------------------------------------------------------------- §12.17: bases and rule sets


TALLY_17 = Tally(46, 30, 10)  # 86 hands raised
SNAP_17 = Snapshot(present=95, entitled=100, adjusted=97)  # 9 present not voting


@pytest.mark.parametrize(
    ("base_kind", "base", "passed"),
    [
        (VoteBase.YES_NO, 76, True),  # Robert's Rules / OpenSlides YN: 92 > 76
        (VoteBase.YES_NO_ABSTAIN, 86, True),  # YNA: 92 > 86
        (VoteBase.VALID, 86, True),
        (VoteBase.CAST, 86, True),
        (VoteBase.PRESENT, 95, False),  # OpenSlides entitled_present: 92 ≤ 95
        (VoteBase.ENTITLED, 100, False),
        (VoteBase.SUMMONED_ADJUSTED, 97, False),  # the Party base
    ],
)
def test_the_same_tally_under_every_base(base_kind: VoteBase, base: int, passed: bool) -> None:
    v = decide(TALLY_17, VoteRule(Ratio(1, 2), base_kind), SNAP_17)
    assert (v.base, v.passed) == (base, passed)
    assert v.not_voting == 9


def test_abstentions_decide_between_yes_no_and_yes_no_abstain() -> None:
    """40 for, 30 against, 20 abstaining: a majority of the votes cast under Robert's Rules
    (abstentions excluded), not a majority once abstentions count (YNA)."""
    t = Tally(40, 30, 20)
    snap = Snapshot(90, 100, 100)
    assert decide(t, VoteRule(Ratio(1, 2), VoteBase.YES_NO), snap).passed
    assert not decide(t, VoteRule(Ratio(1, 2), VoteBase.YES_NO_ABSTAIN), snap).passed


def test_roberts_rules_vote_uses_the_votes_cast(congress_data: dict[str, Any]) -> None:
    data = copy.deepcopy(congress_data)
    data["rules"] = {"ruleset": "roberts_rules"}
    congress = parse_congress(data)
    rule = congress.vote_rule(MotionKind.OTHER)
    assert rule == VoteRule(Ratio(1, 2), VoteBase.YES_NO, RuleSource.RULESET)
    assert decide(TALLY_17, rule, SNAP_17).passed
    party = parse_congress(congress_data).vote_rule(MotionKind.OTHER)
    assert not decide(TALLY_17, party, SNAP_17).passed


def test_all_abstaining_is_an_empty_yes_no_base() -> None:
    v = decide(Tally(0, 0, 50), VoteRule(Ratio(1, 2), VoteBase.YES_NO), Snapshot(50, 50, 50))
    assert not v.passed and v.base == 0 and v.needed is None


def test_an_empty_base_never_passes_even_a_zero_ratio() -> None:
    rule = VoteRule(Ratio(0, 1, strict=False), VoteBase.SUMMONED_ADJUSTED)
    assert not decide(Tally(), rule, Snapshot(0, 0, 0)).passed


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("YN", VoteBase.YES_NO),
        ("yna", VoteBase.YES_NO_ABSTAIN),
        ("summoned", VoteBase.ENTITLED),
        ("entitled_present", VoteBase.PRESENT),
        ("cast", VoteBase.CAST),
        (" valid ", VoteBase.VALID),
    ],
)
def test_base_names_and_aliases(text: str, base: VoteBase) -> None:
    assert parse_base(text) is base


def test_rule_label_and_json_round_trip() -> None:
    rule = VoteRule(Ratio(2, 3, strict=False), VoteBase.PRESENT, RuleSource.ITEM)
    assert VoteRule.from_json(json.loads(json.dumps(rule.to_json()))) == rule
    assert rule_label(rule, "en") == "≥ 2/3 of those present (this agenda item)"
    assert "⟦" not in rule_label(rule, "vi")
    assert rule.label == "≥ 2/3 present"


def test_thousands_grouped_in_the_arithmetic() -> None:
    snap = Snapshot(1586, 1600, 1586)
    v = decide(Tally(1500, 50, 36), PARTY, snap)
    assert arithmetic(v, "vi") == "1.500 × 2 = 3.000 > 1.586"
    assert arithmetic(v, "en") == "1,500 × 2 = 3,000 > 1,586"


# ---------------------------------------------------------------- the teller workflow


@pytest.fixture
def congress(congress_data: dict[str, Any]) -> Congress:
    return parse_congress(congress_data)  # sectors A, B, C; vn_party_2014; default agenda


def quorum_of(snap: Snapshot) -> Any:
    from session.congress import PRESET_RULES, RuleSetName

    att = Attendance(snap.entitled, snap.adjusted, snap.present, 0, 0, 0, snap.adjusted)
    return verdict(att, PRESET_RULES[RuleSetName.VN_PARTY_2014])


def created(congress: Congress, item: str = "item-23") -> tuple[VoteBook, str]:
    book = VoteBook()
    event = votes.create_vote(book, congress, congress.agenda.item(item), T0)  # type: ignore[arg-type]
    return votes.apply(book, event), event.vote


def opened(
    congress: Congress, snap: Snapshot = SECTION_11, item: str = "item-23"
) -> tuple[VoteBook, str]:
    book, vote_id = created(congress, item)
    return votes.apply(book, votes.open_vote(book, vote_id, quorum_of(snap), at(1))), vote_id


def entry(vote_id: str, sector: str, teller: str, c: dict[str, Any], minute: int = 2):
    return CountEntered(vote_id, sector, teller, c, at(minute))


def both_tellers(book: VoteBook, vote_id: str, sector: str, c: dict[str, int]) -> VoteBook:
    book = votes.apply(book, entry(vote_id, sector, "Lê Văn Một", c))
    return votes.apply(book, entry(vote_id, sector, "Trần Thị Hai", c, 3))


def refused(book: VoteBook, event: Any) -> str:
    with pytest.raises(VoteError) as caught:
        votes.apply(book, event)
    assert "⟦" not in str(caught.value)
    return caught.value.key


def test_a_vote_follows_the_rule_set(congress: Congress, congress_data: dict[str, Any]) -> None:
    book, vote_id = created(congress)
    vote = book.get(vote_id)
    assert vote is not None
    assert vote.options == (Option.TAN_THANH, Option.KHONG_TAN_THANH, Option.Y_KIEN_KHAC)
    assert vote.rule == PARTY
    assert [s.code for s in vote.sectors] == ["A", "B", "C"]
    assert (vote.status, vote.item, vote.title) == (
        VoteStatus.DRAFT,
        "item-23",
        "Thông qua Nghị quyết đại hội",
    )
    data = copy.deepcopy(congress_data)
    data["rules"] = {"ruleset": "roberts_rules"}
    data["congress"]["language"] = "en"
    del data["sectors"]
    agm = parse_congress(data)
    event = votes.create_vote(VoteBook(), agm, agm.agenda.item("item-02"), T0)  # type: ignore[arg-type]
    assert event.options == (Option.YES, Option.NO, Option.ABSTAIN)
    assert event.sectors == (HALL,)
    assert event.motion is MotionKind.AGENDA
    assert event.rule.base is VoteBase.YES_NO


def test_a_vote_on_a_non_vote_item_needs_a_motion(congress: Congress) -> None:
    election = congress.agenda.item("item-20")
    assert election is not None and election.kind is agenda.ItemKind.ELECTION
    with pytest.raises(VoteError) as caught:
        votes.create_vote(VoteBook(), congress, election, T0)
    assert caught.value.key == "motion_required"
    withdrawal = votes.create_vote(
        VoteBook(), congress, election, T0, motion=MotionKind.WITHDRAWAL, title="Rút tên"
    )
    assert (withdrawal.motion, withdrawal.title, withdrawal.vote) == (
        MotionKind.WITHDRAWAL,
        "Rút tên",
        "vote-01",
    )


def test_two_equal_entries_confirm_a_sector(congress: Congress) -> None:
    book, vote_id = opened(congress)
    book = votes.apply(book, entry(vote_id, "A", "Lê Văn Một", counts(100, 2, 1)))
    vote = book.get(vote_id)
    assert vote is not None
    assert vote.status is VoteStatus.COUNTING
    assert vote.sector("A").status is SectorStatus.AWAITING_SECOND  # type: ignore[union-attr]
    assert vote.sectors_with(SectorStatus.MISSING) == ("B", "C")
    assert votes.describe_progress(vote, "en") == (
        "not yet counted: B, C · waiting for the second teller: A"
    )
    book = votes.apply(book, entry(vote_id, "A", "Trần Thị Hai", counts(100, 2, 1)))
    vote = book.get(vote_id)
    assert vote.sector("A").status is SectorStatus.CONFIRMED  # type: ignore[union-attr]
    assert vote.confirmed_tally == Tally(100, 2, 1)
    assert vote.verdict is None  # not counted until every sector is confirmed


def test_a_mismatch_is_disputed_and_must_be_recounted(congress: Congress) -> None:
    book, vote_id = opened(congress)
    book = votes.apply(book, entry(vote_id, "B", "Lê Văn Một", counts(90, 2, 1)))
    book = votes.apply(book, entry(vote_id, "B", "Trần Thị Hai", counts(91, 1, 1)))
    vote = book.get(vote_id)
    assert vote.sector("B").status is SectorStatus.DISPUTED  # type: ignore[union-attr]
    assert "recount: B" in votes.describe_progress(vote, "en")  # type: ignore[arg-type]
    assert refused(book, entry(vote_id, "B", "Phạm Ba", counts(90, 2, 1))) == "sector_disputed"
    book = votes.apply(book, SectorRecounted(vote_id, "B", "", at(4)))
    sector = book.get(vote_id).sector("B")  # type: ignore[union-attr]
    assert sector.status is SectorStatus.MISSING and sector.round == 2
    assert len(sector.cleared) == 1 and len(sector.cleared[0].entries) == 2  # history kept
    for code, c in (("A", (100, 2, 1)), ("B", (90, 2, 1)), ("C", (90, 1, 0))):
        book = both_tellers(book, vote_id, code, counts(*c))
    assert book.get(vote_id).tally == Tally(280, 5, 2)  # type: ignore[union-attr]


def test_counts_validation(congress: Congress) -> None:
    book, vote_id = opened(congress)  # 287 present
    raw = {"tan_thanh": "x", "khong_tan_thanh": "1", "y_kien_khac": "0"}
    cases = [
        (dict(raw), "not_a_number"),
        ({**raw, "tan_thanh": "12.5"}, "not_a_number"),
        ({**raw, "tan_thanh": ""}, "not_a_number"),
        ({**raw, "tan_thanh": "١٢"}, "not_a_number"),  # non-ASCII digits
        ({**raw, "tan_thanh": "-3"}, "negative"),
        ({"tan_thanh": "3", "khong_tan_thanh": "1"}, "missing_option"),
        ({**raw, "tan_thanh": "3", "yes": "1"}, "unknown_option"),
    ]
    for typed, key in cases:
        with pytest.raises(VoteError) as caught:
            votes.enter_count(book, vote_id, "A", "Lê Văn Một", typed, at(2))
        assert caught.value.key == key, typed
    typed = {"tan_thanh": " 95 ", "khong_tan_thanh": 2, "y_kien_khac": "0"}
    event = votes.enter_count(book, vote_id, "A", "Lê Văn Một", typed, at(2))
    assert dict(event.counts) == counts(95, 2, 0)
    # the reducer refuses the same things when handed raw values directly
    assert refused(book, entry(vote_id, "A", "x", counts(-1, 0, 0))) == "negative"
    assert refused(book, entry(vote_id, "A", "x", {**counts(1, 0, 0), "y_kien_khac": 1.5})) == (
        "not_a_number"
    )
    assert refused(book, entry(vote_id, "A", "x", {**counts(1, 0, 0), "y_kien_khac": True})) == (
        "not_a_number"
    )


def test_totals_above_those_present_are_refused(congress: Congress) -> None:
    book, vote_id = opened(congress)  # 287 present
    assert refused(book, entry(vote_id, "A", "t1", counts(288, 0, 0))) == "option_above_present"
    assert refused(book, entry(vote_id, "A", "t1", counts(200, 80, 8))) == "entry_above_present"
    book = both_tellers(book, vote_id, "A", counts(200, 0, 0))
    book = both_tellers(book, vote_id, "B", counts(80, 0, 0))
    assert refused(book, entry(vote_id, "C", "t1", counts(8, 0, 0))) == "sectors_above_present"
    book = votes.apply(book, entry(vote_id, "C", "t1", counts(7, 0, 0)))
    message = ""
    try:
        votes.apply(book, entry(vote_id, "C", "t1", counts(7, 0, 0)))
    except VoteError as exc:
        message = str(exc)
    assert (
        message == "t1 has already entered sector C: the second entry must come from another teller"
    )


def test_option_names_in_messages(congress: Congress) -> None:
    book, vote_id = opened(congress)
    with pytest.raises(VoteError) as caught:
        votes.enter_count(book, vote_id, "A", "t", {**counts(1, 0, 0), "tan_thanh": "abc"}, at(2))
    assert str(caught.value) == "in favour: 'abc' is not a whole number"


def test_entry_refusals(congress: Congress) -> None:
    book, vote_id = created(congress)
    assert refused(book, entry(vote_id, "A", "t1", counts(1, 0, 0))) == "not_open"
    book, vote_id = opened(congress)
    assert refused(book, entry(vote_id, "Z", "t1", counts(1, 0, 0))) == "unknown_sector"
    assert refused(book, entry(vote_id, "A", "  ", counts(1, 0, 0))) == "teller_required"
    assert refused(book, entry("vote-99", "A", "t1", counts(1, 0, 0))) == "unknown_vote"
    book = both_tellers(book, vote_id, "A", counts(1, 0, 0))
    assert refused(book, entry(vote_id, "A", "t3", counts(1, 0, 0))) == "sector_confirmed"
    naive = CountEntered(vote_id, "B", "t1", counts(1, 0, 0), datetime(2025, 6, 20, 8))
    assert refused(book, naive) == "bad_time"


def test_recounting_a_confirmed_sector_needs_a_reason_and_reopens_counting(
    congress: Congress,
) -> None:
    book, vote_id = opened(congress)
    for code in "ABC":
        book = both_tellers(book, vote_id, code, counts(90, 2, 1))
    assert book.get(vote_id).status is VoteStatus.COUNTED  # type: ignore[union-attr]
    assert refused(book, SectorRecounted(vote_id, "A", " ", at(5))) == "reason_required"
    assert refused(book, entry(vote_id, "A", "t9", counts(1, 0, 0))) == "already_counted"
    book = votes.apply(book, SectorRecounted(vote_id, "A", "Trưởng khu báo đếm sót", at(5)))
    vote = book.get(vote_id)
    assert vote.status is VoteStatus.COUNTING and vote.verdict is None  # type: ignore[union-attr]
    assert vote.sector("A").cleared[0].reason == "Trưởng khu báo đếm sót"  # type: ignore[union-attr]
    assert refused(book, SectorRecounted(vote_id, "A", "", at(6))) == "nothing_to_recount"
    assert refused(book, SectorRecounted(vote_id, "Q", "x", at(6))) == "unknown_sector"


def test_a_single_entry_may_be_cleared_without_a_reason(congress: Congress) -> None:
    book, vote_id = opened(congress)
    book = votes.apply(book, entry(vote_id, "A", "t1", counts(9, 0, 0)))
    book = votes.apply(book, SectorRecounted(vote_id, "A", "", at(3)))
    assert book.get(vote_id).sector("A").status is SectorStatus.MISSING  # type: ignore[union-attr]


def test_all_present_in_favour_needs_two_tellers(congress: Congress) -> None:
    book, vote_id = opened(congress)
    book = votes.apply(book, UnanimousConfirmed(vote_id, "Lê Văn Một", at(2)))
    vote = book.get(vote_id)
    assert vote.status is VoteStatus.COUNTING and vote.verdict is None  # type: ignore[union-attr]
    assert refused(book, UnanimousConfirmed(vote_id, "Lê Văn Một", at(2))) == "same_teller"
    assert refused(book, entry(vote_id, "A", "t1", counts(1, 0, 0))) == "unanimous_pending"
    assert refused(book, SectorRecounted(vote_id, "A", "x", at(2))) == "unanimous_pending"
    book = votes.apply(book, UnanimousConfirmed(vote_id, "Trần Thị Hai", at(3)))
    vote = book.get(vote_id)
    assert vote.status is VoteStatus.COUNTED  # type: ignore[union-attr]
    assert vote.tally == Tally(287, 0, 0)  # type: ignore[union-attr]
    assert vote.method is Method.UNANIMOUS  # type: ignore[union-attr]
    assert vote.verdict.passed and vote.verdict.not_voting == 0  # type: ignore[union-attr]
    assert refused(book, UnanimousConfirmed(vote_id, "Phạm Ba", at(3))) == "already_counted"
    # withdrawing a counted unanimous result needs a reason, and keeps it in the history
    assert refused(book, UnanimousWithdrawn(vote_id, "", at(4))) == "reason_required"
    book = votes.apply(book, UnanimousWithdrawn(vote_id, "Khu C có người giơ thẻ khác", at(4)))
    vote = book.get(vote_id)
    assert vote.unanimous == () and len(vote.unanimous_cleared) == 1  # type: ignore[union-attr]
    assert vote.status is VoteStatus.COUNTING  # type: ignore[union-attr]
    assert refused(book, UnanimousWithdrawn(vote_id, "x", at(4))) == "no_unanimous"


def test_all_in_favour_is_only_for_a_vote_not_yet_counted(congress: Congress) -> None:
    book, vote_id = opened(congress)
    book = votes.apply(book, entry(vote_id, "A", "t1", counts(1, 0, 0)))
    assert refused(book, UnanimousConfirmed(vote_id, "t2", at(3))) == "entries_exist"


def test_nobody_present_cannot_be_unanimous(congress: Congress) -> None:
    book, vote_id = created(congress)
    q = quorum_of(Snapshot(0, 300, 290))
    book = votes.apply(book, votes.open_vote(book, vote_id, q, at(1), reason="thử"))
    assert refused(book, UnanimousConfirmed(vote_id, "t1", at(2))) == "nobody_present"


def test_opening_refusals(congress: Congress) -> None:
    book, vote_id = opened(congress)
    assert refused(book, votes.open_vote(book, vote_id, quorum_of(SECTION_11), at(2))) == (
        "not_draft"
    )
    second = votes.create_vote(book, congress, congress.agenda.item("item-04"), at(2))  # type: ignore[arg-type]
    assert second.vote == "vote-02"
    book = votes.apply(book, second)
    assert book.active is not None and book.active.id == vote_id
    assert refused(book, votes.open_vote(book, "vote-02", quorum_of(SECTION_11), at(3))) == (
        "another_vote_open"
    )
    assert refused(book, second) == "duplicate_vote"
    bad = VoteOpened("vote-02", Snapshot(301, 300, 290), (), "", at(3))
    book = votes.apply(book, VoteCancelled(vote_id, "Mở nhầm", at(3)))
    assert refused(book, bad) == "bad_snapshot"


def test_publish_and_correct(congress: Congress) -> None:
    book, vote_id = opened(congress)
    assert refused(book, VotePublished(vote_id, at(5))) == "not_counted"
    for code, c in (("A", (100, 2, 1)), ("B", (90, 2, 1)), ("C", (90, 1, 0))):
        book = both_tellers(book, vote_id, code, counts(*c))
    fix = VoteCorrected(vote_id, counts(140, 5, 142), "Nhập nhầm", at(6))
    assert refused(book, fix) == "not_published"
    book = votes.apply(book, VotePublished(vote_id, at(5)))
    vote = book.get(vote_id)
    assert vote.status is VoteStatus.PUBLISHED and vote.published_at == at(5)  # type: ignore[union-attr]
    assert refused(book, VotePublished(vote_id, at(5))) == "already_published"
    assert refused(book, entry(vote_id, "A", "t9", counts(1, 0, 0))) == "published"
    assert refused(book, SectorRecounted(vote_id, "A", "x", at(6))) == "published"
    assert refused(book, VoteCancelled(vote_id, "x", at(6))) == "published"
    assert refused(book, VoteCorrected(vote_id, counts(140, 5, 142), "", at(6))) == (
        "reason_required"
    )
    same = VoteCorrected(vote_id, counts(280, 5, 2), "x", at(6))
    assert refused(book, same) == "correction_unchanged"
    too_many = VoteCorrected(vote_id, counts(280, 5, 3), "x", at(6))
    assert refused(book, too_many) == "entry_above_present"
    book = votes.apply(book, fix)
    vote = book.get(vote_id)
    assert vote is not None and vote.status is VoteStatus.PUBLISHED
    assert vote.tally == Tally(140, 5, 142) and vote.counted_tally == Tally(280, 5, 2)
    assert vote.verdict is not None and not vote.verdict.passed  # re-derived
    assert vote.method is Method.CORRECTED
    first, second = vote.history  # the minutes show both
    assert first.passed and not second.passed
    assert vote.corrections[0].reason == "Nhập nhầm"
    assert vote.corrections[0].before == Tally(280, 5, 2)


def test_cancel(congress: Congress) -> None:
    book, vote_id = opened(congress)
    assert refused(book, VoteCancelled(vote_id, "", at(2))) == "reason_required"
    book = votes.apply(book, VoteCancelled(vote_id, "Mở nhầm mục", at(2)))
    vote = book.get(vote_id)
    assert vote.status is VoteStatus.CANCELLED and vote.verdict is None  # type: ignore[union-attr]
    assert refused(book, VoteCancelled(vote_id, "x", at(2))) == "cancelled"
    assert refused(book, entry(vote_id, "A", "t1", counts(1, 0, 0))) == "cancelled"
    assert book.active is None  # another vote may open now


# ---------------------------------------------------------------- order never matters


@st.composite
def sector_counts(draw: st.DrawFn) -> tuple[int, list[tuple[str, Tally]]]:
    n = draw(st.integers(1, 6))
    sectors = [(f"S{i}", Tally(*draw(st.tuples(*[st.integers(0, 60)] * 3)))) for i in range(n)]
    total = sum(t.cast for _, t in sectors)
    present = total + draw(st.integers(0, 30))
    return present, sectors


@settings(max_examples=60, deadline=None)
@given(sector_counts(), st.randoms(use_true_random=False), st.sampled_from(list(VoteBase)))
def test_the_verdict_never_depends_on_the_order_of_entries(
    setup: tuple[int, list[tuple[str, Tally]]], rnd: Any, base_kind: VoteBase
) -> None:
    present, sectors = setup
    rule = VoteRule(Ratio(1, 2), base_kind)
    create = VoteCreated(
        "vote-01",
        "item-01",
        MotionKind.OTHER,
        "x",
        votes.PARTY_OPTIONS,
        rule,
        "vn_party_2014",
        tuple(code for code, _ in sectors),
        T0,
    )
    snap = Snapshot(present, present + 5, present + 3)
    opening = VoteOpened("vote-01", snap, (), "ok", T0)
    entries = [
        CountEntered("vote-01", code, teller, counts(*t.as_tuple()), T0)
        for code, t in sectors
        for teller in ("t1", "t2")
    ]
    expected = decide(sum((t for _, t in sectors), Tally()), rule, snap)
    for _ in range(3):
        rnd.shuffle(entries)
        # the two tellers of a sector may come in either order, so they are named by position
        book = votes.replay([create, opening, *entries])
        vote = book.get("vote-01")
        assert vote is not None and vote.status is VoteStatus.COUNTED
        assert vote.verdict == expected


@settings(max_examples=40, deadline=None)
@given(sector_counts(), st.randoms(use_true_random=False))
def test_a_disputed_and_recounted_sector_ends_with_the_same_verdict(
    setup: tuple[int, list[tuple[str, Tally]]], rnd: Any
) -> None:
    present, sectors = setup
    codes = tuple(code for code, _ in sectors)
    base = [
        VoteCreated(
            "v", "i", MotionKind.OTHER, "x", votes.PARTY_OPTIONS, PARTY, "vn_party_2014", codes, T0
        ),
        VoteOpened("v", Snapshot(present + 1, present + 1, present + 1), (), "", T0),
    ]
    clean = [CountEntered("v", c, w, counts(*t.as_tuple()), T0) for c, t in sectors for w in "12"]
    wrong_code, wrong = sectors[rnd.randrange(len(sectors))]
    bumped = counts(wrong.yes + (1 if wrong.yes == 0 else -1), wrong.no, wrong.abstain)
    messy = [
        CountEntered("v", wrong_code, "1", counts(*wrong.as_tuple()), T0),
        CountEntered("v", wrong_code, "2", bumped, T0),
        SectorRecounted("v", wrong_code, "", T0),
    ]
    others = list(clean)
    rnd.shuffle(others)
    one = votes.replay([*base, *clean]).get("v")
    two = votes.replay([*base, *messy, *others]).get("v")
    assert one is not None and two is not None
    assert one.verdict == two.verdict
    assert two.sector(wrong_code).round == 2  # type: ignore[union-attr]


# ---------------------------------------------------------------- events for the store


def full_flow(congress: Congress) -> list[Any]:
    book = VoteBook()
    events: list[Any] = []

    def do(event: Any) -> None:
        nonlocal book
        book = votes.apply(book, event)
        events.append(event)

    do(votes.create_vote(book, congress, congress.agenda.item("item-23"), T0))  # type: ignore[arg-type]
    do(votes.open_vote(book, "vote-01", quorum_of(Snapshot(145, 300, 290)), at(1), "Lý do"))
    do(entry("vote-01", "A", "Lê Văn Một", counts(50, 2, 1)))
    do(entry("vote-01", "A", "Trần Thị Hai", counts(51, 2, 0)))
    do(SectorRecounted("vote-01", "A", "", at(3)))
    for code, c in (("A", (50, 2, 1)), ("B", (40, 1, 1)), ("C", (45, 0, 0))):
        do(entry("vote-01", code, "Lê Văn Một", counts(*c), 4))
        do(entry("vote-01", code, "Trần Thị Hai", counts(*c), 5))
    do(VotePublished("vote-01", at(6)))
    do(VoteCorrected("vote-01", counts(49, 3, 1 + 1), "Khu A đếm lại", at(7)))
    do(votes.create_vote(book, congress, congress.agenda.item("item-04"), at(8)))
    do(votes.open_vote(book, "vote-02", quorum_of(SECTION_11), at(8)))
    do(UnanimousConfirmed("vote-02", "Lê Văn Một", at(9)))
    do(UnanimousWithdrawn("vote-02", "", at(9)))
    do(UnanimousConfirmed("vote-02", "Lê Văn Một", at(9)))
    do(UnanimousConfirmed("vote-02", "Trần Thị Hai", at(9)))
    do(VoteCancelled("vote-02", "Biểu quyết lại", at(10)))
    return events


def test_every_event_survives_the_store(congress: Congress) -> None:
    """The store keeps (kind, JSON payload) and replays: the same book comes back."""
    events = full_flow(congress)
    assert {e.KIND for e in events} == votes.EVENT_KINDS
    stored = [(e.KIND, json.loads(json.dumps(e.payload(), ensure_ascii=False))) for e in events]
    decoded = [votes.decode(kind, payload) for kind, payload in stored]
    assert decoded == events
    assert votes.replay(decoded) == votes.replay(events)
    vote = votes.replay(decoded).get("vote-01")
    assert vote is not None and vote.warnings == (OpenWarning.NO_OUTCOME_CAN_PASS,)
    assert [v.passed for v in vote.history] == [False, False]


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("vote_published", {"vote": "v"}),  # no time
        ("vote_published", {"vote": "v", "at": "2025-06-20T08:00:00"}),  # no time zone
        ("vote_published", {"vote": "v", "at": "yesterday"}),
        ("vote_created", {"vote": "v", "at": "2025-06-20T08:00:00+07:00"}),
        ("vote_exploded", {"vote": "v", "at": "2025-06-20T08:00:00+07:00"}),
        ("vote_opened", {"vote": "v", "at": "2025-06-20T08:00:00+07:00", "warnings": ["x"]}),
    ],
)
def test_unreadable_events(kind: str, payload: dict[str, object]) -> None:
    with pytest.raises(VoteError) as caught:
        votes.decode(kind, payload)
    assert caught.value.key in {"bad_event", "bad_time"}


def test_a_payload_always_holds_whole_numbers() -> None:
    typed = CountEntered("v", "A", "t1", {"tan_thanh": " 95 ", "khong_tan_thanh": 2}, T0)
    assert typed.payload()["counts"] == {"tan_thanh": 95, "khong_tan_thanh": 2}


def test_next_vote_id() -> None:
    assert VoteBook().next_id() == "vote-01"


# ---------------------------------------------------------------- catalog and arithmetic hygiene


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("vote.motion.", [m.value for m in MotionKind]),
        ("vote.option.", [o.value for o in Option]),
        ("vote.status.", [s.value for s in VoteStatus]),
        ("vote.sector.", [s.value for s in SectorStatus]),
        ("vote.sector_state.", [s.value for s in SectorStatus]),
        ("vote.warning.", [w.value for w in OpenWarning]),
        ("vote.method.", [m.value for m in Method]),
        ("vote.base.", [b.value for b in VoteBase]),
        ("vote.source.", [s.value for s in RuleSource]),
    ],
)
def test_enum_keys_exist(prefix: str, values: list[str]) -> None:
    for lang in LANGUAGES:
        assert [prefix + v for v in values if prefix + v not in catalog(lang)] == [], lang


def package_source(module: ModuleType) -> str:
    """The source of a module, or of every module of a package (its rules are spread over them)."""
    if not hasattr(module, "__path__"):
        return inspect.getsource(module)
    files = sorted(Path(module.__path__[0]).glob("*.py"))
    assert len(files) > 1, files
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


@pytest.mark.parametrize(
    ("module", "error", "prefix"),
    [(votes, "VoteError", "vote.error."), (agenda, "AgendaError", "agenda.error.")],
)
def test_error_keys_exist(module: ModuleType, error: str, prefix: str) -> None:
    source = package_source(module)
    used = set(re.findall(error + r'\(\s*"(\w+)"', source))
    used |= set(re.findall(r'Status\.\w+: "(\w+)"', source))  # keys chosen by status
    if module is votes:
        assert {"not_open", "already_published"} <= used
        used |= {"published", "cancelled", "not_counted"}  # a status value, a .get default
    assert len(used) > 10
    for lang in LANGUAGES:
        assert sorted(k for k in used if prefix + k not in catalog(lang)) == [], lang


def test_agenda_catalog_has_only_agenda_and_vote_tables() -> None:
    import tomllib

    for lang in LANGUAGES:
        path = ROOT / "session" / "locales" / lang / "agenda.toml"
        assert set(tomllib.loads(path.read_text(encoding="utf-8"))) == {"agenda", "vote"}


@pytest.mark.parametrize("module", [tally, votes, agenda], ids=lambda m: m.__name__)
def test_no_float_arithmetic(module: ModuleType) -> None:
    tree = ast.parse(package_source(module))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), node.lineno
        assert not isinstance(node, ast.Div), f"true division at line {node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            assert name not in {"float", "round", "total_seconds"}, node.lineno
