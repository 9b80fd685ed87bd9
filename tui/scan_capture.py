"""Card codes caught where no scan field has focus.

A USB scanner is a keyboard: it types 36 digits and Enter into whatever has focus. So:

1. every text field of the app is a :class:`~tui.widgets.scan_input.ScanAwareInput`: at Enter,
   a trailing card code is cut off (what was typed before it stays) and posted as
   :class:`~tui.widgets.scan_input.ScanEntered`;
2. a plain ``Input`` we do not own (the command palette's, say) that submits text ending with a
   code is caught by the app's ``Input.Submitted`` handler (:func:`submitted_code`);
3. when anything else has focus (a table, a button, a radio set), the app feeds every key to
   :meth:`ScanCapture.key` (a pure :class:`~session.scanner.BurstDetector` inside); a fast burst
   that ends in Enter with a code is taken as a scan and the Enter goes no further.
"""

from dataclasses import dataclass

from textual import events
from textual.widget import Widget
from textual.widgets import Input

from session.scanner import BurstDetector, split_trailing_code
from tui.widgets.scan_input import ENTER_KEYS, ScanAwareInput


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a key turned out to be: the end of a scan caught here (`code`), whether it goes no
    further (`stop`), and whether it ended a scan at all (`scan`: in a scan field too), so that it
    moves no focus and the keys after it need not wait for it."""

    code: str | None = None
    stop: bool = False
    scan: bool = False


PASS = Sniffed()


class ScanCapture:
    def __init__(self) -> None:
        self._burst = BurstDetector()

    def key(self, event: events.Key, focused: Widget | None) -> Sniffed:
        """Feed the burst detector with a key, `focused` having the focus.

        The key stops there when it is an Enter ending a scan while no scan-aware field has
        focus, or a control character inside a burst (a scanner's garbage must never quit or
        open the palette).
        """
        if event.key in ENTER_KEYS:
            code = self._burst.enter(event.time)
            if isinstance(focused, ScanAwareInput):  # it takes scans itself, even typed by hand
                return Sniffed(scan=code is not None)
            if code is None:
                return PASS
            if isinstance(focused, Input):  # its characters are still queued: clean up after
                focused.call_later(strip_code, focused)
            return Sniffed(code, stop=True, scan=True)
        if event.is_printable and event.character:
            self._burst.key(event.character, event.time)
            return PASS
        swallow = event.key.startswith("ctrl+") and self._burst.in_burst(event.time)
        self._burst.other(event.time)
        return Sniffed(stop=swallow)


def submitted_code(event: Input.Submitted) -> str | None:
    """The card code a plain Input (not one of ours) submitted at the end of its text, cut off
    from the field (what was typed before it stays); None when there is none."""
    if isinstance(event.input, ScanAwareInput):
        return None
    found = split_trailing_code(event.value)
    if found is None:
        return None
    event.input.value = found[0]
    return found[1]


def strip_code(field: Input) -> None:
    found = split_trailing_code(field.value)
    if found is not None:
        field.value = found[0]
        field.cursor_position = len(found[0])
