"""The agenda: what the congress file plans, and what happens to it while the congress runs.

Definition (session.agenda.plan): sessions (preparatory / official) of items, each with a stable
key ("item-05") that events refer to, a kind, a title in the congress language, a presenter, and
a planned start (HH:MM on a day of the congress) or a planned duration. Vote items (show of hands)
carry the motion kind and may carry their own majority rule. A congress file without an agenda
gets the standard one for its rule set (session.agenda.templates; domain rules 7.1, 7.2; a short
AGM agenda for Robert's Rules).

Running: a pure reducer (session.agenda.reducer) over events (session.agenda.events: started,
ended, skipped, moved, inserted), each with its time, into the state of session.agenda.state.
Starting an item while another runs ends the running one at the same instant (recorded as auto-
ended). An ended item may be started again (a discussion resumed after lunch): its time then counts
over every span. `timing(state, now)` (session.agenda.timing) gives the current item's elapsed time
against plan, for the clock the UI redraws every second. Times are timezone-aware; durations are
whole seconds (integer arithmetic only).

The package: ``plan`` (the items and sessions), ``templates`` (the standard agendas), ``state``,
``events``, ``reducer``, ``timing``. Every name of the family is importable from
``session.agenda``.
"""

from session.agenda.events import (
    EVENT_KINDS,
    AgendaEvent,
    ItemEnded,
    ItemInserted,
    ItemMoved,
    ItemSkipped,
    ItemStarted,
    decode,
)
from session.agenda.plan import (
    Agenda,
    AgendaError,
    AgendaItem,
    AgendaSession,
    ItemKind,
    MotionKind,
    PlannedSlot,
    PlannedStart,
    SessionKind,
    Template,
    check_item,
    item_key,
    parse_clock,
    plan,
    planned_minutes,
    session_key,
)
from session.agenda.reducer import (
    apply,
    replay,
)
from session.agenda.state import (
    AgendaState,
    ItemState,
    ItemStatus,
    Span,
    initial,
)
from session.agenda.templates import (
    TEMPLATES,
    default_agenda,
)
from session.agenda.timing import (
    Level,
    Timing,
    describe_timing,
    format_clock,
    timing,
)

__all__ = [
    "EVENT_KINDS",
    "TEMPLATES",
    "Agenda",
    "AgendaError",
    "AgendaEvent",
    "AgendaItem",
    "AgendaSession",
    "AgendaState",
    "ItemEnded",
    "ItemInserted",
    "ItemKind",
    "ItemMoved",
    "ItemSkipped",
    "ItemStarted",
    "ItemState",
    "ItemStatus",
    "Level",
    "MotionKind",
    "PlannedSlot",
    "PlannedStart",
    "SessionKind",
    "Span",
    "Template",
    "Timing",
    "apply",
    "check_item",
    "decode",
    "default_agenda",
    "describe_timing",
    "format_clock",
    "initial",
    "item_key",
    "parse_clock",
    "plan",
    "planned_minutes",
    "replay",
    "session_key",
    "timing",
]
