"""Writing files and printing text for every command: one rule set, one wording.

Files go through `simulator.safewrite` (never over a session, a device or a file ttx did not
write unless --force); text that came from a file or a person is stripped of control
characters before it reaches the terminal.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from simulator.safetext import strip_controls
from simulator.safewrite import OutputError, write_output

if TYPE_CHECKING:
    from rich.console import Console

EXIT_CANNOT_WRITE = 1
EXIT_EXISTS = 2  # like a usage error: pick another path or add --force

# Seeds are written to the journal and report.json: keep them exact in JSON (and printable).
SEED = click.IntRange(-(2**53 - 1), 2**53 - 1)

force_option = click.option(
    "--force", is_flag=True, help="Replace an existing file (never a session's journal or copies)."
)


def echo_safe(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print text that came from a file or a person, with terminal control sequences removed."""
    click.echo(strip_controls(text), err=err, nl=nl)


def one_line_text(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Click callback for typed text (a name, a title): on one line, without control characters."""
    return None if value is None else strip_controls(value, multiline=False)


def fail(message: str, code: int = EXIT_CANNOT_WRITE) -> NoReturn:
    """One line on stderr, then exit with `code`."""
    click.echo(strip_controls(message, multiline=False), err=True)
    raise SystemExit(code)


def write_file(path: Path, text: str | bytes, *, force: bool = False, create_folders: bool = False) -> None:
    """Write `path` by ttx's output rules, or say on one line why not and exit (2 if it exists, else 1)."""
    try:
        write_output(path, text, force=force, create_folders=create_folders)
    except OutputError as error:
        fail(str(error), EXIT_EXISTS if error.exists else EXIT_CANNOT_WRITE)


def safe_console(**options: Any) -> Console:
    """A Rich console for text from files: every character it prints passes `strip_controls`.

    Rich keeps ESC in `Text`, so a title carrying OSC 52 would reach the terminal; this console
    strips the text of every segment just before output, leaving Rich's own styling intact.
    """
    return _safe_console_class()(**options)


@functools.cache
def _safe_console_class() -> type[Console]:
    # Built on first use: Rich is imported only by the commands that print with it.
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return super()._render_buffer(
                segment if segment.control else segment._replace(text=strip_controls(segment.text))
                for segment in buffer
            )

    return SafeConsole
