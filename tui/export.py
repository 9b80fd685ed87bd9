"""F12: the proceedings exported from the app, with a progress bar, then checked.

The same export as `presidium export` (printouts.export): written in a thread worker into a
temporary folder and moved into place, so a failure leaves nothing half-written; then read back
with `verify --export`'s check. An earlier export in the folder is replaced only after "are you
sure?". Scans keep working underneath.
"""

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Input, ProgressBar, Static

from db.store import Store
from session.i18n import Refusal, t
from tui.dialog import ConfirmScreen, Dialog
from tui.widgets.scan_input import ScanAwareInput

SUMS = "SHA256SUMS"


class ExportProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ExportFinished(Message):
    def __init__(self, folder: Path | None, text: str) -> None:
        super().__init__()
        self.folder = folder
        self.text = text


class ExportScreen(Dialog[Path | None]):
    """Where to write the proceedings; the progress; what was written and checked."""

    ACTION = "tui.export.confirm"

    def __init__(self, store: Store, folder: Path) -> None:
        super().__init__()
        self.store = store
        self.folder = folder
        self.running = False
        self.written: Path | None = None

    def title_text(self) -> str:
        return t("tui.export.title")

    def help_text(self) -> str:
        return t("tui.export.help")

    def body(self) -> ComposeResult:
        yield ScanAwareInput(str(self.folder), id="export-folder", classes="form-field")
        bar = ProgressBar(total=None, show_eta=False, id="export-progress")
        bar.display = False  # (until the export starts: an idle bar would seem to be working)
        yield bar
        yield Static("", markup=False, id="export-status")

    def cancel_label(self) -> str:
        return t("tui.dialog.close")

    def hint(self) -> str:
        return t("tui.export.hint", action=self.action_label())

    @on(Input.Submitted, "#export-folder")
    def _folder_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def action_cancel(self) -> None:
        if not self.running:  # the export finishes (or fails) whole: no half-written folder
            self.dismiss(self.written)

    def confirm(self) -> None:
        if self.running:
            return
        text = self.query_one("#export-folder", Input).value.strip()
        if not text:
            self.fail(t("tui.export.folder_required"))
            return
        folder = Path(text).expanduser()
        if (folder / SUMS).exists():
            self.app.push_screen(
                ConfirmScreen(
                    t("tui.export.replace_question", folder=str(folder)),
                    t("tui.export.replace_detail"),
                    t("tui.export.replace"),
                ),
                lambda yes: self._start(folder, force=True) if yes else None,
            )
            return
        self._start(folder, force=False)

    def _start(self, folder: Path, *, force: bool) -> None:
        self.running = True
        self.fail("")
        self.query_one(ProgressBar).display = True
        self.query_one("#confirm", Button).disabled = True
        self.query_one("#export-status", Static).update(t("tui.export.running", folder=str(folder)))
        self._export(folder, force)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, folder: Path, force: bool) -> None:
        from printouts.export import export, verify_export

        def progress(done: int, total: int) -> None:
            self.post_message(ExportProgress(done, total))

        try:
            export(self.store, folder, force=force, progress=progress)
            check = verify_export(self.store, folder)
        except Refusal as exc:  # a folder in the way, a name the fonts cannot print...
            self.post_message(ExportFinished(None, str(exc)))
            return
        except Exception as exc:  # said in the dialog; the temporary folder is already gone
            self.post_message(ExportFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        text = t("tui.export.done", folder=str(folder), files=check.files)
        self.post_message(ExportFinished(folder.resolve(), text))

    @on(ExportProgress)
    def _progress(self, message: ExportProgress) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=message.total, progress=message.done)

    @on(ExportFinished)
    def _finished(self, message: ExportFinished) -> None:
        self.running = False
        self.query_one("#confirm", Button).disabled = False
        if message.folder is None:
            self.fail(message.text)
            self.query_one("#export-status", Static).update("")
            self.app.bell()
            return
        self.written = message.folder
        self.query_one("#export-status", Static).update(message.text)
