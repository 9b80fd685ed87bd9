"""The operator's keys: one table for the bindings, the footer, the help screen and the palette.

Function keys only (plus ctrl+p, ctrl+q and a role terminal's ctrl+o): a scanner types digits,
and on AZERTY the digit-row symbols, so no printable key may ever be bound. Descriptions are
translation keys; call :func:`translated` on a node's bindings after ``__init__`` so the footer
speaks the process language (which is chosen at run time, after these classes are defined).

A role terminal (door, teller, counting room, projector) keeps the same keys but turns off every
one outside its rights (session.roles): hidden from the footer, the help and the palette, and
refused when pressed.
"""

from dataclasses import dataclass, replace

from textual.binding import Binding, BindingsMap

from session.i18n import t


@dataclass(frozen=True, slots=True)
class OperatorKey:
    key: str
    action: str  # an action of the app
    name: str  # tui.command.<name>.title / .help
    show: bool = True
    priority: bool = False

    @property
    def title(self) -> str:
        return t(f"tui.command.{self.name}.title")

    @property
    def help(self) -> str:
        return t(f"tui.command.{self.name}.help")

    @property
    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            f"tui.command.{self.name}.title",
            show=self.show,
            priority=self.priority,
            tooltip=f"tui.command.{self.name}.help",
        )


OPERATOR_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f1", "help", "help"),
    OperatorKey("f2", "manual", "manual"),
    OperatorKey("f3", "cycle_mode", "mode"),
    OperatorKey("f4", "correct", "correct"),
    OperatorKey("f5", "absence", "absence"),
    OperatorKey("f6", "reissue", "reissue"),
    OperatorKey("f7", "agenda", "agenda"),
    OperatorKey("f8", "vote", "vote"),
    OperatorKey("f9", "elections", "elections"),
    OperatorKey("f10", "speakers", "speakers"),
    OperatorKey("f12", "export", "export"),
    OperatorKey("ctrl+p", "command_palette", "palette", show=False, priority=True),
    OperatorKey("ctrl+q", "quit", "quit", priority=True),
    # A role terminal's change of shift (session.roles): never the operator's own desk.
    OperatorKey("ctrl+o", "hand_over", "hand_over", priority=True),
)
# A role terminal's own: never on the operator's desk, whose rights are otherwise every action.
ROLE_TERMINAL_ACTIONS = frozenset({"hand_over"})
# The roll call's own actions: only on the roll-call screen (and the dialogs over it).
ROLLCALL_ACTIONS = frozenset({"manual", "cycle_mode", "correct", "absence", "reissue"})
# Of those, the actions of the roll-call screen itself (the mode is the app's: a door's F3 too).
ROLLCALL_SCREEN_ACTIONS = ROLLCALL_ACTIONS - {"cycle_mode"}
# The app's own bindings: the rest.
APP_KEYS = tuple(k for k in OPERATOR_KEYS if k.action not in ROLLCALL_SCREEN_ACTIONS)
# The roll-call screen's bindings: its own actions, with the app's ctrl+q, F1 and F3 among them,
# so that its footer reads as the app's does elsewhere (a screen's keys come before the app's, and
# Textual's own ctrl+q leads the app's): ^q, F1-F12.
ROLLCALL_KEYS = tuple(
    k if k.action in ROLLCALL_SCREEN_ACTIONS else replace(k, action=f"app.{k.action}")
    for k in sorted(OPERATOR_KEYS, key=lambda k: k.action != "quit")
    if k.action in ROLLCALL_ACTIONS | {"help", "quit"}
)

# The agenda screen's keys (actions of AgendaScreen). F2-F6 mean something else here than on the
# roll call: the screen's bindings come first, and the footer shows them.
AGENDA_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f2", "start", "agenda_start"),
    OperatorKey("f3", "end", "agenda_end"),
    OperatorKey("f4", "skip", "agenda_skip"),
    OperatorKey("f5", "insert", "agenda_insert"),
    OperatorKey("f6", "move_after", "agenda_move"),
    OperatorKey("ctrl+up", "move_up", "agenda_up"),
    OperatorKey("ctrl+down", "move_down", "agenda_down"),
    OperatorKey("f7", "close", "rollcall"),
    OperatorKey("escape", "close", "rollcall", show=False),
)

