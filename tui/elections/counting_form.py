"""The START_COUNTING step's form: the teams and how they count (StepForm's fields and choice),
and which team, if any, is the ballot reader (a scanner, issue 14).

The reader is chosen among the teams as typed: "none" (every team counts by hand), then the teams
from the last named to the first, so that ↓ on the choice takes the second of two teams (the
hand team first, the machine beside it). The choice follows the teams field as it is edited.
"""

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from session.i18n import t
from tui.dialog import Choice, labelled
from tui.elections.forms import FormProblem, StepForm

READER = "reader"
NO_READER = "none"
TEAMS = "teams"


def team_names(text: str) -> list[str]:
    """The teams as typed in the teams field: comma-separated names."""
    return [n.strip() for n in text.split(",") if n.strip()]


def reader_options(text: str) -> list[tuple[str, str]]:
    """The reader choice for the teams typed: none, then each team by its position ("1", "2"),
    the last named first."""
    names = team_names(text)
    teams = [(t("tui.reading.start.team", team=name), str(i)) for i, name in enumerate(names, 1)]
    return [(t("tui.reading.start.none"), NO_READER), *reversed(teams)]


def chosen_reader(values: dict[str, str], teams: Sequence[str]) -> str | None:
    """The reader team's name from the form's values, None when no machine reads."""
    chosen = values.get(READER, NO_READER) or NO_READER
    if chosen == NO_READER:
        return None
    position = int(chosen)
    if not 1 <= position <= len(teams):
        raise FormProblem(t("tui.reading.start.no_team", number=position))
    return teams[position - 1]


class CountingForm(StepForm):
    """StepForm with the reader's choice after its fields (Tab reaches it; ↓ or Space opens
    it; Enter records the step from it as from any field)."""

    def body(self) -> ComposeResult:
        yield from super().body()
        typed = next((f.value for f in self._fields if f.id == TEAMS), "")
        self._readers = reader_options(typed)  # the reader's options as shown
        yield labelled(
            t("tui.reading.start.reader"),
            Choice(self._readers, value=NO_READER, id=READER),
            required=True,
        )

    @on(Input.Changed, f"#{TEAMS}")
    def _teams_changed(self, event: Input.Changed) -> None:
        """The reader's choice names the teams as typed (kept when that team is still there)."""
        choice = self.query_one(f"#{READER}", Choice)
        before = choice.chosen or NO_READER
        options = reader_options(event.value)
        if options == self._readers:
            return
        self._readers = options
        choice.set_options(options)
        choice.value = before if before in {v for _, v in options} else NO_READER

    def request(self) -> dict[str, str]:
        values = super().request()
        values[READER] = self.query_one(f"#{READER}", Choice).chosen or NO_READER
        return values
