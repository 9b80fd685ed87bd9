"""The election reducer end to end: a full election counted ballot by ballot (invalid ones, a tie
at the cut-off, a further ballot, minutes), the ballot boxes' lifecycle, reconciliation refused
with a clear message, double entry, the delegation (domain rules 5, 12.13), ballots to delegates
(12.14), events as JSON and replay (a restart mid-count resumes with every ballot, once), and
the catalog texts of every refusal."""

import ast
import json
from dataclasses import replace
from pathlib import Path

import pytest

from session import elections as el
from session.ballots import BallotInput, ElectionError, InvalidReason
from session.candidates import delegate_person_id
from session.count import CountMode, Totals
from session.elections import (
    AlternateOrderDecided,
    BallotCorrected,
    BallotIssuedTo,
    BallotsIssued,
    BallotVoided,
    BatchAccepted,
    BoxClosed,
    BoxCounted,
    BoxKind,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    BoxStatus,
    CountersAppointed,
    CountingStarted,
    ElectionBook,
    ElectionKind,
    MinutesSigned,
    OverflowDecided,
    ResultsAnnounced,
    RoundAdded,
    RoundReason,
    RoundStatus,
    SeatsSet,
    SeatsSource,
    SheetEntered,
    Step,
    VotingOpened,
    VotingWarning,
    next_alternate,
    outcome,
)
from session.i18n import LANGUAGES, catalog, t
from session.quorum import Kind, Member, Status
from session.results import Outcome, activation_base_change, can_be_replaced
from session.surplus import BLOCKING
from session.tally import Snapshot
from tests.harness.elections_kit import (
    COUNTERS,
    SECTION_11,
    Run,
    committee,
    issue_to,
    people,
    person,
)

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["ballots", "results", "surplus", "composition"]
PACKAGES = ["elections", "count"]


def election_sources() -> list[Path]:
    """The election packages' modules and the rules they build on."""
    packages = [f for name in PACKAGES for f in sorted((ROOT / "session" / name).glob("*.py"))]
    return packages + [ROOT / "session" / f"{name}.py" for name in MODULES]


def numbers_of(run: Run, *persons: str, election: str = "bch") -> list[int]:
    ballot = run.e(election).current.ballot
    return [ballot.index(p) + 1 for p in persons]


# ---------------------------------------------------------------- a full election


def test_a_committee_election_ballot_by_ballot_with_a_tie_and_a_further_ballot() -> None:
    """3 names for 2 seats, 20 present of a base of 20 (at least 11 votes): counted ballot by
    ballot, with invalid ballots among them; a tie at the cut-off; a further ballot among the
    tied; the minutes signed."""
    run = committee(2, people(3))
    e = run.e("bch")
    assert len(e.ballot()) == 3 and e.current.format.value == "strike_out"
    snap = Snapshot(present=20, entitled=20, adjusted=20)
    run.vote(snapshot=snap, issued={"main": 20}, returned={"main": 20})
    assert run.e("bch").current.status is RoundStatus.COUNTING
    run.start_count()
    one, two, three = numbers_of(run, "p001", "p002", "p003")
    run.ballots([BallotInput.kept(one, two)] * 6 + [BallotInput.kept(one, three)] * 6)
    run.ballots([BallotInput.struck(one)] * 5)  # keeps p002 and p003
    run.ballots([BallotInput.kept()])  # all struck on a surplus list
    run.ballots([BallotInput.struck()])  # nobody struck: 3 kept for 2 seats
    run.ballots([BallotInput.spoilt(InvalidReason.SIGNED_OR_MARKED, "có chữ ký")])
    live = run.e("bch").current.count.totals()  # type: ignore[union-attr]
    assert (live.valid, live.invalid_total) == (17, 3)
    provisional = run.e("bch").result(1, provisional=True)
    assert provisional is not None and provisional.tie is not None
    assert run.e("bch").result(1) is None  # not signed yet
    run.finish()
    res = run.e("bch").result(1)
    assert res is not None and res.needed == 11
    assert [res.row(p).votes for p in ("p001", "p002", "p003")] == [12, 11, 11]
    assert res.elected == ("p001",)
    assert res.tie is not None and set(res.tie.persons) == {"p002", "p003"}
    assert res.tie.seats == 1
    assert outcome(run.e("bch")).step is Step.TIE

    run.do(RoundAdded("bch", RoundReason.TIE_BREAK, (), "", run.now()))
    run.approve()
    r2 = run.e("bch").current
    assert r2.seats == 1 and set(r2.ballot) == {"p002", "p003"}
    run.vote(snapshot=snap, issued={"main": 20}, returned={"main": 20})
    run.start_count()
    two, three = numbers_of(run, "p002", "p003")
    run.ballots([BallotInput.kept(three)] * 12 + [BallotInput.kept(two)] * 8)
    run.finish()
    state = outcome(run.e("bch"))
    assert state.step is Step.COMPLETE
    assert state.elected == ("p001", "p003")
    assert all(b.status is BoxStatus.SIGNED for b in run.e("bch").current.boxes)
    assert run.e("bch").current.signed_by == COUNTERS
    assert [r for r, _ in el.round_outcomes(run.e("bch"))] == [1, 2]


