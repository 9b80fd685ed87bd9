"""Layering: the domain core (session/) is pure Python, and nothing below the UI pulls in Textual.

Checked twice: by importing every module in a fresh interpreter and looking at sys.modules (this
catches indirect imports), and by reading the source (this catches imports inside functions that
an import alone never runs).
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level modules it must never import
FORBIDDEN = {
    "session": {
        "textual",
        "sqlalchemy",
        "sqlmodel",
        "psycopg",
        "db",
        "tui",
        "presidium",
        "printouts",
    },
    "db": {"textual", "tui", "presidium", "printouts"},
    "printouts": {"textual", "tui", "presidium"},
    "tui": {"presidium"},  # (the screens call the export service in printouts, not the shell)
}
# what may not even be loaded, indirectly, after importing every module of the package
NOT_LOADED = {
    "session": ("textual", "sqlalchemy", "sqlmodel"),
    "db": ("textual",),
    "printouts": ("textual",),
}


def modules_of(package: str) -> list[str]:
    base = ROOT / package
    names = []
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_the_packages_have_modules() -> None:
    assert "session.quorum" in modules_of("session")
    assert "session.register" in modules_of("session")
    assert "db.store" in modules_of("db")


_PROBE = """
import importlib, json, sys
loaded = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def importable(name: str) -> bool:
    """Alembic's migration scripts (db/migrations) run inside Alembic, not as imports."""
    return ".migrations" not in name


@pytest.mark.parametrize("package", sorted(NOT_LOADED))
def test_importing_every_module_loads_nothing_forbidden(package: str) -> None:
    names = [name for name in modules_of(package) if importable(name)]
    if not names:
        pytest.skip(f"{package}/ has no modules yet")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert package in loaded
    assert sorted(loaded & set(NOT_LOADED[package])) == []


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level module) for every import statement in the file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (
                getattr(node.func, "id", None) == "__import__"
                or getattr(node.func, "attr", None) == "import_module"
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value.split(".")[0]))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_source_has_no_forbidden_import(package: str) -> None:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in _imports(path):
            if module in FORBIDDEN[package]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert bad == []


def test_the_source_scan_sees_nested_and_dynamic_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "def f():\n"
        "    from textual.app import App\n"
        "    import sqlalchemy.orm as orm\n"
        "    __import__('sqlmodel')\n"
        "    importlib.import_module('tui.app')\n"
        "from . import sibling\n",
        encoding="utf-8",
    )
    assert [m for _, m in _imports(sample)] == ["os", "textual", "sqlalchemy", "sqlmodel", "tui"]


def test_the_import_contracts_hold() -> None:
    """.importlinter: the layers presidium > tui > printouts > db > session, no circle between the
    modules of a package, no UI or SQL in the rules (import-linter reads every import, those
    inside functions and under TYPE_CHECKING too)."""
    run = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


# ---------------------------------------------------------------- the tests themselves


def _test_module(name: str) -> bool:
    """tests.test_x, or a test module of a layer's folder (tests.tui.test_x)."""
    parts = name.split(".")
    return len(parts) >= 2 and parts[0] == "tests" and parts[-1].startswith("test_")


def _test_module_imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) for every test module (tests.test_*) that `source`, a module of `package`,
    imports: `import` and `from ... import`, relative ones resolved, those inside functions, and
    importlib's by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            names = [base] if _test_module(base) else [f"{base}.{a.name}" for a in node.names]
            found += [(node.lineno, name) for name in names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (
                getattr(node.func, "id", None) == "__import__"
                or getattr(node.func, "attr", None) == "import_module"
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return [(line, name) for line, name in found if _test_module(name)]


def test_the_test_import_scan_sees_every_form() -> None:
    source = (
        "import pytest\n"
        "import tests.test_a as a\n"
        "from tests.test_b import helper\n"
        "from tests import test_c, harness\n"
        "from tests.harness.elections import decide\n"
        "from tests.conftest import ROOT\n"
        "from . import conftest\n"
        "def f():\n"
        "    from .test_d import builder\n"
        "    from . import test_e\n"
        "    importlib.import_module('tests.test_f')\n"
        "from tests.tui.test_g import shot\n"
        "from tests import tui\n"
    )
    found = sorted(name for _, name in _test_module_imports(source, "tests"))
    assert found == [*(f"tests.test_{x}" for x in "abcdef"), "tests.tui.test_g"]
    from_harness = _test_module_imports(
        "from ..test_g import x\nfrom .scenes import y\n", "tests.harness"
    )
    assert from_harness == [(1, "tests.test_g")]


def test_no_test_module_imports_another() -> None:
    """The tests share their builders through tests/harness/ (and their fixtures through
    tests/conftest.py), never by importing a test module: its tests and fixtures would come along,
    and its helpers would change with its own tests. The harness and conftest.py import none
    either."""
    tests = ROOT / "tests"
    paths = [*tests.rglob("test_*.py"), *tests.glob("harness/*.py"), tests / "conftest.py"]
    bad = []
    for path in sorted(paths):
        package = ".".join(path.relative_to(ROOT).parent.parts)
        for line, module in _test_module_imports(path.read_text(encoding="utf-8"), package):
            bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert bad == []


LAYER_FOLDERS = {"session", "db", "printouts", "tui", "cli"}


def test_the_tests_are_grouped_by_layer() -> None:
    """Each test module sits in the folder of the highest layer it drives (tests/session/,
    tests/db/, tests/printouts/, tests/tui/, tests/cli/); only this one, which checks the whole
    house, stays at the top."""
    tests = ROOT / "tests"
    misplaced = [
        str(path.relative_to(tests))
        for path in tests.rglob("test_*.py")
        if path.parent != tests and path.parent.name not in LAYER_FOLDERS
    ]
    top = sorted(path.name for path in tests.glob("test_*.py"))
    assert misplaced == [] and top == ["test_boundaries.py"]
    assert {p.name for p in tests.iterdir() if p.is_dir() and (p / "__init__.py").exists()} >= (
        LAYER_FOLDERS
    )
