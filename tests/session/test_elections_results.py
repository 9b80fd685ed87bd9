"""Results: the worked example of domain rules 11 (base 290, threshold 146, ranks 43–48,
variants A and B), rank cuts and ties (12.5), further rounds (12.6), percentages (12.16), bases
of other rule sets (12.3, 12.17), the nomination ballot (6.1, 12.12)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session.ballots import BallotInput, ElectionError, InvalidReason
from session.count import Totals
from session.elections import (
    ElectionKind,
    ElectionStopped,
    RoundAdded,
    RoundReason,
    Step,
    TieResolved,
    outcome,
)
from session.i18n import decimal_sep
from session.majority import Ratio, format_percent
from session.results import (
    Contender,
    Outcome,
    Purpose,
    TiePolicy,
    decide_round,
    explain_threshold,
    fill,
    order_by_votes,
)
from session.tally import Snapshot, VoteBase, VoteRule
from tests.harness.elections_kit import SECTION_11, Run, committee, people, person

PARTY = VoteRule(Ratio(1, 2), VoteBase.SUMMONED_ADJUSTED)
INVALID_3 = {InvalidReason.TOO_MANY_KEPT: 3}


def section_11_votes(ids: list[str], **changes: int) -> dict[str, int]:
    """Ranks 1–48 of domain rules 11 (rank 1: 281, rank 43: 151, 44–45: 150 each, 46: 146,
    47: 145, 48: 144), the rest of the 54 names lower. `r45=146` changes rank 45's votes."""
    votes = {ids[i]: 281 - 3 * i for i in range(42)}  # 281 … 158
    ranks = {43: 151, 44: 150, 45: 150, 46: 146, 47: 145, 48: 144}
    ranks.update({int(k[1:]): v for k, v in changes.items()})
    for rank, v in ranks.items():
        votes[ids[rank - 1]] = v
    for i in range(48, len(ids)):
        votes[ids[i]] = 90 - i
    return votes


def run_section_11(tie_policy: TiePolicy = TiePolicy.REVOTE_TIED, **changes: int) -> Run:
    candidates = people(54)
    run = committee(45, candidates, tie_policy=tie_policy)
    votes = section_11_votes([p.id for p in candidates], **changes)
    return run.by_sheet(votes, 282, INVALID_3, issued=287, returned=285)


# ---------------------------------------------------------------- §11 and 12.2, 12.3


def test_threshold_of_the_worked_example() -> None:
    run = run_section_11()
    res = run.e("bch").result(1)
    assert res is not None
    assert (res.base, res.needed) == (290, 146)
    assert explain_threshold(res, "en") == (
        "> 1/2 of 290 (the adjusted number of summoned delegates): at least 146 votes"
    )
    check = run.e("bch").current.reconciliation()
    assert check is not None and check.ok
    assert (check.issued, check.returned, check.totals.valid, check.totals.invalid_total) == (
        287,
        285,
        282,
        3,
    )


def test_the_valid_ballot_basis_would_wrongly_cut_at_142() -> None:
    """Domain rules 11: 'if someone wrongly used the valid-ballot basis, the cut-off would be
    ≥ 142. Test this.' (and 12.3: 144 passes on valid ballots, fails on the base)."""
    ids = [f"c{i}" for i in range(1, 4)]
    contenders = [Contender(x, i) for i, x in enumerate(ids, 1)]
    totals = Totals.of([144, 142, 141], 282, INVALID_3)
    valid_rule = VoteRule(Ratio(1, 2), VoteBase.VALID)
    on_valid = decide_round(contenders, totals, 3, valid_rule, SECTION_11)
    on_base = decide_round(contenders, totals, 3, PARTY, SECTION_11)
    assert on_valid.needed == 142 and on_valid.elected == ("c1", "c2")
    assert on_base.needed == 146 and on_base.elected == () and on_base.unfilled == 3