# The vote screen's keys (actions of VoteScreen).
VOTE_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f2", "open_vote", "vote_open"),
    OperatorKey("f3", "count", "vote_count"),
    OperatorKey("f4", "recount", "vote_recount"),
    OperatorKey("f5", "unanimous", "vote_unanimous"),
    OperatorKey("f6", "publish", "vote_publish"),
    OperatorKey("ctrl+e", "correct_vote", "vote_correct"),
    OperatorKey("delete", "cancel_vote", "vote_cancel"),
    OperatorKey("f8", "close", "rollcall"),
    OperatorKey("escape", "close", "rollcall", show=False),
)

# The election screen's keys (actions of ElectionScreen).
ELECTION_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f2", "next", "election_next"),
    OperatorKey("f3", "count", "election_count"),
    OperatorKey("f4", "nominate", "election_nominate"),
    OperatorKey("f5", "withdrawal", "election_withdrawal"),
    OperatorKey("f6", "print", "election_print"),
    OperatorKey("ctrl+b", "issue", "election_issue"),
    OperatorKey("f9", "close", "rollcall"),
    OperatorKey("escape", "close", "rollcall", show=False),
)

# The lists of speakers' keys (actions of SpeakersScreen): add (by name; a scanned card opens
# the same form), call, start or resume, pause, end, reorder, remove, close; the item whose list
# it is changes with Ctrl+Left / Ctrl+Right.
SPEAKERS_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f2", "add", "speakers_add"),
    OperatorKey("f3", "call", "speakers_call"),
    OperatorKey("f4", "start", "speakers_start"),
    OperatorKey("f5", "pause", "speakers_pause"),
    OperatorKey("f6", "end", "speakers_end"),
    OperatorKey("ctrl+up", "move_up", "speakers_up"),
    OperatorKey("ctrl+down", "move_down", "speakers_down", show=False),  # (in the help)
    OperatorKey("ctrl+t", "first", "speakers_first"),
    OperatorKey("delete", "remove", "speakers_remove"),
    OperatorKey("ctrl+l", "close_list", "speakers_close"),
    OperatorKey("ctrl+left", "previous_item", "speakers_previous", show=False),
    OperatorKey("ctrl+right", "next_item", "speakers_next"),
    OperatorKey("f10", "close", "rollcall"),
    OperatorKey("escape", "close", "rollcall", show=False),
)

# The teller's ballot-box keys (actions of TellerScreen, scope "box"; the actions are the
# election's step names, session.election_steps.Action). They take over the vote screen's F6
# and F8, which a teller never has (announcing, going back to the roll call); Ctrl+B issues
# ballots as on the election screen. Each acts on the box chosen in the teller's box list.
BOX_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f6", "prepare_box", "box_prepare"),
    OperatorKey("f7", "seal_box", "box_seal"),
    OperatorKey("ctrl+b", "issue_ballots", "box_issue"),
    OperatorKey("f8", "close_box", "box_close"),
    OperatorKey("f9", "open_box", "box_open"),
)

# The counting screen's keys (actions of CountingScreen): Enter in the field enters a ballot.
COUNTING_KEYS: tuple[OperatorKey, ...] = (
    OperatorKey("f2", "toggle_mode", "counting_mode"),
    OperatorKey("f3", "invalid", "counting_invalid"),
    OperatorKey("f4", "correct", "counting_correct"),
    OperatorKey("f5", "next_team", "counting_team"),
    OperatorKey("f6", "next_box", "counting_box"),
    OperatorKey("f7", "void", "counting_void"),
    OperatorKey("f8", "decide_readings", "counting_decide"),  # sheets the machine left undecided
    # Priority: the ballot field has the focus, and an Input takes Ctrl+A for "start of line".
    OperatorKey("ctrl+a", "accept_batch", "counting_accept", priority=True),
    OperatorKey("escape", "close", "counting_close"),
)

# Keys that work inside dialogs, for the help screen (their bindings live on the dialogs).
DIALOG_KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "tui.keys.enter"),
    ("escape", "tui.keys.escape"),
    ("tab", "tui.keys.tab"),
    ("up/down", "tui.keys.updown"),
)


def translated(bindings: BindingsMap) -> BindingsMap:
    """A copy of `bindings` whose 'tui.' descriptions and tooltips are translated."""

    def one(b: Binding) -> Binding:
        if not b.description.startswith("tui."):
            return b
        tooltip = t(b.tooltip) if b.tooltip.startswith("tui.") else b.tooltip
        return replace(b, description=t(b.description), tooltip=tooltip)

    return BindingsMap.from_keys(
        {key: [one(b) for b in found] for key, found in bindings.key_to_bindings.items()}
    )
