"""A bare Textual app that only echoes what is typed: bench/echo.py's yardstick.

    uv run python bench/echo_app.py

One line shows the characters typed since the last Enter, the next what was typed before the
last Enter ("entered: ..."); nothing else is on the screen and nothing happens on a timer, so
every change of the screen is the answer to a key. bench/echo.py runs it in tmux beside the real
Presidium app and times both the same way.
"""

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

READY = "ready"


class EchoApp(App[None]):
    """Echo the keys typed; on Enter, show the line entered."""

    CSS = "Static { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self.typed = ""
        self.entered = READY

    def compose(self) -> ComposeResult:
        yield Static(self.text(), id="echo", markup=False)

    def text(self) -> str:
        return f"typed: {self.typed}\nentered: {self.entered}"

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self.entered, self.typed = self.typed, ""
        elif event.is_printable and event.character:
            self.typed += event.character
        else:
            return
        event.stop()
        self.query_one("#echo", Static).update(self.text())


if __name__ == "__main__":
    EchoApp().run()
