"""The election list: surplus arithmetic (domain rules 4.3, 4.4, 12.9), outside nominees
(12.10), withdrawals (12.11), the opinion ballot that cuts a list (HD 03-HD/TW's example)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session import surplus
from session.ballots import ElectionError, InvalidReason
from session.elections import (
    CandidateAdded,
    CandidateStatus,
    ElectionKind,
    ListApproved,
    ListCut,
    Source,
    Step,
    WithdrawalDecided,
    WithdrawalRequested,
    outcome,
)
from session.results import Outcome
from session.surplus import (
    BandAdvice,
    SurplusStatus,
    check_surplus,
    max_candidates,
    max_surplus,
    opinion_keep,
    outside_nominee_admitted,
    outside_nominee_needs,
    prepared_band,
)
from tests.harness.elections_kit import Run, committee, people, person

# ---------------------------------------------------------------- 12.9: the cap


@pytest.mark.parametrize(
    ("seats", "cap", "longest"),
    [
        (35, 10, 45),
        (45, 13, 58),
        (5, 1, 6),
        (4, 1, 5),
        (3, 1, 4),
        (6, 1, 7),
        (7, 2, 9),
        (10, 3, 13),
    ],
)
def test_thirty_percent_rounded_down_and_one_for_small_bodies(
    seats: int, cap: int, longest: int
) -> None:
    assert max_surplus(seats) == cap
    assert max_candidates(seats) == longest
    assert check_surplus(seats, longest).ok
    over = check_surplus(seats, longest + 1)
    assert over.status is SurplusStatus.OVER_CAP and over.opinion_ballot and over.excess == 1


@given(st.integers(6, 5000))
def test_the_cap_is_the_floor_of_thirty_percent(seats: int) -> None:
    cap = max_surplus(seats)
    assert cap * 10 <= seats * 3 < (cap + 1) * 10


def test_the_prepared_band_is_advice_only() -> None:
    assert prepared_band(45) == (5, 6)  # 4.5–6.75 rounded inwards
    assert prepared_band(35) == (4, 5)
    check = check_surplus(45, 54)  # domain rules 11: 9 more (20 %) is fine, above the band
    assert check.ok and check.advice is BandAdvice.ABOVE and check.percent == 2000
    assert check_surplus(45, 50).advice is BandAdvice.WITHIN
    assert check_surplus(45, 49).advice is BandAdvice.BELOW
    assert check_surplus(5, 6).advice is BandAdvice.NO_BAND  # 0.5–0.75 of a person


def test_surplus_required_only_where_the_kind_requires_it() -> None:
    assert check_surplus(35, 35, required=True).status is SurplusStatus.SURPLUS_REQUIRED
    assert check_surplus(1, 1).ok  # a secretary without surplus
    assert check_surplus(12, 12).ok  # a delegation without surplus
    assert check_surplus(12, 11).status is SurplusStatus.FEWER_THAN_SEATS
    assert check_surplus(3, 0).status is SurplusStatus.EMPTY
    unlimited = check_surplus(3, 30, limited=False)
    assert unlimited.ok and unlimited.status is SurplusStatus.NO_LIMIT


def test_the_reducer_refuses_a_committee_list_without_surplus() -> None:
    run = Run().create().seats(5)
    run.add(people(5))
    with pytest.raises(ElectionError) as err:
        run.approve()
    assert err.value.key == "surplus_surplus_required"
    run.add(people(2, start=6))
    with pytest.raises(ElectionError) as err:
        run.approve()  # 7 names for 5 seats: at most 6
    assert err.value.key == "surplus_over_cap"
    assert "6" in str(err.value)


def test_a_secretary_and_a_delegation_may_have_no_surplus() -> None:
    run = committee(3, people(4))
    run.by_sheet({"p001": 200, "p002": 190, "p003": 180}, 282, {}, returned=282)
    run.create("bt", ElectionKind.SECRETARY, pool="bch").seats(1, "bt")
    run.add([person(1)], "bt").approve("bt")
    assert run.e("bt").current.format.value == "yes_no_columns"
    run.create("dd", ElectionKind.DELEGATES_HIGHER).seats(4, "dd")
    run.add(people(4, "d"), "dd").approve("dd")


def test_other_rule_sets_have_no_surplus_rules() -> None:
    run = Run().create(ruleset="roberts_rules").seats(2)
    run.add(people(9)).approve()
    assert run.e("bch").surplus().status is SurplusStatus.NO_LIMIT  # type: ignore[union-attr]


# ---------------------------------------------------------------- 03-HD/TW: 40 → 51 → 48 → opinion


def test_the_guides_example_arithmetic() -> None:
    prepared = check_surplus(35, 40)
    # The guide prints 14.28 % (truncated); every percentage here rounds half up: 14.29 %.
    assert prepared.ok and prepared.surplus == 5 and prepared.percent == 1429
    assert prepared.advice is BandAdvice.WITHIN
    nominated = check_surplus(35, 51)
    assert nominated.percent == 4571 and nominated.opinion_ballot and nominated.excess == 6
    after_withdrawals = check_surplus(35, 48)
    assert after_withdrawals.percent == 3714
    assert after_withdrawals.status is SurplusStatus.OVER_CAP and after_withdrawals.excess == 3
    assert opinion_keep(35, on_poll=8, off_poll=40) == 5
    text = surplus.explain(after_withdrawals, "en")
    assert "surplus 13 (37.14 %)" in text and "at most 45 names" in text
    assert "3 names too many" in text
    assert "37,14 %" in surplus.explain(after_withdrawals, "vi")


def test_the_guides_example_through_the_reducer() -> None:
    run = Run().create().seats(35)
    run.add(people(40))  # the convening committee's list
    nominees = people(11, "n")
    for p in nominees:  # 11 added at the congress, each with > 30 % of 287 present
        run.nominate(p, support=100)
    for p in nominees[:7]:
        run.do(WithdrawalRequested("bch", p.id, "lý do sức khỏe", run.now()))
    for i, p in enumerate(nominees[:7]):
        run.do(WithdrawalDecided("bch", p.id, i < 3, f"vote-w{i}", run.now()))
    e = run.e("bch")
    assert len(e.on_list()) == 48
    check = e.surplus()
    assert check is not None and check.opinion_ballot and check.excess == 3
    with pytest.raises(ElectionError) as err:
        run.approve()
    assert err.value.key == "surplus_over_cap"

    # the opinion ballot on the 8 congress nominees keeps 5 (45 − 40 off the ballot)
    run.create("poll", ElectionKind.OPINION_POLL, parent="bch")
    on_poll = [p for p in nominees[3:]]
    run.add(on_poll, "poll").approve("poll")
    poll = run.e("poll")
    assert poll.current.seats == 5 and len(poll.current.ballot) == 8
    votes = {p.id: 200 - 10 * i for i, p in enumerate(on_poll)}
    run.by_sheet(votes, 280, {InvalidReason.TOO_MANY_KEPT: 2}, election="poll", returned=282)
    res = run.e("poll").result(1)
    assert res is not None and res.needed is None
    assert [res.row(p.id).outcome for p in on_poll] == [Outcome.KEPT] * 5 + [Outcome.CUT] * 3
    assert outcome(run.e("poll")).step is Step.COMPLETE

    run.do(ListCut("bch", "poll", run.now()))
    e = run.e("bch")
    assert len(e.on_list()) == 45
    assert [e.candidate(p.id).status for p in on_poll[5:]] == [CandidateStatus.CUT] * 3  # type: ignore[union-attr]
    run.approve()
    assert len(run.e("bch").current.ballot) == 45
    with pytest.raises(ElectionError) as err:
        run.do(ListCut("bch", "poll", run.now()))
    assert err.value.key == "list_approved"


def test_an_opinion_ballot_is_refused_when_the_list_is_within_the_cap() -> None:
    run = Run().create().seats(35)
    run.add(people(44))
    run.create("poll", ElectionKind.OPINION_POLL, parent="bch")
    run.add(people(4, start=41), "poll")
    with pytest.raises(ElectionError) as err:
        run.approve("poll")
    assert err.value.key == "poll_not_needed"


def test_a_tie_at_the_opinion_ballots_cut_is_not_silent() -> None:
    run = Run().create().seats(5)
    run.add(people(5))
    run.nominate(person(50, "n"), 100)
    run.nominate(person(51, "n"), 100)
    run.create("poll", ElectionKind.OPINION_POLL, parent="bch")
    run.add([person(50, "n"), person(51, "n")], "poll").approve("poll")
    assert run.e("poll").current.seats == 1
    run.by_sheet({"n050": 100, "n051": 100}, 200, {}, election="poll", returned=200)
    assert outcome(run.e("poll")).step is Step.TIE
    with pytest.raises(ElectionError) as err:
        run.do(ListCut("bch", "poll", run.now()))
    assert err.value.key == "poll_not_settled"


# ---------------------------------------------------------------- 12.10: outside nominees


@pytest.mark.parametrize(
    ("support", "present", "admitted"),
    [
        (87, 290, False),
        (88, 290, True),
        (3, 10, False),
        (4, 10, True),
        (86, 287, False),
        (87, 287, True),
    ],
)
def test_outside_nominees_need_more_than_thirty_percent(
    support: int, present: int, admitted: bool
) -> None:
    assert outside_nominee_admitted(support, present) is admitted
    assert (support >= outside_nominee_needs(present)) is admitted


@given(st.integers(1, 3000), st.data())
def test_outside_nominee_threshold_property(present: int, data: st.DataObject) -> None:
    support = data.draw(st.integers(0, present))
    assert outside_nominee_admitted(support, present) is (support * 10 > present * 3)


def test_exactly_thirty_percent_is_recorded_as_not_admitted() -> None:
    run = Run().create().seats(5).add(people(5))
    run.nominate(person(60, "n"), support=87, present=290)
    run.nominate(person(61, "n"), support=88, present=290, source=Source.SELF, nominator="")
    e = run.e("bch")
    assert e.candidate("n060").status is CandidateStatus.NOT_ADMITTED  # type: ignore[union-attr]
    assert e.candidate("n061").status is CandidateStatus.ON_LIST  # type: ignore[union-attr]
    assert e.candidate("n060").support == 87  # type: ignore[union-attr]  # the minutes show it
    assert len(e.on_list()) == 6


def test_convening_committee_members_may_not_go_off_the_list() -> None:
    run = Run().create().seats(5).add(people(5))
    with pytest.raises(ElectionError) as err:
        run.nominate(person(60, "n"), 200, nominator_on_committee=True)
    assert err.value.key == "committee_member_off_list"
    member = person(61, "n", committee_member=True)
    with pytest.raises(ElectionError) as err:
        run.nominate(member, 200, source=Source.SELF)
    assert err.value.key == "committee_member_self_nomination"
    run.add([person(62, "n", committee_member=True)])  # on the committee's own list: fine


def test_a_nomination_needs_its_support_and_a_nominator() -> None:
    run = Run().create().seats(5)
    with pytest.raises(ElectionError) as err:
        run.do(
            CandidateAdded("bch", person(1), Source.NOMINATED, "X", False, None, None, run.now())
        )
    assert err.value.key == "support_required"
    with pytest.raises(ElectionError) as err:
        run.nominate(person(1), 300, present=287)
    assert err.value.key == "bad_support"
    with pytest.raises(ElectionError) as err:
        run.nominate(person(1), 100, nominator="")
    assert err.value.key == "nominator_required"


# ---------------------------------------------------------------- 12.11: withdrawals


def test_withdrawals_allowed_and_refused_by_the_congress() -> None:
    run = Run().create().seats(5).add(people(7))
    run.do(WithdrawalRequested("bch", "p001", "hoàn cảnh gia đình", run.now()))
    run.do(WithdrawalRequested("bch", "p002", "sức khỏe", run.now()))
    with pytest.raises(ElectionError) as err:
        run.approve()
    assert err.value.key == "withdrawals_pending"
    run.do(WithdrawalDecided("bch", "p001", True, "vote-05", run.now()))
    run.do(WithdrawalDecided("bch", "p002", False, "vote-06", run.now()))
    e = run.e("bch")
    assert e.candidate("p001").status is CandidateStatus.WITHDRAWN  # type: ignore[union-attr]
    assert e.candidate("p002").status is CandidateStatus.ON_LIST  # type: ignore[union-attr]
    assert [(w.person, w.allowed, w.vote) for w in e.withdrawals] == [
        ("p001", True, "vote-05"),
        ("p002", False, "vote-06"),
    ]
    run.approve()
    assert "p001" not in run.e("bch").current.ballot and "p002" in run.e("bch").current.ballot


def test_the_list_is_approved_by_a_vote() -> None:
    run = Run().create().seats(5).add(people(6))
    with pytest.raises(ElectionError) as err:
        run.do(ListApproved("bch", 1, "", run.now()))
    assert err.value.key == "vote_required"
    run.do(ListApproved("bch", 1, "vote-07", run.now()))
    assert run.e("bch").current.list_vote == "vote-07"


def test_withdrawal_after_the_list_vote_is_refused() -> None:
    run = committee(5, people(6))
    with pytest.raises(ElectionError) as err:
        run.do(WithdrawalRequested("bch", "p003", "xin rút", run.now()))
    assert err.value.key == "withdrawal_after_list_vote"


def test_a_withdrawal_decision_needs_a_request_and_the_vote() -> None:
    run = Run().create().seats(5).add(people(7))
    with pytest.raises(ElectionError) as err:
        run.do(WithdrawalDecided("bch", "p001", True, "vote-05", run.now()))
    assert err.value.key == "no_withdrawal_request"
    run.do(WithdrawalRequested("bch", "p001", "", run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(WithdrawalRequested("bch", "p001", "", run.now()))
    assert err.value.key == "withdrawal_pending"
    with pytest.raises(ElectionError) as err:
        run.do(WithdrawalDecided("bch", "p001", True, "", run.now()))
    assert err.value.key == "vote_required"
