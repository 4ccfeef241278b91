"""The `ttx` command. Each command family lives in its own module and imports only what it needs."""

from __future__ import annotations

import click

from simulator.cli import authoring, content, play, reports, session


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ttx")
@click.pass_context
def main(ctx: click.Context) -> None:
    """ttx — tabletop exercises for incident-response ownership.

    Run with no command to open the exercise screen.
    """
    if ctx.invoked_subcommand is None:
        play.launch()


COMMANDS = (
    play.play,
    content.validate,
    content.list_content,
    content.schema,
    session.run,
    session.resume,
    session.report,
    reports.trend,
    *authoring.COMMANDS,
)
for command in COMMANDS:
    main.add_command(command)
