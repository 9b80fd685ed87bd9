"""The counting screen: the counting committee enters ballots one by one at reading speed.

Type the numbers of the struck names (or of the kept names: F2 switches), Enter. F3 marks the
ballot invalid with its reason (domain rules 4.7). The running tallies and the last ballots update
as each ballot is stored; F4 corrects an entered ballot, with its reason, and the trace stays.
With two teams (double entry), F5 switches team and the differences between the teams are listed
per batch and per candidate; Ctrl+A takes one team's figures for a batch after a recount.
F6 switches box when several are open. The Store gives each ballot its number inside the write
transaction, so a ballot is never counted twice, even across a crash. When a machine reads the
ballots as one team (issue 14), that team is named "(machine)", a line says what it read and how
many sheets wait for the counting committee, and F8 takes those one by one
(tui.elections.read_ballots).
"""

import time
from collections import deque
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from session import election_records as records
from session import elections as el
from session.ballots import BallotInput, ElectionError, InvalidReason, MarkMode, parse_numbers
from session.count import CountMode, EnteredBallot, Totals, by_candidate, differences
from session.i18n import number, t
from tui.desk import Desk
from tui.elections.forms import CHOICE, Field, FormProblem, StepForm, whole
from tui.elections.read_ballots import ReadingDecisions, readings_line, team_label
from tui.forms import FormDialog
from tui.keys import COUNTING_KEYS, translated
from tui.widgets.redraw import Footer, show
from tui.widgets.scan_input import ScanAwareInput
from tui.widgets.tables import cell

RECENT = 8
BALLOT_FIELD = 2000
VALID = "valid"
NOTHING_MARKED = "0"  # typed for a ballot with no name marked: an empty line records nothing


def marks_text(ballot: BallotInput) -> str:
    """An entered ballot as the counter typed it: '3 7 12 (struck)' or 'invalid: reason'."""
    if ballot.invalid is not None:
        return t("tui.counting.invalid_mark", reason=t(f"election.invalid.{ballot.invalid.value}"))
    numbers = " ".join(str(n) for n in ballot.numbers) or "—"
    return t(f"tui.counting.marks.{ballot.mode.value}", numbers=numbers)


class BallotField(ScanAwareInput):
    """Emptied the moment Enter takes its ballot, so the next ballot typed while the screen is
    still busy with this one never runs into it."""

    async def action_submit(self) -> None:
        await super().action_submit()  # Submitted carries the value as it was
        self.value = ""