def test_two_boxes_issued_and_returned_per_box() -> None:
    run = Run().create(ruleset="custom").seats(2).add(people(3)).approve()
    run.counters()
    run.boxes(boxes=("main", "phụ"))
    run.vote(
        snapshot=Snapshot(10, 10, 10), issued={"main": 8, "phụ": 2}, returned={"main": 8, "phụ": 2}
    )
    run.start_count()
    run.ballots([BallotInput.struck(1)] * 8, box="main")
    run.ballots([BallotInput.struck(2)] * 2, box="phụ")
    run.finish()
    r = run.e("bch").current
    assert [(b.id, b.kind, b.issued, b.returned) for b in r.boxes] == [
        ("main", BoxKind.MAIN, 8, 8),
        ("phụ", BoxKind.AUXILIARY, 2, 2),
    ]
    assert r.count.totals("phụ").votes == (2, 0, 2)  # type: ignore[union-attr]


def test_auxiliary_boxes_only_where_the_rule_set_allows() -> None:
    run = committee(5, people(6))
    with pytest.raises(ElectionError) as err:
        run.do(BoxPrepared("bch", 1, "phụ", BoxKind.AUXILIARY, run.now()))
    assert err.value.key == "auxiliary_not_allowed"


# ---------------------------------------------------------------- boxes


def _ready(run: Run | None = None) -> Run:
    run = run or committee(5, people(6))
    run.counters()
    run.do(BoxPrepared("bch", 1, "main", BoxKind.MAIN, run.now()))
    return run


