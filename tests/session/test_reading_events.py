"""The machine as one counting team, in the log (issue 14): BallotRead and ReadingDecided applied
by the reducer, the reader team entering ballot by ballot beside a hand count from tally sheets,
a sheet read once, a verdict that must follow from the marks, and both events through the codec
(an old CountingStarted without a reader reads and writes as it always did)."""

import json
from dataclasses import replace

import pytest

from session import elections as el
from session.ballot_reading import Doubt, Outcome, RowMark, SheetPlace, Verdict, outcome
from session.ballots import BallotInput, ElectionError, InvalidReason
from session.count import CountMode, Totals, by_candidate, differences, enter_sheet
from session.election_steps import Action, blockers, next_action
from session.elections import (
    BallotRead,
    BoxCounted,
    CountingStarted,
    MinutesSigned,
    ReadingDecided,
)
from tests.harness.elections_kit import COUNTERS, SECTION_11, Run, committee, people

K, S, U = RowMark.KEPT, RowMark.STRUCK, RowMark.UNSURE
IMAGE = "5e" * 32  # a SHA-256 in hex
MACHINE, HAND = "Máy đọc", "Tổ 1"


OTHER_CODE = "PB1|bk|1|0123456789ab"  # another election's ballot


def place(sheet: int, image: str = IMAGE, page: int | None = None, slot: int = 1) -> SheetPlace:
    return SheetPlace(image, "scan-0001.pdf", sheet if page is None else page, slot, sheet)


def counting(
    returned: int = 3,
    mode: CountMode = CountMode.BALLOTS,
    teams: tuple[str, ...] = (MACHINE,),
    reader: str | None = MACHINE,
    boxes: tuple[str, ...] = ("main",),
) -> Run:
    """5 names for 3 seats (a strike-out list; rules without a cap on the surplus, auxiliary
    boxes allowed), `returned` ballots found in every box, counting started with the machine as
    team `reader`."""
    run = committee(3, people(5), ruleset="custom")
    run.boxes(boxes=boxes)
    counts = dict.fromkeys(boxes, returned)
    run.vote(snapshot=SECTION_11, issued=counts, returned=counts)
    return run.do(CountingStarted("bch", 1, mode, teams, run.now(), reader))


def read(
    run: Run,
    sheet: int,
    marks: tuple[RowMark, ...],
    doubts: tuple[Doubt, ...] = (),
    box: str = "main",
    batch: str = "",
    where: SheetPlace | None = None,
    other: bool = False,
    code: str = "",
) -> Run:
    r = run.e("bch").current
    got = outcome(r.format, len(r.ballot), r.seats, marks, doubts, other_ballot=other)
    code = code or (OTHER_CODE if other else f"PB1|bch|{r.number}|0123456789ab")
    event = el.ballot_read(
        run.book, "bch", r.number, box, batch, where or place(sheet), code,
        marks, doubts, got, run.now(),
    )  # fmt: skip
    return run.do(event)


def rnd(run: Run) -> el.Round:
    return run.e("bch").current


# ---------------------------------------------------------------- read and entered


def test_a_valid_reading_is_entered_for_the_reader_team_with_its_seq() -> None:
    run = counting()
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, K, K, K, S))  # four kept for three seats: invalid by rule
    r = rnd(run)
    assert r.count is not None
    ballots = r.count.team(MACHINE).ballots
    assert [b.seq for b in ballots] == [1, 2]
    assert ballots[0].ballot == BallotInput.struck(2, 4)
    assert not ballots[1].judgement.valid
    totals = r.count.totals()
    assert (totals.valid, totals.invalid_total, totals.votes) == (1, 1, (1, 0, 1, 0, 1))
    first, second = r.readings
    assert (first.verdict, first.seq, first.box, first.batch) == (Verdict.VALID, 1, "main", "main")
    assert (second.verdict, second.seq) == (Verdict.INVALID, 2)
    assert first.marks == "ksksk" and first.code == "PB1|bch|1|0123456789ab"
    assert el.pending_readings(r) == ()
    assert el.reading_at(r, place(2).key) == second
    counts = el.box_reading_counts(r, "main")
    assert (counts.read, counts.valid, counts.invalid, counts.pending) == (2, 1, 1, 0)


