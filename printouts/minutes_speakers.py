"""The minutes' section on the discussion (thảo luận, issue 15), between the agenda and the votes
as domain rules 8.2 order them (the reports, the discussion, each vote, each election): a
summary of the counts, item by item and for the whole congress, then each agenda item's
contributions in the order they were given — speaker, unit, title, kind, when, how long,
spoken or in writing. The record itself is session.speakers.record's (the same one
proceedings.json and speakers.csv carry)."""

from printouts.document import Grid, Heading, Style
from printouts.minutes_elections import MinutesWords
from session.speakers import clock
from session.speakers.record import Contribution, Counts, ItemRecord
from session.text import nfc

KEY = "proceedings.minutes.discussion"
SUMMARY_COLUMNS = ("item", "contributions", "spoken", "written", "people", "women", "units",
                   "time")  # fmt: skip
COLUMNS = ("number", "speaker", "unit", "title", "kind", "start", "duration", "delivery")


class DiscussionWords(MinutesWords):
    """The discussion's section of the minutes."""

    def discussion(self) -> None:
        self.section("proceedings.minutes.section.discussion")
        record = self.p.discussion()
        if not record.items:
            self.line(f"{KEY}.none")
            return
        self.add(Heading(self.tr(f"{KEY}.summary"), 2))
        rows = [self.summary_row(f"{i.number}. {nfc(i.title)}", i.counts) for i in record.items]
        rows.append(self.summary_row(self.tr(f"{KEY}.total"), record.counts))
        header = tuple(self.tr(f"{KEY}.summary_column.{k}") for k in SUMMARY_COLUMNS)
        numeric = frozenset(range(1, len(SUMMARY_COLUMNS)))
        self.add(Grid(header, tuple(rows), (30, 10, 10, 10, 9, 9, 9, 13), numeric))
        self.line(f"{KEY}.counting", Style.NOTE)
        for item in record.items:
            self.discussion_item(item)
        self.line(f"{KEY}.times", Style.NOTE)

    def summary_row(self, label: str, c: Counts) -> tuple[str, ...]:
        return (label, self.n(c.contributions), self.n(c.spoken), self.n(c.written),
                self.n(c.people), self.n(c.women), self.n(c.units), clock(c.seconds))  # fmt: skip

    def discussion_item(self, item: ItemRecord) -> None:
        self.add(Heading(self.tr(f"{KEY}.item", number=item.number, title=nfc(item.title)), 2))
        header = tuple(self.tr(f"{KEY}.column.{k}") for k in COLUMNS)
        rows = tuple(self.contribution_row(c) for c in item.contributions)
        self.add(Grid(header, rows, (5, 17, 16, 15, 13, 12, 8, 12), frozenset({0, 6})))
        c = item.counts
        self.line(
            f"{KEY}.item_counts", contributions=self.n(c.contributions), spoken=self.n(c.spoken),
            written=self.n(c.written), people=self.n(c.people), women=self.n(c.women),
            units=self.n(c.units), time=clock(c.seconds),
        )  # fmt: skip

    def contribution_row(self, c: Contribution) -> tuple[str, ...]:
        return (
            str(c.order), nfc(c.name), nfc(c.unit), nfc(c.title),
            self.tr(f"speakers.kind.{c.kind.value}"), self.stamp(c.at),
            clock(c.seconds) if c.seconds is not None else "–",
            self.tr(f"{KEY}.{'spoken' if c.spoken else 'written'}"),
        )  # fmt: skip
