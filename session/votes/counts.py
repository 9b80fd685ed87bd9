"""A teller's numbers: read from what was typed (a whole number of 0 or more per option, every
option and nothing else), and a counted vote said in words for the screens and the minutes.
"""

from collections.abc import Mapping, Sequence

from session.i18n import number, t
from session.tally import Tally
from session.votes.state import SectorStatus, Vote, VoteError


def parse_count(value: object, option: str = "") -> int:
    """A teller's number: a whole number of 0 or more, typed as text or given as an int."""
    if isinstance(value, bool):
        raise VoteError("not_a_number", option=option, value=value)
    if isinstance(value, int):
        number_ = value
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit():
            raise VoteError("not_a_number", option=option, value=value)
        number_ = int(text)
    else:
        raise VoteError("not_a_number", option=option, value=value)
    if number_ < 0:
        raise VoteError("negative", option=option, value=value)
    return number_


def parse_counts(options: Sequence[str], raw: Mapping[str, object]) -> dict[str, int]:
    """{option: number} from what a teller typed, every option present, nothing else."""
    for key in raw:
        if key not in options:
            raise VoteError("unknown_option", option=key)
    counts = {}
    for option in options:
        if option not in raw:
            raise VoteError("missing_option", option=option)
        counts[option] = parse_count(raw[option], option)
    return counts


def counts_of(options: Sequence[str], tally: Tally) -> dict[str, int]:
    return dict(zip(options, tally.as_tuple(), strict=True))


# ---------------------------------------------------------------- words


def describe_counts(vote: Vote, lang: str | None = None) -> str:
    """'tán thành 280 · không tán thành 5 · ý kiến khác 2 · không biểu quyết 0'."""
    verdict = vote.verdict
    if verdict is None:
        return ""
    parts = [
        f"{t(f'vote.option.{o.value}', lang)} {number(n, lang)}"
        for o, n in zip(vote.options, verdict.tally.as_tuple(), strict=True)
    ]
    parts.append(f"{t('vote.not_voting', lang)} {number(verdict.not_voting, lang)}")
    return " · ".join(parts)


def describe_progress(vote: Vote, lang: str | None = None) -> str:
    """What the operator still waits for: 'missing: A, C · awaiting the second teller: B · …'."""
    parts = []
    for status in SectorStatus:
        codes = vote.sectors_with(status)
        if codes:
            parts.append(t(f"vote.sector.{status.value}", lang, sectors=", ".join(codes)))
    return " · ".join(parts)