def test_the_builder_takes_the_next_seq_after_hand_entries_of_the_same_team() -> None:
    run = counting()
    run.ballots([BallotInput.struck(1, 2)], team=MACHINE)  # a ballot the machine could not take
    read(run, 1, (K, S, K, S, K))
    r = rnd(run)
    assert r.count is not None and r.readings[0].seq == 2
    assert len(r.count.team(MACHINE).ballots) == 2


def test_an_undecided_reading_waits_and_its_box_cannot_be_counted() -> None:
    run = counting(returned=2)
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, U, K, S, S), (Doubt.NO_STAMP,))
    r = rnd(run)
    assert r.count is not None
    (pending,) = el.pending_readings(r)
    assert (pending.verdict, pending.seq, pending.ballot) == (Verdict.UNDECIDED, 0, None)
    assert set(pending.doubts) == {Doubt.UNSURE_ROW, Doubt.NO_STAMP}
    assert len(r.count.team(MACHINE).ballots) == 1  # nothing entered for it yet
    with pytest.raises(ElectionError) as exc:
        run.do(BoxCounted("bch", 1, "main", run.now()))
    assert exc.value.key == "readings_pending"
    assert exc.value.params == {"box": "main", "count": 1}
    assert "wait for the counting committee" in str(exc.value)


def test_the_election_screen_says_which_sheets_wait_for_the_committee() -> None:
    run = counting(returned=2, teams=("Tổ 1", MACHINE))
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, U, K, S, S), (Doubt.NO_STAMP,))
    e = run.e("bch")
    step = next_action(e)
    assert (step.action, step.box) == (Action.COUNT, "main")
    found = [(b.key, b.params["team"], b.params.get("count")) for b in blockers(e, step)]
    assert found == [
        ("entries_missing", "Tổ 1", None),  # the hand count has not begun
        ("readings_pending", MACHINE, 1),
        ("entries_missing", MACHINE, None),  # one sheet waits for the committee's decision
    ]


def test_the_committee_s_decision_is_entered_and_the_box_can_then_be_counted() -> None:
    run = counting(returned=2)
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, U, K, S, S))
    decided = BallotInput.struck(2, 4, 5)
    run.do(el.reading_decided(run.book, "bch", 1, place(2).key, decided, " mực nhòe ", run.now()))
    r = rnd(run)
    assert r.count is not None
    assert el.pending_readings(r) == ()
    reading = el.reading_at(r, place(2).key)
    assert reading is not None and reading.decision is not None
    assert (reading.decision.ballot, reading.decision.reason, reading.decision.seq) == (
        decided,
        "mực nhòe",
        2,
    )
    assert reading.counted == decided and reading.entry == 2
    assert r.count.team(MACHINE).ballots[1].ballot == decided
    counts = el.box_reading_counts(r, "main")
    assert (counts.read, counts.valid, counts.decided, counts.pending) == (2, 1, 1, 0)
    run.do(BoxCounted("bch", 1, "main", run.now()))
    run.do(MinutesSigned("bch", 1, COUNTERS, run.now()))
    assert rnd(run).signed_at is not None


def test_a_decision_needs_a_reason_a_pending_sheet_and_the_next_seq() -> None:
    run = counting(returned=3)
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, U, K, S, S))
    ballot = BallotInput.spoilt(InvalidReason.SIGNED_OR_MARKED)
    for event, key in [
        (ReadingDecided("bch", 1, IMAGE, 2, 1, ballot, "  ", 2, run.now()), "reason_required"),
        (ReadingDecided("bch", 1, IMAGE, 1, 1, ballot, "x", 2, run.now()), "reading_not_pending"),
        (ReadingDecided("bch", 1, IMAGE, 9, 1, ballot, "x", 2, run.now()), "unknown_reading"),
        (ReadingDecided("bch", 1, IMAGE, 2, 1, ballot, "x", 5, run.now()), "seq_out_of_order"),
    ]:
        with pytest.raises(ElectionError) as exc:
            el.apply(run.book, event)
        assert exc.value.key == key
    run.do(ReadingDecided("bch", 1, IMAGE, 2, 1, ballot, "ký tên", 2, run.now()))
    with pytest.raises(ElectionError) as exc:  # decided once
        el.apply(run.book, ReadingDecided("bch", 1, IMAGE, 2, 1, ballot, "x", 3, run.now()))
    assert exc.value.key == "reading_not_pending"


