"""The translation catalog: every user-facing string, in Vietnamese and English.

Catalogs are TOML files in ``session/locales/<lang>/`` (one file per area: core, tui,
printouts...), merged per language; nested tables become dotted keys
(``[scan] admitted = ...`` is ``scan.admitted``). Placeholders use ``str.format`` names.
Both catalogs must have the same keys (a test enforces it, and that every key the code uses exists).
"""

import tomllib
from functools import cache
from importlib import resources
from typing import ClassVar

from session.majority import format_percent

LANGUAGES = ("vi", "en")
_current = ["vi"]


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    merged: dict[str, str] = {}
    folder = resources.files("session.locales").joinpath(lang)
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".toml"):
            part = _flatten(tomllib.loads(item.read_text(encoding="utf-8")))
            clash = merged.keys() & part.keys()
            if clash:
                raise ValueError(f"{lang}/{item.name} repeats keys: {sorted(clash)}")
            merged.update(part)
    return merged


def use(lang: str) -> None:
    """Switch the process's language (the congress file's, or --lang)."""
    catalog(lang)
    _current[0] = lang


def language() -> str:
    return _current[0]


class _Params(dict[str, object]):
    """Format parameters that leave an unsupplied {placeholder} visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The text for `key` in the current language, with its {placeholders} filled in.

    Never raises for a catalog mistake (a missing key shows as ⟦key⟧, a parameter the caller did
    not pass stays as {name}): a message must not take a running congress down. The catalog
    tests catch both before a release.
    """
    text = catalog(lang or _current[0]).get(key)
    if text is None:
        return f"⟦{key}⟧"
    if not params:
        return text
    try:
        return text.format_map(_Params(params))
    except (ValueError, IndexError, AttributeError, TypeError):
        return text


def decimal_sep(lang: str | None = None) -> str:
    return t("format.decimal_sep", lang)


def percent(hundredths: int, lang: str | None = None) -> str:
    """A percentage from hundredths, the local way: 1683 -> '16,83 %' / '16.83 %'."""
    return t("election.percent", lang, value=format_percent(hundredths, decimal_sep(lang)))


def number(value: int, lang: str | None = None) -> str:
    """Thousands grouped the local way: 1.600 in Vietnamese, 1,600 in English."""
    return f"{value:,}".replace(",", t("format.thousands_sep", lang))


class Refusal(ValueError):
    """A refused action or bad input, told to the user in their language.

    Carries a translation key (under the class's `prefix`) and its parameters, so the CLI, the
    screens and the tests all see the same structured reason. Subclasses name their catalog area.
    """

    prefix: ClassVar[str] = "error."

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.prefix + self.key, **self.params)