@pytest.mark.parametrize(
    ("rank", "votes", "of_base", "of_valid", "outcome"),
    [
        (1, 281, "96.90", "99.65", Outcome.ELECTED),
        (43, 151, "52.07", "53.55", Outcome.ELECTED),
        (44, 150, "51.72", "53.19", Outcome.ELECTED),
        (45, 150, "51.72", "53.19", Outcome.ELECTED),  # tie inside the seats: both elected
        (46, 146, "50.34", "51.77", Outcome.BEYOND_SEATS),  # passes, ranked 46th of 45
        (47, 145, "50.00", "51.42", Outcome.BELOW_THRESHOLD),  # exactly half: not elected
        (48, 144, "49.66", "51.06", Outcome.BELOW_THRESHOLD),  # would pass on valid ballots
    ],
)
def test_ranks_43_to_48(
    rank: int, votes: int, of_base: str, of_valid: str, outcome: Outcome
) -> None:
    run = run_section_11()
    res = run.e("bch").result(1)
    assert res is not None
    row = res.row(f"p{rank:03d}")
    assert row.votes == votes
    assert format_percent(row.percent_of_base) == of_base
    assert format_percent(row.percent_of_valid) == of_valid
    assert row.outcome is outcome
    assert format_percent(row.percent_of_base, decimal_sep("vi")) == of_base.replace(".", ",")


def test_the_worked_example_fills_the_seats_by_rank() -> None:
    run = run_section_11()
    res = run.e("bch").result(1)
    assert res is not None and res.complete and res.tie is None and res.unfilled == 0
    assert len(res.elected) == 45 and res.elected[0] == "p001"
    assert set(res.elected) == {f"p{i:03d}" for i in range(1, 46)}
    assert [r.rank for r in res.ranking[42:48]] == [43, 44, 44, 46, 47, 48]
    assert outcome(run.e("bch")).step is Step.COMPLETE


def test_fifty_percent_is_never_shown_as_more_than_half() -> None:
    """12.16: 145 of 290 is 50.00 % and fails; a pass at 50.003 % shows 50.01."""
    res = decide_round(
        [Contender("a", 1), Contender("b", 2)],
        Totals.of([145, 15001], 20000, {}),
        2,
        PARTY,
        Snapshot(29999, 30000, 29999),
    )
    assert res.row("b").passed and res.row("b").percent_of_base == 5001
    assert not res.row("a").passed


# ---------------------------------------------------------------- variant A: tie at the cut-off


def test_variant_a_tie_straddling_the_cut_off_waits_for_a_further_ballot() -> None:
    run = run_section_11(r46=150)  # #45 and #46 both 150, one seat left
    e = run.e("bch")
    res = e.result(1)
    assert res is not None
    assert len(res.elected) == 43 and res.tie is not None
    assert res.tie.persons == ("p044", "p045", "p046") and res.tie.seats == 2
    assert [res.row(p).outcome for p in res.tie.persons] == [Outcome.TIED] * 3
    assert res.unfilled == 0 and not res.complete
    state = outcome(e)
    assert state.step is Step.TIE and state.tie_round == 1 and len(state.elected) == 43
    with pytest.raises(ElectionError) as err:
        run.do(TieResolved("bch", 1, ("p044", "p045"), "x", "", run.now()))
    assert err.value.key == "tie_needs_revote"  # never resolved silently, nor by hand here
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("bch", RoundReason.UNFILLED, (), "vote-9", run.now()))
    assert err.value.key == "tie_pending"

    run.do(RoundAdded("bch", RoundReason.TIE_BREAK, (), "", run.now()))
    r2 = run.e("bch").current
    assert (r2.number, r2.seats, r2.persons) == (2, 2, ("p044", "p045", "p046"))
    run.approve()
    assert run.e("bch").current.format.value == "strike_out"
    run.by_sheet({"p044": 200, "p045": 150, "p046": 140}, 280, {}, returned=280)
    final = outcome(run.e("bch"))
    assert final.step is Step.COMPLETE
    assert final.elected[-2:] == ("p044", "p045") and len(final.elected) == 45


