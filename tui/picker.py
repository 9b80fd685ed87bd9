"""Finding a delegate by name without diacritics, by number or by unit, inside a dialog.

The search field keeps the focus: the arrow keys move in the list of those found (the highlighted
row is the choice), Tab goes on to the dialog's next field, and Enter runs a search still waiting
for quiet typing before the dialog goes on (tui.dialog: Enter acts once nothing is missing).
"""

from collections.abc import Callable

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from db.store import DelegateInfo
from session.cards import MAX_DELEGATE_NUMBER
from session.i18n import t
from tui.dialog import REQUIRED
from tui.view import who_line
from tui.widgets.scan_input import ScanAwareInput
from tui.widgets.tables import cell

SEARCH_DELAY = 0.2  # seconds of quiet typing before searching
_NUMBER_DIGITS = len(str(MAX_DELEGATE_NUMBER))
# Keys a field passes to the list under it (the list itself never takes the focus).
LIST_KEYS = frozenset({"up", "down", "pageup", "pagedown"})

Search = Callable[[str], list[DelegateInfo]]


def move_cursor(table: DataTable[Text], key: str) -> None:
    """An arrow or page key typed in a field, applied to the list under it."""
    actions = {
        "up": table.action_cursor_up,
        "down": table.action_cursor_down,
        "pageup": table.action_page_up,
        "pagedown": table.action_page_down,
    }
    actions[key]()


class SearchFound(Message):
    def __init__(self, query: str, found: list[DelegateInfo], error: str = "") -> None:
        super().__init__()
        self.query = query
        self.found = found
        self.error = error


class DelegateChosen(Message):
    """A row clicked: the operator picked this delegate."""

    def __init__(self, delegate: DelegateInfo) -> None:
        super().__init__()
        self.delegate = delegate


def worth_searching(query: str) -> bool:
    """Not empty, and not the digits of a card code arriving (numbers have five digits at most)."""
    return bool(query) and not (query.isdigit() and len(query) > _NUMBER_DIGITS)


class DelegatePicker(Vertical):
    """A search field and the delegates it finds; the highlighted row is the selection."""

    def __init__(self, search: Search, *, id: str | None = None, required: bool = False) -> None:
        super().__init__(id=id, classes="dialog-field")
        self.set_class(required, REQUIRED)
        self.tooltip = t("tui.pick.label")
        self._search = search
        self._found: dict[int, DelegateInfo] = {}
        self._timer: Timer | None = None
        self._searching = False
        self._then: Callable[[], None] | None = None
        self.selected: DelegateInfo | None = None
        self.last_query = ""  # the query of the results shown

    def compose(self) -> ComposeResult:
        yield ScanAwareInput(placeholder=t("tui.pick.placeholder"), id="pick-query")
        table = DataTable[Text](id="pick-results", cursor_type="row", zebra_stripes=True)
        table.can_focus = False  # the arrows move it from the search field
        yield table
        yield Static(t("tui.pick.none"), markup=False, id="pick-selected")

    def on_mount(self) -> None:
        table = self.query_one("#pick-results", DataTable)
        table.add_column(cell(t("tui.pick.number"), "right"), key="number", width=6)
        table.add_column(t("tui.pick.name"), key="name", width=26)
        table.add_column(t("tui.pick.unit"), key="unit", width=28)
        table.add_column(t("tui.pick.kind"), key="kind", width=11)
        table.add_column(t("tui.pick.status"), key="status", width=16)
        table.add_column(t("tui.pick.present"), key="present", width=8)

    # ------------------------------------------------------------------ as a dialog's field

    def focus_target(self) -> Input:
        return self.query_one("#pick-query", ScanAwareInput)

    def focus_query(self) -> None:
        self.focus_target().focus()

    def is_missing(self) -> bool:
        """Nothing chosen, and no search under way that could choose someone."""
        return self.selected is None and not self.waiting

    def missing_text(self) -> str:
        query = self.query_one("#pick-query", ScanAwareInput).value.strip()
        if query and not self._found:
            return t("tui.pick.nothing_for", query=query)
        return t("tui.pick.required")

    @property
    def waiting(self) -> bool:
        """A search typed and not answered yet (it runs SEARCH_DELAY after the last key)."""
        return self._timer is not None or self._searching

    def then(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the search under way has answered."""
        self._then = callback

    # ------------------------------------------------------------------ searching

    @on(Input.Changed, "#pick-query")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self) -> None:
        self._timer = None
        query = self.query_one("#pick-query", ScanAwareInput).value.strip()
        if worth_searching(query):
            self._searching = True
            self._run_search(query)
        elif not query:
            self._show([], "")

    @work(thread=True, exclusive=True, group="pick-search", exit_on_error=False)
    def _run_search(self, query: str) -> None:
        try:
            found = self._search(query)
        except Exception as exc:  # a database hiccup must not close the dialog
            self.post_message(SearchFound(query, [], str(exc)))
            return
        self.post_message(SearchFound(query, found))

    @on(SearchFound)
    def _found_some(self, message: SearchFound) -> None:
        message.stop()
        if message.query != self.query_one("#pick-query", ScanAwareInput).value.strip():
            return  # typing went on; a newer search is coming
        self._searching = False
        self._show(message.found, message.query)
        if message.error:
            self.query_one("#pick-selected", Static).update(message.error)
        elif message.query and not message.found:
            self.query_one("#pick-selected", Static).update(
                t("tui.pick.nothing_for", query=message.query)
            )
        if self._then is not None and not self.waiting:
            then, self._then = self._then, None
            then()

    def _show(self, found: list[DelegateInfo], query: str) -> None:
        table = self.query_one("#pick-results", DataTable)
        table.clear()
        self.last_query = query
        self._found = {d.number: d for d in found}
        for d in found:
            table.add_row(
                cell(str(d.number), "right"),
                cell(d.full_name),
                cell(d.unit),
                cell(t(f"kind.{d.kind.value}")),
                cell(t(f"status.{d.status.value}")),
                cell(t("tui.pick.in_hall") if d.present else ""),
                key=str(d.number),
            )
        self._select(found[0] if found else None)

    def _select(self, delegate: DelegateInfo | None) -> None:
        self.selected = delegate
        label = who_line(delegate) if delegate else t("tui.pick.none")
        self.query_one("#pick-selected", Static).update(
            t("tui.pick.selected", who=label) if delegate else label
        )

    @on(DataTable.RowHighlighted, "#pick-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        self._select(self._found.get(int(key)) if key is not None else None)

    @on(DataTable.RowSelected, "#pick-results")
    def _chosen(self, event: DataTable.RowSelected) -> None:  # a click on a row
        event.stop()
        key = event.row_key.value
        delegate = self._found.get(int(key)) if key is not None else None
        if delegate is not None:
            self._select(delegate)
            self.post_message(DelegateChosen(delegate))

    @on(Input.Submitted, "#pick-query")
    def _query_entered(self, event: Input.Submitted) -> None:
        """Enter: a search still waiting for quiet typing runs now; the dialog goes on (the
        event goes up to it)."""
        if self._timer is not None:
            self._timer.stop()
            self._search_now()

    def on_key(self, event: events.Key) -> None:
        if event.key in LIST_KEYS and self.query_one("#pick-query").has_focus:
            event.stop()
            move_cursor(self.query_one("#pick-results", DataTable), event.key)
