"""What the minutes and the counting minutes share while they put a congress into words: the
language (translations, numbers, percentages), times in the congress's time zone, the blocks
collected so far, and how a candidate's outcome in a round is named."""

from datetime import date, datetime, tzinfo

from printouts.document import Block, Style, Text
from session.elections import Round
from session.i18n import number, percent, t
from session.results import Outcome, Row


class Words:
    """A document being written in `lang`, its times told in `zone`."""

    def __init__(self, lang: str, zone: tzinfo) -> None:
        self.lang = lang
        self.zone = zone
        self.blocks: list[Block] = []

    def tr(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def n(self, value: int) -> str:
        """1.600 / 1,600."""
        return number(value, self.lang)

    def percent(self, hundredths: int) -> str:
        """'51,72 %' / '51.72 %'."""
        return percent(hundredths, self.lang)

    def stamp(self, at: datetime) -> str:
        """'20/06/2025 08:01' / '2025-06-20 08:01', in the congress's time zone."""
        return self.local(at).strftime(self.tr("format.datetime"))

    def clock(self, at: datetime) -> str:
        return self.local(at).strftime("%H:%M")

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)

    def day(self, at: datetime) -> date:
        return self.local(at).date()

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def line(self, key: str, style: Style = Style.ITEM, **params: object) -> None:
        self.add(Text(self.tr(key, **params), style))

    def outcome(self, r: Round, row: Row) -> str:
        """A candidate's outcome in round `r` ("Trúng cử"), a tie decided by the congress
        applied, "by age" when the age decided."""
        outcome = row.outcome
        decision = r.tie_decision
        if decision is not None and outcome is Outcome.TIED:
            outcome = Outcome.ELECTED if row.person in decision.winners else Outcome.BEYOND_SEATS
        text = self.tr(f"ballot_pdf.minutes.outcome.{outcome.value}")
        if row.by_age:
            text += f" ({self.tr('ballot_pdf.minutes.by_age')})"
        return text
