"""Escaping user text for Markdown, so a scenario, map or roster can never change a document's structure.

One implementation for every Markdown ttx writes: the after-action and trend
reports, `ttx map check --format md` and the participants' handout.
"""

from __future__ import annotations

import re

from simulator.safetext import strip_controls

# Inline markup anywhere in a line: emphasis, code, links, HTML, table cells, strikethrough, entities, math.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
# Line starts that would open a heading, quote, list, rule or setext underline ("1." keeps its number).
_BLOCK = re.compile(r"^(\s*\d*)([#>+=.)-])", re.MULTILINE)


def escape(value: object) -> str:
    """`value` as literal Markdown: no control characters, inline markup escaped, block markers neutralised."""
    return _BLOCK.sub(r"\1\\\2", _INLINE.sub(r"\\\1", strip_controls(str(value))))


def inline(value: object) -> str:
    """Text for one line (a heading, a list item): escaped, whitespace collapsed."""
    return escape(" ".join(str(value).split()))


def cell(value: object) -> str:
    """Text for one table cell: escaped, on one line, never empty (an empty cell can shift columns)."""
    return inline(value) or " "


def code(value: object) -> str:
    """`value` as an inline code span on one line; a backtick inside it cannot close the span early."""
    body = " ".join(strip_controls(str(value)).split())
    if not body:
        return ""
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{ticks}{pad}{body}{pad}{ticks}"


def fence(body: str, info: str = "text") -> str:
    """`body` in a code fence longer than any backtick run inside it, so it cannot close early."""
    body = strip_controls(body)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{body.rstrip()}\n{ticks}"
