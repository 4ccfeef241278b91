"""`ttx` with no command, and `ttx play`: the exercise screen."""

from __future__ import annotations

from pathlib import Path

import click

from simulator.cli.output import SEED, echo_safe, one_line_text
from simulator.tui.options import DEFAULT_WORKSPACE  # light: no Textual, no engine

MODES = ("facilitated", "solo", "assessment")


def launch(**options: object) -> None:
    # Textual is imported here, never by the headless commands.
    from simulator.tui.app import run
    from simulator.tui.options import LaunchOptions

    message = run(LaunchOptions(**options))  # type: ignore[arg-type]
    if message:
        echo_safe(message)


@click.command()
@click.argument("scenario")
@click.option("--map", "map_", metavar="MAP", help="map file or bundled id (default: by the scenario's audience)")
@click.option("--mode", type=click.Choice(MODES), help="facilitated team exercise, solo practice or solo assessment")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="participants and roles")
@click.option("--player", callback=one_line_text, help="your name, for solo play")
@click.option("--seed", type=SEED, help="fixes the generated names (default: random)")
@click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_WORKSPACE,
    show_default=True,
    help="where session folders go",
)
def play(
    scenario: str,
    map_: str | None,
    mode: str | None,
    roster: Path | None,
    player: str | None,
    seed: int | None,
    workspace: Path,
) -> None:
    """Play SCENARIO (a file or bundled id) in the exercise screen.

    With everything given (a mode plus --roster for facilitated, or --player for
    solo), it goes straight to the briefing; otherwise it opens the setup screen.
    """
    launch(scenario=scenario, map=map_, mode=mode, roster=roster, player=player, seed=seed, workspace=workspace)
