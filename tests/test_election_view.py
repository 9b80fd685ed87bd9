"""What the election screen writes in its candidate list (tui/election_view.py), as text."""

from session.ballots import BallotInput
from session.elections import BoxCounted
from session.i18n import t
from tui.election_view import candidate_rows, current_result

from .test_elections_kit import committee, people

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