class CountingScreen(ReadingDecisions, Screen[None]):
    CSS_PATH = "election.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in COUNTING_KEYS]
    AUTO_FOCUS = "#ballot"

    def __init__(self, desk: Desk, election: str, round_no: int) -> None:
        super().__init__(id="counting")
        self._bindings = translated(self._bindings)
        self.desk = desk
        self.election_id = election
        self.round_no = round_no
        self.mode = MarkMode.STRUCK
        self.team: str | None = None
        self.box: str | None = None
        self.election: el.Election | None = None
        self._votes: list[str] = []  # the tallies as shown, to update only what changed
        self._pending = -1  # the sheets waiting for the committee, as the footer last knew
        self.latencies: deque[float] = deque(maxlen=5000)  # Enter -> tallies updated (s)

    def compose(self) -> ComposeResult:
        yield Static(markup=False, id="counting-heading")
        yield Static(markup=False, id="counting-mode")
        yield Static(markup=False, id="counting-status")
        yield Static(markup=False, id="counting-readings")
        # Every name of a 200-name list, struck: 200 numbers of up to three digits and spaces.
        yield BallotField(
            placeholder=t("tui.counting.placeholder"), id="ballot", max_length=BALLOT_FIELD
        )
        yield Static(markup=False, id="counting-figures")
        yield Static(markup=False, id="counting-differences")
        yield DataTable[Text](id="recent", cursor_type="row", zebra_stripes=True)
        yield DataTable[Text](id="tallies", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        recent = self.query_one("#recent", DataTable)
        recent.border_title = t("tui.counting.recent")
        # The judgement (and an invalid ballot's reason) whole, before the marks, which may run
        # to a 200-name list's numbers.
        recent.add_column(t("tui.counting.col.seq"), key="seq")
        recent.add_column(t("tui.counting.col.box"), key="box")
        recent.add_column(t("tui.counting.col.judgement"), key="judgement")
        recent.add_column(t("tui.counting.col.marks"), key="marks")
        tallies = self.query_one("#tallies", DataTable)
        tallies.border_title = t("tui.counting.tallies")
        tallies.add_column(t("tui.election.col.no"), key="no", width=4)
        tallies.add_column(t("tui.election.col.name"), key="name", width=32)
        tallies.add_column(t("tui.election.col.votes"), key="votes", width=8)
        if self.election is not None:
            self._draw()

    # ------------------------------------------------------------------ state

    def show_book(self, book: el.ElectionBook) -> None:
        """The election as last read (or as the Store returned it after a ballot)."""
        found = book.get(self.election_id)
        if found is not None:
            self.show_election(found)

    def show_election(self, e: el.Election) -> None:
        r = e.round(self.round_no)
        if r.count is None or e is self.election:
            return  # (the book read after a ballot holds the election the ballot returned)
        self.election = e
        teams = [team.name for team in r.count.teams]
        if self.team not in teams:
            self.team = teams[0]
        opened = [b.id for b in r.boxes if b.status is el.BoxStatus.OPENED]
        if self.box not in opened:
            self.box = opened[0] if opened else None
        if self.is_mounted:
            self._draw()
        pending = len(el.pending_readings(r))
        if pending != self._pending:  # F8 shown, dimmed or hidden
            self._pending = pending
            self.refresh_bindings()

    def _draw(self) -> None:
        e = self.election
        assert e is not None and self.team is not None
        r = e.round(self.round_no)
        assert r.count is not None
        self._show(
            "counting-heading",
            t(
                "tui.counting.heading",
                title=e.title,
                round=r.number,
                team=team_label(self.team, r.count.reader),
                box=self.box or "—",
            ),
        )
        readings = self.query_one("#counting-readings", Static)
        readings.display = bool(r.count.reader)
        readings.set_class(bool(el.pending_readings(r)), "-pending")
        self._show("counting-readings", readings_line(r))
        sheets = r.count.mode is CountMode.SHEETS
        line = "tui.counting.sheet_line" if sheets else "tui.counting.mode_line"
        self._show("counting-mode", t(line, mode=t(f"tui.counting.mode.{self.mode.value}")))
        self.query_one("#ballot", Input).placeholder = t(
            "tui.counting.sheet_placeholder" if sheets else "tui.counting.placeholder"
        )
        self._draw_figures(r)
        self._draw_recent(r.count.team(self.team).ballots)
        self._draw_tallies(e, r)

    def _draw_figures(self, r: el.Round) -> None:
        assert r.count is not None and self.team is not None
        box = r.box(self.box) if self.box else None
        totals = r.count.team_totals(self.team, self.box)
        returned = box.returned if box is not None and box.returned is not None else 0
        figures = t(
            "tui.counting.figures",
            entered=number(totals.ballots),
            returned=number(returned),
            valid=number(totals.valid),
            invalid=number(totals.invalid_total),
        )
        if r.count.reader:  # whose figures: the machine's or the hand team's
            figures = f"{team_label(self.team, r.count.reader)} · {figures}"
        self._show("counting-figures", figures)
        lines = []
        diffs = differences(r.count)
        if diffs:
            batches = ", ".join(f"{d.batch} ({d.box})" for d in diffs)
            lines.append(t("tui.counting.differences", batches=batches))
            # on one line, wrapped: a machine beside a hand count differs in every name at first
            figures = by_candidate(diffs)
            lines.append(" · ".join(t("tui.counting.difference", number=n, first=a, second=b)
                                    for n, a, b in figures))  # fmt: skip
        self._show("counting-differences", "\n".join(lines))

    def _show(self, widget: str, text: str) -> None:
        show(self.query_one(f"#{widget}", Static), text)

    def _draw_recent(self, ballots: tuple[EnteredBallot, ...]) -> None:
        table = self.query_one("#recent", DataTable)
        table.clear()
        for b in reversed(ballots[-RECENT:]):
            reason = b.judgement.reason
            judged = (
                t("tui.counting.valid")
                if b.judgement.valid or reason is None
                else t("tui.counting.invalid_mark", reason=t(f"election.invalid.{reason.value}"))
            )
            if b.corrected:
                judged += " " + t("tui.counting.corrected")
            if b.voided:  # (it stays in the list, marked: it no longer counts)
                judged = t("tui.counting.void_mark", reason=b.void_reason)
            table.add_row(
                cell(str(b.seq)),
                cell(b.box),
                cell(judged),
                cell(marks_text(b.ballot)),
                key=str(b.seq),
            )

    def _draw_tallies(self, e: el.Election, r: el.Round) -> None:
        """Only the cells that changed: a 200-name list must not be rebuilt at every ballot."""
        assert r.count is not None and self.team is not None
        votes = [number(v) for v in r.count.team_totals(self.team).votes]
        table = self.query_one("#tallies", DataTable)
        if len(self._votes) != len(votes):
            table.clear()
            for n, (person, v) in enumerate(zip(e.ballot(r.number), votes, strict=True), 1):
                table.add_row(
                    cell(str(n), "right"), cell(person.full_name), cell(v, "right"), key=str(n)
                )
        else:
            for n, (old, new) in enumerate(zip(self._votes, votes, strict=True), 1):
                if old != new:
                    table.update_cell(str(n), "votes", cell(new, "right"))
        self._votes = votes

    # ------------------------------------------------------------------ entering ballots

    @on(Input.Submitted, "#ballot")
    def _ballot_typed(self, event: Input.Submitted) -> None:
        event.stop()
        e = self.election
        if e is None or self.team is None or self.box is None:
            self._say(t("tui.counting.no_box"), "red")
            return
        text = event.value.strip()
        candidates = len(e.round(self.round_no).ballot)
        count = e.round(self.round_no).count
        if count is not None and count.mode is CountMode.SHEETS:
            self._sheet(text, candidates)
            return
        if not text:  # an empty line records nothing (a stray Enter is not a ballot)
            self._say(t("tui.counting.empty_line"), "yellow")
            return
        try:
            numbers = () if text == NOTHING_MARKED else parse_numbers(text, candidates)
        except ElectionError as exc:
            self._say(str(exc), "red")
            return
        self._enter(BallotInput(self.mode, numbers))

    def _enter(self, ballot: BallotInput) -> None:
        assert self.team is not None and self.box is not None
        store, team, box = self.desk.store, self.team, self.box
        eid, n = self.election_id, self.round_no
        asked = time.perf_counter()
        self.desk.write(
            lambda: store.enter_ballot(eid, n, team, box, ballot),
            done=lambda e: self._entered(e, asked),
            failed=lambda text: self._say(text, "red"),
        )

    def _entered(self, e: el.Election, asked: float) -> None:
        self.show_election(e)
        self.latencies.append(time.perf_counter() - asked)
        r = e.round(self.round_no)
        assert r.count is not None and self.team is not None
        last = r.count.team(self.team).ballots[-1]
        self._say(t("tui.counting.entered", seq=last.seq, marks=marks_text(last.ballot)), "green")

    def _sheet(self, text: str, candidates: int) -> None:
        """A tally sheet: the votes typed in ballot order, then the valid and invalid ballots
        (by reason) in a form; the Store checks that they add up."""
        words = text.replace(",", " ").split()
        if len(words) != candidates or not all(w.isdigit() for w in words):
            self._say(t("tui.counting.sheet_votes", candidates=candidates, typed=len(words)), "red")
            return
        votes = [int(w) for w in words]
        store, team, box = self.desk.store, self.team or "", self.box or ""
        eid, n = self.election_id, self.round_no
        valid_label = t("tui.counting.valid_ballots")

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            try:
                valid = whole(values, "valid", valid_label)
                invalid = {
                    r: whole(values, r.value, t(f"election.invalid.{r.value}"))
                    for r in InvalidReason
                }
            except FormProblem as problem:
                dialog.refused(str(problem))
                return
            totals = Totals.of(votes, valid, invalid)
            reason = values["reason"]
            self.desk.write(
                lambda: store.record_election(
                    lambda _b, now: records.sheet_entered(eid, n, team, box, totals, reason)(now)
                ),
                done=lambda updated: (dialog.accepted(None), self.show_election(updated)),
                failed=dialog.refused,
            )

        fields = [Field("valid", valid_label)]
        fields += [Field(r.value, t(f"election.invalid.{r.value}"), "0") for r in InvalidReason]
        fields.append(Field("reason", t("tui.counting.sheet_reason"), required=False))
        self.query_one("#ballot", Input).value = ""
        self.app.push_screen(
            StepForm(
                send,
                t("tui.counting.sheet_title", box=box),
                t("tui.counting.sheet_help", votes=" ".join(words)),
                fields,
            )
        )

    def _say(self, text: str, colour: str) -> None:
        status = self.query_one("#counting-status", Static)
        status.update(text)
        status.set_class(colour == "red", "-refused")
        status.set_class(colour == "yellow", "-warning")
        if colour == "red":
            self.app.bell()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer dims what does not apply now (one team, one box, no difference)."""
        r = self.election.round(self.round_no) if self.election is not None else None
        count = r.count if r is not None else None
        match action:
            case "next_team":
                return True if count is not None and len(count.teams) > 1 else None
            case "next_box":
                opened = [b for b in r.boxes if b.status is el.BoxStatus.OPENED] if r else []
                return True if len(opened) > 1 else None
            case "accept_batch":
                return True if count is not None and differences(count) else None
            case "decide_readings":  # only where a machine reads: dimmed while none waits
                if r is None or count is None or not count.reader:
                    return False
                return True if el.pending_readings(r) else None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_mode(self) -> None:
        self.mode = MarkMode.KEPT if self.mode is MarkMode.STRUCK else MarkMode.STRUCK
        if self.election is not None:
            self._draw()

    def action_invalid(self) -> None:
        if self.election is None or self.box is None:
            return
        reasons = [(t(f"election.invalid.{r.value}"), r.value) for r in InvalidReason]

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            dialog.accepted(None)
            self._enter(BallotInput.spoilt(InvalidReason(values[CHOICE]), values["note"]))

        self.app.push_screen(
            StepForm(
                send,
                t("tui.counting.invalid_title"),
                t("tui.counting.invalid_help"),
                [Field("note", t("tui.counting.note"), required=False)],
                choices=reasons,
                choice_label=t("tui.counting.invalid_reason"),
                confirm=t("tui.counting.invalid_confirm"),
            )
        )

    def action_correct(self) -> None:
        e = self.election
        if e is None or self.team is None:
            return
        r = e.round(self.round_no)
        assert r.count is not None
        entered = r.count.team(self.team).ballots
        if not entered:
            return
        store, team, eid, n = self.desk.store, self.team, self.election_id, self.round_no
        seq_label = t("tui.counting.col.seq")
        choices = [(t("tui.counting.valid"), VALID)]
        choices += [(t(f"election.invalid.{r.value}"), r.value) for r in InvalidReason]
        mode = self.mode

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            try:
                seq = whole(values, "seq", seq_label, minimum=1)
                if values[CHOICE] == VALID:
                    ballot = BallotInput(mode, parse_numbers(values["numbers"], len(r.ballot)))
                else:
                    ballot = BallotInput.spoilt(InvalidReason(values[CHOICE]))
            except (FormProblem, ElectionError) as problem:
                dialog.refused(str(problem))
                return
            reason = values["reason"]
            self.desk.write(
                lambda: store.record_election(
                    lambda _b, now: records.ballot_corrected(eid, n, team, seq, ballot, reason)(now)
                ),
                done=lambda updated: self._corrected(dialog, updated, seq),
                failed=dialog.refused,
            )

        fields = [
            Field("seq", seq_label, str(entered[-1].seq)),
            Field("numbers", t(f"tui.counting.mode.{mode.value}"), required=False),
            Field("reason", t("tui.election.form.reason")),
        ]
        self.app.push_screen(
            StepForm(
                send,
                t("tui.counting.correct_title"),
                t("tui.counting.correct_help"),
                fields,
                choices=choices,
                choice=VALID,
                choice_label=t("tui.counting.correct_judgement"),
                confirm=t("tui.counting.correct_confirm"),
                question=(
                    t("tui.counting.correct_question"),
                    t("tui.counting.correct_warning"),
                    t("tui.counting.correct_confirm"),
                ),
            )
        )

    def action_void(self) -> None:
        """F7: an entry that should not count (a ballot entered twice, one from another box) is
        voided with its reason; it stays in the record and the counting minutes, marked void."""
        e = self.election
        if e is None or self.team is None:
            return
        r = e.round(self.round_no)
        assert r.count is not None
        standing = [b for b in r.count.team(self.team).ballots if not b.voided]
        if not standing:
            self._say(t("tui.counting.nothing_to_void", team=self.team), "yellow")
            return
        store, team, eid, n = self.desk.store, self.team, self.election_id, self.round_no
        seq_label = t("tui.counting.col.seq")
        by_seq = {b.seq: b for b in standing}

        def entry(values: dict[str, str]) -> EnteredBallot:
            seq = whole(values, "seq", seq_label, minimum=1)
            found = by_seq.get(seq)
            if found is None:
                raise FormProblem(t("tui.counting.no_such_entry", seq=seq, team=team))
            return found

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            try:
                seq = entry(values).seq
            except FormProblem as problem:
                dialog.refused(str(problem))
                return
            reason = values["reason"]
            self.desk.write(
                lambda: store.record_election(
                    lambda _b, now: records.ballot_voided(eid, n, team, seq, reason)(now)
                ),
                done=lambda updated: self._voided(dialog, updated, seq),
                failed=dialog.refused,
            )

        def ask(values: dict[str, str]) -> tuple[str, str, str] | None:
            try:
                b = entry(values)
            except FormProblem:
                return None  # (said in the form when sent)
            what = t("tui.counting.void_what", seq=b.seq, team=team, box=b.box)
            return (
                t("tui.counting.void_question", what=what),
                t("tui.counting.void_warning", marks=marks_text(b.ballot), reason=values["reason"]),
                t("tui.counting.void_confirm"),
            )

        fields = [
            Field("seq", seq_label, str(standing[-1].seq)),
            Field("reason", t("tui.election.form.reason")),
        ]
        self.app.push_screen(
            StepForm(
                send,
                t("tui.counting.void_title", team=team),
                t("tui.counting.void_help"),
                fields,
                confirm=t("tui.counting.void_confirm"),
                question=ask,
            )
        )

    def _voided(self, dialog: FormDialog[Any], e: el.Election, seq: int) -> None:
        dialog.accepted(None)
        self.show_election(e)
        self._say(t("tui.counting.voided_done", seq=seq), "green")

    def _corrected(self, dialog: FormDialog[Any], e: el.Election, seq: int) -> None:
        dialog.accepted(None)
        self.show_election(e)
        self._say(t("tui.counting.corrected_done", seq=seq), "green")

    def action_next_team(self) -> None:
        e = self.election
        r = e.round(self.round_no) if e is not None else None
        if r is None or r.count is None or len(r.count.teams) < 2:
            return
        names = [team.name for team in r.count.teams]
        self.team = names[(names.index(self.team or names[0]) + 1) % len(names)]
        self._votes = []
        self._draw()

    def action_next_box(self) -> None:
        e = self.election
        if e is None:
            return
        opened = [b.id for b in e.round(self.round_no).boxes if b.status is el.BoxStatus.OPENED]
        if len(opened) > 1:
            self.box = opened[(opened.index(self.box or opened[0]) + 1) % len(opened)]
            self._draw()

    def action_accept_batch(self) -> None:
        e = self.election
        r = e.round(self.round_no) if e is not None else None
        if r is None or r.count is None or not differences(r.count):
            return
        diff = differences(r.count)[0]
        teams = [(team.name, team.name) for team in r.count.teams]
        store, eid, n = self.desk.store, self.election_id, self.round_no

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            team, reason = values[CHOICE], values["reason"]
            self.desk.write(
                lambda: store.record_election(
                    lambda _b, now: records.batch_accepted(eid, n, diff.batch, team, reason)(now)
                ),
                done=lambda updated: (dialog.accepted(None), self.show_election(updated)),
                failed=dialog.refused,
            )

        self.app.push_screen(
            StepForm(
                send,
                t("tui.counting.accept_title", batch=diff.batch),
                t("tui.counting.accept_help"),
                [Field("reason", t("tui.election.form.reason"))],
                choices=teams,
                choice_label=t("tui.counting.accept_team"),
                confirm=t("tui.counting.accept_confirm"),
            )
        )
