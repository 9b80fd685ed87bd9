"""The counting minutes (biên bản kiểm phiếu) of one election round, as PDF (domain rules 4.11,
11; printouts-notes §6).

Every field of the Party templates, in this order: the congress's name, term, date and venue;
1. the counting committee (head, members); 2. the seats of the round (voted, allocated, or the
remaining ones); 3. the list in ballot order; 4. the delegates summoned, present and absent at
the vote, and what election needs (the threshold and its base); 5. the ballots issued, returned,
not returned, valid and invalid (per reason, and per box when there are several); 6. the
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
figures are session.elections' own (Round.reconciliation, Election.result): the PDF computes
nothing the JSON export does not.

The counting committee is recorded as delegates' person ids ("d00012"); `names` maps them to
the names to print (the caller has the register: db.store.Store.person_names). Built with
reportlab platypus in invariant mode: the same round gives the same bytes.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from printouts import fonts
from printouts.ballots import (
    Entry,
    ballot_entries,
    check_congress,
    clock,
    long_date,
    round_text,
    short_date,
)
from printouts.fonts import BOLD, REGULAR, check_glyphs
from printouts.pages import Footer, numbered_canvas
from session.ballots import ElectionError
from session.congress import Congress
from session.count import TraceEntry, ballot_text, differences
from session.elections import Election, ElectionKind, Phase, Round, RoundReason, RoundStatus
from session.i18n import number, percent, t
from session.results import Outcome, Purpose, RoundResult, Row, explain_threshold
from session.text import nfc

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 15 * mm, 15 * mm, 18 * mm
WIDTH = PAGE_W - LEFT - RIGHT
INK = colors.Color(0.08, 0.08, 0.08)
LINE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.93, 0.93, 0.93)
WARN = colors.Color(0.65, 0.05, 0.05)
SIGN_SPACE = 20 * mm


# ----------------------------------------------------------------------------- words


def _percent(hundredths: int, lang: str) -> str:
    """'51,72 %' / '51.72 %'."""
    return percent(hundredths, lang)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    body = ParagraphStyle("body", fontName=REGULAR.name, fontSize=10, leading=13.5, textColor=INK)
    return {
        "body": body,
        "indent": ParagraphStyle("indent", parent=body, leftIndent=5 * mm),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "head": ParagraphStyle(
            "head", parent=body, fontName=BOLD.name, fontSize=10.5, leading=14, spaceBefore=7,
            spaceAfter=2,
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD.name, fontSize=15, leading=19, alignment=TA_CENTER,
            spaceBefore=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontName=BOLD.name, fontSize=11.5, leading=15,
            alignment=TA_CENTER,
        ),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
        "centre_bold": ParagraphStyle(
            "centre_bold", parent=body, fontName=BOLD.name, fontSize=9.5, leading=12.5,
            alignment=TA_CENTER,
        ),
        "centre_small": ParagraphStyle(
            "centre_small", parent=body, fontSize=8.5, leading=11, alignment=TA_CENTER
        ),
        "banner": ParagraphStyle(
            "banner", parent=body, fontName=BOLD.name, textColor=WARN, alignment=TA_CENTER
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD.name, fontSize=9, leading=11.5
        ),
        "cell_head": ParagraphStyle(
            "cell_head", parent=body, fontName=BOLD.name, fontSize=8.5, leading=10.5,
            alignment=TA_CENTER,
        ),
    }  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


# ----------------------------------------------------------------------------- what is printed


class _Minutes:
    """Collects the figures of one round and turns them into flowables."""

    def __init__(
        self,
        congress: Congress,
        election: Election,
        round_no: int,
        names: Mapping[str, str],
        read_at: datetime | None,
    ) -> None:
        self.lang = lang = congress.language
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
        check_congress(congress, election, lang)
        self.entries: tuple[Entry, ...] = ballot_entries(election, round_no, lang)
        self.by_person = {e.person: e for e in self.entries}
        self.given_names = names
        self.names = self._committee_names(names)
        self.read_at = read_at or self.r.announced_at
        self.s = _styles()

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
            where = t("ballot_pdf.where.counter", self.lang, person=person)
            check_glyphs(name, (BOLD, REGULAR), where, self.lang)
            found[person] = name
        return found

    def _name(self, person: str) -> str:
        entry = self.by_person.get(person)
        return entry.name if entry is not None else person

    def _full(self, entry: Entry) -> str:
        return f"{entry.name} ({entry.born})" if entry.born else entry.name

    # ------------------------------------------------------------------ dates

    def _local(self, at: datetime) -> datetime:
        return at.astimezone(self.congress.zone)

    @property
    def day(self) -> date:
        at = self.r.voting_at
        return self._local(at).date() if at is not None else self.congress.start

    # ------------------------------------------------------------------ the document

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [self._letterhead(), Spacer(1, 5 * mm)]
        story += self._title()
        story += self._banners()
        story += self._intro()
        story += self._committee()
        story += self._seats()
        story += self._list()
        story += self._attendance()
        story += self._ballots()
        story += self._checks()
        story += self._votes()
        story += self._result()
        story.append(KeepTogether([*self._read(), Spacer(1, 6 * mm), self._signatures()]))
        return story

    def _letterhead(self) -> Table:
        s, lang = self.s, self.lang
        left = [
            _p(nfc(self.congress.name), s["centre_small"]),
            _p(t("ballot_pdf.minutes.committee_header", lang), s["centre_bold"]),
        ]
        right: list[Flowable] = []
        if self.e.party:
            right.append(_p(t("ballot_pdf.party", lang), s["centre_bold"]))
        right.append(_p(_capital(long_date(self.day, lang)), s["centre_small"]))
        table = Table([[left, right]], colWidths=(WIDTH * 0.48, WIDTH * 0.52))
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))  # fmt: skip
        return table

    def _title(self) -> list[Flowable]:
        s, lang = self.s, self.lang
        round_line = round_text(self.r, lang) or t(
            "ballot_pdf.minutes.round", lang, round=self.r.number
        )
        return [
            _p(t("ballot_pdf.minutes.title", lang), s["title"]),
            _p(nfc(self.e.title), s["subtitle"]),
            _p(round_line, s["centre"]),
            Spacer(1, 3 * mm),
        ]

    def _banners(self) -> list[Flowable]:
        s, lang, r = self.s, self.lang, self.r
        notes = []
        if self.res.presidium_only:
            notes.append(t("ballot_pdf.minutes.presidium_only", lang))
        if r.status in (RoundStatus.COUNTING, RoundStatus.CLOSED, RoundStatus.VOTING):
            notes.append(t("ballot_pdf.minutes.draft", lang))
        assert r.count is not None
        diffs = differences(r.count)
        if diffs:
            notes.append(t("ballot_pdf.minutes.differences", lang, batches=len(diffs)))
        if not self.check.ok:
            notes.append(t("ballot_pdf.minutes.mismatch", lang))
        if not notes:
            return []
        box = Table([[[_p(n, s["banner"]) for n in notes]]], colWidths=(WIDTH,))
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, WARN)]))
        return [box, Spacer(1, 3 * mm)]

    def _intro(self) -> list[Flowable]:
        s, lang, c = self.s, self.lang, self.congress
        lines = [
            t("ballot_pdf.minutes.congress", lang, congress=nfc(c.name)),
            t("ballot_pdf.minutes.term", lang, term=nfc(c.term)),
            t("ballot_pdf.minutes.day", lang, date=short_date(self.day, lang)),
            t("ballot_pdf.minutes.venue", lang, venue=nfc(c.venue)),
        ]
        return [_p(line, s["body"]) for line in lines if line]

    def _committee(self) -> list[Flowable]:
        s, lang = self.s, self.lang
        out: list[Flowable] = [_p(t("ballot_pdf.minutes.section.committee", lang), s["head"])]
        committee = self.r.committee or self.e.committee
        if committee is None:
            return [*out, _p(t("ballot_pdf.minutes.committee.none", lang), s["indent"])]
        others = [self.names[m] for m in committee.members if m != committee.head]
        out.append(
            _p(
                t("ballot_pdf.minutes.committee.head", lang, name=self.names[committee.head]),
                s["indent"],
            )
        )
        if others:
            members = t("ballot_pdf.minutes.committee.members", lang, names=", ".join(others))
            out.append(_p(members, s["indent"]))
        return out

    def _seats(self) -> list[Flowable]:
        s, lang, e, r = self.s, self.lang, self.e, self.r
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
        text = t(f"ballot_pdf.minutes.seats.{variant}", lang, seats=r.seats, total=total)
        return [_p(t("ballot_pdf.minutes.section.seats", lang), s["head"]), _p(text, s["indent"])]

    def _list(self) -> list[Flowable]:
        s, lang = self.s, self.lang
        intro = t("ballot_pdf.minutes.list.intro", lang, count=len(self.entries))
        names = "; ".join(f"{e.number}. {self._full(e)}" for e in self.entries)
        return [
            _p(t("ballot_pdf.minutes.section.list", lang), s["head"]),
            _p(intro, s["indent"]),
            _p(names + ".", s["indent"]),
        ]

    def _attendance(self) -> list[Flowable]:
        s, lang = self.s, self.lang
        snap = self.r.snapshot
        assert snap is not None
        lines = [
            t("ballot_pdf.minutes.attendance.summoned", lang, count=number(snap.entitled, lang)),
            t("ballot_pdf.minutes.attendance.present", lang, count=number(snap.present, lang)),
            t(
                "ballot_pdf.minutes.attendance.absent",
                lang,
                count=number(max(snap.entitled - snap.present, 0), lang),
            ),
            t(
                "ballot_pdf.minutes.attendance.threshold",
                lang,
                threshold=explain_threshold(self.res, lang),
            ),
        ]
        return [
            _p(t("ballot_pdf.minutes.section.attendance", lang), s["head"]),
            *(_p(line, s["indent"]) for line in lines),
        ]

    def _ballots(self) -> list[Flowable]:
        s, lang, check = self.s, self.lang, self.check
        totals = check.totals
        n = lambda value: number(value, lang)  # noqa: E731
        lines = [
            t("ballot_pdf.minutes.ballots.issued", lang, count=n(check.issued)),
            t("ballot_pdf.minutes.ballots.returned", lang, count=n(check.returned)),
            t("ballot_pdf.minutes.ballots.not_returned", lang, count=n(check.not_returned)),
            t("ballot_pdf.minutes.ballots.valid", lang, count=n(totals.valid)),
            t("ballot_pdf.minutes.ballots.invalid", lang, count=n(totals.invalid_total)),
        ]
        out: list[Flowable] = [_p(t("ballot_pdf.minutes.section.ballots", lang), s["head"])]
        out += [_p(line, s["indent"]) for line in lines]
        reasons = ParagraphStyle("reasons", parent=s["indent"], leftIndent=10 * mm)
        for reason, count in totals.invalid_by_reason().items():
            label = t(f"election.invalid.{reason}", lang)
            out.append(
                _p(t("ballot_pdf.minutes.ballots.reason", lang, reason=label, count=n(count)),
                   reasons)
            )  # fmt: skip
        if len(self.r.boxes) > 1:
            out.append(_p(t("ballot_pdf.minutes.ballots.boxes", lang), s["indent"]))
            out.append(self._boxes())
        return out

    def _boxes(self) -> Table:
        s, lang = self.s, self.lang
        head = [
            _p(t(f"ballot_pdf.minutes.box.{k}", lang), s["cell_head"])
            for k in ("box", "kind", "sealed", "issued", "returned")
        ]
        rows: list[list[object]] = [head]
        for b in self.r.boxes:
            sealers = [nfc(self.given_names.get(x, x)) for x in b.sealed_by]
            for who in (nfc(b.id), *sealers):
                where = t("ballot_pdf.where.counter", lang, person=who)
                check_glyphs(who, (REGULAR,), where, lang)
            sealed = ", ".join(sealers)
            rows.append([
                _p(nfc(b.id), s["cell"]),
                _p(t(f"election.box_kind.{b.kind.value}", lang), s["cell"]),
                _p(sealed, s["cell"]),
                number(b.issued, lang),
                number(b.returned or 0, lang),
            ])  # fmt: skip
        widths = (30 * mm, 32 * mm, WIDTH - 30 * mm - 32 * mm - 2 * 24 * mm, 24 * mm, 24 * mm)
        return self._table(rows, widths, numeric_from=3)

    def _checks(self) -> list[Flowable]:
        s, lang, check = self.s, self.lang, self.check
        totals = check.totals
        n = lambda value: number(value, lang)  # noqa: E731
        genuine = check.returned - totals.forged
        highest = max(totals.votes, default=0)
        limit = totals.valid * check.seats
        items = [
            (
                genuine <= check.issued,
                t("ballot_pdf.minutes.check.returned", lang, returned=n(genuine),
                  op="≤" if genuine <= check.issued else ">", issued=n(check.issued))
                + (" " + t("ballot_pdf.minutes.check.forged", lang, forged=n(totals.forged))
                   if totals.forged else ""),
            ),
            (
                totals.ballots == check.returned,
                t("ballot_pdf.minutes.check.sum", lang, valid=n(totals.valid),
                  invalid=n(totals.invalid_total),
                  op="=" if totals.ballots == check.returned else "≠",
                  returned=n(check.returned)),
            ),
            (
                highest <= totals.valid,
                t("ballot_pdf.minutes.check.candidate", lang, highest=n(highest),
                  op="≤" if highest <= totals.valid else ">", valid=n(totals.valid)),
            ),
            (
                totals.kept <= limit,
                t("ballot_pdf.minutes.check.kept", lang, kept=n(totals.kept),
                  op="≤" if totals.kept <= limit else ">", valid=n(totals.valid),
                  seats=n(check.seats), limit=n(limit)),
            ),
        ]  # fmt: skip
        rows = []
        for ok, text in items:
            if ok:
                mark = _p(t("ballot_pdf.minutes.check.ok", lang), s["cell_bold"])
            else:
                mark = _p(t("ballot_pdf.minutes.check.failed", lang), s["banner"])
            rows.append([_p(text, s["cell"]), mark])
        table = Table(rows, colWidths=(WIDTH - 30 * mm, 30 * mm))
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
            ("LEFTPADDING", (0, 0), (0, -1), 5 * mm),
        ]))  # fmt: skip
        return [_p(t("ballot_pdf.minutes.section.checks", lang), s["head"]), table, *self._trace()]

    def _trace(self) -> list[Flowable]:
        """Every entry corrected or voided during the count, in the order it happened: the
        figures above are what remains once they are applied."""
        assert self.r.count is not None
        trace = self.r.count.trace()
        if not trace:
            return []
        s, lang = self.s, self.lang
        head = [
            _p(t(f"election.trace.column.{k}", lang), s["cell_head"])
            for k in ("team", "seq", "box", "entered", "change", "reason", "time")
        ]
        rows: list[list[object]] = [head]
        for x in trace:
            for text in (x.team, x.box, x.reason):
                check_glyphs(nfc(text), (REGULAR,), t("election.trace.title", lang), lang)
            rows.append([
                _p(nfc(x.team), s["cell"]),
                number(x.seq, lang),
                _p(nfc(x.box), s["cell"]),
                _p(ballot_text(x.before, lang), s["cell"]),
                _p(self._change(x), s["cell"]),
                _p(nfc(x.reason), s["cell"]),
                self._local(x.at).strftime("%H:%M"),
            ])  # fmt: skip
        fixed = (16 * mm, 15 * mm, 18 * mm, 32 * mm, 32 * mm, 15 * mm)
        widths = (*fixed[:5], WIDTH - sum(fixed), fixed[5])
        return [
            Spacer(1, 2 * mm),
            _p(t("election.trace.title", lang), s["indent"]),
            Spacer(1, 1 * mm),
            self._table(rows, widths, numeric_from=1, numeric_to=1),
        ]

    def _change(self, x: TraceEntry) -> str:
        if x.after is None:
            return t("election.trace.voided", self.lang)
        return t("election.trace.corrected", self.lang, after=ballot_text(x.after, self.lang))

    def _outcome(self, row: Row) -> str:
        lang = self.lang
        outcome = row.outcome
        decision = self.r.tie_decision
        if decision is not None and outcome is Outcome.TIED:
            outcome = Outcome.ELECTED if row.person in decision.winners else Outcome.BEYOND_SEATS
        text = t(f"ballot_pdf.minutes.outcome.{outcome.value}", lang)
        if row.by_age:
            text += f" ({t('ballot_pdf.minutes.by_age', lang)})"
        return text

    def _votes(self) -> list[Flowable]:
        s, lang, res = self.s, self.lang, self.res
        head = [
            _p(t("ballot_pdf.minutes.column.number", lang), s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.name", lang), s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.votes", lang), s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.of_base", lang, base=number(res.base, lang)),
               s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.of_valid", lang, valid=number(res.totals.valid, lang)),
               s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.outcome", lang), s["cell_head"]),
        ]  # fmt: skip
        rows: list[list[object]] = [head]
        for row in res.rows:
            entry = self.entries[row.number - 1]
            rows.append([
                f"{row.number}.",
                _p(self._full(entry), s["cell_bold"]),
                number(row.votes, lang),
                _percent(row.percent_of_base, lang),
                _percent(row.percent_of_valid, lang),
                _p(self._outcome(row), s["cell"]),
            ])  # fmt: skip
        fixed = (11 * mm, 17 * mm, 22 * mm, 24 * mm, 36 * mm)
        widths = (fixed[0], WIDTH - sum(fixed), *fixed[1:])
        return [
            _p(t("ballot_pdf.minutes.section.votes", lang), s["head"]),
            self._table(rows, widths, numeric_from=2, numeric_to=4),
        ]

    def _winners(self) -> list[Row]:
        res, decision = self.res, self.r.tie_decision
        persons = list(res.elected)
        if decision is not None:
            persons += [p for p in decision.winners if p not in persons]
        return sorted((res.row(p) for p in persons), key=lambda r: (-r.votes, r.number))

    def _result(self) -> list[Flowable]:
        s, lang, res, e = self.s, self.lang, self.res, self.e
        out: list[Flowable] = [_p(t("ballot_pdf.minutes.section.result", lang), s["head"])]
        purpose = res.purpose.value
        ranked = list(res.ranking) if res.purpose is Purpose.NOMINATION else self._winners()
        if res.purpose is not Purpose.NOMINATION:
            out.append(
                _p(t(f"ballot_pdf.minutes.count.{purpose}", lang, elected=len(ranked),
                     seats=self.r.seats), s["indent"])
            )  # fmt: skip
        if ranked:
            out.append(_p(t(f"ballot_pdf.minutes.ranking.{purpose}", lang), s["indent"]))
            out.append(Spacer(1, 1.5 * mm))
            out.append(self._ranking(ranked))
            out.append(Spacer(1, 1.5 * mm))
        elif res.purpose is Purpose.ELECT:
            out.append(_p(t("ballot_pdf.minutes.result.none", lang), s["indent"]))
        if res.purpose is Purpose.NOMINATION:
            return out
        decision = self.r.tie_decision
        if res.tie is not None and decision is None:
            names = ", ".join(self._name(p) for p in res.tie.persons)
            policy = t(f"election.tie_policy.{e.tie_policy.value}", lang)
            out.append(
                _p(t("ballot_pdf.minutes.result.tie", lang, names=names,
                     votes=number(res.tie.votes, lang), seats=res.tie.seats, policy=policy),
                   s["indent"])
            )  # fmt: skip
        if decision is not None:
            names = ", ".join(self._name(p) for p in decision.winners)
            out.append(
                _p(t("ballot_pdf.minutes.result.tie_decided", lang, names=names,
                     reason=nfc(decision.reason)), s["indent"])
            )  # fmt: skip
        beyond = [r for r in res.rows if self._outcome(r) == self._label(Outcome.BEYOND_SEATS)]
        if beyond and res.purpose is Purpose.ELECT:
            ordered = sorted(beyond, key=lambda r: (-r.votes, r.number))
            names = ", ".join(self._name(r.person) for r in ordered)
            out.append(_p(t("ballot_pdf.minutes.result.beyond", lang, names=names), s["indent"]))
        if res.unfilled > 0:
            out.append(
                _p(t("ballot_pdf.minutes.result.unfilled", lang, count=res.unfilled), s["indent"])
            )
        elif res.tie is None or decision is not None:
            out.append(_p(t("ballot_pdf.minutes.result.complete", lang), s["indent"]))
        return out

    def _label(self, outcome: Outcome) -> str:
        return t(f"ballot_pdf.minutes.outcome.{outcome.value}", self.lang)

    def _ranking(self, rows: Sequence[Row]) -> LongTable:
        s, lang, res = self.s, self.lang, self.res
        head = [
            _p(t("ballot_pdf.minutes.column.rank", lang), s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.name", lang), s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.votes", lang), s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.of_base", lang, base=number(res.base, lang)),
               s["cell_head"]),
            _p(t("ballot_pdf.minutes.column.of_valid", lang, valid=number(res.totals.valid, lang)),
               s["cell_head"]),
        ]  # fmt: skip
        table: list[list[object]] = [head]
        for rank, row in enumerate(rows, 1):
            entry = self.entries[row.number - 1]
            table.append([
                f"{rank}.",
                _p(self._full(entry), s["cell_bold"]),
                number(row.votes, lang),
                _percent(row.percent_of_base, lang),
                _percent(row.percent_of_valid, lang),
            ])  # fmt: skip
        fixed = (13 * mm, 17 * mm, 26 * mm, 30 * mm)
        widths = (fixed[0], WIDTH - sum(fixed), *fixed[1:])
        return self._table(table, widths, numeric_from=2)

    def _table(
        self,
        rows: list[list[object]],
        widths: Sequence[float],
        numeric_from: int,
        numeric_to: int = -1,
    ) -> LongTable:
        table = LongTable(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), REGULAR.name, 9),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 1), (0, -1), "RIGHT"),
            ("ALIGN", (numeric_from, 1), (numeric_to, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("GRID", (0, 0), (-1, -1), 0.4, LINE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))  # fmt: skip
        return table

    def _read(self) -> list[Flowable]:
        s, lang = self.s, self.lang
        if self.read_at is not None:
            at = self._local(self.read_at)
            when, day = clock(at, lang), long_date(at.date(), lang)
        else:
            when, day = t("ballot_pdf.minutes.read.blank", lang), long_date(self.day, lang)
        return [
            _p(t("ballot_pdf.minutes.section.read", lang), s["head"]),
            _p(t("ballot_pdf.minutes.read.line", lang, time=when, date=day), s["indent"]),
        ]

    def _signatures(self) -> Table:
        s, lang = self.s, self.lang
        committee = self.r.committee or self.e.committee
        people: list[tuple[str, str]] = []
        if committee is not None:
            people.append((t("ballot_pdf.minutes.sign.head", lang), self.names[committee.head]))
            for m in committee.members:
                if m != committee.head:
                    people.append((t("ballot_pdf.minutes.sign.member", lang), self.names[m]))
        else:  # blank lines to fill in by hand
            people = [(t("ballot_pdf.minutes.sign.head", lang), "")] + [
                (t("ballot_pdf.minutes.sign.member", lang), "")
            ] * 3
        cells = [
            [
                _p(role, s["centre_bold"]),
                _p(t("ballot_pdf.minutes.sign.hint", lang), s["centre_small"]),
                Spacer(1, SIGN_SPACE),
                _p(name, s["centre_bold"]),
            ]
            for role, name in people
        ]
        if len(cells) % 2:
            cells.append([])
        grid = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        table = Table(grid, colWidths=(WIDTH / 2, WIDTH / 2))
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6 * mm),
        ]))  # fmt: skip
        return table


# ----------------------------------------------------------------------------- the PDF


def write_counting_minutes(
    path: Path,
    congress: Congress,
    election: Election,
    round_no: int,
    *,
    names: Mapping[str, str] | None = None,
    read_at: datetime | None = None,
) -> None:
    """Write the counting minutes of round `round_no` to `path`.

    `names`: person id → name, for the counting committee (recorded as ids); `read_at`: when
    the minutes were read to the congress (default: when the results were announced; blank
    until then). ElectionError before counting starts; MissingGlyphError for a character the
    fonts lack."""
    minutes = _Minutes(congress, election, round_no, names or {}, read_at)
    lang = congress.language
    document = t("ballot_pdf.minutes.document", lang, election=nfc(election.title), round=round_no)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=document, author="Presidium", creator="Presidium",
        initialFontName=REGULAR.name,
    )  # fmt: skip
    footer = Footer(document, LEFT, PAGE_W - RIGHT, 10 * mm, size=7.5)
    doc.build(minutes.story(), canvasmaker=numbered_canvas(footer, lang))