def test_variant_a_older_wins() -> None:
    run = run_section_11(TiePolicy.OLDER_WINS, r46=150)
    res = run.e("bch").result(1)
    assert res is not None and res.tie is None and len(res.elected) == 45
    born = {p: run.e("bch").candidate(p).person.date_of_birth for p in ("p044", "p045", "p046")}  # type: ignore[union-attr]
    youngest = max(born, key=lambda p: born[p])  # type: ignore[arg-type,return-value]
    assert res.row(youngest).outcome is Outcome.BEYOND_SEATS and res.row(youngest).by_age
    assert all(res.row(p).by_age for p in born)
    assert outcome(run.e("bch")).step is Step.COMPLETE


def test_older_wins_cannot_decide_equal_or_unknown_birth_dates() -> None:
    same = date(1970, 5, 1)
    entries = [("a", 150, same, 1), ("b", 150, same, 2), ("c", 150, date(1960, 1, 1), 3)]
    result = fill(entries, 2, TiePolicy.OLDER_WINS)
    assert result.elected == ("c",) and result.tie is not None
    assert result.tie.persons == ("a", "b") and result.tie.seats == 1
    unknown = fill([("a", 9, None, 1), ("b", 9, date(1960, 1, 1), 2)], 1, TiePolicy.OLDER_WINS)
    assert unknown.elected == () and unknown.tie is not None and unknown.tie.seats == 1


def test_variant_a_presidium_decides_and_it_is_recorded() -> None:
    run = run_section_11(TiePolicy.PRESIDIUM_DECIDES, r46=150)
    assert outcome(run.e("bch")).step is Step.TIE
    with pytest.raises(ElectionError) as err:
        run.do(TieResolved("bch", 1, ("p044",), "đoàn chủ tịch đề nghị", "", run.now()))
    assert err.value.key == "bad_tie_winners"
    with pytest.raises(ElectionError) as err:
        run.do(TieResolved("bch", 1, ("p044", "p001"), "đề nghị", "", run.now()))
    assert err.value.key == "bad_tie_winners"
    with pytest.raises(ElectionError) as err:
        run.do(TieResolved("bch", 1, ("p044", "p046"), "", "", run.now()))
    assert err.value.key == "reason_required"
    run.do(TieResolved("bch", 1, ("p044", "p046"), "đại hội biểu quyết", "vote-12", run.now()))
    state = outcome(run.e("bch"))
    assert state.step is Step.COMPLETE and state.elected[-2:] == ("p044", "p046")
    assert run.e("bch").current.tie_decision.vote == "vote-12"  # type: ignore[union-attr]


@given(st.lists(st.integers(0, 6), min_size=1, max_size=9), st.integers(1, 9))
def test_fill_never_elects_more_than_the_seats_nor_splits_a_tie_silently(
    votes: list[int], seats: int
) -> None:
    entries = [(f"c{i}", v, None, i) for i, v in enumerate(votes)]
    result = fill(entries, seats, TiePolicy.REVOTE_TIED)
    held = len(result.elected) + (result.tie.seats if result.tie else 0)
    assert held == min(seats, len(votes))
    elected = {v for p, v, _, _ in entries if p in result.elected}
    if result.tie is not None:
        assert all(v > result.tie.votes for v in elected)
        assert len(result.tie.persons) > result.tie.seats
    beaten = [v for p, v, _, _ in entries if p not in result.elected]
    if elected and beaten:
        assert min(elected) >= max(beaten)


# ---------------------------------------------------------------- variant B: unfilled seats


