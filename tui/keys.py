"""The operator's keys: one table for the bindings, the footer, the help screen and the palette.

Function keys only (plus ctrl+p / ctrl+q): a scanner types digits, and on AZERTY the digit-row
symbols, so no printable key may ever be bound. Descriptions are translation keys; call
:func:`translated` on a node's bindings after ``__init__`` so the footer speaks the process
language (which is chosen at run time, after these classes are defined).
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
    OperatorKey("ctrl+p", "command_palette", "palette", show=False, priority=True),
    OperatorKey("ctrl+q", "quit", "quit", priority=True),
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