def test_box_lifecycle_refusals() -> None:
    run = _ready()
    with pytest.raises(ElectionError) as err:
        run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    assert err.value.key == "box_not_sealed"
    with pytest.raises(ElectionError) as err:
        run.do(BoxSealed("bch", 1, "main", (), run.now()))
    assert err.value.key == "sealed_by_required"
    run.do(BoxSealed("bch", 1, "main", ("Trưởng ban kiểm phiếu",), run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(BoxSealed("bch", 1, "main", ("x",), run.now()))
    assert err.value.key == "box_already_sealed"
    with pytest.raises(ElectionError) as err:
        run.do(BoxClosed("bch", 1, "main", run.now()))
    assert err.value.key == "box_not_voting"
    box = run.e("bch").current.box("main")
    assert box is not None and box.sealed_by == ("Trưởng ban kiểm phiếu",) and box.sealed_at
    run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(BoxPrepared("bch", 1, "late", BoxKind.MAIN, run.now()))
    assert err.value.key == "voting_started"
    run.do(BallotsIssued("bch", 1, "main", 287, "", run.now()))
    run.do(CountingStarted("bch", 1, CountMode.BALLOTS, ("A",), run.now()))
    with pytest.raises(ElectionError) as err:  # not before it is closed and opened
        run.ballots([BallotInput.struck(1)])
    assert err.value.key == "box_not_opened"
    with pytest.raises(ElectionError) as err:
        run.do(BoxOpened("bch", 1, "main", 285, COUNTERS, run.now()))
    assert err.value.key == "box_not_closed"
    run.do(BoxClosed("bch", 1, "main", run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(BoxClosed("bch", 1, "main", run.now()))
    assert err.value.key == "box_already_closed"
    with pytest.raises(ElectionError) as err:  # a card scanned after the box closed
        issue_to(run, 17)
    assert err.value.key == "box_closed"
    run.do(BoxOpened("bch", 1, "main", 1, COUNTERS, run.now()))
    run.ballots([BallotInput.struck(1)])
    run.do(BoxCounted("bch", 1, "main", run.now()))
    with pytest.raises(ElectionError) as err:
        run.ballots([BallotInput.struck(2)])
    assert err.value.key == "box_counted"


def test_voting_needs_the_list_the_committee_and_a_main_box() -> None:
    run = Run().create().seats(5).add(people(6))
    with pytest.raises(ElectionError) as err:
        run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    assert err.value.key == "list_not_approved"
    run.approve()
    with pytest.raises(ElectionError) as err:
        run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    assert err.value.key == "no_counting_committee"
    with pytest.raises(ElectionError) as err:
        run.do(CountersAppointed("bch", "p001", ("p001", "k2"), "vote-3", run.now()))
    assert err.value.key == "counter_is_candidate"
    run.counters()
    with pytest.raises(ElectionError) as err:
        run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    assert err.value.key == "no_main_box"


def test_a_candidate_may_be_neither_head_nor_member_of_the_counting_committee() -> None:
    """Domain rules 4.8: refused by person id, and by delegate number (candidate p003 is
    delegate 3, d00003 on the register), naming the candidate and the election."""
    candidates = people(3)
    run = committee(2, candidates)
    title = run.e("bch").title
    outside = delegate_person_id(20)
    for head, members, name in [
        (candidates[1].id, (candidates[1].id, outside), candidates[1].full_name),  # as head
        (outside, (outside, delegate_person_id(3)), candidates[2].full_name),  # as member
    ]:
        with pytest.raises(ElectionError) as err:
            run.do(CountersAppointed("bch", head, members, "vote-kp", run.now()))
        assert err.value.key == "counter_is_candidate"
        assert str(err.value) == (
            f"{name} is a candidate on the list of «{title}»: a member of the counting "
            "committee may not be one (domain rules 4.8)"
        )
        assert name in t("election.error.counter_is_candidate", "vi", **err.value.params)
    run.do(CountersAppointed("bch", outside, (outside, "d00021"), "vote-kp", run.now()))
    assert run.e("bch").committee.members == (outside, "d00021")  # type: ignore[union-attr]
    assert el.delegate_number(delegate_person_id(12)) == 12
    assert [el.delegate_number(x) for x in ("k1", "d", "d12a", "d１２", "p003")] == [None] * 5


def test_voting_does_not_open_with_a_counter_who_joined_the_list_later() -> None:
    """Appointed before the list was drawn up, delegate 3 is then listed (as p003)."""
    run = Run().create().seats(2)
    run.counters(members=(delegate_person_id(3), delegate_person_id(20)))
    run.add(people(3)).approve().boxes()
    with pytest.raises(ElectionError) as err:
        run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    assert err.value.key == "counter_is_candidate"
    assert people(3)[2].full_name in str(err.value)


def test_opening_when_nobody_can_pass_needs_a_reason() -> None:
    run = _ready()
    run.do(BoxSealed("bch", 1, "main", COUNTERS, run.now()))
    thin = Snapshot(present=145, entitled=300, adjusted=290)  # 2 × 145 ≤ 290
    with pytest.raises(ElectionError) as err:
        run.do(VotingOpened("bch", 1, thin, "", run.now()))
    assert err.value.key == "confirmation_required"
    run.do(VotingOpened("bch", 1, thin, "đoàn chủ tịch xác nhận", run.now()))
    r = run.e("bch").current
    assert r.warnings == (VotingWarning.NO_CANDIDATE_CAN_PASS,) and r.open_reason


@pytest.mark.parametrize(
    ("kind", "status", "gets"),
    [
        (Kind.OFFICIAL, Status.SUMMONED, True),
        (Kind.EX_OFFICIO, Status.SUMMONED, True),
        (Kind.GUEST, Status.SUMMONED, False),
        (Kind.ALTERNATE, Status.SUMMONED, False),
        (Kind.OFFICIAL, Status.CREDENTIAL_REJECTED, False),
    ],
)
def test_who_gets_a_ballot(kind: Kind, status: Status, gets: bool) -> None:
    assert el.may_receive_ballot(Member(kind, status, True)) is gets


def test_ballots_issued_to_delegates_once_each() -> None:
    """12.14: a duplicate scan at the ballot desk does not hand out a second ballot."""
    run = _ready()
    run.do(BoxSealed("bch", 1, "main", COUNTERS, run.now()))
    run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    issue_to(run, 17)
    issue_to(run, 18)
    with pytest.raises(ElectionError) as err:
        issue_to(run, 17)
    assert err.value.key == "already_issued"
    run.do(BallotsIssued("bch", 1, "main", 3, "", run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(BallotsIssued("bch", 1, "main", -1, "", run.now()))
    assert err.value.key == "reason_required"
    run.do(BallotsIssued("bch", 1, "main", -1, "phát nhầm", run.now()))
    assert run.e("bch").current.issued == 4


# ---------------------------------------------------------------- reconciliation refused


def _counting(returned: int = 4, issued: int = 4, teams: tuple[str, ...] = ("A",)) -> Run:
    run = committee(2, people(3))
    run.vote(snapshot=Snapshot(4, 4, 4), issued={"main": issued}, returned={"main": returned})
    return run.start_count(teams=teams)


def test_a_box_is_counted_only_when_every_ballot_is_entered() -> None:
    run = _counting()
    run.ballots([BallotInput.struck(1)] * 3)
    with pytest.raises(ElectionError) as err:
        run.do(BoxCounted("bch", 1, "main", run.now()))
    assert err.value.key == "box_incomplete"
    assert "3" in str(err.value) and "4" in str(err.value)
    with pytest.raises(ElectionError) as err:
        run.do(MinutesSigned("bch", 1, COUNTERS, run.now()))
    assert err.value.key == "box_not_counted"


def test_the_seventh_ballot_of_a_six_ballot_box_is_refused_until_one_is_voided() -> None:
    run = _counting(returned=6, issued=6)
    run.ballots([BallotInput.struck(1)] * 3 + [BallotInput.struck(2)] + [BallotInput.struck(1)] * 2)
    with pytest.raises(ElectionError) as err:
        run.ballots([BallotInput.struck(3)])
    assert err.value.key == "box_full"
    assert str(err.value) == (
        "Box main: 6 ballots were found and team A has entered 6; "
        "void a wrong entry before entering another"
    )
    for seq, reason, key in [(4, " ", "reason_required"), (9, "x", "unknown_ballot")]:
        with pytest.raises(ElectionError) as err:
            run.do(BallotVoided("bch", 1, "A", seq, reason, run.now()))
        assert err.value.key == key
    run.do(BallotVoided("bch", 1, "A", 4, "phiếu của hòm phụ", run.now()))
    refusals = [
        (BallotVoided("bch", 1, "A", 4, "lần nữa", run.now()), "ballot_already_voided"),
        (BallotCorrected("bch", 1, "A", 4, BallotInput.struck(3), "x", run.now()),
         "voided_not_corrected"),
        (BoxCounted("bch", 1, "main", run.now()), "box_incomplete"),  # 5 standing of 6
    ]  # fmt: skip
    for event, key in refusals:
        with pytest.raises(ElectionError) as err:
            run.do(event)
        assert err.value.key == key
    run.ballots([BallotInput.struck(3)])  # the sixth standing entry, numbered 7
    r = run.e("bch").current
    assert r.count is not None
    assert [(b.seq, b.voided) for b in r.count.team("A").ballots] == [
        (1, False), (2, False), (3, False), (4, True), (5, False), (6, False), (7, False),
    ]  # fmt: skip
    assert r.count.team("A").ballots[3].void_reason == "phiếu của hòm phụ"
    assert r.count.totals().valid == 6 and r.count.totals().votes == (1, 6, 5)  # 5 × (2, 3), (1, 2)
    run.do(BoxCounted("bch", 1, "main", run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(BallotVoided("bch", 1, "A", 1, "muộn", run.now()))
    assert err.value.key == "box_counted"
    run.do(MinutesSigned("bch", 1, COUNTERS, run.now()))
    (r1,) = json.loads(json.dumps(el.to_json(run.e("bch"))))["rounds"]
    assert [(v["team"], v["seq"], v["box"], v["ballot"]["numbers"], v["reason"])
            for v in r1["voided"]] == [("A", 4, "main", [2], "phiếu của hòm phụ")]  # fmt: skip
    assert r1["corrections"] == [] and r1["reconciliation"]["valid"] == 6


def test_more_ballots_returned_than_issued_is_refused_at_signing() -> None:
    run = _counting(returned=5, issued=4)
    run.ballots([BallotInput.struck(1)] * 5)
    run.do(BoxCounted("bch", 1, "main", run.now()))
    with pytest.raises(ElectionError) as err:
        run.do(MinutesSigned("bch", 1, COUNTERS, run.now()))
    assert err.value.key == "returned_above_issued"
    assert err.value.params == {"returned": 5, "issued": 4}
    assert t("election.error.returned_above_issued", "vi", **err.value.params) == (
        "Số phiếu thu vào 5 nhiều hơn số phiếu phát ra 4"
    )


def test_a_forged_ballot_is_counted_invalid_not_against_those_issued() -> None:
    run = _counting(returned=5, issued=4)
    run.ballots([BallotInput.struck(1)] * 4 + [BallotInput.spoilt(InvalidReason.NOT_ISSUED)])
    run.finish()
    res = run.e("bch").result(1)
    assert res is not None and res.totals.forged == 1


def test_impossible_sheets_are_refused_when_entered() -> None:
    run = committee(2, people(3))
    run.vote(snapshot=Snapshot(4, 4, 4), issued={"main": 4}, returned={"main": 4})
    run.start_count(mode=CountMode.SHEETS)
    with pytest.raises(ElectionError) as err:
        run.sheet({"p001": 5}, 4, {})
    assert err.value.key == "candidate_above_valid"
    assert err.value.params == {"number": 1, "votes": 5, "valid": 4}
    with pytest.raises(ElectionError) as err:
        run.sheet({"p001": 3, "p002": 3, "p003": 1}, 3, {InvalidReason.WRITE_IN: 1})
    assert err.value.key == "kept_above_limit"
    with pytest.raises(ElectionError) as err:  # 5 ballots on the sheet, 4 found in the box
        run.sheet({"p001": 3, "p002": 2}, 3, {InvalidReason.WRITE_IN: 2})
    assert err.value.key == "sheet_above_box"
    assert err.value.params == {"box": "main", "found": 4, "team": "A", "ballots": 5}
    run.sheet({"p001": 3, "p002": 2}, 3, {})  # 3 of the 4 found
    with pytest.raises(ElectionError) as err:
        run.do(BoxCounted("bch", 1, "main", run.now()))
    assert err.value.key == "box_incomplete"


def test_double_entry_must_agree_before_the_box_is_counted() -> None:
    run = _counting(teams=("A", "B"))
    run.ballots([BallotInput.struck(1)] * 4, team="A")
    run.ballots([BallotInput.struck(1)] * 3 + [BallotInput.struck(2)], team="B")
    with pytest.raises(ElectionError) as err:
        run.do(BoxCounted("bch", 1, "main", run.now()))
    assert err.value.key == "double_entry_differs"
    run.do(BallotCorrected("bch", 1, "B", 4, BallotInput.struck(1), "đọc lại phiếu", run.now()))
    run.do(BoxCounted("bch", 1, "main", run.now()))
    trace = run.e("bch").current.count.corrections  # type: ignore[union-attr]
    assert [(c.team, c.seq, c.reason) for c in trace] == [("B", 4, "đọc lại phiếu")]


def test_a_double_entry_difference_resolved_by_accepting_a_team() -> None:
    run = _counting(teams=("A", "B"))
    run.ballots([BallotInput.struck(1)] * 4, team="A", batch="tập 1")
    run.ballots([BallotInput.struck(2)] * 4, team="B", batch="tập 1")
    with pytest.raises(ElectionError) as err:
        run.do(BatchAccepted("bch", 1, "tập 1", "B", "", run.now()))
    assert err.value.key == "reason_required"
    run.do(BatchAccepted("bch", 1, "tập 1", "B", "kiểm lại: tổ B đúng", run.now()))
    run.finish()
    res = run.e("bch").result(1)
    assert res is not None and res.totals.votes == (4, 0, 4)


# ---------------------------------------------------------------- the delegation (domain rules 5)


def _delegation(votes: dict[str, int], alternates: int = 2, **options: object) -> Run:
    run = Run().create("dd", ElectionKind.DELEGATES_HIGHER, **options)
    with pytest.raises(ElectionError) as err:
        run.do(SeatsSet("dd", 12, SeatsSource.VOTE, "vote-1", 0, "", run.now()))
    assert err.value.key == "delegation_seats_allocated"
    run.seats(12, "dd", alternates=alternates)
    run.add(people(16), "dd").approve("dd")
    return run.by_sheet(votes, 282, {}, election="dd", returned=282)


def _votes(passing: int) -> dict[str, int]:
    """p001… with decreasing votes; the first `passing` reach 146 (of 290)."""
    return {f"p{i:03d}": (170 - i if i <= passing else 100 - i) for i in range(1, 17)}


def test_official_delegates_first_then_the_alternate_ballot() -> None:
    run = _delegation(_votes(12))
    state = outcome(run.e("dd"))
    assert state.step is Step.ALTERNATES and len(state.elected) == 12 and state.overflow == ()
    run.do(RoundAdded("dd", RoundReason.ALTERNATES, (), "", run.now()))
    r2 = run.e("dd").current
    assert r2.seats == 2 and set(r2.persons) == {f"p{i:03d}" for i in range(13, 17)}
    run.approve("dd")
    run.by_sheet(
        {"p013": 150, "p014": 120, "p015": 160, "p016": 100}, 282, {}, election="dd", returned=282
    )
    state = outcome(run.e("dd"))
    assert state.step is Step.COMPLETE
    assert state.alternates == (("p015",), ("p013",))  # by votes on the alternate ballot
    assert next_alternate(run.e("dd")) == "p015"
    assert next_alternate(run.e("dd"), ["p015"]) == "p013"
    with pytest.raises(ElectionError) as err:
        next_alternate(run.e("dd"), ["p015", "p013"])
    assert err.value.key == "no_alternate_left"


def test_overflow_becomes_alternates_when_the_congress_agrees() -> None:
    run = _delegation(_votes(14))
    state = outcome(run.e("dd"))
    assert state.step is Step.OVERFLOW and state.overflow == ("p013", "p014")
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("dd", RoundReason.ALTERNATES, (), "", run.now()))
    assert err.value.key == "overflow_undecided"
    run.do(OverflowDecided("dd", True, "vote-30", run.now()))
    state = outcome(run.e("dd"))
    assert state.step is Step.COMPLETE and state.alternates == (("p013",), ("p014",))
    with pytest.raises(ElectionError) as err:
        run.do(RoundAdded("dd", RoundReason.ALTERNATES, (), "", run.now()))
    assert err.value.key == "alternates_filled"


def test_overflow_refused_goes_to_the_alternate_ballot() -> None:
    run = _delegation(_votes(15))  # 3 beyond the 12 seats, only 2 alternate seats
    with pytest.raises(ElectionError) as err:
        run.do(OverflowDecided("dd", True, "vote-30", run.now()))
    assert err.value.key == "overflow_exceeds_alternates"
    run.do(OverflowDecided("dd", False, "vote-30", run.now()))
    run.do(RoundAdded("dd", RoundReason.ALTERNATES, (), "", run.now()))
    assert set(run.e("dd").current.persons) == {"p013", "p014", "p015", "p016"}


def test_alternates_tied_on_votes_wait_for_their_order() -> None:
    run = _delegation(_votes(12))
    run.do(RoundAdded("dd", RoundReason.ALTERNATES, (), "", run.now()))
    run.approve("dd")
    run.by_sheet({"p013": 200, "p014": 200, "p015": 100}, 282, {}, election="dd", returned=282)
    state = outcome(run.e("dd"))
    assert state.step is Step.ALTERNATE_ORDER and state.alternates == (("p013", "p014"),)
    with pytest.raises(ElectionError) as err:
        next_alternate(run.e("dd"))
    assert err.value.key == "alternate_order_undecided"
    with pytest.raises(ElectionError) as err:
        run.do(AlternateOrderDecided("dd", ("p014", "p015"), "x", "", run.now()))
    assert err.value.key == "bad_alternate_order"
    run.do(
        AlternateOrderDecided("dd", ("p014", "p013"), "bốc thăm theo đề nghị", "vote-31", run.now())
    )
    assert outcome(run.e("dd")).step is Step.COMPLETE
    assert next_alternate(run.e("dd")) == "p014"


def test_alternate_ties_by_age_under_older_wins() -> None:
    run = _delegation(_votes(12), tie_policy=el.TiePolicy.OLDER_WINS)
    run.do(RoundAdded("dd", RoundReason.ALTERNATES, (), "", run.now()))
    run.approve("dd")
    run.by_sheet({"p013": 200, "p014": 200}, 282, {}, election="dd", returned=282)
    born = {p: run.e("dd").candidate(p).person.date_of_birth for p in ("p013", "p014")}  # type: ignore[union-attr]
    older = min(born, key=lambda p: born[p])  # type: ignore[arg-type,return-value]
    assert outcome(run.e("dd")).step is Step.COMPLETE
    assert next_alternate(run.e("dd")) == older


def test_activating_an_alternate_gives_the_base_its_place_back() -> None:
    """Domain rules 2.1 b, 5.3: an official absent for the whole congress leaves the base; with
    an alternate in their place they count again."""
    absent = Member(Kind.OFFICIAL, Status.ABSENT_WHOLE, False)
    assert can_be_replaced(absent)
    assert activation_base_change(absent) == 1
    committee_member = Member(Kind.EX_OFFICIO, Status.ABSENT_WHOLE, False)
    assert not can_be_replaced(committee_member)
    assert activation_base_change(committee_member) == 0
    assert not can_be_replaced(replace(absent, replaced_by_alternate=True))
    assert not can_be_replaced(Member(Kind.OFFICIAL, Status.ABSENT_EXCUSED, False))


# ---------------------------------------------------------------- events as JSON, replay


def _full_log() -> list[el.ElectionEvent]:
    run = committee(2, people(3))
    run.vote(snapshot=Snapshot(4, 4, 4), issued={"main": 4}, returned={"main": 4})
    run.start_count(teams=("A", "B"))
    for team in ("A", "B"):
        run.ballots(
            [
                BallotInput.struck(1),
                BallotInput.kept(1, 3),
                BallotInput.spoilt(InvalidReason.WRITE_IN, "ghi tên"),
            ],
            team=team,
        )
        run.ballots([BallotInput.struck(3)], team=team)
    run.do(BallotCorrected("bch", 1, "A", 4, BallotInput.struck(2), "sửa", run.now()))
    run.do(BallotCorrected("bch", 1, "B", 4, BallotInput.struck(2), "sửa", run.now()))
    run.finish()
    return run.log


def test_the_results_json_has_every_round() -> None:
    run = committee(2, people(3))
    run.vote(snapshot=Snapshot(4, 4, 4), issued={"main": 4}, returned={"main": 3})
    run.start_count().ballots([BallotInput.struck(1)] * 2 + [BallotInput.kept()]).finish()
    data = json.loads(json.dumps(el.to_json(run.e("bch"))))
    (r1,) = data["rounds"]
    assert r1["reconciliation"]["issued"] == 4 and r1["reconciliation"]["not_returned"] == 1
    assert r1["reconciliation"]["invalid_by_reason"] == {"all_struck_with_surplus": 1}
    assert [row["votes"] for row in r1["result"]["rows"]] == [0, 2, 2]
    assert r1["result"]["needed"] == 3 and r1["boxes"][0]["status"] == "signed"
    assert data["outcome"]["step"] == "next_round"


def test_every_event_round_trips_through_json() -> None:
    log = _full_log()
    kinds = set()
    for event in log:
        text = json.dumps(event.payload(), ensure_ascii=False)
        again = el.decode(event.KIND, json.loads(text))
        assert again == event, event.KIND
        kinds.add(event.KIND)
    assert kinds <= el.EVENT_KINDS
    extra = [
        SheetEntered(
            "bch", 1, "A", "main", "", Totals.of([1, 2], 3, {"write_in": 1}), "", log[0].at
        ),
        OverflowDecided("dd", True, "vote-1", log[0].at),
        AlternateOrderDecided("dd", ("a", "b"), "r", "v", log[0].at),
        BallotIssuedTo("bch", 1, "main", 12, log[0].at),
        el.TieResolved("bch", 1, ("a",), "r", "v", log[0].at),
        el.ElectionStopped("bch", "v", "r", log[0].at),
        el.ListCut("bch", "poll", log[0].at),
        el.WithdrawalRequested("bch", "p1", "r", log[0].at),
        el.WithdrawalDecided("bch", "p1", False, "v", log[0].at),
        RoundAdded("bch", RoundReason.UNFILLED, (person(5),), "v", log[0].at),
        BallotVoided("bch", 1, "A", 3, "nhập hai lần", log[0].at),
    ]
    for event in extra:
        assert el.decode(event.KIND, json.loads(json.dumps(event.payload()))) == event


def test_a_restart_mid_count_resumes_with_every_ballot_once() -> None:
    """The store replays its log after a SIGKILL: the same book; replaying a ballot event again
    (a write that was not acknowledged) is refused, never counted twice."""
    log = _full_log()
    stored = [(e.KIND, json.loads(json.dumps(e.payload()))) for e in log]
    cut = next(i for i, e in enumerate(log) if isinstance(e, el.BallotEntered)) + 3
    half = el.replay(el.decode(k, p) for k, p in stored[:cut])
    resumed = half
    with pytest.raises(ElectionError) as err:
        el.apply(resumed, el.decode(*stored[cut - 1]))
    assert err.value.key == "seq_out_of_order"
    for kind, payload in stored[cut:]:
        resumed = el.apply(resumed, el.decode(kind, payload))
    assert resumed == el.replay(log)
    entered = resumed.get("bch").rounds[0].count.team("A").ballots  # type: ignore[union-attr]
    assert [b.seq for b in entered] == [1, 2, 3, 4]


def test_bad_events_are_refused() -> None:
    with pytest.raises(ElectionError) as err:
        el.decode("election_nonsense", {"election": "x", "at": "2025-06-20T08:00:00+07:00"})
    assert err.value.key == "bad_event"
    with pytest.raises(ElectionError) as err:
        el.decode(
            "election_box_closed",
            {"election": "x", "round": "1", "box": "m", "at": "2025-06-20T08:00:00+07:00"},
        )
    assert err.value.key == "bad_event"
    with pytest.raises(ElectionError) as err:
        el.decode(
            "election_box_closed",
            {"election": "x", "round": 1, "box": "m", "at": "2025-06-20T08:00:00"},
        )
    assert err.value.key == "bad_time"
    with pytest.raises(ElectionError) as err:
        el.apply(ElectionBook(), BoxClosed("x", 1, "m", Run().now()))
    assert err.value.key == "unknown_election"


def test_an_election_needs_a_fitting_base_and_purpose() -> None:
    run = Run()
    with pytest.raises(ElectionError) as err:
        run.create(rule=el.VoteRule(el.Ratio(1, 2), el.VoteBase.YES_NO))
    assert err.value.key == "bad_base"
    with pytest.raises(ElectionError) as err:
        run.create("p", ElectionKind.OPINION_POLL, purpose=el.Purpose.ELECT)
    assert err.value.key == "bad_purpose"
    run.create()
    with pytest.raises(ElectionError) as err:
        run.create()
    assert err.value.key == "duplicate_election"


# ---------------------------------------------------------------- hygiene


def test_no_floats_in_the_election_modules() -> None:
    """Integer arithmetic only: no float literal, no true division, no float() call."""
    for path in election_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.name
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), name
            assert not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)), name
            assert not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "float"), (
                name
            )


def _error_keys() -> set[str]:
    keys = set()
    for path in election_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in ("ElectionError", "Problem")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    keys |= {f"surplus_{s.value}" for s in BLOCKING}
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_refusal_has_a_text(lang: str) -> None:
    keys = _error_keys()
    assert len(keys) > 100
    missing = sorted(k for k in keys if f"election.error.{k}" not in catalog(lang))
    assert missing == []


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("election.kind.", [k.value for k in ElectionKind]),
        ("election.invalid.", [r.value for r in InvalidReason]),
        ("election.outcome.", [o.value for o in Outcome]),
        ("election.tie_policy.", [p.value for p in el.TiePolicy]),
        ("election.box_status.", [s.value for s in BoxStatus]),
        ("election.box_kind.", [k.value for k in BoxKind]),
        ("election.round_status.", [s.value for s in RoundStatus]),
        ("election.round_reason.", [r.value for r in RoundReason]),
        ("election.step.", [s.value for s in Step]),
        ("election.source.", [s.value for s in el.Source]),
        ("election.candidate_status.", [s.value for s in el.CandidateStatus]),
        ("election.warning.", [w.value for w in VotingWarning]),
        ("election.purpose.", [p.value for p in el.Purpose]),
        ("election.phase.", [p.value for p in el.Phase]),
        ("election.count_mode.", [m.value for m in CountMode]),
        ("election.format.", [f.value for f in el.BallotFormat]),
        ("election.base.", [b.value for b in el.ELECTION_BASES]),
    ],
)
def test_enum_texts_exist(prefix: str, values: list[str]) -> None:
    for lang in LANGUAGES:
        assert sorted(v for v in values if prefix + v not in catalog(lang)) == [], lang


def test_refusal_texts_fill_every_placeholder() -> None:
    """Every refusal the tests provoke reads without a raw {placeholder}, in both languages."""
    from session import i18n

    provoked: list[ElectionError] = []
    run = committee(2, people(3))
    attempts = [
        lambda: run.approve(),
        lambda: run.do(BoxClosed("bch", 1, "nope", run.now())),
        lambda: run.do(SeatsSet("bch", 0, SeatsSource.VOTE, "v", 0, "", run.now())),
        lambda: el.next_alternate(run.e("bch")),
        lambda: run.do(MinutesSigned("bch", 1, (), run.now())),
        lambda: run.do(ResultsAnnounced("bch", 1, run.now())),
        lambda: run.do(BoxOpened("bch", 1, "x", 1, (), run.now())),
    ]
    for attempt in attempts:
        try:
            attempt()
        except ElectionError as exc:
            provoked.append(exc)
    assert len(provoked) == len(attempts)
    for lang in LANGUAGES:
        i18n.use(lang)
        try:
            for exc in provoked:
                assert "{" not in str(exc) and "⟦" not in str(exc), (lang, exc.key)
        finally:
            i18n.use("vi")
