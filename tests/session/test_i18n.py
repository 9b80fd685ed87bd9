"""The translation catalogs: same keys and placeholders in both languages, and every key the code
uses exists. Generic on purpose: new catalog files (tui.toml, printouts.toml...) and new modules
are picked up without touching this test."""

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from session import audit, i18n, register
from session.cards import CardProblem
from session.congress import BaseKind, RuleSetName
from session.i18n import LANGUAGES, catalog, decimal_sep, number, t
from session.quorum import Kind, Problem, Status
from session.rollcall import Mode, Reason

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("session", "db", "presidium", "printouts", "tui")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def keys(lang: str) -> set[str]:
    return set(catalog(lang))


# ---------------------------------------------------------------- the catalogs themselves


def test_catalog_files_are_paired() -> None:
    folders = [ROOT / "session" / "locales" / lang for lang in LANGUAGES]
    names = [sorted(p.name for p in folder.glob("*.toml")) for folder in folders]
    assert names[0] == names[1], "each area needs a catalog file in every language"


def test_both_languages_have_the_same_keys() -> None:
    vi, en = keys("vi"), keys("en")
    assert sorted(vi - en) == [], "keys only in Vietnamese"
    assert sorted(en - vi) == [], "keys only in English"


def test_same_placeholders_in_both_languages() -> None:
    vi, en = catalog("vi"), catalog("en")
    differ = {
        k: (placeholders(vi[k]), placeholders(en[k]))
        for k in vi.keys() & en.keys()
        if placeholders(vi[k]) != placeholders(en[k])
    }
    assert differ == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_a_valid_format_string(lang: str) -> None:
    for key, text in catalog(lang).items():
        try:
            list(string.Formatter().parse(text))
        except ValueError as exc:  # pragma: no cover - reported as a failure
            pytest.fail(f"{lang}: {key}: {exc}")
        assert text.strip(), f"{lang}: {key} is empty"


def test_vietnamese_texts_are_nfc() -> None:
    import unicodedata

    bad = [k for k, v in catalog("vi").items() if not unicodedata.is_normalized("NFC", v)]
    assert bad == []


def test_unknown_language_refused() -> None:
    with pytest.raises(ValueError):
        catalog("fr")
    with pytest.raises(ValueError):
        i18n.use("fr")


# ---------------------------------------------------------------- t()


def test_t_missing_key_is_visible_not_fatal() -> None:
    assert t("no.such.key") == "⟦no.such.key⟧"


def test_t_missing_parameter_is_visible_not_fatal() -> None:
    text = t("quorum.decision", "en", present=287)
    assert "287" in text and "{base}" in text and "{needs}" in text


def test_t_follows_the_current_language() -> None:
    i18n.use("vi")
    assert i18n.language() == "vi"
    assert t("kind.official") == catalog("vi")["kind.official"]
    i18n.use("en")
    assert t("kind.official") == catalog("en")["kind.official"]
    assert t("kind.official", "vi") == catalog("vi")["kind.official"]


@pytest.mark.parametrize(("lang", "expected"), [("en", "1,600"), ("vi", "1.600")])
def test_number_grouping(lang: str, expected: str) -> None:
    assert number(1600, lang) == expected
    assert number(287, lang) == "287"
    assert number(1_234_567, lang) == expected[0] + expected[1] + "234" + expected[1] + "567"


def test_decimal_separators() -> None:
    assert (decimal_sep("en"), decimal_sep("vi")) == (".", ",")


# ---------------------------------------------------------------- keys behind enums and codes


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("scan.", [r.value for r in Reason]),
        ("scan.", [p.value for p in CardProblem]),
        ("quorum.problem.", [p.value for p in Problem]),
        ("quorum.base.", [b.value for b in BaseKind]),
        ("quorum.rule.", [r.value for r in RuleSetName]),
        ("kind.", [k.value for k in Kind]),
        ("status.", [s.value for s in Status]),
        ("mode.", [m.value for m in Mode]),
    ],
    ids=[
        "reasons",
        "card-problems",
        "quorum-problems",
        "bases",
        "rulesets",
        "kinds",
        "statuses",
        "modes",
    ],
)
def test_enum_keys_exist(prefix: str, values: list[str]) -> None:
    for lang in LANGUAGES:
        missing = [prefix + v for v in values if prefix + v not in catalog(lang)]
        assert missing == [], lang


def _string_literals(module: object, pattern: str) -> set[str]:
    import inspect

    return set(re.findall(pattern, inspect.getsource(module)))  # type: ignore[arg-type]


def test_register_problem_keys_exist() -> None:
    used = _string_literals(register, r'RowProblem\([^,]+,\s*"(\w+)"')
    used |= {f"bad_{f}" for f in ("origin", "gender")}  # built as f"bad_{field}"
    assert {"empty_file", "bad_encoding", "bad_xlsx", "missing_name"} <= used
    for lang in LANGUAGES:
        assert sorted(k for k in used if f"import.{k}" not in catalog(lang)) == [], lang


