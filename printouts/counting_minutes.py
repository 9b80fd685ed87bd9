"""The counting minutes (biên bản kiểm phiếu) of one election round (domain rules 4.11, 11;
printouts-notes §6), as a document of blocks (printouts/document.py) and its PDF.

Every field of the Party templates, in this order: the congress's name, term, date and venue;
1. the counting committee (head, members); 2. the seats of the round (voted, allocated, or the
remaining ones); 3. the list in ballot order; 4. the delegates summoned, present and absent at
the vote, and what election needs (the threshold and its base); 5. the ballots issued, returned,
not returned, valid and invalid (per reason, and per box when there are several), and, when a
machine read the ballots (issue 14), how each box was counted (read by machine as one team,
checked by hand by the other), its sheets read, valid, invalid, decided by the committee and
pending, and every sheet the committee decided (where it is, what was read, the decision and
its reason); 6. the
reconciliation checks with their arithmetic, each marked ✓ or ✗, then every entry corrected or
voided during the count (team, entry, box, what it was, what became of it, the reason, the
time: a voided entry is listed, never silently dropped); 7. the votes of every
candidate in ballot order, with the percentage against the base and of the valid ballots (two
decimals, the congress's decimal separator); 8. the result: those elected in order of votes
(exactly filling the seats, each over the threshold), a tie at the cut-off, unfilled seats,
those who passed beyond the seats; 9. the time the minutes were read to the congress (blank
to fill in by hand until the results are announced); then signature lines for the head and
every member of the counting committee. Pages are numbered "Trang x/y".

The minutes can be printed as soon as counting has started: until every box is counted the
first page says DRAFT, and figures that do not reconcile (or double-entry differences) are
stated at the top, so a sheet that must not be signed never looks like one that can. The
figures are session.elections' own (Round.reconciliation, Election.result): the minutes compute
nothing the JSON export does not.

`counting_minutes_document(...)` puts the round into words in the congress language; the same
renderers as the congress minutes lay it out: `write_counting_minutes(...)` writes the PDF
(printouts/pdf.py: A4, invariant, the same round gives the same bytes), and
printouts/minutes_text.py's `markdown(document)` and `html(document)` give it as Markdown and
HTML. The counting committee is recorded as delegates' person ids ("d00012"); `names` maps them
to the names to print (the caller has the register: db.store.Store.person_names).
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from printouts.ballots import (
    Entry,
    ballot_entries,
    check_congress,
    clock,
    long_date,
    round_text,
    short_date,
)
from printouts.document import Document, Grid, Heading, Letterhead, Signatures, Style, Text, Title
from printouts.fonts import BOLD, REGULAR, check_glyphs
from printouts.pdf import write_minutes_pdf
from printouts.words import Words
from session.ballot_reading import RowMark, marks_from_text
from session.ballots import ElectionError
from session.congress import Congress
from session.count import TraceEntry, ballot_text, differences
from session.elections import (
    BoxCounting,
    Election,
    ElectionKind,
    Phase,
    Round,
    RoundReason,
    RoundStatus,
    reading_minutes,
)
from session.i18n import t
from session.results import Outcome, Purpose, RoundResult, Row, explain_threshold
from session.text import nfc


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def marks_read(marks: str, lang: str | None = None) -> str:
    """What the machine read on a sheet, in words: the rows grouped by mark, kept rows left
    out ("struck: 2 5 · unsure: 3"); "every name kept", or "nothing could be read" for a sheet
    the machine could not align."""
    rows = marks_from_text(marks)
    if not rows:
        return t("election.reading.read.nothing", lang)
    groups: dict[RowMark, list[int]] = {m: [] for m in RowMark if m is not RowMark.KEPT}
    for number, mark in enumerate(rows, 1):
        if mark is not RowMark.KEPT:
            groups[mark].append(number)
    groups = {mark: numbers for mark, numbers in groups.items() if numbers}
    if not groups:
        return t("election.reading.read.all_kept", lang)
    return " · ".join(
        t("election.reading.read.group", lang, mark=t(f"election.reading.mark.{mark.value}", lang),
          numbers=" ".join(str(n) for n in numbers))
        for mark, numbers in groups.items()
    )  # fmt: skip


class _Minutes(Words):
    """The figures of one round in the congress language: one method per section."""

    def __init__(
        self,
        congress: Congress,
        election: Election,
        round_no: int,
        names: Mapping[str, str],
        read_at: datetime | None,
    ) -> None:
        super().__init__(congress.language, congress.zone)
        self.congress = congress
        self.e = election
        self.r: Round = election.round(round_no)
        if self.r.count is None or self.r.snapshot is None:
            raise ElectionError("counting_not_started", round=round_no)
        result = election.result(round_no, provisional=True)
        check = self.r.reconciliation()
        assert result is not None and check is not None
        self.res: RoundResult = result
        self.check = check
        check_congress(congress, election, self.lang)
        self.entries: tuple[Entry, ...] = ballot_entries(election, round_no, self.lang)
        self.by_person = {e.person: e for e in self.entries}
        self.given_names = names
        self.names = self._committee_names(names)
        self.read_at = read_at or self.r.announced_at

    # ------------------------------------------------------------------ people

    def _committee_names(self, names: Mapping[str, str]) -> dict[str, str]:
        """Person id → printed name for the counting committee (the id when nobody says)."""
        committee = self.r.committee or self.e.committee
        known = {c.person.id: c.person.full_name for c in self.e.candidates}
        found: dict[str, str] = {}
        if committee is None:
            return found
        for person in (committee.head, *committee.members):
            name = nfc(names.get(person) or known.get(person) or person)
            check_glyphs(name, (BOLD, REGULAR), "ballot_pdf.where.counter", person=person)
            found[person] = name
        return found

    def _name(self, person: str) -> str:
        entry = self.by_person.get(person)
        return entry.name if entry is not None else person

    def _full(self, entry: Entry) -> str:
        return f"{entry.name} ({entry.born})" if entry.born else entry.name

    @property
    def voting_day(self) -> date:
        at = self.r.voting_at
        return self.day(at) if at is not None else self.congress.start

    def head(self, key: str) -> None:
        """A numbered section's heading ("1. Ban kiểm phiếu")."""
        self.add(Heading(self.tr(f"ballot_pdf.minutes.section.{key}")))

    # ------------------------------------------------------------------ the document

    def document(self) -> Document:
        for part in (
            self._letterhead, self._title, self._banners, self._intro, self._committee,
            self._seats, self._list, self._attendance, self._ballots, self._reading, self._checks,
            self._votes, self._result, self._read, self._signatures,
        ):  # fmt: skip
            part()
        title = self.tr("ballot_pdf.minutes.document", election=nfc(self.e.title),
                        round=self.r.number)  # fmt: skip
        return Document(self.lang, title, tuple(self.blocks), title, title)

    def _letterhead(self) -> None:
        left = (nfc(self.congress.name), self.tr("ballot_pdf.minutes.committee_header"))
        right = [self.tr("ballot_pdf.party")] if self.e.party else []
        right.append(_capital(long_date(self.voting_day, self.lang)))
        self.add(Letterhead(left, tuple(right)))

    def _title(self) -> None:
        r = self.r
        round_line = round_text(r, self.lang) or self.tr("ballot_pdf.minutes.round", round=r.number)
        self.add(Title((self.tr("ballot_pdf.minutes.title"), nfc(self.e.title), round_line)))

    def _banners(self) -> None:
        r = self.r
        if self.res.presidium_only:
            self.line("ballot_pdf.minutes.presidium_only", Style.WARNING)
        if r.status in (RoundStatus.COUNTING, RoundStatus.CLOSED, RoundStatus.VOTING):
            self.line("ballot_pdf.minutes.draft", Style.WARNING)
        assert r.count is not None
        diffs = differences(r.count)
        if diffs:
            self.line("ballot_pdf.minutes.differences", Style.WARNING, batches=len(diffs))
        if not self.check.ok:
            self.line("ballot_pdf.minutes.mismatch", Style.WARNING)

    def _intro(self) -> None:
        c = self.congress
        lines = [
            self.tr("ballot_pdf.minutes.congress", congress=nfc(c.name)),
            self.tr("ballot_pdf.minutes.term", term=nfc(c.term)),
            self.tr("ballot_pdf.minutes.day", date=short_date(self.voting_day, self.lang)),
            self.tr("ballot_pdf.minutes.venue", venue=nfc(c.venue)),
        ]
        self.add(*(Text(line) for line in lines if line))

    def _committee(self) -> None:
        self.head("committee")
        committee = self.r.committee or self.e.committee
        if committee is None:
            self.line("ballot_pdf.minutes.committee.none")
            return
        self.line("ballot_pdf.minutes.committee.head", name=self.names[committee.head])
        others = [self.names[m] for m in committee.members if m != committee.head]
        if others:
            self.line("ballot_pdf.minutes.committee.members", names=", ".join(others))

    def _seats(self) -> None:
        e, r = self.e, self.r
        if e.purpose is Purpose.LIST_CUT:
            variant = "list_cut"
        elif e.purpose is Purpose.NOMINATION:
            variant = "nomination"
        elif r.phase is Phase.ALTERNATE:
            variant = "alternate"
        elif r.number > 1 or r.reason is not RoundReason.FIRST:
            variant = "remaining"
        elif e.kind is ElectionKind.DELEGATES_HIGHER:
            variant = "allocated"
        else:
            variant = "vote"
        total = e.seats if e.seats is not None else r.seats
        self.head("seats")
        self.line(f"ballot_pdf.minutes.seats.{variant}", seats=r.seats, total=total)

    def _list(self) -> None:
        self.head("list")
        self.line("ballot_pdf.minutes.list.intro", count=len(self.entries))
        names = "; ".join(f"{e.number}. {self._full(e)}" for e in self.entries)
        self.add(Text(names + ".", Style.ITEM))

    def _attendance(self) -> None:
        snap = self.r.snapshot
        assert snap is not None
        self.head("attendance")
        self.line("ballot_pdf.minutes.attendance.summoned", count=self.n(snap.entitled))
        self.line("ballot_pdf.minutes.attendance.present", count=self.n(snap.present))
        absent = max(snap.entitled - snap.present, 0)
        self.line("ballot_pdf.minutes.attendance.absent", count=self.n(absent))
        self.line("ballot_pdf.minutes.attendance.threshold",
                  threshold=explain_threshold(self.res, self.lang))  # fmt: skip

    # ------------------------------------------------------------------ ballots and checks

    def _ballots(self) -> None:
        check = self.check
        totals = check.totals
        self.head("ballots")
        for key, count in (
            ("issued", check.issued), ("returned", check.returned),
            ("not_returned", check.not_returned), ("valid", totals.valid),
            ("invalid", totals.invalid_total),
        ):  # fmt: skip
            self.line(f"ballot_pdf.minutes.ballots.{key}", count=self.n(count))
        for reason, count in totals.invalid_by_reason().items():
            label = self.tr(f"election.invalid.{reason}")
            self.line("ballot_pdf.minutes.ballots.reason", reason=label, count=self.n(count))
        if len(self.r.boxes) > 1:
            self.line("ballot_pdf.minutes.ballots.boxes")
            self.add(self._boxes())

    def _reading(self) -> None:
        """When a machine read the ballots: how each box was counted and its sheets' counts,
        then every sheet the counting committee decided. Nothing for a round counted by hand."""
        minutes = reading_minutes(self.r)
        if not minutes.by_machine:
            return
        self.line("ballot_pdf.minutes.reading.title")
        for box in minutes.boxes:
            self.add(Text(self._how_counted(box), Style.ITEM))
            c = box.counts
            self.line("ballot_pdf.minutes.reading.counts", box=nfc(box.box), read=self.n(c.read),
                      valid=self.n(c.valid), invalid=self.n(c.invalid),
                      decided=self.n(c.decided), pending=self.n(c.pending))  # fmt: skip
        if not minutes.decided:
            return
        header = tuple(
            self.tr(f"ballot_pdf.minutes.reading.column.{k}")
            for k in ("sheet", "place", "box", "read", "decision", "reason")
        )
        rows = []
        for d in minutes.decided:
            place = self.tr("ballot_pdf.minutes.reading.column.place_value", file=nfc(d.file),
                            page=d.page, slot=d.slot)  # fmt: skip
            doubts = ", ".join(self.tr(f"election.reading.doubt.{x.value}") for x in d.doubts)
            read = marks_read(d.marks, self.lang) + (f" ({doubts})" if doubts else "")
            for text in (place, nfc(d.box), nfc(d.reason)):
                check_glyphs(text, (REGULAR,), "ballot_pdf.minutes.reading.decided")
            rows.append((
                self.n(d.sheet), place, nfc(d.box), read, ballot_text(d.ballot, self.lang),
                nfc(d.reason),
            ))  # fmt: skip
        self.line("ballot_pdf.minutes.reading.decided")
        self.add(Grid(header, tuple(rows), (12, 36, 14, 42, 30, 42), frozenset({0})))

    def _how_counted(self, box: BoxCounting) -> str:
        if not box.by_machine:
            return self.tr("ballot_pdf.minutes.reading.by_hand", box=nfc(box.box))
        if not box.checkers:
            return self.tr("ballot_pdf.minutes.reading.by_machine_alone", box=nfc(box.box),
                           reader=nfc(box.reader))  # fmt: skip
        checkers = ", ".join(nfc(c) for c in box.checkers)
        return self.tr("ballot_pdf.minutes.reading.by_machine", box=nfc(box.box),
                       reader=nfc(box.reader), checkers=checkers)  # fmt: skip

    def _boxes(self) -> Grid:
        header = tuple(
            self.tr(f"ballot_pdf.minutes.box.{k}")
            for k in ("box", "kind", "sealed", "issued", "returned")
        )
        rows = []
        for b in self.r.boxes:
            sealers = [nfc(self.given_names.get(x, x)) for x in b.sealed_by]
            for who in (nfc(b.id), *sealers):
                check_glyphs(who, (REGULAR,), "ballot_pdf.where.counter", person=who)
            rows.append((
                nfc(b.id), self.tr(f"election.box_kind.{b.kind.value}"), ", ".join(sealers),
                self.n(b.issued), self.n(b.returned or 0),
            ))  # fmt: skip
        return Grid(header, tuple(rows), (30, 32, 60, 24, 24), frozenset({3, 4}))

    def _checks(self) -> None:
        """The reconciliation, each check with its arithmetic and its mark (a failed one in the
        warnings' style), then the count's corrections."""
        check = self.check
        totals = check.totals
        n = self.n
        genuine = check.returned - totals.forged
        highest = max(totals.votes, default=0)
        limit = totals.valid * check.seats
        forged = self.tr("ballot_pdf.minutes.check.forged", forged=n(totals.forged))
        items = [
            (genuine <= check.issued,
             self.tr("ballot_pdf.minutes.check.returned", returned=n(genuine),
                     op="≤" if genuine <= check.issued else ">", issued=n(check.issued))
             + (" " + forged if totals.forged else "")),
            (totals.ballots == check.returned,
             self.tr("ballot_pdf.minutes.check.sum", valid=n(totals.valid),
                     invalid=n(totals.invalid_total),
                     op="=" if totals.ballots == check.returned else "≠",
                     returned=n(check.returned))),
            (highest <= totals.valid,
             self.tr("ballot_pdf.minutes.check.candidate", highest=n(highest),
                     op="≤" if highest <= totals.valid else ">", valid=n(totals.valid))),
            (totals.kept <= limit,
             self.tr("ballot_pdf.minutes.check.kept", kept=n(totals.kept),
                     op="≤" if totals.kept <= limit else ">", valid=n(totals.valid),
                     seats=n(check.seats), limit=n(limit))),
        ]  # fmt: skip
        self.head("checks")
        for ok, text in items:
            mark = self.tr(f"ballot_pdf.minutes.check.{'ok' if ok else 'failed'}")
            self.add(Text(f"{text} {mark}", Style.ITEM if ok else Style.WARNING))
        self._trace()

    def _trace(self) -> None:
        """Every entry corrected or voided during the count, in the order it happened: the
        figures above are what remains once they are applied."""
        assert self.r.count is not None
        trace = self.r.count.trace()
        if not trace:
            return
        header = tuple(
            self.tr(f"election.trace.column.{k}")
            for k in ("team", "seq", "box", "entered", "change", "reason", "time")
        )
        rows = []
        for x in trace:
            for text in (x.team, x.box, x.reason):
                check_glyphs(nfc(text), (REGULAR,), "election.trace.title")
            rows.append((
                nfc(x.team), self.n(x.seq), nfc(x.box), ballot_text(x.before, self.lang),
                self._change(x), nfc(x.reason), self.clock(x.at),
            ))  # fmt: skip
        self.line("election.trace.title")
        self.add(Grid(header, tuple(rows), (16, 15, 18, 32, 32, 42, 15), frozenset({1})))

    def _change(self, x: TraceEntry) -> str:
        if x.after is None:
            return self.tr("election.trace.voided")
        return self.tr("election.trace.corrected", after=ballot_text(x.after, self.lang))

    # ------------------------------------------------------------------ votes and result

    def _columns(self, first: str) -> tuple[str, ...]:
        res = self.res
        return (
            self.tr(f"ballot_pdf.minutes.column.{first}"),
            self.tr("ballot_pdf.minutes.column.name"),
            self.tr("ballot_pdf.minutes.column.votes"),
            self.tr("ballot_pdf.minutes.column.of_base", base=self.n(res.base)),
            self.tr("ballot_pdf.minutes.column.of_valid", valid=self.n(res.totals.valid)),
        )

    def _figures(self, row: Row) -> tuple[str, str, str, str]:
        """A candidate's name (and date of birth when two share it), votes and percentages."""
        entry = self.entries[row.number - 1]
        return (self._full(entry), self.n(row.votes), self.percent(row.percent_of_base),
                self.percent(row.percent_of_valid))  # fmt: skip

    def _votes(self) -> None:
        header = (*self._columns("number"), self.tr("ballot_pdf.minutes.column.outcome"))
        rows = tuple(
            (f"{row.number}.", *self._figures(row), self.outcome(self.r, row))
            for row in self.res.rows
        )
        self.head("votes")
        self.add(Grid(header, rows, (11, 55, 17, 22, 24, 36), frozenset({0, 2, 3, 4})))

    def _winners(self) -> list[Row]:
        res, decision = self.res, self.r.tie_decision
        persons = list(res.elected)
        if decision is not None:
            persons += [p for p in decision.winners if p not in persons]
        return sorted((res.row(p) for p in persons), key=lambda r: (-r.votes, r.number))

    def _ranking(self, ranked: Sequence[Row]) -> Grid:
        rows = tuple((f"{rank}.", *self._figures(row)) for rank, row in enumerate(ranked, 1))
        return Grid(self._columns("rank"), rows, (13, 79, 17, 26, 30), frozenset({0, 2, 3, 4}))

    def _result(self) -> None:
        res, e = self.res, self.e
        self.head("result")
        purpose = res.purpose.value
        ranked = list(res.ranking) if res.purpose is Purpose.NOMINATION else self._winners()
        if res.purpose is not Purpose.NOMINATION:
            self.line(f"ballot_pdf.minutes.count.{purpose}", elected=len(ranked),
                      seats=self.r.seats)  # fmt: skip
        if ranked:
            self.line(f"ballot_pdf.minutes.ranking.{purpose}")
            self.add(self._ranking(ranked))
        elif res.purpose is Purpose.ELECT:
            self.line("ballot_pdf.minutes.result.none")
        if res.purpose is Purpose.NOMINATION:
            return
        decision = self.r.tie_decision
        if res.tie is not None and decision is None:
            names = ", ".join(self._name(p) for p in res.tie.persons)
            policy = self.tr(f"election.tie_policy.{e.tie_policy.value}")
            self.line("ballot_pdf.minutes.result.tie", names=names, votes=self.n(res.tie.votes),
                      seats=res.tie.seats, policy=policy)  # fmt: skip
        if decision is not None:
            names = ", ".join(self._name(p) for p in decision.winners)
            self.line("ballot_pdf.minutes.result.tie_decided", names=names,
                      reason=nfc(decision.reason))  # fmt: skip
        beyond_label = self.tr(f"ballot_pdf.minutes.outcome.{Outcome.BEYOND_SEATS.value}")
        beyond = [r for r in res.rows if self.outcome(self.r, r) == beyond_label]
        if beyond and res.purpose is Purpose.ELECT:
            ordered = sorted(beyond, key=lambda r: (-r.votes, r.number))
            names = ", ".join(self._name(r.person) for r in ordered)
            self.line("ballot_pdf.minutes.result.beyond", names=names)
        if res.unfilled > 0:
            self.line("ballot_pdf.minutes.result.unfilled", count=res.unfilled)
        elif res.tie is None or decision is not None:
            self.line("ballot_pdf.minutes.result.complete")

    # ------------------------------------------------------------------ the end

    def _read(self) -> None:
        if self.read_at is not None:
            at = self.local(self.read_at)
            when, day = clock(at, self.lang), long_date(at.date(), self.lang)
        else:
            when = self.tr("ballot_pdf.minutes.read.blank")
            day = long_date(self.voting_day, self.lang)
        self.head("read")
        self.line("ballot_pdf.minutes.read.line", time=when, date=day)

    def _signatures(self) -> None:
        committee = self.r.committee or self.e.committee
        head, member = (self.tr(f"ballot_pdf.minutes.sign.{k}") for k in ("head", "member"))
        if committee is not None:
            people = [(head, self.names[committee.head])]
            people += [(member, self.names[m]) for m in committee.members if m != committee.head]
        else:  # blank lines to fill in by hand
            people = [(head, ""), *[(member, "")] * 3]
        self.add(Signatures(tuple(people), self.tr("ballot_pdf.minutes.sign.hint")))


def counting_minutes_document(
    congress: Congress,
    election: Election,
    round_no: int,
    *,
    names: Mapping[str, str] | None = None,
    read_at: datetime | None = None,
) -> Document:
    """The counting minutes of round `round_no`, in the congress language, as blocks.

    `names`: person id → name, for the counting committee (recorded as ids); `read_at`: when
    the minutes were read to the congress (default: when the results were announced; blank
    until then). ElectionError before counting starts; MissingGlyphError for a name, a box or a
    reason the fonts lack."""
    return _Minutes(congress, election, round_no, names or {}, read_at).document()


def write_counting_minutes(
    path: Path,
    congress: Congress,
    election: Election,
    round_no: int,
    *,
    names: Mapping[str, str] | None = None,
    read_at: datetime | None = None,
) -> None:
    """Write the counting minutes of round `round_no` to `path` as a PDF (see
    counting_minutes_document; nothing is written when it refuses)."""
    document = counting_minutes_document(congress, election, round_no, names=names, read_at=read_at)
    write_minutes_pdf(path, document)
