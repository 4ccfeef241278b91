"""`ttx host` and `ttx join`: an exercise where every participant votes from their own device."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from simulator.cli.session import EXIT_BAD_ANSWERS, _fail, _load, _open, load_played_files, option_workspace
from simulator.engine import EngineError
from simulator.engine.scripted import load_answers
from simulator.journal import JournalError
from simulator.loading import load_roster
from simulator.model import Roster
from simulator.play import random_seed
from simulator.seats.hosting import HostedSession, host_new, host_resumed
from simulator.seats.server import beyond_this_machine, tls_context
from simulator.sessions import SessionError

DEFAULT_PORT = 8765


def join_link(bind: str, port: int, room_code: str, tls: bool) -> str:
    host = f"[{bind}]" if ":" in bind else bind
    return f"{'https' if tls else 'http'}://{host}:{port}/#room={room_code}"


def _open_hosted(
    scenario: str | None,
    map_reference: str | None,
    roster: Path | None,
    seed: int | None,
    workspace: Path,
    resume: str | None,
    roster_only: bool = False,
) -> HostedSession:
    if resume is not None:
        loaded = _open(resume, workspace, "resuming")
        if loaded.finished:
            _fail(f"{loaded.folder}: the session has already ended; see 'ttx report {loaded.folder}'")
        hosted = host_resumed(loaded)
        if roster_only:  # closes the room from now on; a room closed before stays closed without it
            hosted.room.registry.set_roster_only(True)  # not saved: 'cannot open the session', and why
        return hosted
    if scenario is None:
        raise click.UsageError("name a SCENARIO to host, or --resume SESSION")
    scenario_path, scenario_model, map_path, authority_map = load_played_files(scenario, map_reference)
    roster_path = roster
    # Without a roster the room starts empty: everyone picks the roles they hold from the map as they join.
    roster_model = (
        Roster(participants=[]) if roster_path is None else _load(lambda: load_roster(roster_path, authority_map))
    )
    return host_new(
        workspace=workspace,
        scenario_path=scenario_path,
        scenario=scenario_model,
        map_path=map_path,
        authority_map=authority_map,
        roster=roster_model,
        seed=random_seed() if seed is None else seed,
        roster_only=roster_only,
    )


async def _serve_headless(
    hosted: HostedSession,
    answers: dict[str, tuple[str, ...]] | None,
    bind: str,
    port: int,
    tls: tuple[Path, Path] | None,
    origins: frozenset[str],
    public_url: str | None = None,
) -> None:
    from simulator.seats.headless import HeadlessHost, write_report
    from simulator.seats.server import SeatServer, start_site

    server = SeatServer(hosted.room, origins)
    host = HeadlessHost(hosted.room, answers)
    runner, bound = await start_site(server, bind, port, tls_context(*tls) if tls else None)
    try:
        code = hosted.room.registry.room_code
        link = f"{public_url.rstrip('/')}/#room={code}" if public_url else join_link(bind, bound, code, tls is not None)
        click.echo(f"Join: {link}")
        click.echo(f"Room code: {hosted.room.registry.room_code}")
        click.echo(f"Session folder: {hosted.folder}", err=True)
        await host.run()
        path = write_report(hosted.room, hosted.folder, hosted.playable.header)
        click.echo(f"Report: {path}")
        await server.broadcast()  # the seats see the end
        await asyncio.sleep(0.5)
    finally:
        await runner.cleanup()


@click.command()
@click.argument("scenario", required=False)
@click.option("--map", "map_reference", help="Authority map: a file or a bundled id (default: from the audience).")
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster YAML: a seat for each person in it (default: none; people pick their roles as they join).",
)
@click.option(
    "--roster-only",
    is_flag=True,
    help="Seat only the people in --roster: nobody else joins with roles of their own.",
)
@click.option("--seed", type=int, help="Seed for the scenario's names (default: random).")
@option_workspace
@click.option("--resume", metavar="SESSION", help="Continue a hosted session; seats rejoin with the same code.")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--certfile", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TLS certificate.")
@click.option("--keyfile", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TLS private key.")
@click.option("--origin", "origins", multiple=True, help="Another allowed page origin (a reverse proxy's https://…).")
@click.option("--public-url", metavar="URL", help="The address participants open, behind a reverse proxy.")
@click.option("--headless", is_flag=True, help="No screen: reveal when all have voted, record the majority.")
@click.option(
    "--answers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --headless: team answers by decision id (YAML, as for 'ttx run'); others take the majority.",
)
def host(
    scenario: str | None,
    map_reference: str | None,
    roster: Path | None,
    roster_only: bool,
    seed: int | None,
    workspace: Path,
    resume: str | None,
    bind: str,
    port: int,
    certfile: Path | None,
    keyfile: Path | None,
    origins: tuple[str, ...],
    public_url: str | None,
    headless: bool,
    answers: Path | None,
) -> None:
    """Host SCENARIO: every participant takes a seat from a browser or 'ttx join' and votes privately."""
    if (certfile is None) != (keyfile is None):
        raise click.UsageError("give both --certfile and --keyfile for TLS, or neither")
    if answers is not None and not headless:
        raise click.UsageError("--answers is for --headless; on the host screen the facilitator records the answer")
    if beyond_this_machine(bind):
        newcomers = "" if roster_only else " or join with roles of their own (--roster-only: not that)"
        click.echo(
            f"warning: listening on {bind}, beyond this machine: anyone who can reach it and has the room code"
            f" can take a free seat{newcomers}. Prefer TLS (--certfile/--keyfile) or a reverse proxy; see README.",
            err=True,
        )
    if roster_only and roster is None and resume is None:
        raise click.UsageError("--roster-only needs --roster FILE: the people it seats")
    if headless and roster is None and resume is None:
        raise click.UsageError("--headless needs --roster FILE: it starts the exercise once everyone in it is seated")
    tls = (certfile, keyfile) if certfile is not None and keyfile is not None else None
    try:
        hosted = _open_hosted(scenario, map_reference, roster, seed, workspace, resume, roster_only)
    except (OSError, SessionError, JournalError, EngineError) as error:
        _fail(f"cannot open the session: {error}")
    with hosted.playable:
        team_answers = None
        if answers is not None:
            engine = hosted.room.engine
            answers_path = answers
            team_answers = _load(
                lambda: load_answers(answers_path, engine.scenario, engine.authority_map, complete=False),
                EXIT_BAD_ANSWERS,
            )
        if not headless:
            from simulator.tui.host import Serving, run_host

            serving = Serving(bind, port, tls_context(*tls) if tls else None, frozenset(origins), public_url)
            try:
                message = run_host(hosted, serving)
            except OSError as error:
                _fail(f"cannot listen on {bind}:{port}: {error.strerror or error}")
            if message:
                click.echo(message)
            return
        try:
            asyncio.run(_serve_headless(hosted, team_answers, bind, port, tls, frozenset(origins), public_url))
        except OSError as error:
            _fail(f"cannot listen on {bind}:{port}: {error.strerror or error}")
        except KeyboardInterrupt:
            click.echo(f"stopped; continue with: ttx host --resume {hosted.folder}", err=True)


@click.command()
@click.argument("address")
@click.option("--name", required=True, help="Your name; if not in the roster, you pick your roles from the map.")
@click.option("--room", help="The room code, when ADDRESS is only host:port.")
def join(address: str, name: str, room: str | None) -> None:
    """Take your seat in a hosted exercise from the terminal: ADDRESS is the join link the facilitator shows."""
    from simulator.seats.client import AddressError, parse_address

    try:
        where = parse_address(address, room)
    except AddressError as error:
        _fail(str(error))
    from simulator.tui.join import JoinApp

    message = JoinApp(where, name).run()
    if message:
        click.echo(message)
