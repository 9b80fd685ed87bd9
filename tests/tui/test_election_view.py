"""What the election screen writes in its candidate list (tui/election_view.py), as text."""

import pytest

from session import i18n
from session.agenda import MotionKind
from session.ballots import BallotInput
from session.election_steps import Action
from session.elections import BoxCounted, ElectionKind, MinutesSigned
from session.i18n import t
from session.tally import Snapshot
from tests.harness.elections_kit import Run, committee, people
from tui.elections.view import (
    announcing_line,
    candidate_rows,
    current_result,
    decision_subject,
    elected_line,
    motion_topic,
    vote_title,
)

OUTCOME = 5  # the outcome's column in a row of an approved ballot


def test_nobody_is_called_elected_or_not_before_the_last_box_is_counted() -> None:
    run = committee(2, people(3))
    run.vote(issued={"main": 4}, returned={"main": 4})
    run.start_count().ballots([BallotInput.struck(3), BallotInput.struck(3)])
    e = run.e("bch")
    rows = candidate_rows(e, current_result(e))
    assert [r[2] for r in rows] == ["2", "2", "0"]  # the running totals are shown
    assert {r[OUTCOME] for r in rows} == {t("tui.election.outcome_pending")}

    run.ballots([BallotInput.struck(3), BallotInput.struck(1)])
    run.do(BoxCounted("bch", e.current.number, "main", run.now()))
    e = run.e("bch")
    result = current_result(e)
    assert result is not None
    rows = candidate_rows(e, result)
    expected = [t(f"election.outcome.{result.row(p.id).outcome.value}") for p in e.ballot(1)]  # type: ignore[union-attr]
    assert [r[OUTCOME] for r in rows] == expected
    assert t("tui.election.outcome_pending") not in expected


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_delegation_s_seat_vote_is_called_the_number_of_alternates(lang: str) -> None:
    """The delegation's official seats are allocated from above: the only number its congress
    votes is the alternates, and the vote and its dialog say so (seen in tmux: 'number of
    committee members' and 'Number of seats: 1' for a delegation's one alternate)."""
    i18n.use(lang)
    delegation = Run().create("dl", ElectionKind.DELEGATES_HIGHER).e("dl")
    committee_e = committee(2, people(3)).e("bch")
    seats = MotionKind.SEAT_COUNT
    assert motion_topic(delegation, seats) == "alternate_count"
    assert motion_topic(committee_e, seats) == seats.value
    assert motion_topic(delegation, MotionKind.ELECTION_LIST) == "election_list"
    alternates = vote_title(delegation, seats, 1)
    assert alternates != vote_title(committee_e, seats, 1).replace(
        committee_e.title, delegation.title
    )
    assert alternates == t(
        "tui.election.vote_title_number.alternate_count", number=1, election=delegation.title
    )
    assert t("vote.motion.alternate_count") != t("vote.motion.seat_count")


def test_the_announcement_s_confirmation_names_who_will_be_elected() -> None:
    """Seen in tmux: "announce the results" asked with "Elected: —" (nobody is elected before
    the announcement); the question now names those the announcement elects."""
    run = committee(2, people(3))
    run.vote(snapshot=Snapshot(present=4, entitled=4, adjusted=4))  # a decision needs 3
    run.start_count().ballots([BallotInput.struck(3)] * 4)
    e = run.e("bch")
    run.do(BoxCounted("bch", e.current.number, "main", run.now()))
    run.do(MinutesSigned("bch", e.current.number, ("Trần Kiểm",), run.now()))
    e = run.e("bch")
    assert elected_line(e) == t("tui.election.elected", names="—")
    first, second = (p.full_name for p in e.ballot()[:2])
    line = announcing_line(run.book, e, e.current.number)
    assert line == t("tui.election.elected", names=f"{first}, {second}")


def test_an_other_motion_vote_is_named_after_its_step() -> None:
    """Seen in tmux: the overflow's vote asked for "other motion" and was titled "Decision on
    the election"; it now names what the congress decides."""
    e = Run().create("dl", ElectionKind.DELEGATES_HIGHER).e("dl")
    other = MotionKind.OTHER
    for action in (Action.OVERFLOW, Action.NEXT_ROUND, Action.ALTERNATE_ORDER):
        subject = t(f"tui.election.vote_subject.{action.value}")
        assert decision_subject(e, other, action) == subject
        assert vote_title(e, other, None, action) == t(
            "tui.election.vote_title_subject", subject=subject, election=e.title
        )
    assert decision_subject(e, MotionKind.ELECTION_LIST) == t("vote.motion.election_list")
