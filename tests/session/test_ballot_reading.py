"""What a machine read on a ballot sheet and the verdict by rule (session.ballot_reading, issue
14): a mark per row and its text form, the ballot the count takes, and the properties the rules
ask for: on a strike-out list a reading is valid exactly when 1 to `seats` names are kept and
nothing is in doubt; a doubt never gives a valid ballot."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from session.ballot_reading import (
    Doubt,
    RowMark,
    SheetPlace,
    Verdict,
    ballot_from_marks,
    marks_from_text,
    marks_text,
    outcome,
)
from session.ballots import BallotFormat, BallotInput, ElectionError, InvalidReason, judge

K, S = RowMark.KEPT, RowMark.STRUCK
A, D, B, N = RowMark.AGREE, RowMark.DISAGREE, RowMark.BOTH, RowMark.NEITHER
STRIKE, COLUMNS = BallotFormat.STRIKE_OUT, BallotFormat.YES_NO_COLUMNS


# ---------------------------------------------------------------- marks as text


def test_marks_text_is_one_letter_per_row_and_reads_back() -> None:
    marks = (K, S, A, D, B, N, RowMark.UNSURE)
    assert marks_text(marks) == "ksadbn?"
    assert marks_from_text("ksadbn?") == marks
    assert marks_from_text("") == ()


def test_a_letter_that_is_no_mark_is_refused() -> None:
    with pytest.raises(ElectionError) as exc:
        marks_from_text("kkx")
    assert exc.value.key == "bad_reading_marks"
    assert "kkx" in str(exc.value)  # the catalog has the message


@given(st.lists(st.sampled_from(list(RowMark)), max_size=40))
def test_marks_text_round_trips(marks: list[RowMark]) -> None:
    assert marks_from_text(marks_text(marks)) == tuple(marks)


def test_a_sheet_is_one_paper_ballot_by_image_page_and_slot() -> None:
    one = SheetPlace("ab" * 32, "scan-001.pdf", 2, 1, 3)
    again = SheetPlace("ab" * 32, "renamed.pdf", 2, 1, 9)  # the same file saved again
    assert one.key == again.key == ("ab" * 32, 2, 1)
    assert one.key != SheetPlace("ab" * 32, "scan-001.pdf", 2, 2, 4).key


# ---------------------------------------------------------------- the ballot from sure marks


def test_strike_out_ballot_is_the_struck_numbers() -> None:
    assert ballot_from_marks(STRIKE, (K, S, K, S, S)) == BallotInput.struck(2, 4, 5)
    assert ballot_from_marks(STRIKE, (K, K, K)) == BallotInput.struck()


def test_columns_ballot_is_the_disagree_numbers_with_both_or_neither_unclear() -> None:
    assert ballot_from_marks(COLUMNS, (A, D, B, N, A)) == BallotInput.struck(2, unclear=(3, 4))


@pytest.mark.parametrize(
    ("fmt", "marks", "number", "mark"),
    [
        (STRIKE, (K, A, S), 2, "agree"),
        (COLUMNS, (A, S), 2, "struck"),
        (STRIKE, (K, N), 2, "neither"),
    ],
)
def test_a_mark_of_the_other_format_is_refused(
    fmt: BallotFormat, marks: tuple[RowMark, ...], number: int, mark: str
) -> None:
    with pytest.raises(ElectionError) as exc:
        ballot_from_marks(fmt, marks)
    assert exc.value.key == "reading_mark"
    assert exc.value.params == {"number": number, "mark": mark}


def test_an_unsure_row_is_never_turned_into_a_ballot() -> None:
    with pytest.raises(ElectionError):
        ballot_from_marks(STRIKE, (K, RowMark.UNSURE, S))


# ---------------------------------------------------------------- the verdict


def test_a_clean_strike_out_reading_is_valid() -> None:
    got = outcome(STRIKE, 5, 3, (K, S, K, S, K))
    assert got.verdict is Verdict.VALID
    assert got.ballot == BallotInput.struck(2, 4)
    assert got.doubts == ()


def test_too_many_kept_is_invalid_by_rule_with_its_ballot() -> None:
    got = outcome(STRIKE, 5, 3, (K, K, K, K, S))
    assert got.verdict is Verdict.INVALID
    assert got.ballot == BallotInput.struck(5)
    assert judge(got.ballot, 5, 3).reason is InvalidReason.TOO_MANY_KEPT


def test_every_name_struck_is_invalid_by_rule() -> None:
    got = outcome(STRIKE, 4, 2, (S, S, S, S))
    assert got.verdict is Verdict.INVALID
    assert judge(got.ballot, 4, 2).reason is InvalidReason.ALL_STRUCK_WITH_SURPLUS  # type: ignore[arg-type]


def test_single_candidate_both_or_neither_is_invalid_and_one_of_several_is_valid() -> None:
    single = outcome(COLUMNS, 1, 1, (B,))
    assert single.verdict is Verdict.INVALID
    assert judge(single.ballot, 1, 1).reason is InvalidReason.SINGLE_BOTH_OR_NEITHER  # type: ignore[arg-type]
    several = outcome(COLUMNS, 3, 3, (A, N, D))
    assert several.verdict is Verdict.VALID
    assert several.ballot == BallotInput.struck(3, unclear=(2,))


def test_an_unsure_row_goes_to_the_committee_with_its_doubt_named() -> None:
    got = outcome(STRIKE, 4, 2, (K, RowMark.UNSURE, S, S))
    assert got.verdict is Verdict.UNDECIDED
    assert got.ballot is None
    assert got.doubts == (Doubt.UNSURE_ROW,)


def test_doubts_are_kept_once_in_order() -> None:
    got = outcome(STRIKE, 3, 1, (K, S, S), [Doubt.NO_STAMP, Doubt.OUTSIDE_ROWS, Doubt.NO_STAMP])
    assert got.verdict is Verdict.UNDECIDED
    assert got.doubts == (Doubt.NO_STAMP, Doubt.OUTSIDE_ROWS)


def test_a_sheet_not_aligned_is_undecided_whatever_its_marks() -> None:
    got = outcome(STRIKE, 5, 3, (), [Doubt.NOT_ALIGNED])  # no rows could be read at all
    assert (got.verdict, got.ballot, got.doubts) == (Verdict.UNDECIDED, None, (Doubt.NOT_ALIGNED,))
    unknown = outcome(STRIKE, 5, 3, (K,), [Doubt.UNKNOWN_CODE], other_ballot=True)
    assert unknown.verdict is Verdict.UNDECIDED


def test_another_election_s_ballot_is_invalid_not_issued() -> None:
    got = outcome(STRIKE, 5, 3, (K, K), other_ballot=True)  # its rows are another list's
    assert got.verdict is Verdict.INVALID
    assert got.ballot == BallotInput.spoilt(InvalidReason.NOT_ISSUED)


def test_a_reading_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ElectionError) as exc:
        outcome(STRIKE, 5, 3, (K, S, K))
    assert exc.value.key == "reading_length"
    assert exc.value.params == {"count": 3, "candidates": 5}


# ---------------------------------------------------------------- properties


@st.composite
def strike_out_list(draw: st.DrawFn) -> tuple[int, int, tuple[RowMark, ...]]:
    seats = draw(st.integers(1, 8))
    candidates = draw(st.integers(seats + 1, 15))  # a surplus: the strike-out format
    marks = tuple(draw(st.lists(st.sampled_from((K, S)), min_size=candidates, max_size=candidates)))
    return candidates, seats, marks


@settings(max_examples=300)
@given(strike_out_list(), st.lists(st.sampled_from(list(Doubt)), max_size=3))
def test_strike_out_valid_iff_kept_within_seats_and_no_doubt(
    listed: tuple[int, int, tuple[RowMark, ...]], doubts: list[Doubt]
) -> None:
    candidates, seats, marks = listed
    kept = marks.count(K)
    got = outcome(STRIKE, candidates, seats, marks, doubts)
    assert (got.verdict is Verdict.VALID) == (1 <= kept <= seats and not doubts)
    if doubts:
        assert got.verdict is Verdict.UNDECIDED and got.ballot is None
        assert set(got.doubts) == set(doubts)
    else:
        assert got.verdict in (Verdict.VALID, Verdict.INVALID)
        assert got.ballot == BallotInput.struck(*(n for n, m in enumerate(marks, 1) if m is S))
        # the count's own judgement agrees with the verdict, and a valid one votes for the kept
        judgement = judge(got.ballot, candidates, seats)
        assert judgement.valid == (got.verdict is Verdict.VALID)
        if judgement.valid:
            assert judgement.votes == {n for n, m in enumerate(marks, 1) if m is K}


@settings(max_examples=300)
@given(
    st.integers(1, 10),
    st.data(),
    st.lists(st.sampled_from(list(Doubt)), max_size=4),
    st.booleans(),
)
def test_never_valid_with_a_doubt_or_an_unsure_row(
    candidates: int, data: st.DataObject, doubts: list[Doubt], strike: bool
) -> None:
    seats = data.draw(st.integers(1, candidates - 1)) if strike and candidates > 1 else candidates
    fmt = STRIKE if seats < candidates else COLUMNS
    rows = (K, S, RowMark.UNSURE) if fmt is STRIKE else (A, D, B, N, RowMark.UNSURE)
    marks = data.draw(st.lists(st.sampled_from(rows), min_size=candidates, max_size=candidates))
    got = outcome(fmt, candidates, seats, marks, doubts)
    if doubts or RowMark.UNSURE in marks:
        assert got.verdict is Verdict.UNDECIDED
        assert got.ballot is None and got.doubts
        blind = {Doubt.NOT_ALIGNED, Doubt.UNKNOWN_CODE} & set(doubts)  # rows not looked at
        if RowMark.UNSURE in marks and not blind:
            assert Doubt.UNSURE_ROW in got.doubts
    else:
        assert got.verdict is not Verdict.UNDECIDED
        assert got.ballot is not None
        assert judge(got.ballot, candidates, seats).valid == (got.verdict is Verdict.VALID)
