"""An import-linter contract type: no import cycle between top-level packages.

import-linter's own `acyclic_siblings` looks for cycles between the children of one
package; the project's apps and config are top-level packages with no common parent, so
this contract draws the graph of which package imports which (any import grimp sees, in a
function too) and refuses any cycle in it. Registered in pyproject.toml's
[tool.importlinter]; `make test` runs `lint-imports`.
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application.contract_utils import (
    AlertLevel,
    remove_ignored_imports_and_report,
)


class AcyclicPackagesContract(Contract):
    type_name = "acyclic_packages"

    packages = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        packages: list[str] = list(self.packages)  # type: ignore[call-overload]
        imports = {
            (importer, imported): _imports_between(graph, importer, imported)
            for importer in packages for imported in packages if importer != imported
        }
        edges = {pair for pair, found in imports.items() if found}
        cycles = [sorted(group) for group in _strongly_connected(packages, edges)
                  if len(group) > 1]
        return ContractCheck(
            kept=not cycles,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"cycles": [
                {pair: imports[pair] for pair in sorted(edges) if set(pair) <= set(cycle)}
                for cycle in cycles
            ]},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            members = sorted({package for pair in cycle for package in pair})
            output.print_error(f"Import cycle between {', '.join(members)}:", bold=True)
            output.new_line()
            for (importer, imported), lines in cycle.items():
                output.print_error(f"{importer} -> {imported}", bold=False)
                for line in lines:
                    output.indent_cursor()
                    output.print_error(line, bold=False)
            output.new_line()


def _imports_between(graph: grimp.ImportGraph, importer: str, imported: str) -> list[str]:
    """Each direct import from a module of `importer` to one of `imported`, as a line."""
    found = []
    for module in graph.find_descendants(importer) | {importer}:
        for target in graph.find_modules_directly_imported_by(module):
            if target != imported and not target.startswith(f"{imported}."):
                continue
            for detail in graph.get_import_details(importer=module, imported=target):
                found.append((module, detail["line_number"], detail["line_contents"]))
    return [
        f"{module}:{line} {contents}"
        + (" (inside a function)" if line in _function_imports(module) else "")
        for module, line, contents in sorted(found)
    ]


@cache
def _function_imports(module: str) -> frozenset[int]:
    """Line numbers of the imports written inside a function of `module`."""
    root, *rest = module.split(".")
    spec = importlib.util.find_spec(root)
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent.joinpath(*rest)
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    tree = ast.parse(source.read_text())
    return frozenset(
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    )


def _strongly_connected(nodes: list[str], edges: set[tuple[str, str]]) -> list[set[str]]:
    """Groups of packages that reach one another through imports (a cycle when > 1)."""
    reaches = {node: {node} for node in nodes}
    changed = True
    while changed:  # transitive closure: a handful of packages, a few passes
        changed = False
        for importer, imported in edges:
            missing = reaches[imported] - reaches[importer]
            if missing:
                reaches[importer] |= missing
                changed = True
    groups: list[set[str]] = []
    for node in nodes:
        group = {other for other in reaches[node] if node in reaches[other]}
        if group not in groups:
            groups.append(group)
    return groups
