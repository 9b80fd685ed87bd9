"""Counting the ballots of one election round (domain rules 4.7, 4.8, 4.11, 12.7, 12.8).

The counting committee enters the ballots one by one (:func:`enter_ballot`: the numbers of the
struck names, or of the kept ones, or "invalid" with a reason), or per-candidate totals from
paper tally sheets (:func:`enter_sheet`). Either way the count keeps running totals per team and
per batch (a bundle of ballots; by default a box), so the live tallies are a lookup and entering
a ballot costs one pass over the candidates.

Double entry: two teams count the same ballots independently. :func:`differences` lists every
batch whose totals differ (and :func:`by_candidate` the same per candidate); they must be
resolved, by correcting entries (each correction keeps a trace) or by the committee accepting
one team's figures for a batch after a recount, before results are signed.

An entry can also be **voided** (:func:`void_ballot`, with a reason): a ballot entered twice, or
one entered for a box that did not hold it. It stays in the team's ballots (its sequence number
is never reused, so the trace and the minutes still show it) but no longer counts. A team's
*standing* entries for a box never exceed the ballots found in it (:func:`enter_ballot` and
:func:`enter_sheet` refuse what would), so a box is complete exactly when each team's standing
entries equal the ballots found.

:func:`reconcile` checks the figures of the counting minutes: returned ≤ issued (forged ballots
found in the box are not counted against the ballots issued), valid + invalid = returned, no
candidate above the valid ballots, and the names kept within valid × seats.

The package: ``entering`` (a ballot, its correction or its void, a tally sheet), ``totals`` (the
figures), ``state`` (the count as entered, its trace), ``double_entry`` (two teams'
differences, a batch accepted), ``reconciliation`` (the checks of the counting minutes). Every
name is importable from ``session.count``.
"""

from session.count.double_entry import (
    BatchDifference,
    accept_batch,
    by_candidate,
    differences,
)
from session.count.entering import (
    check_sheet,
    correct_ballot,
    enter_ballot,
    enter_sheet,
    void_ballot,
)
from session.count.reconciliation import (
    Problem,
    Reconciliation,
    reconcile,
)
from session.count.state import (
    Acceptance,
    Correction,
    Count,
    CountMode,
    EnteredBallot,
    Sheet,
    SheetReplacement,
    TeamCount,
    TraceEntry,
    Void,
    ballot_text,
    new_count,
)
from session.count.totals import (
    Totals,
)

__all__ = [
    "Acceptance",
    "BatchDifference",
    "Correction",
    "Count",
    "CountMode",
    "EnteredBallot",
    "Problem",
    "Reconciliation",
    "Sheet",
    "SheetReplacement",
    "TeamCount",
    "Totals",
    "TraceEntry",
    "Void",
    "accept_batch",
    "ballot_text",
    "by_candidate",
    "check_sheet",
    "correct_ballot",
    "differences",
    "enter_ballot",
    "enter_sheet",
    "new_count",
    "reconcile",
    "void_ballot",
]
