"""The shape of the package, checked: what import-linter's contracts in pyproject.toml cannot say."""

from __future__ import annotations

import ast
import itertools
import sys
from pathlib import Path

import grimp

import simulator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest needs tomli on 3.10, so it is there
    import tomli as tomllib


def test_reporting_has_no_import_circle() -> None:
    """Function-local imports count: grimp sees every import statement, wherever it is."""
    graph = grimp.build_graph("simulator")
    modules = sorted(m for m in graph.modules if m.startswith("simulator.reporting."))
    circles = [
        (a, b) for a, b in itertools.combinations(modules, 2) if graph.chain_exists(a, b) and graph.chain_exists(b, a)
    ]
    assert circles == []


def test_no_function_in_reporting_is_over_80_lines() -> None:
    """Each report is a model and thin renderers; a long function there is a renderer doing the model's work."""
    long = []
    for path in sorted((Path(simulator.__file__).parent / "reporting").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({length} lines)")
    assert long == []


def _contracts() -> list[dict[str, object]]:
    pyproject = Path(simulator.__file__).parent.parent / "pyproject.toml"
    contracts: list[dict[str, object]] = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    return contracts


def _top_level_modules() -> set[str]:
    """simulator.X for every module and subpackage of the package, but its entry points."""
    package = Path(simulator.__file__).parent
    names = {p.stem for p in package.glob("*.py")} | {p.parent.name for p in package.glob("*/__init__.py")}
    return {f"simulator.{name}" for name in names - {"__init__", "__main__"}}


def test_every_module_has_a_layer() -> None:
    """A module left out of the layers contract may import anything: a new one must be given its place."""
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    placed = {name.strip() for layer in layers["layers"] for name in str(layer).split("|")}  # type: ignore[attr-defined]
    assert _top_level_modules() - placed == set()


def test_every_module_but_the_tui_is_kept_from_textual() -> None:
    (forbidden,) = [c for c in _contracts() if c["type"] == "forbidden"]
    guarded = set(forbidden["source_modules"])  # type: ignore[call-overload]
    assert _top_level_modules() - guarded == {"simulator.tui"}
