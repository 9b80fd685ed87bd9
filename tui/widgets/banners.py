"""The full-width banners: the station's mode, and the result of the last scan."""

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from session.i18n import t
from session.rollcall import Mode
from tui.view import ResultView
from tui.widgets.redraw import show

COLOURS = ("green", "yellow", "red", "info", "ready")


class ModeBanner(Static):
    """ENTRY / EXIT / VOTING CHECK at this station, in the mode's colour."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def show(self, mode: Mode, station: str) -> None:
        for m in Mode:
            self.set_class(m is mode, f"-{m.value}")
        self.update(t("tui.mode.banner", mode=t(f"mode.{mode.value}"), station=station))


class ResultBanner(Vertical):
    """What the last scan said: colour, reason, who, where; back to 'ready' after a few seconds."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="result-top"):
            yield Static(markup=False, id="result-headline")
            yield Static(markup=False, id="result-time")
        yield Static(markup=False, id="result-who")
        yield Static(markup=False, id="result-detail")

    def show(self, view: ResultView) -> None:
        for colour in COLOURS:
            self.set_class(colour == view.colour, f"-{colour}")
        for part, text in (
            ("headline", view.headline),
            ("time", view.time),
            ("who", view.who),
            ("detail", view.detail),
        ):
            show(self.query_one(f"#result-{part}", Static), text)

    @property
    def text(self) -> str:
        """Everything the banner says, for tests and for the log."""
        parts = [
            str(self.query_one(f"#result-{p}", Static).content)
            for p in ("headline", "time", "who", "detail")
        ]
        return "\n".join(p for p in parts if p)