def test_variant_b_two_seats_unfilled_need_a_congress_vote() -> None:
    run = run_section_11(r44=140, r45=140, r46=130)  # only 43 reach 146
    e = run.e("bch")
    res = e.result(1)
    assert res is not None and len(res.elected) == 43 and res.unfilled == 2 and res.tie is None
    state = outcome(e)
    assert state.step is Step.NEXT_ROUND and state.unfilled == 2
    assert len(state.remaining) == 11 and "p001" not in state.remaining
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("bch", RoundReason.UNFILLED, (), "", run.now()))
    assert err.value.key == "vote_required"
    run.do(RoundAdded("bch", RoundReason.UNFILLED, (), "vote-20", run.now()))
    r2 = run.e("bch").current
    assert (r2.seats, len(r2.persons), r2.decision_vote) == (2, 11, "vote-20")
    run.approve()
    # a round-2 ballot keeps at most the 2 remaining seats
    run.vote(snapshot=SECTION_11, issued={"main": 280}, returned={"main": 4})
    run.start_count()
    ballot = run.e("bch").current.ballot
    first, second, third = (ballot.index(p) + 1 for p in ("p044", "p045", "p046"))
    run.ballots(
        [
            BallotInput.kept(first, second),
            BallotInput.kept(first, second, third),  # 3 kept for 2 seats
            BallotInput.kept(first),
            BallotInput.kept(),  # all struck
        ]
    )
    t = run.e("bch").current.count.totals()  # type: ignore[union-attr]
    assert t.valid == 2 and t.invalid_by_reason() == {
        "too_many_kept": 1,
        "all_struck_with_surplus": 1,
    }
    run.finish()  # same threshold (146): nobody reaches it
    res2 = run.e("bch").result(2)
    assert res2 is not None and res2.needed == 146 and res2.unfilled == 2


def test_round_two_with_names_added_by_the_congress() -> None:
    run = run_section_11(r44=140, r45=140, r46=130)
    added = (person(90, "x"), person(91, "x"))
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("bch", RoundReason.TIE_BREAK, added, "vote-21", run.now()))
    assert err.value.key == "no_tie"
    run.do(RoundAdded("bch", RoundReason.UNFILLED, added, "vote-21", run.now()))
    r2 = run.e("bch").current
    assert len(r2.persons) == 13 and r2.persons[-2:] == ("x090", "x091")
    run.approve()
    votes = {"x090": 250, "p044": 200, "x091": 100}
    run.by_sheet(votes, 280, {}, returned=280)
    state = outcome(run.e("bch"))
    assert state.step is Step.COMPLETE and state.elected[-2:] == ("x090", "p044")


def test_the_congress_votes_to_stop_with_seats_unfilled() -> None:
    run = run_section_11(r44=140, r45=140, r46=130)
    with pytest.raises(ElectionError) as err:
        run.do(ElectionStopped("bch", "", "", run.now()))
    assert err.value.key == "vote_required"
    run.do(ElectionStopped("bch", "vote-22", "đủ cơ cấu tối thiểu", run.now()))
    state = outcome(run.e("bch"))
    assert state.step is Step.STOPPED and state.unfilled == 2 and len(state.elected) == 43
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("bch", RoundReason.UNFILLED, (), "vote-23", run.now()))
    assert err.value.key == "election_stopped"


def test_a_full_election_cannot_add_a_round_or_stop() -> None:
    run = run_section_11()
    for event in (
        RoundAdded("bch", RoundReason.UNFILLED, (), "vote-9", run.now()),
        ElectionStopped("bch", "vote-9", "", run.now()),
    ):
        with pytest.raises(ElectionError) as err:
            run.do(event)
        assert err.value.key == "seats_filled"


# ---------------------------------------------------------------- 12.17: other bases


@pytest.mark.parametrize(
    ("base", "expected_base", "elected"),
    [
        (VoteBase.SUMMONED_ADJUSTED, 290, ()),
        (VoteBase.ENTITLED, 300, ()),
        (VoteBase.PRESENT, 287, ()),
        (VoteBase.CAST, 284, ("a",)),  # 285 returned less 1 forged; 143·2 > 284
        (VoteBase.VALID, 281, ("a",)),
    ],
)
def test_the_same_count_on_each_base(
    base: VoteBase, expected_base: int, elected: tuple[str, ...]
) -> None:
    totals = Totals.of([143, 120], 281, {InvalidReason.NOT_ISSUED: 1, InvalidReason.WRITE_IN: 3})
    res = decide_round(
        [Contender("a", 1), Contender("b", 2)], totals, 1, VoteRule(Ratio(1, 2), base), SECTION_11
    )
    assert res.base == expected_base and res.elected == elected


