"""session.election_steps: the one next step of an election at every point of domain rules 4,
and which congress decision a step may cite."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from db.store import Store
from session import agenda as ag
from session import elections as el
from session.agenda import ItemKind, MotionKind
from session.ballots import BallotInput
from session.candidates import delegate_person_id
from session.count import CountMode, Totals
from session.election_steps import (
    Action,
    Blocker,
    blockers,
    citable_votes,
    cited_votes,
    decision_items,
    election_from_spec,
    latest_committee,
    next_action,
    pool_members,
)
from session.elections import (
    BallotEntered,
    BallotsIssued,
    BallotVoided,
    BatchAccepted,
    BoxClosed,
    BoxCounted,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    ElectionKind,
    MinutesSigned,
    ResultsAnnounced,
    SheetEntered,
    VotingOpened,
    WithdrawalRequested,
)
from session.i18n import LANGUAGES, t
from session.results import TiePolicy
from session.rollcall import Mode
from session.tally import Snapshot
from tests.harness.bch_election import counter_ids
from tests.harness.elections_kit import COUNTERS, SECTION_11, Run, committee, people

MakeStore = Callable[..., Store]


def actions(run: Run, election: str = "bch") -> Action:
    return next_action(run.e(election), run.book).action


def test_a_committee_walks_every_step_in_order() -> None:
    run = Run().create()
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.motion) == (Action.SEATS, MotionKind.SEAT_COUNT)
    run.seats(3).add(people(4))
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.motion) == (Action.APPROVE_LIST, MotionKind.ELECTION_LIST)
    run.do(WithdrawalRequested("bch", people(4)[3].id, "sức khỏe", run.now()))
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.motion) == (Action.DECIDE_WITHDRAWAL, MotionKind.WITHDRAWAL)
    run.do(el.WithdrawalDecided("bch", people(4)[3].id, False, "vote-w", run.now()))
    run.approve()
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.motion) == (Action.APPOINT_COUNTERS, MotionKind.PROCEDURAL_BODY)
    run.counters()
    assert actions(run) is Action.PREPARE_BOX
    run.do(BoxPrepared("bch", 1, "main", el.BoxKind.MAIN, run.now()))
    assert next_action(run.e("bch")).box == "main"
    assert actions(run) is Action.SEAL_BOX
    run.do(BoxSealed("bch", 1, "main", COUNTERS[:2], run.now()))
    assert actions(run) is Action.OPEN_VOTING
    run.do(VotingOpened("bch", 1, SECTION_11, "", run.now()))
    assert actions(run) is Action.ISSUE_BALLOTS
    run.do(BallotsIssued("bch", 1, "main", 4, "", run.now()))
    assert actions(run) is Action.CLOSE_BOX
    run.do(BoxClosed("bch", 1, "main", run.now()))
    assert actions(run) is Action.OPEN_BOX
    run.do(BoxOpened("bch", 1, "main", 4, COUNTERS, run.now()))
    assert actions(run) is Action.START_COUNTING
    run.start_count()
    assert actions(run) is Action.COUNT
    run.ballots([BallotInput.struck(4)] * 3)
    assert actions(run) is Action.COUNT  # 3 of the 4 found
    run.ballots([BallotInput.struck(3)])
    assert actions(run) is Action.BOX_COUNTED
    run.do(BoxCounted("bch", 1, "main", run.now()))
    assert actions(run) is Action.SIGN
    run.do(MinutesSigned("bch", 1, COUNTERS, run.now()))
    assert actions(run) is Action.ANNOUNCE
    run.do(ResultsAnnounced("bch", 1, run.now()))
    # 4 present of a base of 290: nobody reaches the threshold, the seats are unfilled.
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.motion) == (Action.NEXT_ROUND, MotionKind.OTHER)


def _tied(policy: TiePolicy) -> Run:
    run = committee(3, people(4), tie_policy=policy)
    ids = [p.id for p in people(4)]
    return run.by_sheet({ids[0]: 200, ids[1]: 200, ids[2]: 150, ids[3]: 150}, 250, {})


def test_a_tie_at_the_cut_off_follows_the_tie_policy() -> None:
    assert actions(_tied(TiePolicy.REVOTE_TIED)) is Action.TIE_BREAK
    assert actions(_tied(TiePolicy.PRESIDIUM_DECIDES)) is Action.TIE_DECISION
    run = _tied(TiePolicy.REVOTE_TIED)
    run.do(el.RoundAdded("bch", el.RoundReason.TIE_BREAK, (), "", run.now()))
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.motion, step.round) == (Action.APPROVE_LIST, None, 2)


def test_a_complete_election_has_nothing_left() -> None:
    run = committee(2, people(3))
    ids = [p.id for p in people(3)]
    run.by_sheet({ids[0]: 250, ids[1]: 200, ids[2]: 50}, 250, {})
    assert actions(run) is Action.DONE


def test_a_list_over_the_cap_waits_for_its_opinion_ballot() -> None:
    run = Run().create().seats(10).add(people(14))  # at most 13 names for 10 seats
    assert actions(run) is Action.OPINION_POLL
    run.create("poll", ElectionKind.OPINION_POLL, parent="bch")
    run.add(people(14), "poll")
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.election) == (Action.WAIT_POLL, "poll")
    run.approve("poll")
    assert actions(run, "poll") is Action.APPOINT_COUNTERS
    ids = [p.id for p in people(14)]
    run.by_sheet({p: 200 - i for i, p in enumerate(ids)}, 250, {}, election="poll")
    assert actions(run, "poll") is Action.DONE
    step = next_action(run.e("bch"), run.book)
    assert (step.action, step.election) == (Action.CUT_LIST, "poll")
    run.do(el.ListCut("bch", "poll", run.now()))
    assert actions(run) is Action.APPROVE_LIST
    assert len(run.e("bch").on_list()) == 13


def test_a_delegation_s_seats_are_allocated_and_its_overflow_decided() -> None:
    run = Run().create("dl", ElectionKind.DELEGATES_HIGHER)
    step = next_action(run.e("dl"), run.book)
    assert (step.action, step.motion) == (Action.SEATS, None)
    run.seats(2, "dl", alternates=1).add(people(4), "dl").approve("dl")
    ids = [p.id for p in people(4)]
    run.by_sheet({ids[0]: 200, ids[1]: 150, ids[2]: 148, ids[3]: 2}, 250, {}, election="dl")
    step = next_action(run.e("dl"), run.book)
    assert (step.action, step.motion) == (Action.OVERFLOW, MotionKind.OTHER)
    run.do(el.OverflowDecided("dl", False, "vote-o", run.now()))
    assert actions(run, "dl") is Action.ALTERNATES


def test_a_nomination_ballot_lists_the_pool_s_elected() -> None:
    run = committee(2, people(3))
    ids = [p.id for p in people(3)]
    run.by_sheet({ids[0]: 250, ids[1]: 200, ids[2]: 50}, 250, {})
    run.create("bt", ElectionKind.OPINION_POLL, pool="bch")
    assert actions(run, "bt") is Action.LIST_FROM_POOL
    assert [p.id for p in pool_members(run.book, run.e("bt"))] == ids[:2]
    run.add(pool_members(run.book, run.e("bt")), "bt")
    step = next_action(run.e("bt"), run.book)
    assert (step.action, step.motion) == (Action.APPROVE_LIST, None)


def test_cited_votes_and_the_latest_committee() -> None:
    run = committee(2, people(3))
    assert cited_votes(run.book) >= {"vote-01", "vote-list-1"}
    assert latest_committee(run.book) is None
    run.counters(members=("x", "y"))
    found = latest_committee(run.book)
    assert found is not None and found.members == ("x", "y")


def _publish(store: Store, item: str, motion: MotionKind, passed: bool = True) -> str:
    vote = store.open_item_vote(item, motion=motion, title=f"{motion.value}")
    if passed:
        store.confirm_unanimous(vote.id, "t1")
        store.confirm_unanimous(vote.id, "t2")
    else:
        for sector in [s.code for s in store.congress.sectors] or ["ALL"]:
            for teller in ("t1", "t2"):
                store.enter_count(vote.id, sector, teller, {o.value: 0 for o in vote.options})
    return store.publish_vote(vote.id).id


def test_a_step_cites_only_an_uncited_published_passed_vote_of_its_own_kind(
    make_store: MakeStore, sqlite_url: str
) -> None:
    store = make_store(sqlite_url)
    for d in [d for d in store.delegates() if d.votes]:
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "door")
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.ELECTION)
    store.start_item(item)
    seats = _publish(store, item, MotionKind.SEAT_COUNT)
    failed = _publish(store, item, MotionKind.SEAT_COUNT, passed=False)
    counters = _publish(store, item, MotionKind.PROCEDURAL_BODY)
    votes, book = store.vote_book(), store.election_book()
    assert [v.id for v in citable_votes(votes, book, item, MotionKind.SEAT_COUNT)] == [seats]
    assert failed not in [v.id for v in citable_votes(votes, book, item, MotionKind.SEAT_COUNT)]
    assert citable_votes(votes, book, item, MotionKind.ELECTION_LIST) == ()
    spec = store.congress.elections[0]
    ruleset = store.congress.rules.ruleset.value
    store.record_election(lambda b, now: election_from_spec(spec, item, ruleset, now))
    store.record_election(
        lambda b, now: el.SeatsSet(spec.name, 3, el.SeatsSource.VOTE, seats, 0, "", now)
    )
    head, member = counter_ids(store)
    store.record_election(
        lambda b, now: el.CountersAppointed(spec.name, head, (head, member), counters, now)
    )
    votes, book = store.vote_book(), store.election_book()
    assert citable_votes(votes, book, item, MotionKind.SEAT_COUNT) == ()  # cited once
    # The counting committee is elected once and serves every election.
    assert [v.id for v in citable_votes(votes, book, item, MotionKind.PROCEDURAL_BODY)] == [
        counters
    ]


def test_the_seats_and_the_list_may_be_decided_at_the_vote_items_before_the_election() -> None:
    """The standard Party agenda votes the seats (item-18) and the list (item-19) before the
    committee's election (item-20); the walk back stops at the previous election item, and an
    item moved after the election no longer precedes it."""
    state = ag.initial(ag.default_agenda(ag.Template.PARTY, "en"))
    assert decision_items(state, "item-20", MotionKind.SEAT_COUNT) == ("item-20", "item-18")
    assert decision_items(state, "item-20", MotionKind.ELECTION_LIST) == ("item-20", "item-19")
    # Only the seats and the list: the bodies voted at item-03 are no counting committee.
    assert decision_items(state, "item-20", MotionKind.PROCEDURAL_BODY) == ("item-20",)
    # The delegation (item-22) comes after the nomination ballot (item-21): nothing before it.
    assert decision_items(state, "item-22", MotionKind.SEAT_COUNT) == ("item-22",)
    assert decision_items(None, "item-20", MotionKind.SEAT_COUNT) == ("item-20",)
    moved = ag.apply(
        state, ag.ItemMoved("item-18", "item-20", datetime(2025, 6, 20, 9, tzinfo=UTC))
    )
    assert decision_items(moved, "item-20", MotionKind.SEAT_COUNT) == ("item-20",)
    assert decision_items(moved, "item-21", MotionKind.SEAT_COUNT) == ("item-21", "item-18")


def test_an_election_cites_the_seats_and_list_voted_at_earlier_items(
    make_store: MakeStore, sqlite_url: str
) -> None:
    store = make_store(sqlite_url)
    for d in [d for d in store.delegates() if d.votes]:
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "door")
    state = store.agenda_state()
    marked = {s.item.motion: s.key for s in state.items if s.item.kind is ItemKind.VOTE}
    seats_item, list_item = marked[MotionKind.SEAT_COUNT], marked[MotionKind.ELECTION_LIST]
    item, *_, delegation = [s.key for s in state.items if s.item.kind is ItemKind.ELECTION]
    assert (seats_item, list_item, item, delegation) == ("item-18", "item-19", "item-20", "item-22")
    store.start_item(seats_item)
    failed = _publish(store, seats_item, MotionKind.SEAT_COUNT, passed=False)
    seats = _publish(store, seats_item, MotionKind.SEAT_COUNT)
    store.start_item(list_item)
    listed = _publish(store, list_item, MotionKind.ELECTION_LIST)
    store.start_item(item)
    store.start_item(delegation)  # a later item's decision is never the committee's
    later = _publish(store, delegation, MotionKind.SEAT_COUNT)
    votes, book, agenda = store.vote_book(), store.election_book(), store.agenda_state()

    def ids(at: str, motion: MotionKind) -> list[str]:
        return [v.id for v in citable_votes(votes, book, at, motion, agenda)]

    assert ids(item, MotionKind.SEAT_COUNT) == [seats]
    assert failed not in ids(item, MotionKind.SEAT_COUNT)
    assert ids(item, MotionKind.ELECTION_LIST) == [listed]
    assert ids(delegation, MotionKind.SEAT_COUNT) == [later]
    assert ids(delegation, MotionKind.ELECTION_LIST) == []
    # Without the agenda, only the election's own item (as before).
    assert citable_votes(votes, book, item, MotionKind.SEAT_COUNT) == ()
    spec = store.congress.elections[0]
    ruleset = store.congress.rules.ruleset.value
    store.record_election(lambda b, now: election_from_spec(spec, item, ruleset, now))
    store.record_election(
        lambda b, now: el.SeatsSet(spec.name, 3, el.SeatsSource.VOTE, seats, 0, "", now)
    )
    votes, book = store.vote_book(), store.election_book()
    assert ids(item, MotionKind.SEAT_COUNT) == []  # cited once, never again
    assert ids(item, MotionKind.ELECTION_LIST) == [listed]


# ---------------------------------------------------------------- what blocks a step


def _opened(found: int, teams: tuple[str, ...] = ("A",), issued: int | None = None) -> Run:
    """Counting started by `teams` on box "main", opened with `found` ballots."""
    run = committee(2, people(3))
    run.vote(
        snapshot=Snapshot(10, 10, 10),
        issued={"main": found if issued is None else issued},
        returned={"main": found},
    )
    return run.start_count(teams=teams)


def _blocking(run: Run) -> tuple[Action, tuple[Blocker, ...]]:
    step = next_action(run.e("bch"), run.book)
    found = blockers(run.e("bch"), step)
    for b in found:  # every blocker reads in both languages, every number filled in
        for lang in LANGUAGES:
            text = t(f"election.blocker.{b.key}", lang, **b.params)
            assert "{" not in text and "⟦" not in text, (lang, text)
    return step.action, found


def test_ballots_still_to_enter_are_told_per_team() -> None:
    run = _opened(6, teams=("A", "B"))
    run.ballots([BallotInput.struck(1)] * 4, team="A").ballots(
        [BallotInput.struck(1)] * 6, team="B"
    )
    assert _blocking(run) == (
        Action.COUNT,
        (Blocker("entries_missing",
                 {"box": "main", "team": "A", "entered": 4, "found": 6, "missing": 2}),),
    )  # fmt: skip
    text = t("election.blocker.entries_missing", "en", **_blocking(run)[1][0].params)
    assert text == "Box main: team A has entered 4 of the 6 ballots found; 2 still to enter"
    run.do(BallotVoided("bch", 1, "B", 2, "nhập hai lần", run.now()))  # B now stands at 5
    assert [(b.key, b.params["team"], b.params["entered"]) for b in _blocking(run)[1]] == [
        ("entries_missing", "A", 4), ("entries_missing", "B", 5),
    ]  # fmt: skip


def test_an_old_log_with_more_entries_than_the_box_held_says_to_void_them() -> None:
    """A log written before the box_full check replays (so it still verifies); the step then
    says what to put right."""
    run = _opened(6)
    run.ballots([BallotInput.struck(1)] * 6)
    extra = BallotEntered("bch", 1, "A", 7, "main", "", BallotInput.struck(2), run.now())
    with pytest.raises(el.ElectionError) as err:  # a new entry is refused...
        run.do(extra)
    assert err.value.key == "box_full"
    old = Run(book=el.replay([*run.log, extra]), log=[*run.log, extra], minute=run.minute)
    assert _blocking(old) == (
        Action.COUNT,
        (Blocker("entries_extra",
                 {"box": "main", "team": "A", "entered": 7, "found": 6, "extra": 1}),),
    )  # fmt: skip
    assert "void the 1 extra entries" in t("election.blocker.entries_extra", "en",
                                           **_blocking(old)[1][0].params)  # fmt: skip
    old.do(BallotVoided("bch", 1, "A", 7, "nhập thừa", old.now()))
    assert _blocking(old) == (Action.BOX_COUNTED, ())
    old.do(BoxCounted("bch", 1, "main", old.now()))
    assert _blocking(old) == (Action.SIGN, ())


def test_an_old_log_with_tally_sheets_above_the_box_says_so() -> None:
    run = committee(2, people(3))
    run.vote(snapshot=Snapshot(10, 10, 10), issued={"main": 6}, returned={"main": 6})
    run.start_count(mode=CountMode.SHEETS)
    sheet = SheetEntered("bch", 1, "A", "main", "", Totals.of([5, 4, 3], 7, {}), "", run.now())
    with pytest.raises(el.ElectionError) as err:
        run.do(sheet)
    assert err.value.key == "sheet_above_box"
    old = Run(book=el.replay([*run.log, sheet]), log=[*run.log, sheet], minute=run.minute)
    assert _blocking(old) == (
        Action.COUNT,
        (Blocker("sheets_extra",
                 {"box": "main", "team": "A", "entered": 7, "found": 6, "extra": 1}),),
    )  # fmt: skip


def test_a_box_is_not_counted_while_the_teams_figures_differ_in_a_batch() -> None:
    run = _opened(4, teams=("A", "B"))
    run.ballots([BallotInput.struck(1)] * 2, team="A", batch="tập 1")
    run.ballots([BallotInput.struck(2)] * 2, team="A", batch="tập 2")
    run.ballots([BallotInput.struck(1)] * 2, team="B", batch="tập 1")
    run.ballots([BallotInput.struck(2), BallotInput.struck(3)], team="B", batch="tập 2")
    action, found = _blocking(run)
    assert action is Action.BOX_COUNTED
    assert found == (
        Blocker("batch_differs", {
            "box": "main", "batch": "tập 2", "first": "A", "second": "B",
            "first_ballots": 2, "second_ballots": 2, "figures": 2,
        }),
    )  # fmt: skip
    with pytest.raises(el.ElectionError):  # what the blocker says, the reducer refuses
        run.do(BoxCounted("bch", 1, "main", run.now()))
    run.do(BatchAccepted("bch", 1, "tập 2", "A", "kiểm lại: tổ A đúng", run.now()))
    assert _blocking(run) == (Action.BOX_COUNTED, ())


def test_signing_is_blocked_by_more_ballots_returned_than_issued() -> None:
    run = _opened(5, issued=4)
    run.ballots([BallotInput.struck(1)] * 5)
    run.do(BoxCounted("bch", 1, "main", run.now()))
    assert _blocking(run) == (
        Action.SIGN,
        (Blocker("round_returned_above_issued", {"round": 1, "returned": 5, "issued": 4}),),
    )
    with pytest.raises(el.ElectionError) as err:
        run.do(MinutesSigned("bch", 1, COUNTERS, run.now()))
    assert err.value.key == "returned_above_issued"


def test_voting_is_blocked_by_a_counter_on_the_list() -> None:
    run = Run().create().seats(2)
    run.counters(members=(delegate_person_id(20), delegate_person_id(3)))
    run.add(people(3)).approve().boxes()
    listed = people(3)[2]
    assert _blocking(run) == (
        Action.OPEN_VOTING,
        (Blocker("counter_is_candidate", {"name": listed.full_name, "election": "Bầu bch"}),),
    )
    run.counters(members=(delegate_person_id(20), delegate_person_id(21)))
    assert _blocking(run) == (Action.OPEN_VOTING, ())


def test_a_list_shorter_than_the_seats_is_not_put_to_the_vote() -> None:
    """Seen in tmux: F2 offered the list vote on an empty delegation list; the approval after
    the congress's vote would only refuse it. The step names what is missing first."""
    run = Run().create("dl", ElectionKind.DELEGATES_HIGHER).seats(2, "dl", alternates=1)
    step = next_action(run.e("dl"), run.book)
    assert step.action is Action.APPROVE_LIST
    assert [b.key for b in blockers(run.e("dl"), step)] == ["list_empty"]
    run.add(people(2), "dl")
    (short,) = blockers(run.e("dl"), step)
    assert (short.key, short.params["candidates"], short.params["seats"]) == (
        "list_fewer_than_seats",
        2,
        3,
    )
    run.add(people(4)[2:], "dl")
    assert blockers(run.e("dl"), step) == ()


def test_f2_has_a_form_for_every_step() -> None:
    """The election screen names each step's form in one table (no f-string dispatch): every
    step but counting (the counting screen) and done (nothing to do) has one, and its own."""
    from tui.elections.screen import ElectionScreen

    class Names:  # stands in for the screen: each method is its name
        def __getattr__(self, name: str) -> str:
            return name

    table = ElectionScreen._steps(Names())  # type: ignore[arg-type]
    assert set(table) == set(Action) - {Action.COUNT, Action.DONE}
    assert all(name == f"_step_{action.value}" for action, name in table.items())
