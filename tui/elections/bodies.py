"""The congress's bodies: a dialog that records the members a show-of-hands vote elected to the
presidium, the secretariat, the credentials committee or the counting committee
(session/bodies.py, Store.appoint_body).

Like the election steps' forms, it stays open until the Store answers: a refusal (a name twice, a
head who is not a member) is shown in the form and nothing is written. It offers only the votes
that can elect a body: the running agenda item's announced, passed votes on the motion
`procedural_body`. Choosing a body already recorded fills in its members, to be corrected: the
new list replaces the old one, which stays in the record.

The app opens it with :func:`open_bodies_dialog` (from the command palette).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from session.agenda import MotionKind
from session.bodies import Appointment, Body, BodyBook, bodies_of, body_name, parse_names
from session.election_steps import citable_votes
from session.i18n import t
from session.votes import Vote
from tui.desk import Desk
from tui.dialog import Choice, labelled
from tui.elections.forms import MODALS, vote_label
from tui.feed import MeetingUpdate
from tui.forms import FormDialog, Send

BODY, MEMBERS, HEAD, VOTE = "body", "members", "head", "vote"


@dataclass(frozen=True, slots=True)
class BodyRequest:
    body: Body
    members: tuple[str, ...]
    head: str  # "" for none
    vote: str


class BodiesDialog(FormDialog[BodyRequest]):
    """The body (Select), its members (comma separated), an optional head, and the vote that
    elected them (Select)."""

    CSS_PATH = MODALS

    def __init__(
        self, send: Send, bodies: Sequence[Body], votes: Sequence[Vote], book: BodyBook
    ) -> None:
        super().__init__(send)
        self._bodies = list(bodies)
        self._votes = list(votes)
        self._book = book

    def title_text(self) -> str:
        return t("tui.bodies.title")

    def help_text(self) -> str:
        return t("tui.bodies.help")

    ACTION = "tui.bodies.confirm"

    def body(self) -> ComposeResult:
        choices = [(body_name(b), b.value) for b in self._bodies]
        yield labelled(
            t("tui.bodies.body"), Choice(choices, value=choices[0][1], id=BODY), required=True
        )
        yield labelled(
            t("tui.bodies.members"),
            self.text_field(MEMBERS, t("tui.bodies.members_hint")),
            required=True,
        )
        yield labelled(t("tui.bodies.head"), self.text_field(HEAD, t("tui.bodies.head_hint")))
        options = [(vote_label(v), v.id) for v in self._votes]
        yield labelled(
            t("tui.bodies.vote"), Choice(options, value=options[0][1], id=VOTE), required=True
        )

    def on_mount(self) -> None:
        self._fill(self._bodies[0])

    def first_field(self) -> Any:
        return self.query_one(f"#{MEMBERS}")

    @on(Choice.Changed, f"#{BODY}")
    def _body_chosen(self, event: Choice.Changed) -> None:
        event.stop()
        self._fill(Body(str(event.value)))

    def _fill(self, body: Body) -> None:
        """The body's members now (to correct), or empty fields for a body not yet recorded."""
        current: Appointment | None = self._book.current(body)
        head = current.head if current is not None else None
        members = ", ".join(m.name for m in current.members) if current is not None else ""
        self.query_one(f"#{MEMBERS}", Input).value = members
        self.query_one(f"#{HEAD}", Input).value = head.name if head is not None else ""

    def request(self) -> BodyRequest | None:
        body = Body(self.query_one(f"#{BODY}", Choice).chosen or self._bodies[0].value)
        members = parse_names(self.value(MEMBERS))
        if not members:
            self.fail(t("bodies.error.no_members", body=body_name(body)))
            return None
        vote = self.query_one(f"#{VOTE}", Choice).chosen or ""
        return BodyRequest(body, members, self.value(HEAD), vote)


def citable(meeting: MeetingUpdate | None) -> tuple[Vote, ...]:
    """The running item's announced, passed votes on the congress's bodies, newest first."""
    item = meeting.agenda.current if meeting is not None else None
    if meeting is None or item is None:
        return ()
    return citable_votes(meeting.book, meeting.elections, item, MotionKind.PROCEDURAL_BODY)


def open_bodies_dialog(desk: Desk, push: Callable[[Screen[Any]], Any]) -> None:
    """Read the bodies recorded so far (on the write queue, like every Store call), then open
    the dialog; or say why not, when the running item has no vote that could elect a body."""
    votes = citable(desk.meeting)
    if not votes:
        desk.say(t("tui.bodies.no_vote"), "yellow", bells=2)
        return
    store = desk.store
    allowed = bodies_of(desk.congress.type)

    def send(request: BodyRequest, dialog: FormDialog[Any]) -> None:
        def finished(done: Appointment) -> None:
            dialog.accepted(done)
            desk.say(t("tui.bodies.done", body=body_name(done.body), count=len(done.members)),
                     "green", bells=1)  # fmt: skip

        desk.write(
            lambda: store.appoint_body(request.body, request.members, request.vote, request.head),
            done=finished,
            failed=dialog.refused,
        )

    desk.write(store.bodies, done=lambda book: push(BodiesDialog(send, allowed, votes, book)))
