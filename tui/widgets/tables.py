"""The lists under the gauge: units, who is still missing, and this station's last results.

Tables have fixed column widths and are updated cell by cell or row by row, never rebuilt per
scan (engineering notes 2.4). The missing list shows the lowest numbers first and at most
:data:`MISSING_ROWS` rows, so 10,000 delegates never build a 10,000-row table; F2 finds anyone.
"""

import bisect
from collections import deque
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from db.store import DelegateInfo, UnitRow
from session.i18n import number, t
from tui.view import ResultView

MISSING_ROWS = 300
FILL_BATCH = 40  # rows added per turn of the event loop
CELL_CACHE = 1000  # rendered cells kept per table (a screenful is a few hundred)
RECENT_ROWS = 10


def cell(text: str, justify: str = "left") -> Text:
    """A table cell: plain text (names may contain brackets), one line, cut with an ellipsis."""
    return Text(text, no_wrap=True, overflow="ellipsis", justify=justify)  # type: ignore[arg-type]


def small_caches(table: DataTable[Text]) -> None:
    """Keep a live table's render cache near what is on screen.

    Every update renews the cache keys, so DataTable's 10,000-entry cell cache fills with stale
    renders; on a table updated at every scan those objects lengthen each full garbage
    collection (measured here: pauses of 100-200 ms after a few hundred scans).
    """
    table._cell_render_cache.maxsize = CELL_CACHE


# A column that takes its share of the width: (key, narrowest width, share of what is left over).
FitColumn = tuple[str, int, int]