def test_audit_problem_keys_exist() -> None:
    used = _string_literals(audit, r'ChainBreak\([^,]+,\s*"(\w+)"') | {"head_mismatch", "ok"}
    assert len(used) >= 4
    for lang in LANGUAGES:
        assert sorted(k for k in used if f"verify.{k}" not in catalog(lang)) == [], lang


def test_store_error_keys_exist() -> None:
    path = ROOT / "db" / "store.py"
    if not path.exists():
        pytest.skip("no db/store.py")
    used = set(re.findall(r'StoreError\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    assert used
    for lang in LANGUAGES:
        assert sorted(k for k in used if f"error.{k}" not in catalog(lang)) == [], lang


# ---------------------------------------------------------------- every t() call in the code


def _sources() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def _t_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to session.i18n.t, and names bound to the session.i18n module."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "session.i18n":
            functions |= {a.asname or a.name for a in node.names if a.name == "t"}
        elif isinstance(node, ast.ImportFrom) and node.module == "session":
            modules |= {a.asname or a.name for a in node.names if a.name == "i18n"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "session.i18n" and a.asname}
    return functions, modules


def _is_t_call(node: ast.Call, functions: set[str], modules: set[str]) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in functions
    if isinstance(func, ast.Attribute) and func.attr == "t":
        value = func.value
        if isinstance(value, ast.Name) and value.id in modules:
            return True
        # session.i18n.t(...)
        return ast.unparse(value) == "session.i18n"
    return False


def _key_of(arg: ast.expr) -> tuple[str, str] | None:
    """('literal', key) or ('prefix', start of the key) for the first argument of t()."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return "literal", arg.value
    if isinstance(arg, ast.JoinedStr):
        prefix = ""
        for part in arg.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                prefix += part.value
            else:
                break
        return "prefix", prefix
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
        left = _key_of(arg.left)
        if left is not None:
            return "prefix", left[1]
    return None


def _calls() -> Iterator[tuple[str, str, str, set[str] | None]]:
    """(where, 'literal'|'prefix', key, keyword names or None if **kwargs) for every t() call."""
    i18n_file = ROOT / "session" / "i18n.py"
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions, modules = _t_names(tree)
        if path == i18n_file:
            functions.add("t")
        if not functions and not modules:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _is_t_call(node, functions, modules):
                found = _key_of(node.args[0])
                if found is None:
                    continue  # a variable: covered by the enum and problem-key tests above
                names = {k.arg for k in node.keywords if k.arg is not None}
                has_star = any(k.arg is None for k in node.keywords)
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                yield where, found[0], found[1], None if has_star else names


def test_the_scanner_finds_the_calls_it_should() -> None:
    calls = list(_calls())
    keys_used = {key for _, kind, key, _ in calls if kind == "literal"}
    assert "quorum.decision" in keys_used  # session/quorum.py
    assert "format.thousands_sep" in keys_used  # session/i18n.py
    assert any(kind == "prefix" and key == "quorum.problem." for _, kind, key, _ in calls)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_literal_key_used_exists(lang: str) -> None:
    known = keys(lang)
    missing = sorted(
        {
            f"{key}  ({where})"
            for where, kind, key, _ in _calls()
            if kind == "literal" and key not in known
        }
    )
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_prefix_used_exists(lang: str) -> None:
    known = keys(lang)
    missing = sorted(
        {
            f"{key}…  ({where})"
            for where, kind, key, _ in _calls()
            if kind == "prefix" and not any(k.startswith(key) for k in known)
        }
    )
    assert missing == []


def test_every_placeholder_is_passed() -> None:
    """A literal-key call must pass every {placeholder} of its text (else the text shows it raw)."""
    problems = []
    for where, kind, key, names in _calls():
        if kind != "literal" or names is None:
            continue
        for lang in LANGUAGES:
            text = catalog(lang).get(key)
            if text is None:
                continue
            missing = placeholders(text) - names
            if missing:
                problems.append(f"{where}: {key} [{lang}] needs {sorted(missing)}")
    assert problems == []


def test_every_placeholder_is_passed_for_computed_keys() -> None:
    """t(f"scan.{reason}", number=...) must pass what any scan.* text needs (one level down)."""
    problems = []
    for where, kind, prefix, names in _calls():
        if kind != "prefix" or names is None or not prefix.endswith("."):
            continue
        for lang in LANGUAGES:
            for key, text in catalog(lang).items():
                if key.startswith(prefix) and "." not in key[len(prefix) :]:
                    missing = placeholders(text) - names
                    if missing:
                        problems.append(f"{where}: {key} [{lang}] needs {sorted(missing)}")
    assert problems == []
