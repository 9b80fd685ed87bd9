"""Input fields that never swallow a card scan.

A USB scanner types a code and Enter into whatever field has focus. :class:`ScanAwareInput` is used
for every text field of the app: when its text ends with a card code at Enter, it keeps what the
operator had typed before the code, and hands the code to the app as a :class:`ScanEntered`
instead of submitting. :class:`ScanField` is the roll call's own field: everything submitted there
is a scan attempt (garbage gets its red result) and the field is emptied.
"""

from textual import events
from textual._time import get_time
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from session.scanner import MAX_GAP, split_trailing_code

ENTER_KEYS = frozenset({"enter", "ctrl+j"})  # CR, or LF from a scanner set up that way
TYPED_AFTER = 0.015  # s: the scan field shows what was typed once the keys pause this long


class ScanEntered(Message):
    """A card code caught in some field or by the key sniffer; `at` is when its Enter came."""

    def __init__(self, code: str, at: float) -> None:
        super().__init__()
        self.code = code
        self.at = at


class ScanAwareInput(Input):
    """An Input that passes a trailing card code to the app instead of submitting it."""

    DEFAULT_MAX_LENGTH = 200

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        max_length: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            value,
            placeholder,
            max_length=self.DEFAULT_MAX_LENGTH if max_length is None else max_length,
            id=id,
            classes=classes,
            select_on_focus=False,
        )
        self._enter_at: float | None = None
        self._key_at = 0.0  # when the last printable key came
        self._burst_from = 0  # where the keys typed at machine speed since a pause begin

    def restricted(self) -> None:
        """Garbage past the maximum length: drop it quietly (no bell per key)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ENTER_KEYS:
            # Submit here, in order with the characters before it. Left to the binding, Enter
            # would bubble to the app and back, and the next card's digits (already queued
            # behind it when the UI is busy) would be typed into this one's code.
            event.stop()
            event.prevent_default()
            self._enter_at = event.time
            await self.action_submit()
            return
        if event.is_printable:
            if event.time - self._key_at > MAX_GAP:  # a pause: a person's key, or a new burst
                self._burst_from = self.cursor_position
            self._key_at = event.time
        await super()._on_key(event)

    def trailing_code(self) -> tuple[str, str] | None:
        """(what was typed before, the code) when the text ends with one code. A card scanned
        right after a person typed a number ("12" in a count field) is glued to its digits:
        the burst the scanner typed is then the code, when it is exactly one."""
        found = split_trailing_code(self.value)
        if found is not None or not 0 < self._burst_from < len(self.value):
            return found
        burst = split_trailing_code(self.value[self._burst_from :])
        if burst is None or burst[0].strip():
            return None
        return self.value[: self._burst_from] + burst[0], burst[1]

    def _take_enter_time(self) -> float:
        at, self._enter_at = self._enter_at, None
        return at if at is not None else get_time()

    def _hand_over(self, code: str, keep: str) -> None:
        self.value = keep
        self.cursor_position = len(keep)
        self.app.post_message(ScanEntered(code, self._take_enter_time()))

    async def action_submit(self) -> None:
        found = self.trailing_code()
        if found is None:
            self._enter_at = None
            await super().action_submit()
            return
        before, code = found
        self._hand_over(code, before)


class ScanField(ScanAwareInput):
    """The roll call's scan field: always focused, every Enter is a scan attempt."""

    KEEP = 256  # a runaway scanner line keeps only its tail: the code, if any, is at the end

    def __init__(self, placeholder: str = "", *, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, max_length=0, id=id)
        self._typed = ""  # characters read but not yet in the field (see _on_key)
        self._typed_at = 0.0  # when the last of them came
        self._typed_timer: Timer | None = None
        # A steady cursor: a blink is a frame twice a second, and an answer that comes just
        # after a frame waits up to 33 ms for its own (see _on_key).
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        """A scanner types its code and Enter without a pause: the characters are shown only
        once the keys pause for TYPED_AFTER, so a scan's go with its Enter, never drawn (a
        frame drawn for them would put the answer's 17-33 ms later: Textual draws at most one
        frame per 1/60 s and, after one, skips a beat). Then they go into the field together,
        one change per burst instead of 36; any other key puts them in first. A character
        typed by hand is in the field TYPED_AFTER later."""
        if event.is_printable and event.character and self.selection.is_empty:
            event.stop()
            event.prevent_default()
            self._typed += event.character
            self._typed_at = get_time()
            if self._typed_timer is None:
                self._typed_timer = self.set_timer(TYPED_AFTER, self._typing_paused)
            return
        if event.key not in ENTER_KEYS:
            self._put_typed()
        await super()._on_key(event)

    @property
    def content_width(self) -> int:
        """At least the field's own width. Input makes its virtual width its text's, and a
        change of virtual width lays the whole screen out again (5 ms at 160 columns, twice a
        scan: the code typed, the field emptied); a text narrower than the field scrolls
        nowhere either way."""
        return max(super().content_width, self.content_size.width)

    @property
    def typing(self) -> bool:
        """Characters read that are not yet in the field (tests wait for them)."""
        return bool(self._typed)

    def _typing_paused(self) -> None:
        """Show the characters read once the keys have paused for TYPED_AFTER."""
        self._typed_timer = None
        left = self._typed_at + TYPED_AFTER - get_time()
        if self._typed and left > 0:
            self._typed_timer = self.set_timer(left, self._typing_paused)
        else:
            self._put_typed()

    def _put_typed(self) -> None:
        typed, self._typed = self._typed, ""
        if typed:
            self.insert_text_at_cursor(typed)

    def _take_line(self) -> str:
        """The field's text with the characters not yet put in; the field is left as it is when
        they would go at its end (an Enter then changes nothing on screen before its answer)."""
        if self._typed and self.cursor_position == len(self.value):
            typed, self._typed = self._typed, ""
            return self.value + typed
        self._put_typed()
        return self.value

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(text)
        if len(self.value) > self.KEEP:
            self.value = self.value[-self.KEEP :]
            self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        value = self._take_line()
        found = split_trailing_code(value)
        raw = found[1] if found is not None else value
        if not raw.strip():  # an empty Enter: nothing to say
            self.value = ""
            self._enter_at = None
            return
        self._hand_over(raw, "")