def test_minutes_cannot_be_signed_while_a_reading_waits() -> None:
    """Even with its box counted some other way (a log from before the rule, say), a pending
    reading keeps the minutes unsigned."""
    run = counting(returned=1)
    read(run, 1, (K, U, K, S, S))
    r = rnd(run)
    counted = replace(r, boxes=tuple(replace(b, status=el.BoxStatus.COUNTED) for b in r.boxes))
    e = replace(run.e("bch"), rounds=(counted,))
    book = el.ElectionBook((e,))
    with pytest.raises(ElectionError) as exc:
        el.apply(book, MinutesSigned("bch", 1, COUNTERS, run.now()))
    assert exc.value.key == "readings_pending"


# ---------------------------------------------------------------- a sheet read once


def test_the_same_sheet_twice_is_refused_even_into_another_box() -> None:
    run = counting(boxes=("main", "phụ"), returned=2)
    read(run, 1, (K, S, K, S, K))
    again = place(1)
    for box in ("main", "phụ"):
        with pytest.raises(ElectionError) as exc:
            read(run, 1, (K, K, S, S, K), box=box, where=again)
        assert exc.value.key == "sheet_already_read"
        assert exc.value.params["box"] == "main"
        assert "already read" in str(exc.value)
    # the same page's other ballot and another image are other sheets
    read(run, 2, (K, K, S, S, K), box="phụ", where=place(1, slot=2))
    read(run, 3, (K, K, S, S, K), box="phụ", where=place(1, image="7a" * 32))
    assert len(rnd(run).readings) == 3


def test_a_sheet_read_in_an_earlier_round_is_refused_in_a_later_one() -> None:
    run = counting(returned=1)
    read(run, 1, (K, S, K, S, K))
    r = rnd(run)
    later = replace(r, number=2, readings=(), count=r.count)
    e = replace(run.e("bch"), rounds=(r, later))
    book = el.ElectionBook((e,))
    got = outcome(r.format, 5, 3, (K, S, K, S, S))
    event = el.ballot_read(book, "bch", 2, "main", "", place(1), "", (K, S, K, S, S), (), got,
                           run.now())  # fmt: skip
    with pytest.raises(ElectionError) as exc:
        el.apply(book, event)
    assert exc.value.key == "sheet_already_read" and exc.value.params["round"] == 1


def test_reading_beyond_the_ballots_found_is_refused() -> None:
    run = counting(returned=2)
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, U, K, S, S))  # pending: it will be an entry
    with pytest.raises(ElectionError) as exc:
        read(run, 3, (K, S, K, S, K))
    assert exc.value.key == "box_full"


# ---------------------------------------------------------------- the reader team


def test_only_the_reader_team_records_readings() -> None:
    run = counting(teams=(MACHINE, HAND))
    r = rnd(run)
    good = el.ballot_read(run.book, "bch", 1, "main", "", place(1), "", (K, S, K, S, K), (),
                          outcome(r.format, 5, 3, (K, S, K, S, K)), run.now())  # fmt: skip
    with pytest.raises(ElectionError) as exc:
        el.apply(run.book, replace(good, team=HAND))
    assert exc.value.key == "not_reader_team"
    plain = counting(reader=None)
    with pytest.raises(ElectionError) as exc:
        el.apply(plain.book, good)
    assert exc.value.key == "no_reader"


