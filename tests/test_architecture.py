"""The shape of the package, checked: what import-linter's contracts in pyproject.toml cannot say."""

from __future__ import annotations

import itertools

import grimp


def test_reporting_has_no_import_circle() -> None:
    """Function-local imports count: grimp sees every import statement, wherever it is."""
    graph = grimp.build_graph("simulator")
    modules = sorted(m for m in graph.modules if m.startswith("simulator.reporting."))
    circles = [
        (a, b) for a, b in itertools.combinations(modules, 2) if graph.chain_exists(a, b) and graph.chain_exists(b, a)
    ]
    assert circles == []
