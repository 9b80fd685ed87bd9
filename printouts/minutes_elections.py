"""The minutes' words (printouts/minutes.py): what every section of the proceedings' minutes
uses (the section numbers, a delegate's name, a statistics table), and the largest section, the
elections: every round with its counting-minutes figures and results, the ballot entries
corrected or voided during its count (with the reasons), the elected and their statistics."""

from printouts.ballots import round_text, short_date
from printouts.document import Grid, Heading, Style
from printouts.words import Words
from session import elections as el
from session import statistics as st
from session.count import ballot_text
from session.elections import Election, Round
from session.proceedings import Proceedings
from session.results import RoundResult, explain_threshold
from session.statistics import Group, Statistics
from session.text import nfc

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class MinutesWords(Words):
    """The proceedings in the congress language: the minutes' sections build on this."""

    def __init__(self, p: Proceedings, lang: str) -> None:
        super().__init__(lang, p.congress.zone)
        self.p = p
        self.sections = 0
        self.numbers: dict[str, str] = {}  # section method -> its number (I, II…)

    def section(self, key: str) -> None:
        self.add(Heading(f"{ROMAN[self.sections]}. {self.tr(key)}"))
        self.sections += 1

    def name(self, number_: int) -> str:
        d = self.p.delegate(number_)
        return nfc(d.full_name) if d else self.tr("proceedings.minutes.unknown", number=number_)

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
