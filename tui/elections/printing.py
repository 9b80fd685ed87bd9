"""F6 on the election screen: a round's ballots, or once counted its counting minutes, as PDF.

The files are written next to the database file (in the current directory for a database server),
named after the election and the round. Before the ballots, F6 asks how many copies (none typed:
those present plus the margin) and says so, to be confirmed, when that is fewer than the voters in
the hall. The writing runs in a thread worker, which posts :class:`Printing.Printed`; the screen
says on its notice line what became of it.
"""

from pathlib import Path
from typing import Any

from textual import work
from textual.message import Message

from session import elections as el
from session.i18n import t
from session.sanity import ballots_to_print
from tui.elections.forms import Field, FormProblem, StepForm, whole
from tui.elections.step_group import StepGroup
from tui.forms import FormDialog


class Printing(StepGroup):
    """Where a round's printouts go, F6's question before the ballots, and the thread worker
    that writes them (a method of the election screen, as every group's methods are)."""

    last_printed: Path | None  # the last file written (None: the last one failed)

    class Printed(Message):
        """F6's printout written (`path`), or not (None, and why)."""

        def __init__(self, path: Path | None, error: str = "") -> None:
            super().__init__()
            self.path = path
            self.error = error

    def output_folder(self) -> Path:
        """Next to the database file; the current directory for a database server."""
        url = self.desk.store.url
        if url.startswith("sqlite:///"):
            return Path(url.removeprefix("sqlite:///")).parent
        return Path.cwd()

    def action_print(self) -> None:
        e = self.election
        if e is None or e.current.approved_at is None:
            return
        r = e.current
        minutes = r.status in (
            el.RoundStatus.COUNTED,
            el.RoundStatus.SIGNED,
            el.RoundStatus.ANNOUNCED,
        )
        path = self._printout(e, r.number, "counting-minutes" if minutes else "ballots")
        if minutes:
            self._start_print(e, r.number, path, None, minutes=True)
            return
        label = t("tui.election.form.copies")

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            copies = None
            if values["copies"]:
                try:
                    copies = whole(values, "copies", label, minimum=1)
                except FormProblem as problem:
                    dialog.refused(str(problem))
                    return
            dialog.accepted(None)
            self._start_print(e, r.number, path, copies, minutes=False)

        def ask(values: dict[str, str]) -> tuple[str, str, str] | None:
            """Fewer ballots than voters in the hall: said, and confirmed, before printing."""
            text, present = values.get("copies", ""), self.desk.present
            caution = ballots_to_print(int(text), present) if text.isdigit() and present else None
            if caution is None:
                return None
            return (t("sanity.question_print"), caution.text(), t("tui.election.print_confirm"))

        self.app.push_screen(
            StepForm(
                send,
                t("tui.election.print_title", path=str(path)),
                t("tui.election.print_help"),
                [Field("copies", label, hint=t("tui.election.form.copies_hint"), required=False)],
                confirm=t("tui.election.print_confirm"),
                question=ask,
            )
        )

    def _printout(self, e: el.Election, round_no: int, kind: str) -> Path:
        """Where F6 writes a round's ballots or counting minutes."""
        return self.output_folder() / f"{e.id}-round-{round_no}-{kind}.pdf"

    def _start_print(
        self, e: el.Election, round_no: int, path: Path, copies: int | None, *, minutes: bool
    ) -> None:
        self.desk.say(t("tui.election.printing", path=str(path)))
        self._print(e, round_no, path, copies, minutes)

    @work(thread=True, group="election-print", exit_on_error=False)
    def _print(
        self, e: el.Election, round_no: int, path: Path, copies: int | None, minutes: bool
    ) -> None:
        """The counting minutes, or `copies` ballots (None: those present plus the margin)."""
        try:
            if minutes:
                from printouts.counting_minutes import write_counting_minutes

                names = self.desk.store.person_names()  # (the committee is recorded by id)
                write_counting_minutes(path, self.congress, e, round_no, names=names)
            else:
                from printouts.ballots import suggested_copies, write_ballots

                if copies is None:
                    copies = suggested_copies(self.desk.store.snapshot().verdict.attendance.present)
                write_ballots(path, self.congress, e, round_no, copies)
        except Exception as exc:  # said on the screen; nothing else depends on the file
            self.post_message(self.Printed(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Printed(path))
