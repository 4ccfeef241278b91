"""The shape of the package, checked: what import-linter's contracts in pyproject.toml cannot say."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import grimp

import simulator


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
