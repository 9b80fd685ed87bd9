"""Which home screen a role's terminal gets, and what a teller chooses when signing in."""

from session.congress import Congress
from session.roles import Role
from session.rollcall import Mode
from session.votes import HALL
from tui.desk import Desk
from tui.role_keys import RoleKeys
from tui.stations.counting_room import CountingDesk
from tui.stations.display import DisplayScreen
from tui.stations.door import DoorScreen
from tui.stations.speakers_desk import SpeakersDesk
from tui.stations.teller import TellerScreen

# A role's only screen (the operator has the roll call and the screens over it instead).
HomeScreen = DoorScreen | TellerScreen | CountingDesk | DisplayScreen | SpeakersDesk


def make_home(
    desk: Desk, offered: RoleKeys, mode: Mode, sector: str | None, election: str | None
) -> HomeScreen:
    """The home screen of the desk's role (not the operator's): a door starts in `mode`, a
    teller in `sector` (else the first), the counting room on `election` (else the one at hand)."""
    congress = desk.congress
    match desk.role:
        case Role.DOOR:
            return DoorScreen(congress, desk.station, desk.store.clock, mode)
        case Role.TELLER:
            codes = [s.code for s in congress.sectors]
            return TellerScreen(desk, offered, sector or (codes or [HALL])[0])
        case Role.COUNTING:
            return CountingDesk(desk, offered, election)
        case Role.SPEAKERS:
            return SpeakersDesk(desk, offered)
        case _:
            return DisplayScreen(congress, desk.store.clock)


def sector_choices(congress: Congress, role: Role, sector: str | None) -> list[tuple[str, str]]:
    """A teller who was not given a sector picks one when signing in."""
    if role is not Role.TELLER or sector is not None:
        return []
    return [(f"{s.code} · {s.name}", s.code) for s in congress.sectors]
