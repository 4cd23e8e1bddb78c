"""The engine's tests run the toy procedure only: no module under tests/workflows imports
the register (registry), nor the register's own tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TESTS_ROOT = HERE.parent
FORBIDDEN = ("registry", "tests.registry")


def _module_name(path: Path) -> str:
    relative = path.relative_to(TESTS_ROOT.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every module an import statement in `source` names, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            names.append(target)
            names.extend(f"{target}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                node.func, "id", None)) in ("import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant)):
            names.append(str(node.args[0].value))
    return names


def forbidden_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    return sorted({
        name for name in imported_modules(source, module, is_package=is_package)
        if any(name == root or name.startswith(f"{root}.") for root in FORBIDDEN)
    })


def engine_test_modules() -> list[Path]:
    return sorted(HERE.rglob("*.py"))


def test_the_scan_covers_the_tests_and_the_toy_app():
    names = {path.relative_to(HERE).as_posix() for path in engine_test_modules()}
    assert {"helpers.py", "conftest.py", "test_engine.py", "toy/models.py", "toy/apps.py",
            "toy/handlers.py", "toy/migrations/0001_initial.py"} <= names


@pytest.mark.parametrize("path", engine_test_modules(),
                         ids=lambda path: path.relative_to(HERE).as_posix())
def test_no_engine_test_module_imports_the_register(path):
    source = path.read_text(encoding="utf-8")
    found = forbidden_imports(source, _module_name(path), is_package=path.name == "__init__.py")
    assert found == [], f"{path.relative_to(TESTS_ROOT)} imports {found}"


@pytest.mark.parametrize(
    "source",
    [
        "import registry",
        "import registry.models as models",
        "from registry import services",
        "from registry.procedures import COMPANY_CREATION",
        "from ..registry.procedure.helpers import case_of",  # the register's own tests
        "from .. import registry",
        "def f():\n    from registry.models import Application\n",  # inside a function
        "import importlib\nimportlib.import_module('registry.handlers')",
        "__import__('registry')",
    ],
)
def test_the_scan_finds_an_import_of_the_register_however_written(source):
    assert forbidden_imports(source, "tests.workflows.test_example") != []


@pytest.mark.parametrize(
    "source",
    [
        "from workflows import services",
        "from .toy.models import Permit",
        "import registry_like",
        "from .registry_tools import x",
        "TEXT = 'from registry import services'",
    ],
)
def test_the_scan_leaves_other_imports_alone(source):
    assert forbidden_imports(source, "tests.workflows.test_example") == []


def test_relative_imports_resolve_from_the_modules_package():
    assert "tests.workflows.toy.models" in imported_modules(
        "from .models import Permit", "tests.workflows.toy.handlers")
    assert "tests.workflows.toy" in imported_modules(
        "from . import handlers", "tests.workflows.toy", is_package=True)
    assert "tests.conftest" in imported_modules("from ..conftest import PASSWORD",
                                                "tests.workflows.test_engine")


# --- nor through the shared fixtures of tests/conftest.py ---------------------------------


def register_fixtures() -> set[str]:
    """Fixtures of tests/conftest.py that reach the register, directly or through another."""
    tree = ast.parse((TESTS_ROOT / "conftest.py").read_text(encoding="utf-8"))
    register_names = {
        alias.asname or alias.name
        for node in tree.body if isinstance(node, ast.ImportFrom)
        and (node.module or "").split(".")[0] == "registry"
        for alias in node.names
    }
    fixtures = {
        node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)
        and any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)
    }
    reaching: set[str] = set()
    grew = True
    while grew:
        grew = False
        for name, node in fixtures.items():
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            params = {arg.arg for arg in node.args.args}
            if name not in reaching and (used & register_names or params & reaching):
                reaching.add(name)
                grew = True
    return reaching


def requested_fixtures(source: str) -> set[str]:
    return {
        arg.arg for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) for arg in node.args.args
    }


def test_the_shared_fixtures_that_reach_the_register_are_known():
    assert {"draft", "submitted"} <= register_fixtures()
    assert "clerks" not in register_fixtures()
    assert "make_user" not in register_fixtures()


@pytest.mark.parametrize("path", engine_test_modules(),
                         ids=lambda path: path.relative_to(HERE).as_posix())
def test_no_engine_test_requests_a_fixture_that_reaches_the_register(path):
    found = requested_fixtures(path.read_text(encoding="utf-8")) & register_fixtures()
    assert found == set(), f"{path.relative_to(TESTS_ROOT)} requests {sorted(found)}"