def fit_columns(table: DataTable[Text], spec: Iterable[FitColumn]) -> None:
    """Give each listed column its narrowest width, then share the rest of the table's width by
    the columns' shares (columns not listed keep theirs): at 160 columns the words that matter
    are whole, at 80 the figures stay. Call it on mount and on every resize."""
    columns = [c for c in spec if ColumnKey(c[0]) in table.columns]
    keys = {key for key, _, _ in columns}
    others = sum(c.get_render_width(table) for k, c in table.columns.items() if k.value not in keys)
    # Room for a scrollbar is always kept: the widths must not depend on whether the rows have
    # arrived yet (a scrollbar that comes with them would otherwise cut the last column).
    scrollbar = table.styles.scrollbar_size_vertical
    room = table.outer_size.width - table.styles.gutter.width
    padding = 2 * table.cell_padding * len(columns)
    narrowest = sum(w for _, w, _ in columns)
    spare = max(room - scrollbar - others - padding - narrowest, 0)
    shares = sum(share for _, _, share in columns)
    extras = [spare * share // shares if shares else 0 for _, _, share in columns]
    if shares:  # the rounding's leftovers go to the column with the largest share
        widest = max(range(len(columns)), key=lambda i: columns[i][2])
        extras[widest] += spare - sum(extras)
    changed = False
    for (key, width, _), extra in zip(columns, extras, strict=True):
        column = table.columns[ColumnKey(key)]
        changed |= (column.width, column.auto_width) != (width + extra, False)
        column.width, column.auto_width = width + extra, False
    if changed:  # rows drawn at the old widths must not be reused from the render caches
        table._clear_caches()
        table._require_update_dimensions = True
        table.refresh()


class FitTable(DataTable[Text]):
    """A table whose listed columns share its width (:func:`fit_columns`), whenever its size
    changes (shown for the first time, the terminal resized) or its columns are set again."""

    def __init__(self, fit: Iterable[FitColumn], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.fit = tuple(fit)

    def on_resize(self) -> None:
        fit_columns(self, self.fit)

    def refit(self) -> None:
        self.call_after_refresh(fit_columns, self, self.fit)


def count_cell(value: int) -> Text:
    return cell(number(value), "right")


class UnitsTable(DataTable[Text]):
    """Present / summoned per unit, in Vietnamese alphabetical order."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        small_caches(self)
        self._rows: dict[str, UnitRow] = {}

    def on_mount(self) -> None:
        self.border_title = t("tui.units.title")
        self.add_column(t("tui.units.unit"), key="unit", width=34)
        self.add_column(cell(t("tui.units.present"), "right"), key="present", width=9)
        self.add_column(cell(t("tui.units.summoned"), "right"), key="summoned", width=10)

    def show(self, units: list[UnitRow]) -> None:
        if [u.unit for u in units] != list(self._rows):  # units came or went: rare, rebuild
            self.clear()
            self._rows = {}
            for u in units:
                self.add_row(
                    cell(u.unit), count_cell(u.present), count_cell(u.summoned), key=u.unit
                )
                self._rows[u.unit] = u
            return
        for u in units:
            old = self._rows[u.unit]
            if old.present != u.present:
                self.update_cell(u.unit, "present", count_cell(u.present))
            if old.summoned != u.summoned:
                self.update_cell(u.unit, "summoned", count_cell(u.summoned))
            self._rows[u.unit] = u


class MissingTable(DataTable[Text]):
    """Voting delegates not in the hall: number, name, unit, status (lowest numbers first)."""

    def __init__(self, *, id: str | None = None, limit: int = MISSING_ROWS) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        small_caches(self)
        self.limit = limit
        self._numbers: list[int] = []  # every missing delegate, sorted
        self._info: dict[int, DelegateInfo] = {}
        self._shown: set[int] = set()
        self._sync_pending = False
        self.loaded = False

    FIT: ClassVar[tuple[FitColumn, ...]] = (
        ("number", 6, 0),
        ("name", 18, 2),
        ("unit", 16, 1),
        ("status", 16, 3),  # "absent for the whole congress" whole at 160 columns
    )

    def on_mount(self) -> None:
        self.border_title = t("tui.missing.title_loading")
        self.add_column(cell(t("tui.missing.number"), "right"), key="number", width=6)
        self.add_column(t("tui.missing.name"), key="name", width=26)
        self.add_column(t("tui.missing.unit"), key="unit", width=34)
        self.add_column(t("tui.missing.status"), key="status", width=24)

    def on_resize(self) -> None:
        fit_columns(self, self.FIT)

    @property
    def total(self) -> int:
        return len(self._numbers)

    def numbers_shown(self) -> set[int]:
        return set(self._shown)

    def load(self, missing: Iterable[DelegateInfo]) -> None:
        """Replace the whole list (start-up, or after a register import)."""
        self._info = {d.number: d for d in missing}
        self._numbers = sorted(self._info)
        self._shown = set()
        self.clear()
        self.loaded = True
        self._sync()

    def apply(self, changed: Iterable[DelegateInfo]) -> None:
        """Delegates whose state may have changed: add, drop or refresh their rows."""
        refreshed = []
        for d in changed:
            was = d.number in self._info
            if d.missing:
                self._info[d.number] = d
                if not was:
                    bisect.insort(self._numbers, d.number)
                elif d.number in self._shown:
                    refreshed.append(d)
            elif was:
                del self._info[d.number]
                self._numbers.pop(bisect.bisect_left(self._numbers, d.number))
        for d in refreshed:
            self.update_cell(str(d.number), "status", cell(t(f"status.{d.status.value}")))
            self.update_cell(str(d.number), "name", cell(d.full_name))
        self._sync()

    def _sync(self) -> None:
        """Make the rows the lowest `limit` missing numbers, adding at most BATCH rows at once.

        A long fill (start-up) continues in later turns of the event loop, so a card scanned
        meanwhile is not kept waiting behind hundreds of add_row calls.
        """
        self._sync_pending = False
        want = self._numbers[: self.limit]
        wanted = set(want)
        for n in self._shown - wanted:
            self.remove_row(str(n))
        self._shown &= wanted
        added = [n for n in want if n not in self._shown]
        batch = added[:FILL_BATCH]
        in_order = not self._shown or not batch or batch[0] > max(self._shown)
        for n in batch:
            d = self._info[n]
            self.add_row(
                cell(str(n), "right"),
                cell(d.full_name),
                cell(d.unit),
                cell(t(f"status.{d.status.value}")),
                key=str(n),
            )
            self._shown.add(n)
        if not in_order:
            self.sort("number", key=lambda c: int(c.plain))
        if len(added) > len(batch) and not self._sync_pending:
            self._sync_pending = True
            self.call_later(self._sync)
        title = t("tui.missing.title", count=number(self.total))
        if self.total > self.limit:
            title += " " + t("tui.missing.capped", shown=number(self.limit))
        self.border_title = title


class RecentScans(Widget):
    """This station's last results, newest first, each line in its colour."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "recent--green",
        "recent--yellow",
        "recent--red",
        "recent--info",
        "recent--ready",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: deque[ResultView] = deque(maxlen=RECENT_ROWS)

    def on_mount(self) -> None:
        self.border_title = t("tui.recent.title")

    def add(self, view: ResultView) -> None:
        self._items.appendleft(view)
        self.refresh()

    @property
    def lines(self) -> list[str]:
        return [self._line(v) for v in self._items]

    @staticmethod
    def _line(v: ResultView) -> str:
        who = f"{v.who} — " if v.who else ""
        return f"{v.time}  {who}{v.headline}"

    def render(self) -> Text:
        if not self._items:
            return Text(t("tui.recent.empty"), no_wrap=True, overflow="ellipsis")
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, v in enumerate(self._items):
            if i:
                out.append("\n")
            out.append(self._line(v), self.get_component_rich_style(f"recent--{v.colour}"))
        return out
