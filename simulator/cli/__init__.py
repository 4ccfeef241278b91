"""The `ttx` command. Each command family lives in its own module, imported only when that command runs."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from typing import Any

import click

from simulator.safetext import strip_controls

# command name -> "module:attribute"; `ttx --help` lists them without importing any.
LAZY_COMMANDS = {
    "play": "simulator.cli.play:play",
    "resume": "simulator.cli.session:resume",
    "run": "simulator.cli.session:run",
    "report": "simulator.cli.session:report",
    "trend": "simulator.cli.reports:trend",
    "validate": "simulator.cli.content:validate",
    "list": "simulator.cli.content:list_content",
    "schema": "simulator.cli.content:schema",
    "map": "simulator.cli.authoring:map_group",
    "new": "simulator.cli.authoring:new",
    "graph": "simulator.cli.authoring:graph",
    "handout": "simulator.cli.authoring:handout",
    "import": "simulator.cli.msel:import_group",
    "export": "simulator.cli.msel:export_group",
    "host": "simulator.cli.seats:host",
    "join": "simulator.cli.seats:join",
}
SHORT_HELP = {
    "play": "Play a scenario in the exercise screen.",
    "resume": "Continue an unfinished session (exercise screen, or headless with answers).",
    "run": "Play a scenario headless with scripted answers.",
    "report": "Recompute a session's report from its journal.",
    "trend": "Clarity and drift across many sessions.",
    "validate": "Check scenario, map and roster files.",
    "list": "Bundled and local scenarios and maps.",
    "schema": "Write JSON Schemas for editor completion.",
    "map": "Audit, edit and compare authority maps.",
    "new": "Write a starting scenario or map.",
    "graph": "Mermaid flowchart of a scenario.",
    "handout": "Participants' briefing in Markdown.",
    "import": "Write a scenario from a spreadsheet MSEL (CSV, XLSX).",
    "export": "Write a scenario as a spreadsheet MSEL (CSV, XLSX).",
    "host": "Host an exercise: every participant votes from their own device.",
    "join": "Take your seat in a hosted exercise from the terminal.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(LAZY_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a write that fails on the way out (stdout to /dev/full, a closed pipe) is one line."""
        try:
            try:
                result = super().invoke(ctx)
            finally:  # also on SystemExit: what is still buffered must fail here, not at interpreter exit
                sys.stdout.flush()
        except OSError as error:
            _output_failed(error)
        return result

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, SHORT_HELP[name]) for name in LAZY_COMMANDS])


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ttx")
@click.pass_context
def main(ctx: click.Context) -> None:
    """ttx — tabletop exercises for incident-response ownership.

    Run with no command to open the exercise screen.
    """
    if ctx.invoked_subcommand is None:
        from simulator.cli.play import launch

        launch()


def _output_failed(error: OSError) -> None:
    """Say on one line that the output could not be written, and exit 1 without a traceback."""
    from simulator.safewrite import OutputError

    if isinstance(error, OutputError):  # a refused or failed file write: its message says it all
        message = str(error)
    elif error.filename:
        message = f"ttx: {error.filename}: {error.strerror or error}"
    else:  # what else fails on the way out is the output itself
        message = f"ttx: cannot write to standard output: {error.strerror or error}"
    if error.errno != errno.EPIPE:  # a reader that went away (`ttx list | head`) needs no message
        with contextlib.suppress(OSError):
            click.echo(strip_controls(message, multiline=False), err=True)
    # Output still buffered would fail again when Python exits; send it nowhere instead.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(1)
