"""One place that makes text from a file or a person safe to show: no terminal control sequences.

Every string that came from a scenario, map, roster, answers file, journal or a keyboard goes
through `strip_controls` before it reaches a terminal, a Textual widget or a report file, so an
ESC[2J, an OSC 52 clipboard write or a BEL cannot act on whoever reads it.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 range (U+0080–U+009F, which terminals also obey);
# then the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible,
# they reorder what a reader sees, so "invoice\u202egpj.exe" reads as "invoiceexe.jpg".
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_CONTROLS_KEEPING_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_CONTROLS_ON_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def strip_controls(text: str, *, multiline: bool = True) -> str:
    """`text` without control characters; newlines and tabs are kept only when `multiline`.

    A carriage return is dropped (a lone CR can overwrite a printed line); on one line, newlines
    and tabs become spaces so the text stays on its line.
    """
    if multiline:
        return _CONTROLS_KEEPING_LINES.sub("", text)
    return _CONTROLS_ON_ONE_LINE.sub(lambda match: " " if match.group() in "\t\n" else "", text)


def has_controls(text: str) -> bool:
    """Whether `text` holds a character `strip_controls` would remove (newlines and tabs allowed)."""
    return _CONTROLS_KEEPING_LINES.search(text) is not None
