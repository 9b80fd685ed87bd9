"""The congress minutes (biên bản đại hội, domain rules 8.2) as a document of blocks.

Two steps, so that minutes.pdf, minutes.md and minutes.html say exactly the same thing:
`minutes_document(proceedings, lang)` puts the proceedings into words in the congress language
(a list of blocks: letterhead, title, headings, lines, tables, signature lines), and renderers
lay the blocks out: the PDF in printouts/pdf.py (reportlab platypus, A4, invariant so the same
document gives the same bytes), Markdown and HTML in printouts/minutes_text.py. The blocks are
printouts/document.py's; the elections' section is in printouts/minutes_elections.py, the
discussion's in printouts/minutes_speakers.py.

The sections: general information (name, level, term, dates, venue, rules); attendance and the
quorum at the opening, absences and credentials rulings with their reasons, the credentials
statistics (7.4); the agenda with planned and actual times; the discussion (every contribution
of each item in order, spoken or in writing, and the counts); every show-of-hands vote with its
attendance, rule, counts, arithmetic and verdict, corrections and their reasons; every election
round with its counting-minutes figures and results, the ballot entries corrected or voided
during its count (with the reasons), the elected and their statistics; what is
still open (an interim report); the closing time, the audit log it was made from and its final
hash; signature lines for the secretary and the presidium. Every page's footer carries the
chain's final hash and "page x of y".
"""

from printouts.ballots import long_date, short_date
from printouts.document import Document, Grid, Heading, Letterhead, Signatures, Style, Text, Title
from printouts.minutes_elections import ROMAN
from printouts.minutes_speakers import DiscussionWords
from session import agenda as ag
from session import bodies as bd
from session.agenda import ItemState, ItemStatus
from session.bodies import Body
from session.proceedings import Headcount, OpenMatter, Proceedings
from session.quorum import explain as explain_quorum
from session.tally import explain as explain_verdict
from session.tally import rule_label
from session.text import nfc
from session.votes import Vote, VoteStatus, describe_counts


class _Words(DiscussionWords):
    """The proceedings in the congress language: one method per section."""

    # ------------------------------------------------------------------ the document

    def document(self) -> Document:
        parts = (self.general, self.bodies, self.attendance, self.agenda, self.discussion,
                 self.votes, self.elections)  # fmt: skip
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
            self.tr("proceedings.minutes.where"),
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