def test_the_reader_must_be_one_of_the_teams() -> None:
    run = committee(3, people(5), ruleset="custom")
    run.vote()
    with pytest.raises(ElectionError) as exc:
        run.do(CountingStarted("bch", 1, CountMode.BALLOTS, ("A",), run.now(), "B"))
    assert exc.value.key == "reader_not_a_team"


def test_reader_ballots_beside_a_hand_count_from_tally_sheets() -> None:
    """The committee counts from tally sheets per batch while the machine enters each ballot:
    the double entry compares them per batch and per candidate."""
    run = counting(returned=4, mode=CountMode.SHEETS, teams=(HAND, MACHINE))
    for sheet, marks in enumerate([(K, S, K, S, K), (K, K, S, S, K)], 1):
        read(run, sheet, marks, batch="tập 1")
    for sheet, marks in enumerate([(S, K, K, S, K), (K, S, S, K, K)], 3):
        read(run, sheet, marks, batch="tập 2")
    hand_1 = Totals.of([2, 1, 1, 0, 2], 2, {})  # agrees with the machine
    hand_2 = Totals.of([1, 1, 2, 0, 2], 2, {})  # candidate 3 one too many, candidate 4 one short
    run.do(el.SheetEntered("bch", 1, HAND, "main", "tập 1", hand_1, "", run.now()))
    run.do(el.SheetEntered("bch", 1, HAND, "main", "tập 2", hand_2, "", run.now()))
    count = rnd(run).count
    assert count is not None
    assert count.batch_totals(MACHINE, "tập 1") == hand_1
    (diff,) = differences(count)
    assert (diff.batch, diff.box) == ("tập 2", "main")
    assert diff.first == hand_2 and diff.second.votes == (1, 1, 1, 1, 2)
    assert by_candidate([diff]) == ((3, 2, 1), (4, 0, 1))
    with pytest.raises(ElectionError) as exc:
        run.do(BoxCounted("bch", 1, "main", run.now()))
    assert exc.value.key == "double_entry_differs"
    # the committee corrects its sheet: the box reconciles and is counted
    fixed = Totals.of([1, 1, 1, 1, 2], 2, {})
    run.do(el.SheetEntered("bch", 1, HAND, "main", "tập 2", fixed, "đếm lại", run.now()))
    run.do(BoxCounted("bch", 1, "main", run.now()))
    assert differences(rnd(run).count) == ()  # type: ignore[arg-type]


def test_the_reader_team_enters_no_sheet_and_the_hand_team_no_ballot() -> None:
    run = counting(returned=4, mode=CountMode.SHEETS, teams=(HAND, MACHINE))
    count = rnd(run).count
    assert count is not None and count.reader == MACHINE
    assert count.mode_of(MACHINE) is CountMode.BALLOTS and count.mode_of(HAND) is CountMode.SHEETS
    with pytest.raises(ElectionError) as exc:
        enter_sheet(count, MACHINE, "main", "", Totals.of([1, 0, 0, 0, 0], 1, {}), "", run.now())
    assert exc.value.key == "reader_enters_ballots"
    with pytest.raises(ElectionError) as exc:
        run.ballots([BallotInput.struck(1, 2)], team=HAND)
    assert exc.value.key == "wrong_count_mode"
    run.ballots([BallotInput.struck(1, 2)], team=MACHINE)  # a ballot by hand for the machine
    assert len(rnd(run).count.team(MACHINE).ballots) == 1  # type: ignore[union-attr]


# ---------------------------------------------------------------- a verdict by rule


