"""An import-linter contract type (registered in pyproject.toml, `[tool.importlinter]`):
no module of the root packages uses a private (underscore) name of another module.

A private name is how a module says "mine alone": what two modules share is public, or
lives where both can reach it. Two ways in are caught: `from module import _name` (relative
imports too) and `module._name` through a module the file imported; a private module
(`import package._module`) counts too. Dunder names (`__version__`) are not private.

ruff's import-private-name (PLC2701) cannot stand in for this: it exempts every import
from the linted file's own top-level package, so `from omnicart.domain.rules import _Cart`
inside omnicart is never reported, which is the case that matters here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Set
from importlib.util import find_spec
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, output


class PrivateNamesContract(Contract):
    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots = set(self.session_options["root_packages"])
        found = []
        for module in sorted(graph.modules):
            source = _source(module) if module.partition(".")[0] in roots else None
            if source is None:
                continue  # a package outside the root packages, or a directory without code
            tree = ast.parse(source.read_bytes(), str(source))
            package = module if source.name == "__init__.py" else module.rpartition(".")[0]
            found += [f"{module}:{line}: {use}" for line, use in private_uses(tree, package, graph.modules)]
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for use in check.metadata["found"]:
            output.print_error(use, bold=False)
        output.new_line()
        output.print("Make the name public where modules share it, or move it to where both can reach it.")


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(tree: ast.Module, package: str, modules: Set[str]) -> Iterator[tuple[int, str]]:
    """(line, what) for every private name of another module that `tree` (a module of
    `package`) imports or reaches through an imported module; `modules` are the graph's."""
    bound: dict[str, str] = {}  # a name of the file -> the module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(node, package)
            for alias in node.names:
                if is_private(alias.name) or any(map(is_private, source.split("."))):
                    yield node.lineno, f"from {source} import {alias.name}"
                elif f"{source}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(map(is_private, alias.name.split("."))):
                    yield node.lineno, f"import {alias.name}"
                name = alias.asname or alias.name.partition(".")[0]
                bound[name] = alias.name if alias.asname else name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and is_private(node.attr):
            module = bound.get(node.value.id)
            if module is not None:
                yield node.lineno, f"{module}.{node.attr}"


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _source(module: str) -> Path | None:
    root, *rest = module.split(".")
    spec = find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *rest)
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None
