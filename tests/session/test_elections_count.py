"""Counting: ballot-by-ballot entry with running tallies and corrections, tally sheets, double
entry, reconciliation (domain rules 4.7, 4.11, 12.7, 12.8), and the properties the issue asks
for: the order of entry never matters; double entry finds every injected difference."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session.ballots import INVALID_REASONS, BallotInput, ElectionError, InvalidReason, judge
from session.count import (
    Count,
    CountMode,
    Totals,
    accept_batch,
    by_candidate,
    correct_ballot,
    differences,
    enter_ballot,
    enter_sheet,
    new_count,
    reconcile,
    void_ballot,
)
from session.elections import BoxCounted
from tests.harness.elections_kit import committee, people

T0 = datetime(2025, 6, 20, 3, 0, tzinfo=UTC)


def at(i: int) -> datetime:
    return T0 + timedelta(seconds=i)


def enter_all(
    count: Count, ballots: list[tuple[str, BallotInput]], team: str = "A", box: str = "main"
) -> Count:
    for batch, b in ballots:
        seq = len(count.team(team).ballots) + 1
        count = enter_ballot(count, team, seq, box, batch, b, at(seq))
    return count


# ---------------------------------------------------------------- ballot by ballot


def test_running_tallies_after_each_ballot() -> None:
    count = new_count(5, 3, CountMode.BALLOTS, ["A"])
    count = enter_all(count, [("", BallotInput.struck(1, 2))])
    assert count.totals().votes == (0, 0, 1, 1, 1) and count.totals().valid == 1
    count = enter_all(count, [("", BallotInput.kept(1, 2))])
    assert count.totals().votes == (1, 1, 1, 1, 1)
    count = enter_all(count, [("", BallotInput.struck())])  # 5 kept for 3 seats
    count = enter_all(count, [("", BallotInput.spoilt(InvalidReason.WRITE_IN))])
    t = count.totals()
    assert (t.valid, t.invalid_total, t.ballots) == (2, 2, 4)
    assert t.invalid_by_reason() == {"too_many_kept": 1, "write_in": 1}
    assert t.kept == 5
    assert [b.seq for b in count.team("A").last(2)] == [3, 4]


def test_a_correction_changes_the_tally_and_keeps_a_trace() -> None:
    count = enter_all(new_count(5, 3, CountMode.BALLOTS, ["A"]), [("", BallotInput.struck(1, 2))])
    corrected = correct_ballot(count, "A", 1, BallotInput.struck(4, 5), "đọc nhầm số", at(9))
    assert corrected.totals().votes == (1, 1, 1, 0, 0)
    (trace,) = corrected.corrections
    assert (trace.seq, trace.before, trace.after, trace.reason) == (
        1,
        BallotInput.struck(1, 2),
        BallotInput.struck(4, 5),
        "đọc nhầm số",
    )
    assert corrected.team("A").ballots[0].corrected
    for args, key in [
        ((1, BallotInput.struck(4, 5), ""), "reason_required"),
        ((2, BallotInput.struck(4, 5), "x"), "unknown_ballot"),
        ((1, BallotInput.struck(1, 2), "x"), "correction_unchanged"),
    ]:
        with pytest.raises(ElectionError) as err:
            correct_ballot(count, "A", *args, at(9))  # type: ignore[arg-type]
        assert err.value.key == key


def test_a_ballot_is_entered_once() -> None:
    count = enter_all(new_count(5, 3, CountMode.BALLOTS, ["A"]), [("", BallotInput.struck(1, 2))])
    with pytest.raises(ElectionError) as err:
        enter_ballot(count, "A", 1, "main", "", BallotInput.struck(1, 2), at(5))
    assert err.value.key == "seq_out_of_order"
    with pytest.raises(ElectionError) as err:
        enter_ballot(count, "A", 3, "main", "", BallotInput.struck(1, 2), at(5))
    assert err.value.key == "seq_out_of_order"
    with pytest.raises(ElectionError) as err:
        enter_ballot(count, "B", 1, "main", "", BallotInput.struck(1, 2), at(5))
    assert err.value.key == "unknown_team"


def test_a_batch_belongs_to_one_box() -> None:
    count = new_count(5, 3, CountMode.BALLOTS, ["A"])
    count = enter_ballot(count, "A", 1, "main", "b1", BallotInput.struck(1, 2), at(1))
    with pytest.raises(ElectionError) as err:
        enter_ballot(count, "A", 2, "aux", "b1", BallotInput.struck(1, 2), at(2))
    assert err.value.key == "batch_in_other_box"
    count = enter_ballot(count, "A", 2, "aux", "", BallotInput.struck(1, 2), at(2))
    assert count.batches() == ("b1", "aux") and count.batches_of("main") == ("b1",)
    assert count.totals("aux").valid == 1 and count.totals().valid == 2


# ---------------------------------------------------------------- tally sheets


def test_tally_sheets_and_their_replacement() -> None:
    count = new_count(3, 2, CountMode.SHEETS, ["A"])
    sheet = Totals.of([100, 90, 80], 140, {InvalidReason.TOO_MANY_KEPT: 2})
    count = enter_sheet(count, "A", "main", "", sheet, "", at(1))
    assert count.totals() == sheet
    with pytest.raises(ElectionError) as err:
        enter_sheet(count, "A", "main", "", Totals.of([101, 90, 80], 140, {}), "", at(2))
    assert err.value.key == "reason_required"
    again = enter_sheet(
        count, "A", "main", "", Totals.of([101, 90, 80], 140, {}), "cộng sai", at(2)
    )
    assert again.totals().votes == (101, 90, 80)
    assert again.replaced_sheets[0].before == sheet
    with pytest.raises(ElectionError) as err:
        enter_ballot(count, "A", 1, "main", "", BallotInput.struck(1), at(3))
    assert err.value.key == "wrong_count_mode"


@pytest.mark.parametrize(
    ("votes", "valid", "key"),
    [
        ([100, 141, 0], 140, "candidate_above_valid"),
        ([140, 140, 1], 140, "kept_above_limit"),
        ([1, 2], 140, "sheet_length"),
    ],
)
def test_impossible_tally_sheets_are_refused(votes: list[int], valid: int, key: str) -> None:
    count = new_count(3, 2, CountMode.SHEETS, ["A"])
    with pytest.raises(ElectionError) as err:
        enter_sheet(count, "A", "main", "", Totals.of(votes, valid, {}), "", at(1))
    assert err.value.key == key


# ---------------------------------------------------------------- reconciliation


def test_the_worked_example_reconciles() -> None:
    """Domain rules 11: 287 issued, 285 returned, 3 invalid, 282 valid; kept ≤ 282 × 45."""
    totals = Totals.of([150] * 45, 282, {InvalidReason.TOO_MANY_KEPT: 3})
    check = reconcile(287, 285, totals, 45)
    assert check.ok and check.not_returned == 2
    assert check.to_json()["kept_limit"] == 282 * 45


def test_every_failed_check_is_listed() -> None:
    totals = Totals.of([283, 0], 282, {InvalidReason.WRITE_IN: 3})
    check = reconcile(280, 286, totals, 1)
    assert [p.key for p in check.problems] == [
        "returned_above_issued",
        "sum_mismatch",
        "candidate_above_valid",
        "kept_above_limit",
    ]
    assert "286" in str(check.problems[0].error()) and "280" in str(check.problems[0].error())


def test_forged_ballots_do_not_count_against_those_issued() -> None:
    totals = Totals.of([200], 287, {InvalidReason.NOT_ISSUED: 1})
    assert reconcile(287, 288, totals, 1).ok
    assert not reconcile(286, 288, totals, 1).ok


# ---------------------------------------------------------------- double entry


def test_double_entry_lists_differences_per_batch_and_per_candidate() -> None:
    count = new_count(4, 2, CountMode.BALLOTS, ["A", "B"])
    same = [("b1", BallotInput.struck(1, 2)), ("b2", BallotInput.struck(3, 4))]
    count = enter_all(count, same, "A")
    count = enter_all(count, [same[0], ("b2", BallotInput.struck(2, 4))], "B")
    (diff,) = differences(count)
    assert diff.batch == "b2" and diff.candidates == ((2, 1, 0), (3, 0, 1))
    assert by_candidate([diff]) == ((2, 1, 0), (3, 0, 1))
    with pytest.raises(ElectionError) as err:
        accept_batch(count, "b1", "A", "đếm lại", at(9))
    assert err.value.key == "batch_agrees"
    fixed = correct_ballot(count, "B", 2, BallotInput.struck(3, 4), "nhập nhầm", at(9))
    assert differences(fixed) == ()
    accepted = accept_batch(count, "b2", "B", "đếm lại tập b2: tổ B đúng", at(9))
    assert differences(accepted) == () and accepted.totals().votes == (1, 0, 2, 1)
    with pytest.raises(ElectionError) as err:
        correct_ballot(accepted, "A", 2, BallotInput.struck(1, 4), "x", at(10))
    assert err.value.key == "batch_accepted"


def test_a_batch_only_one_team_entered_differs() -> None:
    count = new_count(3, 1, CountMode.BALLOTS, ["A", "B"])
    count = enter_all(count, [("b1", BallotInput.struck(1, 2))], "A")
    (diff,) = differences(count)
    assert diff.second.ballots == 0 and diff.first.ballots == 1


# ---------------------------------------------------------------- properties


@st.composite
def ballot_lists(draw: st.DrawFn) -> tuple[int, int, list[tuple[str, BallotInput]]]:
    candidates = draw(st.integers(1, 8))
    seats = draw(st.integers(1, candidates))
    numbers = st.lists(st.integers(1, candidates), unique=True, max_size=candidates)
    one = st.one_of(
        numbers.map(lambda ns: BallotInput.struck(*ns)),
        numbers.map(lambda ns: BallotInput.kept(*ns)),
        st.sampled_from(INVALID_REASONS).map(BallotInput.spoilt),
    )
    if seats >= candidates:  # agree / disagree columns: some names unclear

        def with_unclear(ns: list[int]) -> BallotInput:
            half = len(ns) // 2
            return BallotInput.struck(*ns[:half], unclear=ns[half:])

        one = st.one_of(one, numbers.map(with_unclear))
    ballots = draw(st.lists(st.tuples(st.sampled_from(["b1", "b2", "b3"]), one), max_size=40))
    return candidates, seats, ballots


def _recount(candidates: int, seats: int, ballots: list[tuple[str, BallotInput]]) -> Totals:
    total = Totals.zero(candidates)
    for _, b in ballots:
        total = total.add(judge(b, candidates, seats))
    return total


@settings(max_examples=80, deadline=None)
@given(ballot_lists(), st.randoms(use_true_random=False))
def test_the_order_of_entry_never_matters(
    data: tuple[int, int, list[tuple[str, BallotInput]]], rnd: object
) -> None:
    candidates, seats, ballots = data
    first = enter_all(new_count(candidates, seats, CountMode.BALLOTS, ["A"]), ballots)
    shuffled = list(ballots)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    second = enter_all(new_count(candidates, seats, CountMode.BALLOTS, ["A"]), shuffled)
    assert first.totals() == second.totals() == _recount(candidates, seats, ballots)
    for batch in ("b1", "b2", "b3"):
        assert first.chosen_totals(batch) == second.chosen_totals(batch)
    assert reconcile(len(ballots), len(ballots), first.totals(), seats).ok


@settings(max_examples=60, deadline=None)
@given(ballot_lists(), st.data())
def test_corrections_keep_the_running_tally_exact(
    data: tuple[int, int, list[tuple[str, BallotInput]]], more: st.DataObject
) -> None:
    """Entering wrong ballots and correcting them gives the tally of the right ones."""
    candidates, seats, ballots = data
    if not ballots:
        return
    wrong = [(batch, BallotInput.spoilt(InvalidReason.OTHER)) for batch, _ in ballots]
    count = enter_all(new_count(candidates, seats, CountMode.BALLOTS, ["A"]), wrong)
    order = more.draw(st.permutations(range(len(ballots))))
    for i in order:
        if ballots[i][1] != wrong[i][1]:
            count = correct_ballot(count, "A", i + 1, ballots[i][1], "đọc lại", at(i))
    assert count.totals() == _recount(candidates, seats, ballots)


def _changed(b: BallotInput, candidates: int, seats: int) -> BallotInput:
    """A different reading of the same ballot that changes what it counts for."""
    j = judge(b, candidates, seats)
    if not j.valid:
        other = next(r for r in INVALID_REASONS if r is not j.reason)
        return (
            BallotInput.spoilt(other)
            if j.reason is not None and not j.derived
            else BallotInput.spoilt(InvalidReason.OTHER)
        )
    # valid: make it invalid (a change in valid and invalid counts)
    return BallotInput.spoilt(InvalidReason.SIGNED_OR_MARKED)


@settings(max_examples=80, deadline=None)
@given(ballot_lists(), st.data())
def test_double_entry_finds_every_injected_difference(
    data: tuple[int, int, list[tuple[str, BallotInput]]], more: st.DataObject
) -> None:
    candidates, seats, ballots = data
    if not ballots:
        return
    # at most one injected misreading per batch, so no two can cancel out within a batch
    by_batch: dict[str, list[int]] = {}
    for i, (batch, _) in enumerate(ballots):
        by_batch.setdefault(batch, []).append(i)
    chosen = more.draw(st.lists(st.sampled_from(sorted(by_batch)), unique=True, min_size=1))
    injected = {more.draw(st.sampled_from(by_batch[b])) for b in chosen}
    second = [
        (batch, _changed(b, candidates, seats)) if i in injected else (batch, b)
        for i, (batch, b) in enumerate(ballots)
    ]
    mode = more.draw(st.sampled_from(["missing", "misread"]))
    if mode == "missing":  # team B skipped the injected ballots instead
        second = [x for i, x in enumerate(ballots) if i not in injected]
    count = new_count(candidates, seats, CountMode.BALLOTS, ["A", "B"])
    count = enter_all(count, ballots, "A")
    count = enter_all(count, second, "B")
    found = differences(count)
    assert {d.batch for d in found} == set(chosen)
    # per candidate: the gap listed (over the differing batches) is the gap between the teams
    a, b = count.team_totals("A"), count.team_totals("B")
    gaps = {n: x - y for n, (x, y) in enumerate(zip(a.votes, b.votes, strict=True), 1) if x != y}
    assert {n: x - y for n, x, y in by_candidate(found)} == gaps
    # resolving every batch in favour of team A leaves no difference and A's count
    for d in found:
        count = accept_batch(count, d.batch, "A", "đếm lại", at(0))
    assert differences(count) == () and count.totals() == a


def test_totals_round_trip_through_json() -> None:
    t = Totals.of([3, 0, 7], 9, {InvalidReason.NOT_ISSUED: 1, "write_in": 2})
    assert Totals.from_json(t.to_json()) == t
    assert replace(t, valid=10) != t


def test_ballots_not_yet_entered_are_no_mismatch_until_every_box_is_counted() -> None:
    """The election screen warns of a reconciliation problem only once it is one: while boxes
    are still being counted, ballots found but not yet entered are work to do."""
    run = committee(2, people(3))
    run.vote(issued={"main": 4}, returned={"main": 4})
    run.start_count().ballots([BallotInput.struck(1), BallotInput.struck(2)])
    r = run.e("bch").current
    check = r.reconciliation()
    assert check is not None and [p.key for p in check.problems] == ["sum_mismatch"]
    assert r.standing_problems() == ()  # two of the four ballots entered: counting goes on
    with pytest.raises(ElectionError):  # and the box cannot be marked counted yet
        run.do(BoxCounted("bch", r.number, "main", run.now()))
    run.ballots([BallotInput.struck(3), BallotInput.struck(1, 3)])
    run.do(BoxCounted("bch", r.number, "main", run.now()))
    r = run.e("bch").current
    check = r.reconciliation()
    assert check is not None and check.ok and r.standing_problems() == ()


# ---------------------------------------------------------------- a box's limit, voided entries


def test_an_entry_beyond_the_ballots_found_is_refused_until_a_wrong_one_is_voided() -> None:
    count = new_count(3, 2, CountMode.BALLOTS, ["A"])
    for seq in range(1, 7):
        count = enter_ballot(count, "A", seq, "1", "", BallotInput.struck(1), at(seq), found=6)
    with pytest.raises(ElectionError) as err:
        enter_ballot(count, "A", 7, "1", "", BallotInput.struck(2), at(7), found=6)
    assert err.value.key == "box_full"
    assert err.value.params == {"box": "1", "found": 6, "team": "A", "entered": 6}
    assert str(err.value) == (
        "Box 1: 6 ballots were found and team A has entered 6; "
        "void a wrong entry before entering another"
    )
    count = void_ballot(count, "A", 4, "nhập hai lần", at(8))
    count = enter_ballot(count, "A", 7, "1", "", BallotInput.struck(2), at(9), found=6)
    assert count.standing("A", "1") == 6 and len(count.team("A").ballots) == 7
    # another box has its own limit; no limit at all without `found`
    count = enter_ballot(count, "A", 8, "2", "", BallotInput.struck(2), at(10), found=1)
    assert (
        enter_ballot(count, "A", 9, "1", "", BallotInput.struck(2), at(11)).standing("A", "1") == 7
    )


def test_a_voided_entry_stays_in_the_trace_and_counts_nowhere() -> None:
    count = enter_all(
        new_count(4, 2, CountMode.BALLOTS, ["A"]),
        [("", BallotInput.struck(1, 2)), ("", BallotInput.struck(3, 4)), ("", BallotInput.kept(1))],
    )
    count = correct_ballot(count, "A", 3, BallotInput.kept(2), "đọc nhầm", at(20))
    voided = void_ballot(count, "A", 2, "  phiếu của hòm 2  ", at(21))
    assert voided.totals().votes == (0, 1, 1, 1) and voided.totals().valid == 2
    entry = voided.team("A").ballots[1]
    assert (entry.seq, entry.voided, entry.void_reason, entry.standing) == (
        2, True, "phiếu của hòm 2", False,
    )  # fmt: skip
    assert [b.seq for b in voided.team("A").ballots] == [1, 2, 3]  # the entry stays, numbered
    (void,) = voided.voids
    assert (void.team, void.seq, void.box, void.ballot) == (
        "A",
        2,
        "main",
        BallotInput.struck(3, 4),
    )
    trace = voided.trace()
    assert [(x.seq, x.voided, x.reason) for x in trace] == [
        (3, False, "đọc nhầm"), (2, True, "phiếu của hòm 2"),
    ]  # fmt: skip
    assert trace[0].before == BallotInput.kept(1) and trace[0].after == BallotInput.kept(2)


@pytest.mark.parametrize(
    ("seq", "reason", "key"),
    [(1, "", "reason_required"), (1, " \t\u3000 ", "reason_required"), (5, "x", "unknown_ballot"),
     (2, "again", "ballot_already_voided")],
)  # fmt: skip
def test_a_void_needs_a_reason_and_an_entry_that_still_counts(
    seq: int, reason: str, key: str
) -> None:
    count = enter_all(new_count(3, 1, CountMode.BALLOTS, ["A"]), [("", BallotInput.struck(1))] * 3)
    count = void_ballot(count, "A", 2, "nhập thừa", at(9))
    with pytest.raises(ElectionError) as err:
        void_ballot(count, "A", seq, reason, at(10))
    assert err.value.key == key


def test_a_voided_entry_is_not_corrected_and_an_accepted_batch_not_voided() -> None:
    count = new_count(3, 1, CountMode.BALLOTS, ["A", "B"])
    count = enter_all(count, [("b1", BallotInput.kept(1)), ("b2", BallotInput.kept(2))], "A")
    count = enter_all(count, [("b1", BallotInput.kept(2)), ("b2", BallotInput.kept(2))], "B")
    count = void_ballot(count, "A", 2, "nhập nhầm", at(9))
    with pytest.raises(ElectionError) as err:
        correct_ballot(count, "A", 2, BallotInput.kept(3), "sửa", at(10))
    assert err.value.key == "voided_not_corrected" and "nhập nhầm" in str(err.value)
    count = accept_batch(count, "b1", "B", "kiểm lại: tổ B đúng", at(11))
    with pytest.raises(ElectionError) as err:
        void_ballot(count, "A", 1, "x", at(12))
    assert err.value.key == "batch_accepted"
    sheets = new_count(3, 1, CountMode.SHEETS, ["A"])
    with pytest.raises(ElectionError) as err:
        void_ballot(sheets, "A", 1, "x", at(13))
    assert err.value.key == "wrong_count_mode"


def test_tally_sheets_may_not_add_up_to_more_than_the_box_held() -> None:
    count = new_count(2, 1, CountMode.SHEETS, ["A"])
    count = enter_sheet(count, "A", "1", "t1", Totals.of([3, 1], 4, {}), "", at(1), found=6)
    with pytest.raises(ElectionError) as err:
        enter_sheet(count, "A", "1", "t2", Totals.of([2, 1], 3, {}), "", at(2), found=6)
    assert err.value.key == "sheet_above_box"
    assert err.value.params == {"box": "1", "found": 6, "team": "A", "ballots": 7}
    # a sheet entered again replaces the earlier one: only the new figures count
    count = enter_sheet(count, "A", "1", "t1", Totals.of([1, 1], 2, {}), "cộng sai", at(3), found=6)
    count = enter_sheet(count, "A", "1", "t2", Totals.of([2, 1], 3, {}), "", at(4), found=6)
    assert count.standing("A", "1") == 5


@st.composite
def entry_actions(draw: st.DrawFn) -> tuple[int, int, list[tuple[str, int, BallotInput]]]:
    """A count's entries, voids and corrections in any order: (candidates, seats, actions);
    an action's int picks the entry it applies to (modulo the entries so far)."""
    candidates = draw(st.integers(1, 6))
    seats = draw(st.integers(1, candidates))
    numbers = st.lists(st.integers(1, candidates), unique=True, max_size=candidates)
    one = st.one_of(
        numbers.map(lambda ns: BallotInput.struck(*ns)),
        numbers.map(lambda ns: BallotInput.kept(*ns)),
        st.sampled_from(INVALID_REASONS).map(BallotInput.spoilt),
    )
    action = st.tuples(
        st.sampled_from(["enter", "enter", "void", "correct"]), st.integers(0, 99), one
    )
    return candidates, seats, draw(st.lists(action, max_size=50))


