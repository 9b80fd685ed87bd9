"""The hall's sectors as a grid of boxes: each sector's state and its confirmed counts.

Arrow keys move the selection; Enter asks for a teller's entry in the selected sector. A box
never shows a single teller's numbers (the second teller must count without seeing them).
"""

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Static

from session.votes import SectorStatus, Vote
from tui.meeting_view import sector_lines

STATES = tuple(s.value for s in SectorStatus)


def shown_status(vote: Vote, status: SectorStatus) -> SectorStatus:
    """A sector's colour: a vote counted as "all present in favour" (two tellers) is confirmed
    in every sector; one teller's confirmation so far waits for the second."""
    if not vote.unanimous:
        return status
    return SectorStatus.CONFIRMED if len(vote.unanimous) >= 2 else SectorStatus.AWAITING_SECOND


class SectorBox(Static):
    def __init__(self, code: str) -> None:
        super().__init__(markup=False, classes="sector -missing")
        self.code = code
        self.state = SectorStatus.MISSING

    def show(self, title: str, state: str, detail: str, status: SectorStatus) -> None:
        self.state = status
        for name in STATES:
            self.set_class(name == status.value, f"-{name}")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(title + "\n", "bold")
        text.append(state + "\n")
        text.append(detail)
        self.update(text)


class SectorGrid(Grid, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move(-4)", show=False),
        Binding("down", "move(4)", show=False),
        Binding("enter", "choose", show=False),
    ]
    COLUMNS = 4

    class Chosen(Message):
        """Enter on a sector: a teller's entry for it."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, codes: list[str], names: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._codes = list(codes)
        self._names = names
        self.selected: str | None = self._codes[0] if self._codes else None

    def compose(self) -> ComposeResult:
        for code in self._codes:
            yield SectorBox(code)

    def on_mount(self) -> None:
        self._mark()

    def box(self, code: str) -> SectorBox:
        return next(b for b in self.query(SectorBox) if b.code == code)

    def show(self, vote: Vote | None) -> None:
        for box in self.query(SectorBox):
            sector = vote.sector(box.code) if vote is not None else None
            name = self._names.get(box.code, box.code)
            if sector is None:
                box.show(name, "", "", SectorStatus.MISSING)
                box.set_class(True, "-idle")
                continue
            box.set_class(False, "-idle")
            assert vote is not None
            title, state, detail = sector_lines(sector, vote, name)
            box.show(title, state, detail, shown_status(vote, sector.status))

    def select(self, code: str) -> None:
        if code in self._codes:
            self.selected = code
            self._mark()

    def _mark(self) -> None:
        for box in self.query(SectorBox):
            box.set_class(box.code == self.selected, "-selected")

    def action_move(self, step: int) -> None:
        if not self._codes:
            return
        index = self._codes.index(self.selected) if self.selected in self._codes else 0
        target = index + step
        if 0 <= target < len(self._codes):
            self.select(self._codes[target])

    def action_choose(self) -> None:
        if self.selected is not None:
            self.post_message(self.Chosen(self.selected))
