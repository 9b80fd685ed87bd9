"""The teller's terminal: the vote screen of one hall sector, and the ballot boxes' steps.

It is the operator's vote screen with every action outside the role's rights switched off (hidden
from the footer and refused): the teller's sector's counts and "all in favour". It adds the current
election round's ballot boxes, with keys for the steps a teller does at a box; they open the
election screen's own forms (:class:`tui.elections.step_forms.BoxSteps`).
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingsMap, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from session import elections as el
from session.election_steps import Action, NextAction
from session.i18n import t
from session.roles import box_election, box_steps
from session.votes import Vote
from tui.desk import Desk
from tui.elections.step_forms import BoxSteps
from tui.elections.view import BOX_COLUMNS, box_row
from tui.feed import MeetingUpdate
from tui.keys import BOX_KEYS, VOTE_KEYS
from tui.meeting_view import Numbers, vote_numbers
from tui.role_keys import RoleKeys
from tui.station_feed import StationUpdate
from tui.stations.terminal import ConnectionBanner, StationReady
from tui.view import READY, ResultView
from tui.vote import VoteScreen
from tui.widgets.meeting import Notice
from tui.widgets.redraw import show
from tui.widgets.sectors import SectorGrid
from tui.widgets.tables import FitColumn, FitTable, cell

BOX_ACTIONS = frozenset(k.action for k in BOX_KEYS)
# The status board's columns, in elections.view.box_row's order, with their widths.
BOX_WIDTHS = {"box": 6, "status": 20, "issued": 8, "returned": 8, "counted": 9, "kind": 14}
BOX_FIT: tuple[FitColumn, ...] = (("status", 12, 2), ("kind", 8, 1), ("sealed", 10, 3))


def box_keys_last(bindings: BindingsMap) -> BindingsMap:
    """`bindings` with the box keys after the vote's, in the order of a box's life (F6 and F8
    would otherwise keep the places the vote screen gave them)."""
    found = bindings.key_to_bindings
    box = [k.key for k in BOX_KEYS]
    vote = {key: b for key, b in found.items() if key not in box}
    return BindingsMap.from_keys(vote | {key: found[key] for key in box if key in found})


class TellerScreen(VoteScreen):
    """The vote screen of a teller: their sector's counts and "all in favour", and the steps of
    the current election round's ballot boxes; nothing else."""

    # (Textual reads CSS_PATH next to the class's own module: the vote screen's, from here.)
    CSS_PATH = "../vote.tcss"
    ACTIONS: ClassVar[frozenset[str]] = frozenset(k.action for k in VOTE_KEYS)
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in BOX_KEYS]

    def __init__(self, desk: Desk, keys: RoleKeys, sector: str) -> None:
        super().__init__(desk)
        self._bindings = box_keys_last(self._bindings)
        self.allowed = keys
        self.sector = sector
        self.box_election: el.Election | None = None  # whose round is at the boxes
        self._box_ids: tuple[str, ...] = ()  # the box list's rows, in order
        self.forms = BoxSteps(desk, lambda *screen: self.app.push_screen(*screen))
        self.people: Mapping[str, str] = {}  # the counting committees' ids and names

    def compose(self) -> ComposeResult:
        yield ConnectionBanner(id="connection")
        yield Static(
            t("roles.teller.heading", sector=self.names.get(self.sector, self.sector)),
            markup=False,
            id="teller-heading",
            classes="role-heading",
        )
        for widget in super().compose():
            yield widget
            if isinstance(widget, SectorGrid):  # the boxes next to the sectors (Tab reaches them)
                yield Vertical(
                    Static(markup=False, id="teller-boxes-heading"),
                    FitTable(BOX_FIT, id="teller-boxes-table"),
                    id="teller-boxes",
                )

    def on_mount(self) -> None:
        # Runs before VoteScreen's own on_mount (Textual calls each class's handler), which
        # draws what was read: the box list's columns must be there by then.
        self.call_after_refresh(self.query_one(SectorGrid).select, self.sector)
        self.query_one(Notice).update("")  # the operator's "cards are taken here" is not true here
        self.query_one("#teller-boxes").border_title = t("roles.teller.boxes.title")
        table = self.query_one("#teller-boxes-table", FitTable)
        for key in BOX_COLUMNS:
            table.add_column(t(f"tui.election.col.{key}"), key=key, width=BOX_WIDTHS.get(key))
        self.post_message(StationReady())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in BOX_ACTIONS:
            return self._box_key(Action(action))
        if action in self.ACTIONS and not self.allowed.may(f"vote.{action}"):
            return False
        return super().check_action(action, parameters)

    def action_count(self) -> None:
        """Always the teller's own sector, whichever box the cursor is on."""
        if not self.allowed.may("vote.count"):
            return
        self.query_one(SectorGrid).select(self.sector)
        super().action_count()

    def numbers(self, vote: Vote) -> Numbers:
        """The vote as the operator sees it, but those present are the teller's sector's (as
        the register seats them) when the register gives sectors."""
        numbers = vote_numbers(vote)
        in_sector = vote.snapshot.in_sector(self.sector) if vote.snapshot is not None else None
        label = self.query_one("#present-label", Static)
        if in_sector is None:
            show(label, t("tui.vote.present"))
            return numbers
        here = t("roles.teller.present_sector", sector=self.sector)
        show(label, here)
        return replace(numbers, present=str(in_sector), present_label=here)

    def _no_vote_text(self) -> str:
        """The operator's hint names keys a teller does not have."""
        return t("roles.teller.no_vote")

    def action_unanimous(self) -> None:
        if self.allowed.may("vote.unanimous"):
            super().action_unanimous()

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        super().show_meeting(meeting)
        if meeting is not None:
            self.people = meeting.people
        if meeting is not None and self.ready:
            self._draw_boxes(box_election(meeting.elections, meeting.agenda.current))

    def show_result(self, view: ResultView) -> None:
        self.show_notice(view)
        if view.colour == READY:
            self.query_one(Notice).update("")

    def show_feed(self, update: StationUpdate) -> None:
        """A teller counts hands, not cards: the vote's frozen figures are what matter."""

    def show_connected(self, connected: bool) -> None:
        self.query_one(ConnectionBanner).show(connected)

    # ------------------------------------------------------------------ the ballot boxes

    def _draw_boxes(self, e: el.Election | None) -> None:
        """The round's boxes, the cursor kept on the box it was on."""
        chosen = self._chosen_id()
        self.box_election = e
        table = self.query_one("#teller-boxes-table", DataTable)
        heading = self.query_one("#teller-boxes-heading", Static)
        table.display = e is not None
        if e is None:
            heading.update(t("roles.teller.boxes.none"))
            boxes: tuple[el.Box, ...] = ()
        else:
            r = e.current
            status = t(f"election.round_status.{r.status.value}")
            heading.update(
                t("roles.teller.boxes.heading", title=e.title, round=r.number, status=status)
            )
            boxes = r.boxes
        self._box_ids = tuple(b.id for b in boxes)
        table.clear()
        for b in boxes:
            row = box_row(b, self.congress.zone, self.people)
            table.add_row(*(cell(x) for x in row), key=b.id)
        if chosen in self._box_ids:
            table.move_cursor(row=self._box_ids.index(chosen))
        self.refresh_bindings()

    def _chosen_id(self) -> str | None:
        if not self._box_ids:
            return None
        row = self.query_one("#teller-boxes-table", DataTable).cursor_row
        return self._box_ids[min(max(row, 0), len(self._box_ids) - 1)]

    def chosen_box(self) -> el.Box | None:
        """The box under the list's cursor: the box steps act on it."""
        chosen, e = self._chosen_id(), self.box_election
        return e.current.box(chosen) if e is not None and chosen is not None else None

    @on(DataTable.RowHighlighted, "#teller-boxes-table")
    def _box_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.refresh_bindings()  # another box: other steps apply

    def _box_key(self, action: Action) -> bool | None:
        """Hidden without the right or a round at the boxes; dimmed while the chosen box is not
        ready for the step."""
        e = self.box_election
        if not self.allowed.may(f"box.{action.value}") or e is None or not self.ready:
            return False
        return True if action in box_steps(e.current, self.chosen_box()) else None

    def _box_step(self, action: Action) -> None:
        """The election screen's form for `action` on the chosen box (a new one to prepare)."""
        e = self.box_election
        if e is None or not self._box_key(action):
            return
        box = self.chosen_box() if action is not Action.PREPARE_BOX else None
        step = NextAction(action, e.current.number, box.id if box else None)
        getattr(self.forms, action.value)(e, step)  # the step's own form (tui.elections.step_forms)

    def action_prepare_box(self) -> None:
        self._box_step(Action.PREPARE_BOX)

    def action_seal_box(self) -> None:
        self._box_step(Action.SEAL_BOX)

    def action_issue_ballots(self) -> None:
        self._box_step(Action.ISSUE_BALLOTS)

    def action_close_box(self) -> None:
        self._box_step(Action.CLOSE_BOX)

    def action_open_box(self) -> None:
        self._box_step(Action.OPEN_BOX)
