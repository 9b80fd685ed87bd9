"""Messages between the thread workers that talk to the Store and the widgets that show results.

Workers never touch widgets: they post one of these, and the app's handlers (on the UI thread)
update the screen.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.message import Message

from db.store import DelegateInfo, ScanResult
from tui.feed import FeedUpdate, MeetingUpdate


class ScanEntered(Message):
    """A card code caught in some field or by the key sniffer; `at` is when its Enter came."""

    def __init__(self, code: str, at: float) -> None:
        super().__init__()
        self.code = code
        self.at = at


class ScanDone(Message):
    """The Store's answer to a scan or a manual check-in."""

    def __init__(
        self,
        result: ScanResult,
        at: float,
        *,
        card_number: int | None = None,
        manual_reason: str | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        self.at = at
        self.card_number = card_number
        self.manual_reason = manual_reason


class ActionDone(Message):
    """A correction, absence or other operator action went through; `text` says what happened."""

    def __init__(self, headline: str, detail: str = "") -> None:
        super().__init__()
        self.headline = headline
        self.detail = detail


class WriteFailed(Message):
    """The Store refused or failed; `text` is already translated; `lost`: because the database
    was out of reach (so nothing was stored)."""

    def __init__(self, text: str, *, lost: bool = False) -> None:
        super().__init__()
        self.text = text
        self.lost = lost


class CardReissued(Message):
    def __init__(self, number: int, code: str, delegate: DelegateInfo | None) -> None:
        super().__init__()
        self.number = number
        self.code = code
        self.delegate = delegate


class SheetWritten(Message):
    """The one-card sheet of a reissued card: its path, or why it could not be written."""

    def __init__(self, number: int, path: Path | None, error: str = "") -> None:
        super().__init__()
        self.number = number
        self.path = path
        self.error = error


class BackupDone(Message):
    """A rolling backup of the congress file: its path, or why it could not be written."""

    def __init__(self, path: Path | None, error: str = "") -> None:
        super().__init__()
        self.path = path
        self.error = error


class FeedLoaded(Message):
    """Fresh counts (and the delegates that changed) after a change by any terminal."""

    def __init__(self, update: FeedUpdate | None, error: str = "") -> None:
        super().__init__()
        self.update = update
        self.error = error


class MeetingLoaded(Message):
    """The agenda and the votes, read again after a change by any terminal."""

    def __init__(self, update: MeetingUpdate | None, error: str = "") -> None:
        super().__init__()
        self.update = update
        self.error = error


Done = Callable[[Any], None]
Failed = Callable[[str], None]


class MeetingReply(Message):
    """The Store's answer to an agenda or vote change: its result, or why it was refused.

    `done` / `failed` are what the screen or dialog that asked wants done with it, on the UI
    thread (a dialog stays open with the message when the Store refuses).
    """

    def __init__(self, result: Any, error: str, done: Done | None, failed: Failed | None) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.done = done
        self.failed = failed
