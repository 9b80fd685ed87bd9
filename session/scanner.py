"""Telling a card scan from typing, without any UI: a USB scanner is a keyboard.

A wedge scanner types the card's 36 digits a few milliseconds apart and then Enter. On an AZERTY
layout the digit row arrives as symbols (à & é " ' ( - è _ ç), which :func:`normalise_scan` maps
back. Two tools here:

- :func:`split_trailing_code`: when a field's text *ends* with a card code, the text typed before
  it and the code. Any input field can then hand a scan to the roll call and keep what the
  operator had typed (a name half-typed in a search box, a reason).
- :class:`BurstDetector`: fed (character, time) for every key the app receives while no scan-aware
  field has focus, it recognises a fast burst ending in Enter whose tail is a card code.

The code's signature is the truth; timing only decides whether an Enter ends a scan at all.
"""

from collections import deque

from session.cards import CODE_LENGTH, looks_like_code, normalise_scan

# Between two keys of one scan. Scanners type 1–20 ms apart; a person needs 100 ms or more.
MAX_GAP = 0.08
# Keys kept while waiting for Enter: a code and some slack, never an unbounded buffer.
MAX_KEYS = 4 * CODE_LENGTH
_SEPARATORS = frozenset(" \t\u00a0")
_SPACES = "".join(_SEPARATORS)
PRINTED_GROUP = 4  # session.cards.display_groups: the code list prints the code in fours


def _is_code_digit(char: str) -> bool:
    mapped = normalise_scan(char)
    return len(mapped) == 1 and mapped.isascii() and mapped.isdigit()


def _glued_digits(text: str) -> int:
    """How many code digits `text` ends with."""
    count = 0
    while count < len(text) and _is_code_digit(text[-1 - count]):
        count += 1
    return count


def split_trailing_code(text: str) -> tuple[str, str] | None:
    """``(before, code)`` when `text` ends with a card-shaped code (as typed), else None.

    Spaces inside the code are allowed (a code typed by hand in the printed groups of four), and
    so are trailing spaces; the code is the shortest tail holding 36 code digits. Groups shorter
    than the printed ones are not a code: they are numbers typed one by one (the struck names
    of a 200-name ballot, "6 7 16 18 23 …", easily hold 36 digits). A line holding more than
    one code is none: digits glued to the code, or a group of four or more just before it,
    are a second code (a double read, two cards in one go) or part of one, and taking the
    last 36 digits would admit a delegate nobody saw (issue 13, finding 10).
    """
    digits = 0
    start = len(text)
    while start > 0 and digits < CODE_LENGTH:
        char = text[start - 1]
        if char in _SEPARATORS:
            start -= 1
        elif _is_code_digit(char):
            digits += 1
            start -= 1
        else:
            return None
    if digits < CODE_LENGTH:
        return None
    before, code = text[:start], text[start:].strip()
    typed = before.rstrip(_SPACES)
    if _glued_digits(before) or _glued_digits(typed) >= PRINTED_GROUP:
        return None  # more digits before the code: a second code, or part of one
    groups = "".join(" " if c in _SEPARATORS else c for c in code).split()
    if any(len(group) < PRINTED_GROUP for group in groups):
        return None
    return (before, code) if looks_like_code(code) else None


class BurstDetector:
    """Recognises a scanner burst: printable keys less than `max_gap` apart, then Enter.

    Call :meth:`key` for each printable key, :meth:`other` for any other key, and :meth:`enter`
    on Enter: it returns the code (as typed) when the burst just ended with one, else None.
    """

    def __init__(self, max_gap: float = MAX_GAP, max_keys: int = MAX_KEYS) -> None:
        self.max_gap = max_gap
        self._chars: deque[str] = deque(maxlen=max_keys)
        self._last: float | None = None  # the last printable key of the current run
        self._last_any: float | None = None  # the last key of any kind

    def reset(self) -> None:
        self._chars.clear()
        self._last = None

    def key(self, char: str, at: float) -> None:
        if self._last is not None and at - self._last > self.max_gap:
            self._chars.clear()
        self._chars.append(char)
        self._last = self._last_any = at

    def in_burst(self, at: float) -> bool:
        """Whether a key at `at` comes hard on the heels of the previous one (machine speed)."""
        return self._last_any is not None and at - self._last_any <= self.max_gap

    def other(self, at: float) -> None:
        """A non-printable key (arrow, function key, control character): no code contains it."""
        self.reset()
        self._last_any = at

    def enter(self, at: float) -> str | None:
        """Enter was pressed at `at`: the scanned code, if a burst of one ends here."""
        last = self._last
        text = "".join(self._chars)
        self.reset()
        self._last_any = at
        if last is None or at - last > self.max_gap:
            return None
        found = split_trailing_code(text)
        return found[1] if found is not None else None