def test_a_forged_reading_with_another_ballot_is_refused() -> None:
    run = counting()
    r = rnd(run)
    honest = el.ballot_read(run.book, "bch", 1, "main", "", place(1), "", (K, S, K, S, K), (),
                            outcome(r.format, 5, 3, (K, S, K, S, K)), run.now())  # fmt: skip
    forged = [
        replace(honest, ballot=BallotInput.struck(1, 2)),  # votes the marks do not give
        replace(honest, verdict=Verdict.INVALID),
        replace(honest, doubts=(Doubt.NO_STAMP.value,)),  # in doubt: the committee decides
        replace(honest, marks="kkk"),  # not this list's rows
        replace(honest, ballot=BallotInput.spoilt(InvalidReason.NOT_ISSUED)),
        replace(honest, verdict=Verdict.UNDECIDED, ballot=None, seq=0),
    ]
    for event in forged:
        with pytest.raises(ElectionError) as exc:
            el.apply(run.book, event)
        assert exc.value.key == "reading_mismatch", event
    for event, key in [
        (replace(honest, marks="ksxsk"), "bad_reading_marks"),
        (replace(honest, doubts=("smudge",)), "bad_reading_doubt"),
        (replace(honest, seq=2), "seq_out_of_order"),
        (replace(honest, image=""), "sheet_image_required"),
    ]:
        with pytest.raises(ElectionError) as exc:
            el.apply(run.book, event)
        assert exc.value.key == key
    assert el.apply(run.book, honest).get("bch") is not None


def test_another_ballot_s_sheet_is_invalid_not_issued() -> None:
    run = counting()
    read(run, 1, (K, K), other=True)
    (reading,) = rnd(run).readings
    assert reading.verdict is Verdict.INVALID
    assert reading.ballot == BallotInput.spoilt(InvalidReason.NOT_ISSUED)
    assert rnd(run).count.totals().invalid_total == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["PB1|bch|1|0123456789ab", "not a code", ""])
def test_not_issued_is_refused_unless_the_code_names_another_election_or_round(code: str) -> None:
    run = counting()
    with pytest.raises(ElectionError) as exc:
        read(run, 1, (K, K), other=True, code=code or "PB1|bch|1|x")
    assert exc.value.key == "reading_mismatch"
    assert rnd(run).readings == ()


def test_an_undecided_reading_must_not_carry_a_seq_or_a_ballot() -> None:
    run = counting()
    r = rnd(run)
    got = outcome(r.format, 5, 3, (K, U, K, S, S))
    event = el.ballot_read(run.book, "bch", 1, "main", "", place(1), "", (K, U, K, S, S), (),
                           got, run.now())  # fmt: skip
    assert event.seq == 0 and event.doubts == ("unsure_row",)
    with pytest.raises(ElectionError) as exc:
        el.apply(run.book, replace(event, seq=1))
    assert exc.value.key == "seq_out_of_order"
    with pytest.raises(ElectionError) as exc:
        el.apply(run.book, replace(event, ballot=BallotInput.struck(2, 4, 5)))
    assert exc.value.key == "reading_mismatch"


# ---------------------------------------------------------------- the counting minutes


def test_the_minutes_data_say_how_each_box_was_counted_and_list_the_decisions() -> None:
    run = counting(returned=3, mode=CountMode.SHEETS, teams=(HAND, MACHINE), boxes=("main", "b2"))
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, K, K, K, S))
    read(run, 3, (K, U, K, S, S), (Doubt.OUTSIDE_ROWS,))
    decided = BallotInput.spoilt(InvalidReason.WRITE_IN, "viết thêm tên")
    run.do(el.reading_decided(run.book, "bch", 1, place(3).key, decided, "ghi tên", run.now()))
    minutes = el.reading_minutes(rnd(run))
    assert minutes.by_machine and minutes.reader == MACHINE
    main, second = minutes.boxes
    assert (main.box, main.reader, main.checkers) == ("main", MACHINE, (HAND,))
    assert (main.counts.read, main.counts.valid, main.counts.invalid) == (3, 1, 1)
    assert (main.counts.decided, main.counts.pending) == (1, 0)
    assert second.counts == el.ReadingCounts()
    (sheet,) = minutes.decided
    assert (sheet.sheet, sheet.file, sheet.page, sheet.slot, sheet.box) == (
        3,
        "scan-0001.pdf",
        3,
        1,
        "main",
    )
    assert sheet.marks == "k?kss" and set(sheet.doubts) == {Doubt.UNSURE_ROW, Doubt.OUTSIDE_ROWS}
    assert (sheet.ballot, sheet.reason, sheet.seq) == (decided, "ghi tên", 3)
    assert not el.reading_minutes(rnd(counting(reader=None))).by_machine
    # the same in `presidium results --json`, only for a round a machine read
    (data,) = el.to_json(run.e("bch"))["rounds"]  # type: ignore[misc]
    reading = data["reading"]
    assert reading["reader"] == MACHINE
    assert reading["boxes"][0] == {
        "box": "main", "checkers": [HAND], "read": 3, "valid": 1, "invalid": 1,
        "decided": 1, "pending": 0,
    }  # fmt: skip
    (line,) = reading["decided"]
    assert (line["sheet"], line["marks"], line["reason"]) == (3, "k?kss", "ghi tên")
    assert line["ballot"] == decided.to_json()
    (plain,) = el.to_json(counting(reader=None).e("bch"))["rounds"]  # type: ignore[misc]
    assert "reading" not in plain


