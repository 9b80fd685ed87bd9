"""The counting committee's decisions on the ballots a machine read (issue 14), from the counting
screen: F8 takes the sheets the machine could not call one by one.

Each comes up in a dialog that says where the paper ballot is (its sheet number in the scanner's
tray order, the file, the page and the ballot on the page, the box and the batch), why it waits
(the doubts, in words), what was read on each row in question and on the whole sheet, and the
picture of its rows (textual-image: graphics where the terminal has them, half-blocks or unicode
otherwise; its file's path is always written, so it can be opened elsewhere). The committee types
the ballot as it is counted (the struck numbers, as on the counting screen, or invalid with its
reason) and why; Enter records it (Store.decide_reading) and the next sheet comes up; Esc leaves.
A refusal is said in the dialog and nothing is lost. The dialog is a FormDialog, as every
dialog of the counting screen (tui.dialog: one way for every dialog).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, ComposeResult, CSSPathType
from textual.widget import Widget
from textual.widgets import Input, Static

# Imported with the counting screen, before the app starts: textual-image asks the terminal what
# it can draw when it is first imported, which it cannot do once Textual reads the keyboard.
from printouts.counting_minutes import marks_read
from session import elections as el
from session.ballot_reading import RowMark, SheetPlace, marks_from_text
from session.ballots import BallotInput, ElectionError, InvalidReason, MarkMode, parse_numbers
from session.count import ballot_text
from session.i18n import number, t
from tui.desk import Desk
from tui.dialog import Choice, labelled
from tui.elections.forms import CHOICE, MODALS
from tui.forms import FormDialog, Send

VALID = "valid"
NOTHING_STRUCK = "0"  # as on the counting screen
ROWS_SHOWN = 12  # rows in question listed one per line; more are summed up on the sheet's line


def team_label(team: str, reader: str) -> str:
    """A team as the counting screen names it: "Tổ 2 (máy đọc)" for the machine's."""
    return t("tui.reading.machine_team", team=team) if reader and team == reader else team


def readings_line(r: el.Round) -> str:
    """The counting screen's line about the machine ("" when none reads): the sheets it read,
    and how many wait for the committee (F8)."""
    count = r.count
    if count is None or not count.reader:
        return ""
    c = el.reading_counts(r.readings)
    if c.pending:
        return t("tui.reading.pending", team=count.reader, read=number(c.read),
                 count=number(c.pending))  # fmt: skip
    return t("tui.reading.machine_line", team=count.reader, read=number(c.read),
             decided=number(c.decided))  # fmt: skip


def picture_of(database_url: str, place: SheetPlace) -> Path:
    """Where the reader left the picture of a doubtful sheet's rows (printouts.reading)."""
    from printouts.reading.archive import archive_for, picture_path  # (OpenCV: when asked)

    return picture_path(archive_for(database_url), place)


@dataclass(frozen=True, slots=True)
class Decision:
    """What the committee decided for one sheet: the ballot the count takes, and why."""

    key: tuple[str, int, int]
    sheet: int
    ballot: BallotInput
    reason: str

    def text(self) -> str:
        return ballot_text(self.ballot)


