"""Text rules for Vietnamese: NFC storage, diacritic-blind search, correct alphabetical order.

Names arrive from spreadsheets in NFC or NFD; we store NFC. Search folds both the query and the
name to bare lower-case ASCII-ish letters (with đ → d) so "nguyen van khoe" finds "Nguyễn Văn Khỏe".
Ordering follows the CLDR "vi" tailoring: letters a ă â b c d đ e ê ... o ô ơ ... u ư ..., and
letters before tones, tones in the order unmarked < grave < hook < tilde < acute < dot below.
"""

import unicodedata

_COMBINING_TONES = {
    "\u0300": 1,  # grave (huyền)
    "\u0309": 2,  # hook above (hỏi)
    "\u0303": 3,  # tilde (ngã)
    "\u0301": 4,  # acute (sắc)
    "\u0323": 5,  # dot below (nặng)
}
# Marks that make a distinct letter in the Vietnamese alphabet.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_INDEX = {letter: i for i, letter in enumerate(_ALPHABET)}
_BASE_WITH_MARK = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}


def nfc(text: str) -> str:
    """Normalise to NFC and collapse runs of whitespace; every stored name goes through this."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# Đ/đ, and the look-alike Ð/ð (U+00D0/U+00F0, eth) that legacy-encoding converters and some
# keyboards produce in place of U+0110/U+0111.
_D_TO_PLAIN = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_D_LETTERS = frozenset("đð")


def fold(text: str) -> str:
    """Diacritic- and case-blind form for search: 'Nguyễn Văn Khỏe' -> 'nguyen van khoe'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TO_PLAIN))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def matches(query: str, *fields: str) -> bool:
    """True when every word of the query occurs (folded) in the folded fields."""
    haystack = " ".join(fold(f) for f in fields)
    return all(word in haystack for word in fold(query).split())


def _letters(word: str) -> list[tuple[int, int, int]]:
    """(letter index, tone, upper-case flag) for each base letter of the word."""
    result: list[tuple[int, int, int]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            if not result:
                continue
            letter, tone, upper = result[-1]
            if ch in _COMBINING_TONES:
                result[-1] = (letter, _COMBINING_TONES[ch], upper)
            elif ch in _LETTER_MARKS:
                base = _ALPHABET[letter] if letter < len(_ALPHABET) else ""
                marked = _BASE_WITH_MARK.get((base, _LETTER_MARKS[ch]))
                if marked is not None:
                    result[-1] = (_LETTER_INDEX[marked], tone, upper)
            continue
        lower = ch.lower()
        if lower in _D_LETTERS:
            index = _LETTER_INDEX["đ"]
        elif lower in _LETTER_INDEX:
            index = _LETTER_INDEX[lower]
        else:
            index = len(_ALPHABET) + ord(lower)  # digits, punctuation, other scripts: after z
        result.append((index, 0, int(ch != lower)))
    return result


def vi_key(text: str) -> tuple[tuple[int, ...], ...]:
    """Sort key giving CLDR 'vi' order: letters first, then tones, then case."""
    words = nfc(text).split(" ")
    letters = tuple(tuple(i for i, _, _ in _letters(w)) for w in words)
    tones = tuple(tuple(t for _, t, _ in _letters(w)) for w in words)
    cases = tuple(tuple(c for _, _, c in _letters(w)) for w in words)
    return (*letters, (), *tones, (), *cases)


def split_name(full_name: str) -> tuple[str, str, str]:
    """Best-effort (family, middle, given) split of a Vietnamese full name.

    Registers should carry the parts separately when they can (compound family names such as
    'Tôn Nữ' break any split on spaces); this is the fallback: first word, middle words, last word.
    """
    words = nfc(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_order_key(full_name: str) -> tuple[object, ...]:
    """Vietnamese list order: given name, then family name, then middle name."""
    family, middle, given = split_name(full_name)
    return (vi_key(given), vi_key(family), vi_key(middle))


_JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
# Character classes no stored name may hold: control (Cc: ESC, BEL, backspace, which a terminal
# obeys), format (Cf: zero-width space, soft hyphen, and the bidirectional embeddings, overrides,
# isolates and marks, which reorder what is shown), surrogate, private use.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
# Letters that print as nothing: the Hangul fillers, and the blank Braille pattern (a symbol).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _shaping_letter(char: str) -> bool:
    """A letter or mark of a script whose letters join (Arabic, the Indic scripts...): the
    joiners choose how those are drawn. Latin letters (every Vietnamese name) never join."""
    if not char or unicodedata.category(char)[0] not in "LM":
        return False
    return not unicodedata.name(char, "LATIN").startswith(("LATIN", "COMBINING"))


def hidden_character(text: str) -> int | None:
    """The index of the first character of `text` a stored name must not hold, or None.

    Control, format, surrogate and private-use characters are refused: a control character is
    obeyed by the terminal that prints the name (ESC starts an escape sequence), the others show
    nothing, or reorder what is shown, so two names that look alike would differ. The joiners
    (ZWJ, ZWNJ) are kept only between two letters of a script that joins; between Latin letters
    they change nothing one can see.
    """
    for index, char in enumerate(text):
        if unicodedata.category(char) not in _HIDDEN_CATEGORIES:
            continue
        if char in _JOINERS and index > 0:
            after = text[index + 1 : index + 2]
            if _shaping_letter(text[index - 1]) and _shaping_letter(after):
                continue
        return index
    return None


def shows_something(text: str) -> bool:
    """Whether `text` holds a letter or digit one can see (not only spaces, marks or fillers)."""
    return any(char.isalnum() and char not in _BLANK_LETTERS for char in text)
