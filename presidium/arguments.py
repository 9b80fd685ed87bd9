"""argparse in the congress's language: its own texts ("usage:", "options", its error messages)
looked up through the catalog, and the argument type of a whole number in a range."""

import argparse
from collections.abc import Callable

from session.i18n import t

# argparse fetches each of its texts through its module's `_` and `ngettext` when it needs it
# (gettext's hook), so these two names are all that is replaced. Placeholders stay in %-style.
ARGPARSE_TEXTS = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "show this help message and exit": "help",
    "argument %(argument_name)s: %(message)s": "argument",
    "can't open '%(filename)s': %(error)s": "cannot_open",
    "unrecognized arguments: %s": "unrecognized",
    "not allowed with argument %s": "not_allowed_with",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_n",
    "expected %s arguments": "expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "invalid %(type)s value: %(value)r": "invalid_type",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "%(prog)s: error: %(message)s\n": "error",
}


def _argparse_text(message: str) -> str:
    key = ARGPARSE_TEXTS.get(message)
    return t(f"cli.argparse.{key}") if key else message


def _argparse_plural(singular: str, plural: str, n: int) -> str:
    return _argparse_text(singular if n == 1 else plural)


def translate_argparse() -> None:
    """Make argparse say its texts through the catalog, in the language in use when it says them."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_plural  # type: ignore[attr-defined]


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` (to `high`), else argparse's usage error."""

    def whole(text: str) -> int:
        try:
            value: int | None = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            key = "cli.refusal.at_least" if high is None else "cli.refusal.range"
            raise argparse.ArgumentTypeError(t(key, low=low, high=high, value=text))
        return value

    return whole
