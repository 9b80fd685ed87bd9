"""Delegate card codes: short, scanner-safe, signed with the congress's secret.

A code is 36 digits: version (1) · congress code (3) · delegate number (5) · issue (2) ·
tag (25). The tag is the first 80 bits of HMAC-SHA256 over the other fields (RFC 2104 §5's
lower bound), written in decimal. Digits only, because:

- a USB scanner types US key codes; on AZERTY the digit row without Shift gives à & é " ' ( - è _ ç,
  which :func:`normalise_scan` maps back (Caps Lock on AZERTY gives the digits themselves);
- letters move between layouts (A/Q, W/Z on AZERTY, Y/Z on QWERTZ, M on AZERTY), digits do not;
- the QR code stays in numeric mode: 36 digits fit version 2 at error correction Q.

The code carries no personal data. Reissuing a card bumps the issue counter, so the old card
verifies cryptographically but is refused as revoked by the roll call.
"""

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

VERSION = "1"
CODE_LENGTH = 36
TAG_DIGITS = 25
_TAG_BYTES = 10  # 80 bits < 10**25
_DOMAIN = b"presidium-card-v1|"
MAX_DELEGATE_NUMBER = 99_999
MAX_ISSUE = 99

# US digit-row key codes as typed under French and Belgian AZERTY without Shift (and the
# upper-case letters some systems produce for the same keys when Caps Lock is on).
_AZERTY_DIGITS = str.maketrans(
    {"à": "0", "&": "1", "é": "2", '"': "3", "'": "4", "(": "5", "-": "6", "§": "6",
     "è": "7", "_": "8", "!": "8", "ç": "9", "À": "0", "É": "2", "È": "7", "Ç": "9"}
)  # fmt: skip
# Spaces (the printed groups of four), tabs, no-break spaces and a scanner's CR/LF suffix.
_SEPARATORS = str.maketrans("", "", " \t\r\n\u00a0\u202f")


class CardProblem(StrEnum):
    """Why a scanned code is not a valid card of this congress (translation keys)."""

    EMPTY = "empty"
    MALFORMED = "malformed"
    OTHER_CONGRESS = "other_congress"
    FORGED = "forged"


@dataclass(frozen=True, slots=True)
class CardCode:
    """The verified content of a card code."""

    number: int
    issue: int
    code: str


@dataclass(frozen=True, slots=True)
class CardRejection:
    problem: CardProblem
    detail: str = ""


def new_secret() -> str:
    """A fresh per-congress secret (hex), stored with the congress."""
    return secrets.token_hex(32)


def congress_code(secret: str) -> str:
    """Three digits that tell one congress's cards from another's before the tag is checked."""
    digest = hashlib.sha256(b"presidium-congress-code|" + secret.encode()).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1000:03d}"


def _tag(secret: str, body: str) -> str:
    mac = hmac.new(bytes.fromhex(secret), _DOMAIN + body.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:_TAG_BYTES], 'big'):0{TAG_DIGITS}d}"


def make_code(secret: str, number: int, issue: int) -> str:
    """The card code of delegate `number`, card issue `issue`."""
    if not 1 <= number <= MAX_DELEGATE_NUMBER:
        raise ValueError(f"delegate number {number} outside 1..{MAX_DELEGATE_NUMBER}")
    if not 0 <= issue <= MAX_ISSUE:
        raise ValueError(f"card issue {issue} outside 0..{MAX_ISSUE}")
    body = f"{VERSION}{congress_code(secret)}{number:05d}{issue:02d}"
    return body + _tag(secret, body)


def normalise_scan(raw: str) -> str:
    """What the scanner meant: AZERTY digit-row symbols back to digits, spaces removed."""
    # NFC first: a pasted "é" may arrive decomposed (e + combining acute).
    return unicodedata.normalize("NFC", raw).translate(_SEPARATORS).translate(_AZERTY_DIGITS)


def looks_like_code(raw: str) -> bool:
    """Cheap shape test used to tell a scan from typed text in any input field."""
    text = normalise_scan(raw)
    return len(text) == CODE_LENGTH and text.isdigit() and text.isascii()


def read_code(raw: str, secret: str) -> CardCode | CardRejection:
    """Parse and verify a scanned or typed code against this congress's secret."""
    text = normalise_scan(raw)
    if not text:
        return CardRejection(CardProblem.EMPTY)
    if len(text) != CODE_LENGTH or not (text.isdigit() and text.isascii()):
        return CardRejection(CardProblem.MALFORMED, f"{len(raw)}")
    if text[0] != VERSION:
        return CardRejection(CardProblem.MALFORMED, text[0])
    body, tag = text[:-TAG_DIGITS], text[-TAG_DIGITS:]
    if body[1:4] != congress_code(secret):
        return CardRejection(CardProblem.OTHER_CONGRESS, body[1:4])
    if not hmac.compare_digest(tag, _tag(secret, body)):
        return CardRejection(CardProblem.FORGED)
    return CardCode(number=int(body[4:9]), issue=int(body[9:11]), code=text)


def display_groups(code: str) -> str:
    """The code in groups of four digits, for the printed list and the line under the QR."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
