"""Which of the app's keys and palette commands each role's terminal offers.

Actions are named "<scope>.<action>": the app's own (app.help, app.cycle_mode...), the vote
screen's (vote.count...), the teller's box panel's (box.seal_box...), the counting screen's
(counting.invalid...) and the lists of speakers' (speakers.call...). This is the screens' side
of a role; what a role may *record* is session.roles' (the Store refuses any other event kind,
whatever a screen offers).
"""

from dataclasses import dataclass

from session.roles import TELLER_BOX_STEPS, Role
from tui.keys import SPEAKERS_KEYS

ALWAYS = frozenset({"app.help", "app.quit", "app.command_palette"})
# A terminal whose person signs in can be handed over to the next (a change of shift).
SIGNED = ALWAYS | {"app.hand_over"}

# None: every action (the operator's terminal).
ACTIONS: dict[Role, frozenset[str] | None] = {
    Role.OPERATOR: None,
    Role.DOOR: SIGNED | {"app.cycle_mode"},
    # Opening, recounting, announcing and correcting a vote are the presidium's decisions; so
    # are an election's steps beyond the box.
    Role.TELLER: SIGNED
    | {"vote.count", "vote.unanimous"}
    | {f"box.{a.value}" for a in TELLER_BOX_STEPS},
    # Boxes counted, tallies and signing the minutes stay on the election screen.
    Role.COUNTING: SIGNED
    | {
        "counting.toggle_mode",
        "counting.invalid",
        "counting.correct",
        "counting.next_team",
        "counting.next_box",
        "counting.accept_batch",
        "counting.void",
        "counting.decide_readings",
    },
    Role.DISPLAY: frozenset({"app.help", "app.quit"}),
    # The lists of speakers and nothing else: the agenda, the votes and the roll call are the
    # operator's.
    Role.SPEAKERS: SIGNED | {f"speakers.{k.action}" for k in SPEAKERS_KEYS if k.action != "close"},
}


@dataclass(frozen=True, slots=True)
class RoleKeys:
    role: Role
    actions: frozenset[str] | None  # None: every action

    def may(self, action: str) -> bool:
        return self.actions is None or action in self.actions


def role_keys(role: Role) -> RoleKeys:
    return RoleKeys(role, ACTIONS[role])