class ReadBallotDialog(FormDialog[Decision]):
    """One sheet the machine could not call: where it is, what was read, its picture; the
    committee's ballot for it (struck numbers, or invalid with the reason) and the reason."""

    CSS_PATH: ClassVar[CSSPathType | None] = [MODALS, "read_ballots.tcss"]

    def __init__(
        self,
        send: Send,
        election: el.Election,
        round_no: int,
        reading: el.Reading,
        waiting: int,
        picture: Path,
    ) -> None:
        super().__init__(send)
        self.reading = reading
        self._names = [p.full_name for p in election.ballot(round_no)]
        self._waiting = waiting
        self._picture = picture

    def title_text(self) -> str:
        return t("tui.reading.title", sheet=self.reading.place.sheet, count=self._waiting)

    def help_text(self) -> str:
        return t("tui.reading.help")

    def action_label(self) -> str:
        return t("tui.reading.confirm")

    # ------------------------------------------------------------------ what the machine read

    def facts(self) -> str:
        """Where the sheet is, why it waits, and what was read."""
        x, p = self.reading, self.reading.place
        lines = [
            t("tui.reading.where", sheet=p.sheet, file=p.file, page=p.page, slot=p.slot),
            t("tui.reading.box", box=x.box, batch=x.batch, code=x.code or "—"),
        ]
        if x.doubts:
            doubts = ", ".join(t(f"election.reading.doubt.{d.value}") for d in x.doubts)
            lines.append(t("tui.reading.doubts", doubts=doubts))
        marks = marks_from_text(x.marks)
        unsure = [n for n, m in enumerate(marks, 1) if m is RowMark.UNSURE]
        if unsure:
            lines.append(t("tui.reading.rows"))
            for n in unsure[:ROWS_SHOWN]:
                name = self._names[n - 1] if n <= len(self._names) else "—"
                mark = t(f"election.reading.mark.{marks[n - 1].value}")
                lines.append(t("tui.reading.row", number=n, name=name, mark=mark))
        lines.append(t("tui.reading.whole", marks=marks_read(x.marks)))
        return "\n".join(lines)

    def sure_struck(self) -> str:
        """The numbers read as struck (or disagree) for sure: the field starts with them."""
        marks = marks_from_text(self.reading.marks)
        struck = [n for n, m in enumerate(marks, 1) if m in (RowMark.STRUCK, RowMark.DISAGREE)]
        return " ".join(str(n) for n in struck)

    def body(self) -> ComposeResult:
        """What was read, the committee's fields, then the picture's path and the picture (at 24
        lines the body scrolls: the fields come before the picture, which the paper ballot in
        hand can do without)."""
        yield Static(self.facts(), markup=False, id="reading-facts")
        numbers = self.text_field("numbers", t("tui.reading.numbers_hint"), self.sure_struck())
        yield labelled(t("tui.reading.numbers"), numbers)
        yield self.reason_field(t("tui.reading.reason"))
        choices = [(t("tui.reading.valid"), VALID)]
        choices += [(t(f"election.invalid.{r.value}"), r.value) for r in InvalidReason]
        yield labelled(
            t("tui.reading.counted_as"), Choice(choices, value=VALID, id=CHOICE), required=True
        )
        found = self._picture.is_file()
        key = "tui.reading.picture" if found else "tui.reading.picture_missing"
        yield Static(t(key, path=str(self._picture)), markup=False, id="reading-path")
        if found:
            from tui.elections.rows_picture import RowsPicture  # (numpy: only when shown)

            yield RowsPicture(self._picture, id="reading-picture")

    def first_field(self) -> Widget | None:
        """The struck numbers first: the committee types what the ballot says, then why."""
        return self.query_one("#numbers", Input)

    def focus_first(self) -> None:
        super().focus_first()
        focused = self.focused
        if focused is not None:  # (once laid out: a short terminal scrolls the body to it)
            self.call_after_refresh(focused.scroll_visible, animate=False)

    # ------------------------------------------------------------------ the decision

    def request(self) -> Decision | None:
        chosen = self.query_one(f"#{CHOICE}", Choice).chosen or VALID
        if chosen != VALID:
            ballot = BallotInput.spoilt(InvalidReason(chosen))
        else:
            numbers = self._numbers()
            if numbers is None:
                self.query_one("#numbers", Input).focus()
                return None
            ballot = BallotInput(MarkMode.STRUCK, numbers)
        return Decision(self.reading.key, self.reading.place.sheet, ballot, self.reason())

    def _numbers(self) -> tuple[int, ...] | None:
        """The struck numbers typed (0: none), or None after saying what is wrong."""
        text = self.value("numbers")
        if not text:
            self.fail(t("tui.reading.numbers_missing"))
            return None
        if text == NOTHING_STRUCK:
            return ()
        try:
            return parse_numbers(text, len(self._names))
        except ElectionError as exc:
            self.fail(str(exc))
            return None


class ReadingDecisions:
    """The counting screen's F8 (a mixin of CountingScreen, whose election, round, desk and
    status line it uses): the first sheet waiting for the committee; once decided, the next."""

    election: el.Election | None
    election_id: str
    round_no: int
    desk: Desk

    if TYPE_CHECKING:  # (the screen's own)
        app: App[Any]

        def _say(self, text: str, colour: str) -> None: ...
        def show_election(self, e: el.Election) -> None: ...
        def call_after_refresh(self, callback: Callable[[], Any]) -> bool: ...

    def action_decide_readings(self) -> None:
        e = self.election
        if e is None:
            return
        pending = el.pending_readings(e.round(self.round_no))
        if not pending:
            self._say(t("tui.reading.none_pending"), "yellow")
            return
        store, eid, n = self.desk.store, self.election_id, self.round_no

        def send(d: Decision, dialog: FormDialog[Any]) -> None:
            self.desk.write(
                lambda: store.decide_reading(eid, n, d.key, d.ballot, d.reason),
                done=lambda updated: self._decided(dialog, updated, d),
                failed=dialog.refused,
            )

        reading = pending[0]
        picture = picture_of(store.url, reading.place)
        self.app.push_screen(ReadBallotDialog(send, e, n, reading, len(pending), picture))

    def _decided(self, dialog: FormDialog[Any], e: el.Election, decision: Decision) -> None:
        dialog.accepted(None)
        self.show_election(e)
        said = t("tui.reading.decided_done", sheet=decision.sheet, ballot=decision.text())
        if el.pending_readings(e.round(self.round_no)):
            self.call_after_refresh(self.action_decide_readings)  # the next one
        else:
            said += " · " + t("tui.reading.all_decided")
        self._say(said, "green")