@settings(max_examples=80, deadline=None)
@given(entry_actions(), st.integers(1, 30))
def test_the_totals_are_always_the_sum_over_the_standing_entries(
    data: tuple[int, int, list[tuple[str, int, BallotInput]]], found: int
) -> None:
    candidates, seats, actions = data
    count = new_count(candidates, seats, CountMode.BALLOTS, ["A"])
    for i, (what, pick, ballot) in enumerate(actions):
        entered = count.team("A").ballots
        try:
            if what == "enter":
                seq = len(entered) + 1
                count = enter_ballot(count, "A", seq, "1", "", ballot, at(i), found=found)
            elif entered and what == "void":
                count = void_ballot(count, "A", pick % len(entered) + 1, "sai", at(i))
            elif entered:
                count = correct_ballot(count, "A", pick % len(entered) + 1, ballot, "sửa", at(i))
        except ElectionError as exc:  # the refusals the rules allow, nothing else
            assert exc.key in {"box_full", "ballot_already_voided", "voided_not_corrected",
                               "correction_unchanged"}, exc.key  # fmt: skip
        ballots = count.team("A").ballots
        standing = [b for b in ballots if not b.voided]
        assert count.totals() == _recount(candidates, seats, [("", b.ballot) for b in standing])
        assert count.standing("A", "1") == len(standing) <= found
        assert [b.seq for b in ballots] == list(range(1, len(ballots) + 1))
        assert len(count.voids) == len(ballots) - len(standing)
