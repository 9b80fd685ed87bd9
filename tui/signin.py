"""The first screen of a terminal whose role has a passphrase: who you are, and the passphrase.

Nothing else of the app exists until the app accepts it (no scan is taken, no key does anything
but quit). The app checks the passphrase in a worker (scrypt takes a moment) and answers with
:meth:`SignInScreen.refused` or by replacing this screen with the role's own. A teller also says
which hall sector they count.
"""

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static

from session.i18n import t
from session.roles import Role
from tui.widgets.redraw import Footer


def signed_in_as(role: Role, station: str) -> str:
    """The role, and the station where it names one ("door · main entrance"; a teller started
    without --station has only its role's name)."""
    name = t(f"roles.name.{role.value}")
    named = station != role.value
    return t("roles.signin.at_station", role=name, station=station) if named else name


class SignInRequested(Message):
    def __init__(self, person: str, passphrase: str, sector: str | None) -> None:
        super().__init__()
        self.person = person
        self.passphrase = passphrase
        self.sector = sector


class SignInScreen(Screen[None]):
    CSS_PATH = "signin.tcss"

    def __init__(
        self,
        congress: str,
        role: Role,
        station: str,
        person: str = "",
        sectors: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(id="signin")
        self.congress = congress
        self.role = role
        self.station = station
        self._person = person
        self._sectors = sectors or []
        self._wait: Timer | None = None
        self._checking = False  # a passphrase is being checked: the answer comes to refused()
        self._left = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="signin-box"):
            yield Static(t("roles.signin.title", congress=self.congress), markup=False,
                         id="signin-title")  # fmt: skip
            yield Static(
                t("roles.signin.role", role=signed_in_as(self.role, self.station)),
                markup=False,
                id="signin-role",
            )
            yield Label(t("roles.signin.person"))
            yield Input(self._person, id="signin-person", max_length=80)
            # The passphrase comes right after the name, as at every terminal: typed after
            # Tab, it lands in its own hidden field, never in the sector's list.
            yield Label(t("roles.signin.passphrase"))
            yield Input(id="signin-passphrase", password=True, max_length=200)
            if self._sectors:
                yield Label(t("roles.signin.sector"))
                yield Select[str](
                    self._sectors, id="signin-sector", prompt=t("roles.signin.sector")
                )
            yield Static(markup=False, id="signin-message")
            yield Static(t("roles.signin.hint"), markup=False, id="signin-hint")
        yield Footer()

    def on_mount(self) -> None:
        field = "#signin-passphrase" if self._person else "#signin-person"
        self.query_one(field, Input).focus()

    @on(Input.Submitted, "#signin-person")
    def _person_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#signin-passphrase", Input).focus()

    @on(Input.Submitted, "#signin-passphrase")
    def _passphrase_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    @on(Select.Changed, "#signin-sector")
    def _sector_chosen(self, event: Select.Changed) -> None:
        """The sector chosen last in its list (Enter) signs in when the rest is typed."""
        event.stop()
        if not event.select.has_focus_within:  # set by a program, not chosen by the person here
            return
        person = self.query_one("#signin-person", Input).value.strip()
        passphrase = self.query_one("#signin-passphrase", Input).value
        if person and passphrase and self._sector() is not None:
            self.submit()

    def submit(self) -> None:
        """Ask the app to check what was typed (said here when something is missing)."""
        if self._checking:  # Enter pressed again while the first is checked: one sign-in
            return
        if self._wait is not None:  # still waiting after wrong passphrases: nothing is checked
            field = self.query_one("#signin-passphrase", Input)
            field.value = ""
            field.focus()
            self.app.bell()
            self._say(t("roles.signin.still_waiting", seconds=self._left))
            return
        person = self.query_one("#signin-person", Input).value.strip()
        passphrase = self.query_one("#signin-passphrase", Input).value
        sector = self._sector()
        if not person:
            self._say(t("roles.signin.need_person"))
            self.query_one("#signin-person", Input).focus()
        elif self._sectors and sector is None:
            self._say(t("roles.signin.need_sector"))
            self.query_one("#signin-sector").focus()
        elif not passphrase:
            self._say(t("roles.signin.need_passphrase"))
        else:
            self._say(t("roles.signin.checking"), error=False)
            self._checking = True
            self.post_message(SignInRequested(person, passphrase, sector))

    def _sector(self) -> str | None:
        if not self._sectors:
            return None
        value = self.query_one("#signin-sector", Select).value
        return value if isinstance(value, str) else None

    def _say(self, text: str, *, error: bool = True) -> None:
        message = self.query_one("#signin-message", Static)
        message.update(text)
        message.set_class(error, "-refused")

    # ------------------------------------------------------------------ what the app calls

    def refused(self, text: str, wait: float = 0.0) -> None:
        """A wrong passphrase (or no database): say so; after repeated failures, make them wait.

        The cursor stays in the passphrase field, which stays enabled (a disabled field would
        send the focus, and the next passphrase typed, to the name field): what is typed during
        the wait stays hidden there and is refused with the time left."""
        self._checking = False
        self.app.bell()
        field = self.query_one("#signin-passphrase", Input)
        field.value = ""
        field.focus()
        self._say(text)
        if wait <= 0:
            return
        self._left = int(wait + 0.999)
        self._say(t("roles.signin.wait", text=text, seconds=self._left))
        self._wait = self.set_interval(1.0, lambda: self._count_down(text))

    def _count_down(self, text: str) -> None:
        self._left -= 1
        if self._left > 0:
            self._say(t("roles.signin.wait", text=text, seconds=self._left))
            return
        if self._wait is not None:
            self._wait.stop()
            self._wait = None
        self._say(t("roles.signin.again"))

    @property
    def message(self) -> str:
        return str(self.query_one("#signin-message", Static).content)
