"""The import contracts (pyproject.toml, [tool.importlinter]) hold, and can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ["config", "accounts", "registry", "workflows", "documents", "payments",
            "notifications"]


def lint_imports(directory: Path) -> subprocess.CompletedProcess:
    # The contract type is imported from this repository's tests package.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=directory, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_workflows_importing_the_registry_breaks_the_contracts(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    models = tmp_path / "workflows" / "models.py"
    models.write_text(models.read_text() + "\nimport registry  # noqa\n")

    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The workflow engine knows nothing of companies, documents or fees BROKEN" \
        in result.stdout
    assert "workflows.models -> registry" in result.stdout
    assert "Import cycle between" in result.stdout


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    for name, source in {
        "alpha/__init__.py": "",
        "alpha/one.py": "import beta.two\n",
        "beta/__init__.py": "",
        "beta/two.py": "def later():\n    from alpha import one\n    return one\n",
        "gamma/__init__.py": "import alpha\n",
    }.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(source)
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    alpha\n    beta\n    gamma\n"
        "contract_types =\n    acyclic_packages: tests.import_contracts.AcyclicPackagesContract\n"
        "[importlinter:contract:acyclic]\nname = No cycle\ntype = acyclic_packages\n"
        "packages =\n    alpha\n    beta\n    gamma\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Import cycle between alpha, beta:" in result.stdout
    assert "beta.two:2 from alpha import one (inside a function)" in result.stdout
    assert "gamma" not in result.stdout.split("Broken contracts")[1]
