"""The operator's screens driven through the Textual pilot, as the presidium's desk would: a
dialog's fields and its confirmation, the roll call's scans, the agenda's cursor, the vote
screen's counts by sector, the election screen's steps (F2), votes and counting, and the export
dialog (F12). No pytest here."""

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, ProgressBar, Select, Static

from session.ballots import InvalidReason
from session.i18n import t
from tui.agenda import AgendaTable
from tui.app import PresidiumApp
from tui.dialog import ConfirmScreen
from tui.elections.counting import CountingScreen
from tui.elections.forms import StepForm
from tui.export import ExportScreen
from tui.forms import CountDialog, TellerDialog
from tui.testing import pause, press, screen_text, settle, type_burst
from tui.widgets.banners import ResultBanner
from tui.widgets.sectors import SectorGrid

# ---------------------------------------------------------------- dialogs


async def confirm(app: PresidiumApp, pilot: Pilot[None]) -> None:
    """The open dialog's confirm button."""
    app.screen.query_one("#confirm", Button).press()
    await settle(pilot)


async def answer_yes(app: PresidiumApp, pilot: Pilot[None]) -> None:
    assert isinstance(app.screen, ConfirmScreen), app.screen
    await confirm(app, pilot)


def fill(app: PresidiumApp, **values: str) -> None:
    """The open form's fields, by id."""
    for field, value in values.items():
        app.screen.query_one(f"#{field}", Input).value = value


def choose(app: PresidiumApp, select: str, value: str) -> None:
    app.screen.query_one(f"#{select}", Select).value = value


# ---------------------------------------------------------------- the roll call


def banner(app: PresidiumApp) -> str:
    """The roll call's result banner."""
    return app.rollcall.query_one(ResultBanner).text


async def scan(app: PresidiumApp, pilot: Pilot[None], code: str) -> None:
    """A card code typed as a USB scanner does (one burst), then settled."""
    type_burst(app, code)
    await settle(pilot)


# ---------------------------------------------------------------- the agenda (F7)


async def select(app: PresidiumApp, pilot: Pilot[None], key: str) -> None:
    """The agenda's cursor on item `key`."""
    table = app.agenda_screen.query_one(AgendaTable)
    table.move_cursor(row=table.keys.index(key))
    await pause(pilot)
    assert table.selected == key


# ---------------------------------------------------------------- the vote screen (F8)


async def pick_sector(app: PresidiumApp, pilot: Pilot[None], sector: str) -> None:
    app.vote_screen.query_one(SectorGrid).select(sector)
    await pause(pilot)


def fill_counts(dialog: CountDialog, teller: str, *counts: object) -> None:
    """The count form's teller and counts, one per option in the vote's order."""
    dialog.query_one("#teller", Input).value = teller
    fields = [f for f in dialog.query(Input) if f.id and f.id.startswith("count-")]
    for field, value in zip(fields, counts, strict=True):
        field.value = str(value)


async def enter_counts(
    app: PresidiumApp, pilot: Pilot[None], sector: str, teller: str, *counts: object
) -> CountDialog:
    """F3 on `sector`, the teller and the three counts, Enter; returns the dialog."""
    await pick_sector(app, pilot, sector)
    await press(pilot, "f3")
    dialog = app.screen
    assert isinstance(dialog, CountDialog), dialog
    fill_counts(dialog, teller, *counts)
    await confirm(app, pilot)
    return dialog


# ---------------------------------------------------------------- the election screen (F9)


async def step(app: PresidiumApp, pilot: Pilot[None], choice: str = "", **values: str) -> None:
    """F2 on the election screen: fill the step's form (choose `choice`), confirm, and answer
    its question (a step with nothing to type is only the question)."""
    assert app.screen is app.election_screen, app.screen
    await press(pilot, "f2")
    if isinstance(app.screen, StepForm):
        if choice:
            choose(app, "choice", choice)
        fill(app, **values)
        await confirm(app, pilot)
    if isinstance(app.screen, ConfirmScreen):
        await confirm(app, pilot)
    assert app.screen is app.election_screen, screen_text(app)


async def take_vote(app: PresidiumApp, pilot: Pilot[None], proposal: str = "") -> None:
    """F2 found no decision to cite: open the vote it offers (with the number put to it, for
    the seats), carry it on the vote screen (two tellers, all present in favour), announce it:
    the election screen comes back by itself."""
    await press(pilot, "f2")
    assert isinstance(app.screen, StepForm), screen_text(app)
    if proposal:
        fill(app, proposal=proposal)
    await confirm(app, pilot)
    assert app.screen is app.vote_screen, screen_text(app)
    for teller in ("Tổ 1", "Tổ 2"):
        await press(pilot, "f5")
        assert isinstance(app.screen, TellerDialog)
        fill(app, teller=teller)
        await confirm(app, pilot)
    await press(pilot, "f6")
    await answer_yes(app, pilot)
    assert app.screen is app.election_screen, screen_text(app)


async def ballot(app: PresidiumApp, pilot: Pilot[None], text: str) -> None:
    """On the counting screen: one ballot's struck numbers, Enter."""
    assert isinstance(app.screen, CountingScreen)
    app.screen.query_one("#ballot", Input).value = text
    await press(pilot, "enter")


async def invalid(app: PresidiumApp, pilot: Pilot[None], reason: InvalidReason) -> None:
    """On the counting screen: F3, an invalid ballot for `reason`."""
    await press(pilot, "f3")
    choose(app, "choice", reason.value)
    await confirm(app, pilot)


async def count_round(
    app: PresidiumApp, pilot: Pilot[None], ballots: list[str], spoilt: int
) -> None:
    """F3, the ballots typed (struck names), `spoilt` ballots marked invalid with F3, back."""
    await press(pilot, "f3")
    assert isinstance(app.screen, CountingScreen)
    for text in ballots:
        await ballot(app, pilot, text)
    for _ in range(spoilt):
        await invalid(app, pilot, InvalidReason.SIGNED_OR_MARKED)
    await press(pilot, "escape")
    assert app.screen is app.election_screen


# ---------------------------------------------------------------- the export (F12)


async def export_to(app: PresidiumApp, pilot: Pilot[None], folder: Path) -> ExportScreen:
    """F12, the folder typed, confirmed; returns the dialog (its hint and its idle bar checked
    first)."""
    await pilot.press("f12")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, ExportScreen)
    # Seen in tmux: the export dialog had no key hint, and its bar moved before anything ran.
    hint = t("tui.export.hint", action=t("tui.export.confirm"))
    assert dialog.query_one("#dialog-hint", Static).render().plain == hint  # type: ignore[union-attr]
    assert not dialog.query_one(ProgressBar).display
    dialog.query_one("#export-folder", Input).value = str(folder)
    dialog.query_one("#confirm", Button).press()
    await settle(pilot)
    return dialog
