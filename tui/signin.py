"""The first screen of a terminal whose role has a passphrase: who you are, and the passphrase.

Nothing else of the app exists until the app accepts it (no scan is taken, no key does anything
but quit). The app checks the passphrase in a worker (scrypt takes a moment) and answers with
:meth:`SignInScreen.refused` or by replacing this screen with the role's own. A teller also says
which hall sector they count.

The wait after wrong passphrases is the database's (db/roles.py: each wrong one is logged at this
terminal), so a restarted terminal still waits; the screen only counts it down. A card scanned
while this screen is up (a scanner is a keyboard: 36 digits and Enter into the focused field) is
taken out of the field and never checked as a passphrase (:class:`SignInField`).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static

from session.i18n import t
from session.roles import Role, SignInWait
from session.scanner import BurstDetector
from tui.scan_capture import strip_code
from tui.widgets.redraw import Footer
from tui.widgets.scan_input import ENTER_KEYS


def signed_in_as(role: Role, station: str) -> str:
    """The role, and the station where it names one ("door · main entrance"; a teller started
    without --station has only its role's name)."""
    name = t(f"roles.name.{role.value}")
    named = station != role.value
    return t("roles.signin.at_station", role=name, station=station) if named else name


@dataclass
class Attempts:
    """When the next passphrase may be checked, as the database last said (kept by the app: a
    new sign-in screen, at a hand-over, counts down the same wait)."""

    retry_at: float = 0.0  # time.monotonic()


class CardScanned(Message):
    """A card code was scanned into a sign-in field, and taken out of it."""


class SignInField(Input):
    """A sign-in field that a card scan does not stay in: a scanner's burst of digits ending in
    Enter (the burst detection of tui/scan_capture.py) is cut off the field, and the Enter goes
    no further: the name is not taken, the passphrase not checked (a scan is not a wrong
    passphrase to wait for)."""

    def __init__(
        self, value: str = "", *, id: str, max_length: int, password: bool = False
    ) -> None:
        super().__init__(value, id=id, password=password, max_length=max_length)
        self._burst = BurstDetector()

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ENTER_KEYS:
            if self._burst.enter(event.time) is not None:
                event.stop()
                event.prevent_default()
                strip_code(self)
                self.post_message(CardScanned())
                return
        elif event.is_printable and event.character:
            self._burst.key(event.character, event.time)
        else:
            self._burst.other(event.time)
        await super()._on_key(event)


class SignInRequested(Message):
    """What was typed, to be checked (the screen's own; a test may post it to try the wait)."""

    def __init__(self, person: str, passphrase: str, sector: str | None) -> None:
        super().__init__()
        self.person = person
        self.passphrase = passphrase
        self.sector = sector


class SignInChecked(Message):
    """The passphrase check's answer (`error`: it could not be checked)."""

    def __init__(
        self,
        ok: bool,
        person: str,
        sector: str | None,
        error: str = "",
        wait: SignInWait | None = None,
    ) -> None:
        super().__init__()
        self.ok = ok
        self.person = person
        self.sector = sector
        self.error = error
        self.wait = wait  # the database says: wait this long before the next attempt


class SignedIn(Message):
    """The passphrase was right: `person` works here now (in `sector`, a teller's)."""

    def __init__(self, person: str, sector: str | None) -> None:
        super().__init__()
        self.person = person
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
        *,
        check: Callable[[str], bool],
        attempts: Attempts,
    ) -> None:
        super().__init__(id="signin")
        self._check = check  # is this the role's passphrase? (the Store's answer; may raise)
        self.attempts = attempts
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
            yield SignInField(self._person, id="signin-person", max_length=80)
            # The passphrase comes right after the name, as at every terminal: typed after
            # Tab, it lands in its own hidden field, never in the sector's list.
            yield Label(t("roles.signin.passphrase"))
            yield SignInField(id="signin-passphrase", password=True, max_length=200)
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

    @on(CardScanned)
    def _card_scanned(self, message: CardScanned) -> None:
        message.stop()
        self.app.bell()
        self._say(t("roles.signin.scanned"))

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
        """Check what was typed (said here when something is missing)."""
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

    @on(SignInRequested)
    def _requested(self, message: SignInRequested) -> None:
        message.stop()
        wait = self.attempts.retry_at - time.monotonic()
        if wait > 0:  # (the screen waits too; this holds even when it is bypassed)
            self.refused(t("roles.signin.too_soon"), wait)
            return
        self._check_worker(message.person, message.passphrase, message.sector)

    @work(thread=True, group="signin", exclusive=True, exit_on_error=False)
    def _check_worker(self, person: str, passphrase: str, sector: str | None) -> None:
        try:
            ok = self._check(passphrase)
        except SignInWait as wait:
            self.post_message(SignInChecked(False, person, sector, wait=wait))
            return
        except Exception as exc:  # no database: say so, let them try again
            detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
            error = t("roles.signin.no_db", detail=detail)
            self.post_message(SignInChecked(False, person, sector, error))
            return
        self.post_message(SignInChecked(ok, person, sector))

    @on(SignInChecked)
    def _checked(self, message: SignInChecked) -> None:
        message.stop()
        if message.error:
            self.refused(message.error)
            return
        if message.wait is not None:
            wait = message.wait.seconds
            self.attempts.retry_at = time.monotonic() + wait
            self.refused(t("roles.signin.wrong" if message.wait.wrong else "roles.signin.too_soon"),
                         wait)  # fmt: skip
            return
        if not message.ok:
            self.refused(t("roles.signin.wrong"))
            return
        self.post_message(SignedIn(message.person, message.sector))

    def _sector(self) -> str | None:
        if not self._sectors:
            return None
        value = self.query_one("#signin-sector", Select).value
        return value if isinstance(value, str) else None

    def _say(self, text: str, *, error: bool = True) -> None:
        message = self.query_one("#signin-message", Static)
        message.update(text)
        message.set_class(error, "-refused")

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
