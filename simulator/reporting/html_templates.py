"""Jinja2 for the HTML reports: templates shipped in the package, autoescaped.

Every value a template prints is escaped for HTML unless it is `Markup`, and
only this package makes `Markup`: the stylesheet, the Content-Security-Policy
and the SVG charts (simulator.reporting.svg escapes the text it draws). So a
name, title or note from a file or a person cannot add markup to a report,
whatever a template does with it. Every printed text is also stripped of
control characters (simulator.safetext), so no raw ESC or BEL reaches the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from simulator.safetext import strip_controls
from simulator.wording import plural

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _without_controls(value: Any) -> Any:
    """Text printed by a template, without control characters; the package's own Markup is left as made."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return strip_controls(value)
    return value


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("simulator.reporting", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt field fails loudly instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_without_controls,
    )
    env.globals["csp"] = Markup(CSP)  # a constant: its quotes are part of the policy, not text
    env.filters["percent"] = lambda share: f"{share:.0%}"  # Python's rounding, as the other formats print it
    env.filters["counted"] = plural  # {{ n|counted("decision") }}: '1 decision', '2 decisions'
    return env


def stylesheet() -> str:
    """The reports' CSS (templates/report.css), one file for every HTML report."""
    env = environment()
    assert env.loader is not None
    return env.loader.get_source(env, "report.css")[0]


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
