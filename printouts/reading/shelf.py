"""The blanks a reading knows, found by the code a ballot carries: each approved round's blank
is drawn the first time one of its ballots is seen (drawing one takes a fraction of a second),
and a code whose digest differs from what the round prints now is not that round's ballot."""

from collections.abc import Callable
from dataclasses import dataclass, field

from printouts.reading.template import Template, template_for
from session.ballot_reading import parse_code
from session.ballots import ElectionError
from session.congress import Congress
from session.elections import Election


@dataclass
class Templates:
    """`elections` finds an election by its id (None: unknown)."""

    congress: Congress
    elections: Callable[[str], Election | None]
    _made: dict[tuple[str, int], Template | None] = field(default_factory=dict)

    def get(self, code: str) -> Template | None:
        parsed = parse_code(code)
        if parsed is None:
            return None
        template = self.get_round(parsed[0], parsed[1])
        return template if template is not None and template.geometry.code == code else None

    def expected(self) -> Template | None:
        """The first blank drawn (the ballots of one file are usually one round's)."""
        return next((t for t in self._made.values() if t is not None), None)

    def get_round(self, election_id: str, round_no: int) -> Template | None:
        key = (election_id, round_no)
        if key not in self._made:
            self._made[key] = self._draw(election_id, round_no)
        return self._made[key]

    def _draw(self, election_id: str, round_no: int) -> Template | None:
        election = self.elections(election_id)
        if election is None:
            return None
        try:
            return template_for(self.congress, election, round_no)
        except (ElectionError, KeyError, IndexError, ValueError):
            return None  # no such round, or its list is not approved: no ballot of it exists
