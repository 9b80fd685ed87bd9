"""The command palette's commands: what the footer offers on the screen it was opened on.

The operator's desk: the app's keys where they work on that screen, the screen's own keys, the
congress's bodies, the theme. A role terminal: only what the role may (tui/role_keys.py).
"""

from collections.abc import Iterable
from typing import Any, Protocol

from textual.app import SystemCommand
from textual.screen import Screen

from session.i18n import t
from session.roles import Role
from tui.desk import Desk
from tui.elections.counting import CountingScreen
from tui.keys import (
    AGENDA_KEYS,
    BOX_KEYS,
    COUNTING_KEYS,
    ELECTION_KEYS,
    OPERATOR_KEYS,
    ROLLCALL_ACTIONS,
    ROLLCALL_SCREEN_ACTIONS,
    SPEAKERS_KEYS,
    VOTE_KEYS,
    OperatorKey,
)
from tui.role_keys import RoleKeys
from tui.speakers import SpeakersScreen
from tui.stations.counting_room import CountingStation
from tui.stations.teller import TellerScreen

# The screen switches not offered on the screen they switch to.
SWITCHES = {
    "agenda": "agenda_screen",
    "vote": "vote_screen",
    "elections": "election_screen",
    "speakers": "speakers_screen",
}


class PaletteHost(Protocol):
    desk: Desk
    role: Role
    offered: RoleKeys
    rollcall: Screen[Any]
    agenda_screen: Screen[Any]
    vote_screen: Screen[Any]
    election_screen: Screen[Any]
    speakers_screen: Screen[Any]

    def may(self, action: str) -> bool: ...

    def action_bodies(self) -> None: ...

    def action_change_theme(self) -> None: ...


def commands(app: PaletteHost, screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Every action of the screen the palette was opened on (what its footer shows), and the
    app's keys where they work; the theme last."""
    if app.role is not Role.OPERATOR or not app.desk.signed_in:
        yield from role_commands(app, screen)
        return
    meeting = (app.agenda_screen, app.vote_screen, app.election_screen, app.speakers_screen)
    operator = screen is app.rollcall or screen in meeting
    for k in OPERATOR_KEYS:
        if k.action == "command_palette" or (not operator and k.action != "quit"):
            continue
        if not app.may(k.action):  # (hand_over: a role terminal's)
            continue
        if k.action in ROLLCALL_ACTIONS and screen is not app.rollcall:
            continue
        if k.action in ROLLCALL_SCREEN_ACTIONS:  # (the roll call's own)
            yield SystemCommand(k.title, k.help, getattr(screen, f"action_{k.action}"))
            continue
        if k.action in SWITCHES and screen is getattr(app, SWITCHES[k.action]):
            continue
        yield SystemCommand(k.title, k.help, getattr(app, f"action_{k.action}"))
    yield from screen_commands(screen, screen_keys(app, screen))
    if operator:  # the congress's bodies (presidium, secretariat...): no key of their own
        yield SystemCommand(
            t("tui.command.bodies.title"), t("tui.command.bodies.help"), app.action_bodies
        )
    yield theme(app)


def theme(app: PaletteHost) -> SystemCommand:
    return SystemCommand(
        t("tui.command.theme.title"), t("tui.command.theme.help"), app.action_change_theme
    )


def screen_keys(app: PaletteHost, screen: Screen[Any]) -> tuple[OperatorKey, ...]:
    if screen is app.agenda_screen:
        return AGENDA_KEYS
    if screen is app.vote_screen:
        return VOTE_KEYS
    if screen is app.election_screen:
        return ELECTION_KEYS
    if screen is app.speakers_screen:
        return SPEAKERS_KEYS
    return COUNTING_KEYS if isinstance(screen, CountingScreen) else ()


SCOPES: dict[str, tuple[OperatorKey, ...]] = {
    "vote": VOTE_KEYS,
    "box": BOX_KEYS,
    "counting": COUNTING_KEYS,
    "speakers": SPEAKERS_KEYS,
}


def role_commands(app: PaletteHost, screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Only what the role may: its app keys, then its screen's own keys."""
    scopes: tuple[str, ...] = ()
    if isinstance(screen, TellerScreen):
        scopes = ("vote", "box")
    elif isinstance(screen, CountingStation):
        scopes = ("counting",)
    elif isinstance(screen, SpeakersScreen):
        scopes = ("speakers",)
    for k in OPERATOR_KEYS:
        if k.action != "command_palette" and app.may(k.action):
            yield SystemCommand(k.title, k.help, getattr(app, f"action_{k.action}"))
    seen: set[str] = set()
    for scope in scopes:
        for k in SCOPES[scope]:
            if k.action in seen or screen.check_action(k.action, ()) is False:
                continue  # a box step without a round at the boxes, say: hidden as its key
            if app.offered.may(f"{scope}.{k.action}"):
                seen.add(k.action)
                yield SystemCommand(k.title, k.help, getattr(screen, f"action_{k.action}"))
    yield theme(app)


def screen_commands(screen: Screen[Any], keys: tuple[OperatorKey, ...]) -> Iterable[SystemCommand]:
    """A screen's own keys as palette commands, each once, without those it hides now."""
    seen: set[str] = set()
    for k in keys:
        if k.action in seen or screen.check_action(k.action, ()) is False:
            continue
        seen.add(k.action)
        yield SystemCommand(k.title, k.help, getattr(screen, f"action_{k.action}"))
