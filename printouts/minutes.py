"""The congress minutes (biên bản đại hội, domain rules 8.2) as a document of blocks, and its PDF.

Two steps, so that minutes.pdf, minutes.md and minutes.html say exactly the same thing:
`minutes_document(proceedings, lang)` puts the proceedings into words in the congress language
(a list of blocks: letterhead, title, headings, lines, tables, signature lines), and renderers
lay the blocks out: the PDF here (reportlab platypus, A4, invariant so the same document gives
the same bytes), Markdown and HTML in printouts/minutes_text.py.

The sections: general information (name, level, term, dates, venue, rules); attendance and the
quorum at the opening, absences and credentials rulings with their reasons, the credentials
statistics (7.4); the agenda with planned and actual times; every show-of-hands vote with its
attendance, rule, counts, arithmetic and verdict, corrections and their reasons; every election
round with its counting-minutes figures and results, the ballot entries corrected or voided
during its count (with the reasons), the elected and their statistics; what is
still open (an interim report); the closing time, the audit log it was made from and its final
hash; signature lines for the secretary and the presidium. Every page's footer carries the
chain's final hash and "page x of y".
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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
from printouts.ballots import long_date, round_text, short_date
from printouts.fonts import BOLD, REGULAR, check_glyphs
from printouts.pages import Footer, numbered_canvas
from session import agenda as ag
from session import bodies as bd
from session import elections as el
from session import statistics as st
from session.agenda import ItemState, ItemStatus
from session.bodies import Body
from session.count import ballot_text
from session.elections import Election, Round
from session.i18n import decimal_sep, number, t
from session.majority import format_percent
from session.proceedings import Headcount, OpenMatter, Proceedings
from session.quorum import explain as explain_quorum
from session.results import Outcome, RoundResult, Row, explain_threshold
from session.statistics import Group, Statistics
from session.tally import explain as explain_verdict
from session.tally import rule_label
from session.text import nfc
from session.votes import Vote, VoteStatus, describe_counts

# ----------------------------------------------------------------------------- the blocks


class Style(StrEnum):
    BODY = "body"
    ITEM = "item"  # indented: one fact of a list
    NOTE = "note"  # smaller: how to check, where the details are
    WARNING = "warning"  # bold, red in the PDF: interim, quorum problems


@dataclass(frozen=True, slots=True)
class Letterhead:
    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Title:
    lines: tuple[str, ...]  # the first is the document's title


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  # 1: a section (I, II…), 2: a vote or an election, 3: a round


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    style: Style = Style.BODY


@dataclass(frozen=True, slots=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative
    numeric: frozenset[int] = frozenset()  # right-aligned columns


@dataclass(frozen=True, slots=True)
class Signatures:
    people: tuple[tuple[str, str], ...]  # (role, name or "" to fill in by hand)
    hint: str


Block = Letterhead | Title | Heading | Text | Grid | Signatures


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: str  # for the PDF's metadata and the HTML <title>
    blocks: tuple[Block, ...]
    footer: str  # on every page

    def texts(self) -> Iterator[str]:
        """Every string the document prints (for the glyph check and the tests)."""
        yield self.title
        yield self.footer
        for block in self.blocks:
            yield from _block_texts(block)


def _block_texts(block: Block) -> Iterator[str]:
    match block:
        case Letterhead():
            yield from (*block.left, *block.right)
        case Title():
            yield from block.lines
        case Heading() | Text():
            yield block.text
        case Grid():
            yield from block.header
            for row in block.rows:
                yield from row
        case Signatures():
            yield block.hint
            for role, name in block.people:
                yield from (role, name)


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


# ----------------------------------------------------------------------------- into words


class _Words:
    """The proceedings in the congress language: one method per section."""

    def __init__(self, p: Proceedings, lang: str) -> None:
        self.p = p
        self.lang = lang
        self.zone = p.congress.zone
        self.blocks: list[Block] = []
        self.sections = 0
        self.numbers: dict[str, str] = {}  # section method -> its number (I, II…)

    # ------------------------------------------------------------------ small words

    def tr(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def n(self, value: int) -> str:
        return number(value, self.lang)

    def percent(self, hundredths: int) -> str:
        return self.tr("election.percent", value=format_percent(hundredths, decimal_sep(self.lang)))

    def stamp(self, at: datetime) -> str:
        """'20/06/2025 08:01' / '2025-06-20 08:01', in the congress's time zone."""
        return at.astimezone(self.zone).strftime(self.tr("format.datetime"))

    def clock(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%H:%M")

    def day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def line(self, key: str, style: Style = Style.ITEM, **params: object) -> None:
        self.add(Text(self.tr(key, **params), style))

    def section(self, key: str) -> None:
        self.add(Heading(f"{ROMAN[self.sections]}. {self.tr(key)}"))
        self.sections += 1

    def name(self, number_: int) -> str:
        d = self.p.delegate(number_)
        return nfc(d.full_name) if d else self.tr("proceedings.minutes.unknown", number=number_)

    # ------------------------------------------------------------------ the document

    def document(self) -> Document:
        parts = (self.general, self.bodies, self.attendance, self.agenda, self.votes,
                 self.elections)  # fmt: skip
        # sections refer to each other by number: the banner to what is open, a body to its vote
        self.numbers = {part.__name__: ROMAN[i] for i, part in enumerate(parts)}
        self.head(open_section=ROMAN[len(parts)])
        for part in parts:
            part()
        if self.p.interim:
            self.still_open()
        self.closing()
        c = self.p.congress
        return Document(
            self.lang,
            self.tr("proceedings.minutes.document", congress=nfc(c.name)),
            tuple(self.blocks),
            self.tr("proceedings.minutes.footer", hash=self.p.final_hash),
        )

    def head(self, open_section: str) -> None:
        p, c = self.p, self.p.congress
        right = (
            [self.tr("ballot_pdf.party")] if c.rules.ruleset.value.startswith("vn_party") else []
        )
        when = long_date(self.day(p.as_of), self.lang)
        right.append(when[:1].upper() + when[1:])
        self.add(Letterhead((nfc(c.name).upper(),), tuple(right)))
        key = "interim_title" if p.interim else "title"
        self.add(Title((self.tr(f"proceedings.minutes.{key}"), nfc(c.name))))
        if p.interim:
            self.line(
                "proceedings.minutes.interim", Style.WARNING, time=self.clock(p.as_of),
                date=long_date(self.day(p.as_of), self.lang), count=self.n(len(p.open)),
                section=open_section,
            )  # fmt: skip

    def general(self) -> None:
        c = self.p.congress
        self.section("proceedings.minutes.section.general")
        self.line("proceedings.minutes.general.congress", name=nfc(c.name))
        self.line(
            "proceedings.minutes.general.level", level=self.tr(f"proceedings.level.{c.level}")
        )
        if c.term:
            self.line("proceedings.minutes.general.term", term=nfc(c.term))
        start, end = short_date(c.start, self.lang), short_date(c.end, self.lang)
        if c.start == c.end:
            self.line("proceedings.minutes.general.one_day", date=start)
        else:
            self.line("proceedings.minutes.general.dates", start=start, end=end)
        if c.venue:
            self.line("proceedings.minutes.general.venue", venue=nfc(c.venue))
        self.line("proceedings.minutes.general.type", type=self.tr(f"proceedings.type.{c.type}"))
        self.line(
            "proceedings.minutes.general.rules", rules=self.tr(f"quorum.rule.{c.rules.ruleset}")
        )

    # ------------------------------------------------------------------ the congress's bodies

    def bodies(self) -> None:
        """The presidium, the secretariat and the committees (domain rules 8.2): each body's
        members, the vote that elected them, and any list a later vote replaced."""
        book = self.p.bodies
        self.section("proceedings.minutes.section.bodies")
        if not book.appointments:
            self.line("proceedings.minutes.bodies.none")
            return
        elected = bd.bodies_of(self.p.congress.type)
        for body in Body:
            current = book.current(body)
            name = bd.body_name(body, self.lang)
            if current is None:
                if body is Body.COUNTING_COMMITTEE and self.election_counters():
                    section = self.numbers["elections"]
                    self.line("proceedings.minutes.bodies.per_election", body=name,
                              section=section)  # fmt: skip
                elif body in elected:
                    self.line("proceedings.minutes.bodies.not_recorded", body=name)
                continue
            self.line("proceedings.minutes.bodies.body", body=name,
                      count=self.n(len(current.members)),
                      members=bd.members_text(current, self.lang))  # fmt: skip
            self.line("proceedings.minutes.bodies.elected", Style.NOTE,
                      vote=self.elected_by(current.vote))  # fmt: skip
            for old in book.replaced(body):
                self.line("proceedings.minutes.bodies.replaced", Style.NOTE,
                          members=bd.members_text(old, self.lang),
                          vote=self.elected_by(old.vote))  # fmt: skip

    def election_counters(self) -> bool:
        """Whether an election appointed its own counting committee (printed with it)."""
        return any(e.committee is not None for e in self.p.elections.elections)

    def elected_by(self, vote_id: str) -> str:
        """The vote that elected a body, by its number in the votes section and its title."""
        votes = self.p.votes.votes
        found = next((i for i, v in enumerate(votes, 1) if v.id == vote_id), None)
        if found is None:  # not in the log's votes: verify would have said so
            return self.tr("proceedings.minutes.bodies.vote_unknown", vote=vote_id)
        v = votes[found - 1]
        when = self.stamp(v.published_at) if v.published_at is not None else "…"
        return self.tr("proceedings.minutes.bodies.vote", number=found, title=nfc(v.title),
                       section=self.numbers["votes"], time=when)  # fmt: skip

    # ------------------------------------------------------------------ attendance

    def attendance(self) -> None:
        p = self.p
        self.section("proceedings.minutes.section.attendance")
        first = p.opening or p.now
        self.line("proceedings.minutes.attendance.summoned",
                  count=self.n(first.verdict.attendance.summoned))  # fmt: skip
        if p.opening is None:
            self.line("proceedings.minutes.attendance.not_opened")
        else:
            self.headcount("proceedings.minutes.attendance.opening", p.opening)
        if p.opening is None or p.now.seq != p.opening.seq:
            self.headcount("proceedings.minutes.attendance.now", p.now)
        self.movements()
        self.absences()
        self.statistics(p.delegate_statistics(self.lang))

    def headcount(self, key: str, h: Headcount) -> None:
        att = h.verdict.attendance
        self.line(
            key, time=self.clock(h.at), date=short_date(self.day(h.at), self.lang),
            present=self.n(att.present), absent=self.n(att.summoned - att.present),
            guests=self.n(h.guests),
        )  # fmt: skip
        if h.non_voting:  # alternates in the hall are delegates, not guests (domain rules 1.3)
            self.line("proceedings.minutes.attendance.non_voting", count=self.n(h.non_voting))
        sentence, problems = explain_quorum(h.verdict, self.lang)
        if sentence:
            self.add(Text(sentence[:1].upper() + sentence[1:], Style.ITEM))
        self.add(*(Text(problem, Style.WARNING) for problem in problems))

    def movements(self) -> None:
        moves = self.p.movements
        corrections = sum(m.method == "correction" for m in moves)
        entries = sum(m.action.value == "check_in" and m.method != "correction" for m in moves)
        exits = len(moves) - corrections - entries
        self.line(
            "proceedings.minutes.attendance.movements", Style.NOTE, entries=self.n(entries),
            exits=self.n(exits), corrections=self.n(corrections),
        )  # fmt: skip

    def absences(self) -> None:
        self.add(Heading(self.tr("proceedings.minutes.absences.title"), 2))
        rows = []
        for d in self.p.register:
            status, reason = self.p.status_of(d.number)
            if status.value == "summoned":
                continue
            label = self.tr(f"status.{status.value}")
            rows.append((str(d.number), nfc(d.full_name), nfc(d.unit), label, nfc(reason)))
        if not rows:
            self.line("proceedings.minutes.absences.none")
            return
        header = tuple(
            self.tr(f"proceedings.minutes.absences.column.{k}")
            for k in ("number", "name", "unit", "status", "reason")
        )
        self.add(Grid(header, tuple(rows), (8, 26, 26, 20, 20), frozenset({0})))

    def statistics(self, figures: Statistics) -> None:
        """The table `presidium statistics` prints (session.statistics.rows): the credentials
        report's figures (domain rules 7.4), or an elected body's."""
        delegates = figures.group is Group.DELEGATES
        key = "delegates" if delegates else "elected"
        total = self.n(figures.total)
        self.add(Heading(self.tr(f"proceedings.minutes.statistics.{key}", total=total),
                         2 if delegates else 3))  # fmt: skip
        if figures.total == 0:
            return
        c = figures.composition
        self.line("statistics.reference", Style.NOTE, limit=c.young_age_limit,
                  date=short_date(c.reference_date, self.lang))  # fmt: skip
        if not delegates and not figures.newly_known:
            self.line("statistics.newly_unknown", Style.NOTE)
        header = tuple(
            self.tr(f"proceedings.minutes.statistics.column.{k}")
            for k in ("category", "count", "percent")
        )
        rows = tuple(
            ("– " * (r.indent > 1) + r.label, r.count, r.percent)
            for r in st.rows(figures, self.lang)
        )
        self.add(Grid(header, rows, (60, 18, 22), frozenset({1, 2})))

    # ------------------------------------------------------------------ agenda

    def agenda(self) -> None:
        state, c = self.p.agenda, self.p.congress
        self.section("proceedings.minutes.section.agenda")
        slots = {s.item: s for s in ag.plan([s.item for s in state.items], c.start, c.zone)}
        rows = []
        for i, s in enumerate(state.items, 1):
            planned = slots[s.key].start
            rows.append((
                str(i), nfc(s.item.title), self.stamp(planned) if planned else "",
                self.spans(s), self.item_status(s),
            ))  # fmt: skip
        header = tuple(
            self.tr(f"proceedings.minutes.agenda.column.{k}")
            for k in ("number", "item", "planned", "actual", "status")
        )
        self.add(Grid(header, tuple(rows), (6, 40, 17, 20, 17), frozenset({0})))

    def spans(self, s: ItemState) -> str:
        parts = []
        for span in s.spans:
            end = self.clock(span.end) if span.end is not None else "…"
            parts.append(f"{self.stamp(span.start)}–{end}")
        return ", ".join(parts)

    def item_status(self, s: ItemState) -> str:
        text = self.tr(f"agenda.status.{s.status.value}")
        if s.status is ItemStatus.SKIPPED and s.skip_reason:
            text += f": {nfc(s.skip_reason)}"
        if s.inserted_at is not None:
            text += f" ({self.tr('proceedings.minutes.agenda.inserted')})"
        return text

    # ------------------------------------------------------------------ votes

    def votes(self) -> None:
        self.section("proceedings.minutes.section.votes")
        if not self.p.votes.votes:
            self.line("proceedings.minutes.vote.none")
        for i, vote in enumerate(self.p.votes.votes, 1):
            self.vote(i, vote)

    def vote(self, i: int, v: Vote) -> None:
        self.add(Heading(f"{i}. {nfc(v.title)}", 2))
        item = self.p.agenda.find(v.item)
        if item is not None:
            self.line("proceedings.minutes.vote.item", item=nfc(item.item.title))
        self.line("proceedings.minutes.vote.rule", rule=rule_label(v.rule, self.lang))
        if v.snapshot is not None and v.opened_at is not None:
            s = v.snapshot
            self.line("proceedings.minutes.vote.opened", time=self.stamp(v.opened_at),
                      present=self.n(s.present), entitled=self.n(s.entitled),
                      base=self.n(s.adjusted))  # fmt: skip
        if v.open_reason:
            self.line(
                "proceedings.minutes.vote.confirmed", Style.WARNING, reason=nfc(v.open_reason)
            )
        self.vote_result(v)

    def vote_result(self, v: Vote) -> None:
        verdict = v.verdict
        if v.status is VoteStatus.CANCELLED:
            assert v.cancelled_at is not None
            self.line("proceedings.minutes.vote.cancelled", time=self.stamp(v.cancelled_at),
                      reason=nfc(v.cancel_reason))  # fmt: skip
            return
        if v.status is not VoteStatus.PUBLISHED or verdict is None:
            self.line("proceedings.minutes.vote.unfinished", Style.WARNING,
                      status=self.tr(f"vote.status.{v.status.value}"))  # fmt: skip
            return
        assert v.published_at is not None and v.method is not None
        self.line("proceedings.minutes.vote.counts", counts=describe_counts(v, self.lang))
        self.line("proceedings.minutes.vote.method", method=self.tr(f"vote.method.{v.method}"))
        self.line("proceedings.minutes.vote.verdict", verdict=explain_verdict(verdict, self.lang))
        self.line("proceedings.minutes.vote.published", time=self.stamp(v.published_at))
        for correction, earlier in zip(v.corrections, v.history, strict=False):
            self.line(
                "proceedings.minutes.vote.correction", time=self.stamp(correction.at),
                reason=nfc(correction.reason), earlier=explain_verdict(earlier, self.lang),
            )  # fmt: skip

    # ------------------------------------------------------------------ elections

    def elections(self) -> None:
        self.section("proceedings.minutes.section.elections")
        if not self.p.elections.elections:
            self.line("proceedings.minutes.election.none")
        for i, e in enumerate(self.p.elections.elections, 1):
            self.election(i, e)

    def election(self, i: int, e: Election) -> None:
        self.add(Heading(f"{i}. {nfc(e.title)}", 2))
        self.line("proceedings.minutes.election.kind", kind=self.tr(f"election.kind.{e.kind}"))
        if e.seats is not None:
            self.line("proceedings.minutes.election.seats", seats=self.n(e.seats),
                      alternates=self.n(e.alternate_seats))  # fmt: skip
        committee = e.committee
        if committee is not None:
            members = [self.person(e, m) for m in committee.members if m != committee.head]
            self.line("proceedings.minutes.election.committee", head=self.person(e, committee.head),
                      members=", ".join(members) or "–")  # fmt: skip
        for r in e.rounds:
            self.round(e, r)
        outcome = el.outcome(e)
        winners = ", ".join(self.person(e, p) for p in outcome.elected)
        if winners:
            self.line("proceedings.minutes.election.elected", names=winners)
        if outcome.alternates:  # a delegation's, in order (tied ones share a place: "A = B")
            slots = [" = ".join(self.person(e, p) for p in slot) for slot in outcome.alternates]
            self.line("proceedings.minutes.election.alternates", names=", ".join(slots))
        self.line(
            "proceedings.minutes.election.step", step=self.tr(f"election.step.{outcome.step}")
        )
        figures = self.p.elected_statistics(e, self.lang)
        if figures is not None:
            self.statistics(figures)

    def person(self, e: Election, person: str) -> str:
        """A candidate's name, else a delegate's (the counting committee is recorded by person
        id, "d00012"; a bare number in older logs), else the text as recorded."""
        candidate = e.candidate(person)
        if candidate is not None:
            return nfc(candidate.person.full_name)
        number_ = el.delegate_number(person)
        if number_ is None and person.isdigit():
            number_ = int(person)
        if number_ is not None and self.p.delegate(number_) is not None:
            return self.name(number_)
        return nfc(person)

    def round(self, e: Election, r: Round) -> None:
        title = round_text(r, self.lang) or self.tr("ballot_pdf.minutes.round", round=r.number)
        self.add(Heading(title, 3))
        if r.snapshot is not None and r.voting_at is not None:
            s = r.snapshot
            self.line("proceedings.minutes.round.voting", time=self.stamp(r.voting_at),
                      present=self.n(s.present), entitled=self.n(s.entitled),
                      base=self.n(s.adjusted))  # fmt: skip
        result = e.result(r.number)
        check = r.reconciliation()
        if result is None or check is None:
            self.line("proceedings.minutes.round.status", Style.WARNING,
                      status=self.tr(f"election.round_status.{r.status}"))  # fmt: skip
            self.trace(r)
            return
        self.line("ballot_pdf.minutes.attendance.threshold",
                  threshold=explain_threshold(result, self.lang))  # fmt: skip
        totals = check.totals
        self.line(
            "proceedings.minutes.round.ballots", issued=self.n(check.issued),
            returned=self.n(check.returned), valid=self.n(totals.valid),
            invalid=self.n(totals.invalid_total),
        )  # fmt: skip
        for reason, count in totals.invalid_by_reason().items():
            label = self.tr(f"election.invalid.{reason}")
            self.line("ballot_pdf.minutes.ballots.reason", reason=label, count=self.n(count))
        self.trace(r)
        self.add(self.result_grid(e, r, result))
        if r.announced_at is not None:
            self.line("proceedings.minutes.round.announced", time=self.stamp(r.announced_at))

    def trace(self, r: Round) -> None:
        """Every ballot entry corrected or voided during the round's count, with its reason."""
        if r.count is None:
            return
        for x in r.count.trace():
            params = {
                "team": nfc(x.team), "seq": x.seq, "box": nfc(x.box),
                "before": ballot_text(x.before, self.lang), "time": self.stamp(x.at),
                "reason": nfc(x.reason),
            }  # fmt: skip
            if x.after is None:
                self.line("election.trace.voided_line", Style.NOTE, **params)
            else:
                after = ballot_text(x.after, self.lang)
                self.line("election.trace.corrected_line", Style.NOTE, after=after, **params)

    def result_grid(self, e: Election, r: Round, res: RoundResult) -> Grid:
        header = (
            self.tr("ballot_pdf.minutes.column.number"),
            self.tr("ballot_pdf.minutes.column.name"),
            self.tr("ballot_pdf.minutes.column.votes"),
            self.tr("ballot_pdf.minutes.column.of_base", base=self.n(res.base)),
            self.tr("ballot_pdf.minutes.column.of_valid", valid=self.n(res.totals.valid)),
            self.tr("ballot_pdf.minutes.column.outcome"),
        )
        rows = tuple(
            (
                str(row.number), self.person(e, row.person), self.n(row.votes),
                self.percent(row.percent_of_base), self.percent(row.percent_of_valid),
                self.outcome(r, row),
            )
            for row in res.rows
        )  # fmt: skip
        return Grid(header, rows, (7, 33, 11, 14, 16, 19), frozenset({0, 2, 3, 4}))

    def outcome(self, r: Round, row: Row) -> str:
        outcome = row.outcome
        decision = r.tie_decision
        if decision is not None and outcome is Outcome.TIED:
            outcome = Outcome.ELECTED if row.person in decision.winners else Outcome.BEYOND_SEATS
        text = self.tr(f"ballot_pdf.minutes.outcome.{outcome.value}")
        if row.by_age:
            text += f" ({self.tr('ballot_pdf.minutes.by_age')})"
        return text

    # ------------------------------------------------------------------ the end

    def still_open(self) -> None:
        self.section("proceedings.minutes.section.open")
        rows = tuple(
            (self.tr(f"proceedings.open.{m.kind.value}"), nfc(m.title), self.open_status(m))
            for m in self.p.open
        )
        header = tuple(
            self.tr(f"proceedings.minutes.open.column.{k}") for k in ("kind", "title", "status")
        )
        self.add(Grid(header, rows, (18, 52, 30)))

    def open_status(self, m: OpenMatter) -> str:
        prefix = {"agenda_item": "agenda.status", "vote": "vote.status"}.get(m.kind.value)
        return self.tr(f"{prefix or 'election.step'}.{m.status}")

    def closing(self) -> None:
        p = self.p
        self.section("proceedings.minutes.section.closing")
        closed = p.closed_at
        if closed is not None:
            self.line("proceedings.minutes.closing.closed", time=self.clock(closed),
                      date=long_date(self.day(closed), self.lang))  # fmt: skip
        self.line("proceedings.minutes.closing.log", count=self.n(len(p.events)),
                  last=p.last_seq, time=self.stamp(p.as_of))  # fmt: skip
        self.line("proceedings.minutes.closing.hash", hash=p.final_hash)
        self.line("proceedings.minutes.closing.check", Style.NOTE)
        self.add(
            Signatures(
                (
                    (self.tr("proceedings.minutes.sign.secretary"), self.signer(Body.SECRETARIAT)),
                    (self.tr("proceedings.minutes.sign.presidium"), self.signer(Body.PRESIDIUM)),
                ),
                self.tr("ballot_pdf.minutes.sign.hint"),
            )
        )

    def signer(self, body: Body) -> str:
        """The name under a signature line: the body's head or only member ("" to write by
        hand when the body was not recorded or has several members and no head)."""
        current = self.p.bodies.current(body)
        return current.signer if current is not None else ""


def minutes_document(proceedings: Proceedings, lang: str) -> Document:
    """The minutes of `proceedings` in `lang` ('vi' or 'en'), as blocks."""
    return _Words(proceedings, lang).document()


# ----------------------------------------------------------------------------- the PDF

PAGE_W, PAGE_H = A4
# Decree 30/2020 margins for administrative documents: 30 mm left, 15–20 mm right, 20 mm top.
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
FOOTER_Y = 10 * mm
WIDTH = PAGE_W - LEFT - RIGHT
INK = colors.Color(0.08, 0.08, 0.08)
LINE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.93, 0.93, 0.93)
WARN = colors.Color(0.65, 0.05, 0.05)
# Tables set their own font before drawing their cells (Helvetica unless told): the bundled one,
# so no standard font (which cannot show Vietnamese) is ever referenced.
FONT = [("FONT", (0, 0), (-1, -1), REGULAR.name, 9)]


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    body = ParagraphStyle("body", fontName=REGULAR.name, fontSize=10.5, leading=14, textColor=INK)
    return {
        "body": ParagraphStyle("body2", parent=body, spaceBefore=2),
        "item": ParagraphStyle("item", parent=body, leftIndent=5 * mm),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11, leftIndent=5 * mm),
        "warning": ParagraphStyle("warning", parent=body, fontName=BOLD.name, textColor=WARN),
        # headings keep with what follows: none ends a page alone
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD.name, fontSize=11.5, leading=15,
                             spaceBefore=9, spaceAfter=3, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD.name, spaceBefore=6, spaceAfter=1,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD.name, fontSize=10, spaceBefore=3,
                             leftIndent=5 * mm, keepWithNext=1),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD.name, fontSize=15, leading=19,
                                alignment=TA_CENTER, spaceBefore=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=BOLD.name, fontSize=11.5,
                                   leading=15, alignment=TA_CENTER, spaceAfter=6),
        "centre_small": ParagraphStyle("centre_small", parent=body, fontSize=9, leading=11.5,
                                       alignment=TA_CENTER),
        "centre_bold": ParagraphStyle("centre_bold", parent=body, fontName=BOLD.name, fontSize=9.5,
                                      leading=12.5, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=10.5,
                                     alignment=2),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=BOLD.name, fontSize=8.5,
                                    leading=10.5, alignment=TA_CENTER),
    }  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _flowables(block: Block, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    match block:
        case Letterhead():
            return [_letterhead(block, s), Spacer(1, 5 * mm)]
        case Title():
            first, *rest = block.lines
            return [_p(first, s["title"]), *(_p(line, s["subtitle"]) for line in rest)]
        case Heading():
            return [_p(block.text, s[f"h{block.level}"])]
        case Text():
            return [_p(block.text, s[block.style.value])]
        case Grid():
            return [Spacer(1, 1.5 * mm), _grid(block, s), Spacer(1, 1.5 * mm)]
        case Signatures():
            return [_signatures(block, s)]


def _letterhead(block: Letterhead, s: dict[str, ParagraphStyle]) -> Table:
    left = [_p(line, s["centre_bold"]) for line in block.left]
    right = [_p(line, s["centre_bold" if i == 0 else "centre_small"])
             for i, line in enumerate(block.right)]  # fmt: skip
    table = Table([[left, right]], colWidths=(WIDTH * 0.5, WIDTH * 0.5))
    table.setStyle(TableStyle([
        *FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))  # fmt: skip
    return table


def _grid(block: Grid, s: dict[str, ParagraphStyle]) -> LongTable:
    total = sum(block.widths)
    widths = [WIDTH * w / total for w in block.widths]
    rows: list[list[object]] = [[_p(h, s["cell_head"]) for h in block.header]]
    for row in block.rows:
        styles = [s["cell_right" if i in block.numeric else "cell"] for i in range(len(row))]
        rows.append([_p(cell, style) for cell, style in zip(row, styles, strict=True)])
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        *FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))  # fmt: skip
    return table


