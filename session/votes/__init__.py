"""Show-of-hands votes (biểu quyết giơ thẻ), counted by tellers sector by sector.

A vote belongs to an agenda item and runs draft → open → counting → counted → published:

- **created** (draft): its motion, title, options and rule are fixed from the congress file
  (options tán thành / không tán thành / ý kiến khác under the Party rule sets, yes / no /
  abstain otherwise; the rule: the agenda item's own, else per motion kind, else the congress's).
- **opened**: the attendance is frozen (present, entitled, summoned-adjusted base). When no
  outcome could pass (2 × present ≤ base under the Party rule), the base is empty or an
  attendance quorum is unmet, opening needs a reason (the presidium's confirmation).
- **counting**: two tellers enter each sector's counts independently; equal entries confirm the
  sector, different ones mark it disputed until it is recounted (a recount clears the sector's
  entries; the cleared round stays in the history). Or the quick path: two tellers confirm "all
  present in favour".
- **counted** when every sector is confirmed: the verdict is derived (session.tally), and it is
  the same whatever order the entries came in.
- **published** (announced). A published result changes only by a reasoned correction, which
  keeps the earlier result in the history (the minutes show both).

Everything is a pure reducer over events: `apply(book, event)` returns the new VoteBook or
raises VoteError with a translation key under 'vote.error.'. The store persists
`(event.KIND, event.payload())` and replays with `decode`.

The package: ``state`` (the words, the vote and the book), ``events`` (the events and their
decoding), ``reducer`` (the named builders of each step's event, and the reducer), ``counts`` (a
teller's numbers, the count in words), ``opening`` (what opening freezes and warns of). Every name
of the family is importable from ``session.votes``.
"""

from session.votes.counts import (
    counts_of,
    describe_counts,
    describe_progress,
    parse_count,
    parse_counts,
)
from session.votes.events import (
    EVENT_KINDS,
    CountEntered,
    SectorRecounted,
    UnanimousConfirmed,
    UnanimousWithdrawn,
    VoteCancelled,
    VoteCorrected,
    VoteCreated,
    VoteEvent,
    VoteOpened,
    VotePublished,
    decode,
)
from session.votes.opening import (
    explain_warning,
    open_warnings,
    snapshot_of,
)
from session.votes.reducer import (
    apply,
    correct_vote,
    create_vote,
    enter_count,
    open_vote,
    replay,
)
from session.votes.state import (
    GENERIC_OPTIONS,
    HALL,
    PARTY_OPTIONS,
    PARTY_RULESETS,
    ClearedRound,
    Correction,
    Entry,
    Method,
    OpenWarning,
    Option,
    SectorCount,
    SectorStatus,
    Vote,
    VoteBook,
    VoteError,
    VoteStatus,
    options_for,
)

__all__ = [
    "EVENT_KINDS",
    "GENERIC_OPTIONS",
    "HALL",
    "PARTY_OPTIONS",
    "PARTY_RULESETS",
    "ClearedRound",
    "Correction",
    "CountEntered",
    "Entry",
    "Method",
    "OpenWarning",
    "Option",
    "SectorCount",
    "SectorRecounted",
    "SectorStatus",
    "UnanimousConfirmed",
    "UnanimousWithdrawn",
    "Vote",
    "VoteBook",
    "VoteCancelled",
    "VoteCorrected",
    "VoteCreated",
    "VoteError",
    "VoteEvent",
    "VoteOpened",
    "VotePublished",
    "VoteStatus",
    "apply",
    "correct_vote",
    "counts_of",
    "create_vote",
    "decode",
    "describe_counts",
    "describe_progress",
    "enter_count",
    "explain_warning",
    "open_vote",
    "open_warnings",
    "options_for",
    "parse_count",
    "parse_counts",
    "replay",
    "snapshot_of",
]
