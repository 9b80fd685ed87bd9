"""F1: every key and what it does (roll call, agenda, vote), what the colours and bells mean,
and how scans are taken. A role terminal's help lists only the keys that work there."""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from session.i18n import t
from tui.keys import (
    AGENDA_KEYS,
    BOX_KEYS,
    COUNTING_KEYS,
    DIALOG_KEYS,
    ELECTION_KEYS,
    OPERATOR_KEYS,
    ROLE_TERMINAL_ACTIONS,
    SPEAKERS_KEYS,
    VOTE_KEYS,
    OperatorKey,
    translated,
)
from tui.role_keys import RoleKeys
from tui.widgets.redraw import Footer


def key_label(key: str) -> str:
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key


def key_lines(keys: tuple[OperatorKey, ...]) -> ComposeResult:
    for k in keys:
        yield Static(
            f"{key_label(k.key):>9}  {k.title} — {k.help}", markup=False, classes="help-line"
        )


def allowed(
    keys: tuple[OperatorKey, ...], scope: str, offered: RoleKeys | None
) -> tuple[OperatorKey, ...]:
    """The keys of `scope` ("app", "vote"...) the role offers (all: the operator's)."""
    if offered is None or offered.actions is None:
        return tuple(k for k in keys if k.action not in ROLE_TERMINAL_ACTIONS)
    return tuple(k for k in keys if offered.may(f"{scope}.{k.action}"))


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1", "close", "tui.dialog.close")]

    def __init__(self, offered: RoleKeys | None = None) -> None:
        super().__init__()
        self._bindings = translated(self._bindings)
        self.offered = offered

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(t("tui.help.title"), markup=False, id="help-title")
            with VerticalScroll(id="help-body"):
                yield from self._key_sections()
                yield Static(t("tui.help.dialog_keys"), markup=False, classes="help-heading")
                for key, name in DIALOG_KEYS:
                    yield Static(f"{key:>9}  {t(name)}", markup=False, classes="help-line")
                yield Static(t("tui.help.colours"), markup=False, classes="help-heading")
                for colour in ("green", "yellow", "red"):
                    yield Static(
                        t(f"tui.help.colour.{colour}"),
                        markup=False,
                        classes=f"help-line help-{colour}",
                    )
                yield Static(t("tui.help.scanning_title"), markup=False, classes="help-heading")
                yield Static(t("tui.help.scanning"), markup=False, classes="help-line")
        yield Footer()

    def _key_sections(self) -> ComposeResult:
        sections: tuple[tuple[str, str, tuple[OperatorKey, ...]], ...] = (
            ("tui.help.keys", "app", OPERATOR_KEYS),
            ("tui.help.agenda_keys", "agenda", AGENDA_KEYS),
            ("tui.help.vote_keys", "vote", VOTE_KEYS),
            ("tui.help.election_keys", "elections", ELECTION_KEYS),
            ("tui.help.counting_keys", "counting", COUNTING_KEYS),
            ("tui.help.speakers_keys", "speakers", SPEAKERS_KEYS),
        )
        if self.offered is not None and self.offered.actions is not None:
            # Only a teller's screen has these keys (the operator's F6-F9 mean other things).
            sections += (("tui.help.box_keys", "box", BOX_KEYS),)
        for heading, scope, keys in sections:
            shown = allowed(keys, scope, self.offered)
            if shown:
                yield Static(t(heading), markup=False, classes="help-heading")
                yield from key_lines(shown)

    def action_close(self) -> None:
        self.dismiss(None)