def _signatures(block: Signatures, s: dict[str, ParagraphStyle]) -> Table:
    cells = [
        [_p(role, s["centre_bold"]), _p(block.hint, s["centre_small"]), Spacer(1, 22 * mm),
         _p(name, s["centre_bold"])]
        for role, name in block.people
    ]  # fmt: skip
    grid = [cells[i : i + 2] + [[]] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=(WIDTH / 2, WIDTH / 2))
    table.setStyle(TableStyle([*FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6 * mm)]))  # fmt: skip
    return table


def _story(document: Document) -> list[Flowable]:
    s = _styles()
    story: list[Flowable] = []
    blocks = list(document.blocks)
    # The closing lines stay on the page of the signatures: a signature never stands alone.
    tail = _closing_tail(blocks)
    for block in blocks[: len(blocks) - len(tail)]:
        story += _flowables(block, s)
    kept: list[Flowable] = []
    for block in tail:
        kept += _flowables(block, s)
    if kept:
        story.append(KeepTogether(kept))
    return story


def _closing_tail(blocks: Sequence[Block]) -> list[Block]:
    """The last heading and everything after it, when the document ends with signatures."""
    if not blocks or not isinstance(blocks[-1], Signatures):
        return []
    start = max(i for i, b in enumerate(blocks) if isinstance(b, Heading))
    return list(blocks[start:])


def _footer_size(text: str) -> float:
    """The largest size (7 pt down to 5 pt) at which the footer text, hash included, fits in
    the room pages.Footer leaves beside 'page x of y' (it would be clipped otherwise)."""
    fonts.register()
    size = 7.0
    while size > 5.0 and stringWidth(text, REGULAR.name, size) > WIDTH - 30 * size:
        size -= 0.25
    return size


def check_document(document: Document) -> None:
    """MissingGlyphError naming the first text the bundled fonts cannot print."""
    where = t("proceedings.minutes.where", document.lang)
    for text in document.texts():
        check_glyphs(text, (REGULAR, BOLD), where, document.lang)


def write_minutes_pdf(path: Path, document: Document) -> None:
    """Write the minutes to `path` (A4; invariant: the same document gives the same bytes)."""
    check_document(document)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=document.title, author="Presidium", creator="Presidium",
        subject=document.footer, initialFontName=REGULAR.name,
    )  # fmt: skip
    footer = Footer(document.footer, LEFT, PAGE_W - RIGHT, FOOTER_Y, _footer_size(document.footer))
    doc.build(_story(document), canvasmaker=numbered_canvas(footer, document.lang))
