"""F1: every key and what it does (roll call, agenda, vote), what the colours and bells mean,
and how scans are taken."""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from session.i18n import t
from tui.keys import (
    AGENDA_KEYS,
    COUNTING_KEYS,
    DIALOG_KEYS,
    ELECTION_KEYS,
    OPERATOR_KEYS,
    VOTE_KEYS,
    OperatorKey,
    translated,
)


def key_label(key: str) -> str:
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key


def key_lines(keys: tuple[OperatorKey, ...]) -> ComposeResult:
    for k in keys:
        yield Static(
            f"{key_label(k.key):>9}  {k.title} — {k.help}", markup=False, classes="help-line"
        )


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1", "close", "tui.dialog.close")]

    def __init__(self) -> None:
        super().__init__()
        self._bindings = translated(self._bindings)

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(t("tui.help.title"), markup=False, id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(t("tui.help.keys"), markup=False, classes="help-heading")
                for k in OPERATOR_KEYS:
                    yield Static(
                        f"{key_label(k.key):>9}  {k.title} — {k.help}",
                        markup=False,
                        classes="help-line",
                    )
                yield Static(t("tui.help.agenda_keys"), markup=False, classes="help-heading")
                yield from key_lines(AGENDA_KEYS)
                yield Static(t("tui.help.vote_keys"), markup=False, classes="help-heading")
                yield from key_lines(VOTE_KEYS)
                yield Static(t("tui.help.election_keys"), markup=False, classes="help-heading")
                yield from key_lines(ELECTION_KEYS)
                yield Static(t("tui.help.counting_keys"), markup=False, classes="help-heading")
                yield from key_lines(COUNTING_KEYS)
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

    def action_close(self) -> None:
        self.dismiss(None)
