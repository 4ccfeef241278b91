"""Escaping user text for Markdown, so a scenario or map can never change a document's structure."""

from __future__ import annotations

import re

# Characters that start emphasis, links, code, HTML or table cells anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# Line starts that would open a heading, quote, list, rule or setext underline ("1." keeps its number).
_BLOCK = re.compile(r"^(\s*\d*)([#>+=.)-])", re.MULTILINE)


def escape(text: str) -> str:
    """`text` as literal Markdown: inline markup escaped, block markers at line starts neutralised."""
    return _BLOCK.sub(r"\1\\\2", _INLINE.sub(r"\\\1", text))


def cell(text: str) -> str:
    """`text` for one table cell: escaped, on one line."""
    return escape(" ".join(text.split())) or " "


def fence(body: str, info: str = "text") -> str:
    """`body` in a code fence longer than any backtick run inside it, so it cannot close early."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{body.rstrip()}\n{ticks}"