# ---------------------------------------------------------------- 12.12: secretary


def _committee_elected() -> Run:
    run = committee(3, people(4))
    return run.by_sheet({"p001": 200, "p002": 190, "p003": 180, "p004": 20}, 282, {}, returned=282)


def test_the_secretary_comes_from_the_elected_committee() -> None:
    run = _committee_elected()
    with pytest.raises(ElectionError) as err:
        run.create("bt", ElectionKind.SECRETARY)
    assert err.value.key == "pool_required"
    run.create("bt", ElectionKind.SECRETARY, pool="bch").seats(1, "bt")
    with pytest.raises(ElectionError) as err:
        run.add([person(4)], "bt")  # on the committee list, not elected
    assert err.value.key == "not_in_pool"
    run.add([person(1), person(2)], "bt").approve("bt")
    assert run.e("bt").current.ballot != run.e("bch").current.ballot  # its own ballot


def test_a_secretary_pool_must_be_a_committee() -> None:
    run = _committee_elected()
    run.create("dd", ElectionKind.DELEGATES_HIGHER)
    with pytest.raises(ElectionError) as err:
        run.create("bt", ElectionKind.SECRETARY, pool="dd")
    assert err.value.key == "bad_pool"


def test_the_nomination_ballot_is_one_name_non_binding_and_for_the_presidium() -> None:
    run = _committee_elected()
    run.create("gt", ElectionKind.OPINION_POLL, pool="bch")
    run.add([person(1), person(2), person(3)], "gt").approve("gt")
    e = run.e("gt")
    assert e.purpose is Purpose.NOMINATION and e.current.seats == 1
    run.vote("gt", issued={"main": 5}, returned={"main": 5})
    run.start_count("gt")
    one = e.current.ballot.index("p002") + 1
    two = e.current.ballot.index("p003") + 1
    run.ballots(
        [
            BallotInput.kept(one),
            BallotInput.kept(one),
            BallotInput.kept(two),
            BallotInput.kept(one, two),
            BallotInput.kept(),
        ],
        "gt",
    )
    run.finish("gt")
    res = run.e("gt").result(1)
    assert res is not None and res.presidium_only and not res.binding
    assert res.elected == () and res.ranking[0].person == "p002" and res.ranking[0].votes == 2
    assert {r.outcome for r in res.rows} == {Outcome.RANKED}
    assert res.totals.invalid_by_reason() == {"too_many_kept": 1, "all_struck_with_surplus": 1}
    assert outcome(run.e("gt")).step is Step.COMPLETE
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("gt", RoundReason.UNFILLED, (), "vote-1", run.now()))
    assert err.value.key == "nomination_single_round"


# ---------------------------------------------------------------- alternates' order


def test_alternates_ordered_by_votes_ties_by_policy() -> None:
    entries = [("a", 200, date(1970, 1, 1)), ("b", 210, None), ("c", 200, date(1960, 1, 1))]
    assert order_by_votes(entries, TiePolicy.REVOTE_TIED) == (("b",), ("a", "c"))
    assert order_by_votes(entries, TiePolicy.OLDER_WINS) == (("b",), ("c",), ("a",))
    assert order_by_votes(entries, TiePolicy.PRESIDIUM_DECIDES) == (("b",), ("a", "c"))


def test_a_candidate_with_no_vote_never_passes() -> None:
    res = decide_round(
        [Contender("a", 1)],
        Totals.of([0], 0, {}),
        1,
        VoteRule(Ratio(0, 2, False), VoteBase.VALID),
        SECTION_11,
    )
    assert res.elected == () and res.needed is None