# ---------------------------------------------------------------- the log


def _stored(event: el.ElectionEvent) -> str:
    return json.dumps(event.payload(), ensure_ascii=False, sort_keys=True)


def test_both_events_go_through_the_codec_and_replay() -> None:
    run = counting(returned=2)
    read(run, 1, (K, S, K, S, K))
    read(run, 2, (K, U, K, S, S))
    run.do(el.reading_decided(run.book, "bch", 1, place(2).key, BallotInput.struck(2), "x",
                              run.now()))  # fmt: skip
    kinds = [e.KIND for e in run.log[-3:]]
    assert kinds == ["election_ballot_read", "election_ballot_read", "election_reading_decided"]
    back = [el.decode(e.KIND, json.loads(_stored(e))) for e in run.log]
    assert back == run.log
    assert [_stored(e) for e in back] == [_stored(e) for e in run.log]
    assert el.replay(back) == run.book
    payload = run.log[-2].payload()
    assert payload["verdict"] == "undecided" and payload["ballot"] is None
    assert payload["doubts"] == ["unsure_row"] and payload["marks"] == "k?kss"
    assert run.log[-3].payload()["ballot"] == BallotInput.struck(2, 4).to_json()


def test_an_old_counting_started_without_a_reader_reads_and_writes_the_same() -> None:
    old = {
        "election": "bch",
        "round": 1,
        "mode": "sheets",
        "teams": ["Tổ 1", "Tổ 2"],
        "at": "2025-06-20T08:00:00+07:00",
    }
    event = el.decode(CountingStarted.KIND, old)
    assert isinstance(event, CountingStarted) and event.reader is None
    assert json.dumps(event.payload(), ensure_ascii=False) == json.dumps(old, ensure_ascii=False)
    with_reader = replace(event, reader="Tổ 2")
    assert with_reader.payload() == {**old, "reader": "Tổ 2"}
    assert el.decode(CountingStarted.KIND, with_reader.payload()) == with_reader


def test_a_replayed_log_keeps_a_reading_past_the_box_limit() -> None:
    """The ballots-found bound holds for new events only (as for BallotEntered)."""
    run = counting(returned=1)
    read(run, 1, (K, S, K, S, K))
    r = rnd(run)
    extra = el.ballot_read(run.book, "bch", 1, "main", "", place(2), "", (K, K, S, S, K), (),
                           outcome(r.format, 5, 3, (K, K, S, S, K)), run.now())  # fmt: skip
    with pytest.raises(ElectionError):
        el.apply(run.book, extra)
    book = el.apply(run.book, extra, replaying=True)
    assert len(book.elections[0].current.readings) == 2


def test_outcome_dataclass_is_what_the_builder_records() -> None:
    run = counting()
    got = Outcome(Verdict.UNDECIDED, None, (Doubt.NO_STAMP,))
    event = el.ballot_read(run.book, "bch", 1, "main", "tập 1", place(1), "c",
                           "ksksk", [Doubt.NO_STAMP.value], got, run.now())  # fmt: skip
    assert isinstance(event, BallotRead)
    assert (event.team, event.batch, event.doubts, event.seq) == (
        MACHINE,
        "tập 1",
        ("no_stamp",),
        0,
    )
