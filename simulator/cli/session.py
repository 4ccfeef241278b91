"""`ttx run`, `ttx resume`, `ttx report`: headless play and reports from a session journal.

Only Click and Rich here; scoring and reporting are imported when a command needs them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE, NotFound, resolve_map, resolve_scenario
from simulator.cli.output import EXIT_EXISTS, SEED, echo_safe, fail, force_option, safe_console
from simulator.corrections import standing_answers
from simulator.engine import Engine, EngineError, ResumeError
from simulator.engine.scripted import AUTOPLAY_STRATEGIES, Answerer, autoplay, from_answers, load_answers, play_to_end
from simulator.journal import JournalError, TamperedJournal, read_journal
from simulator.loading import LoadError
from simulator.loading.cache import load_map_cached, load_roster_cached, load_scenario_cached
from simulator.loading.findings import UnreadableFile
from simulator.model import AuthorityMap, Scenario
from simulator.play import answering_as, random_seed, reopen_session, start_session, whole_team
from simulator.records import Header
from simulator.safetext import strip_controls
from simulator.safewrite import OutputError
from simulator.sessions import (
    DEFAULT_WORKSPACE,
    JOURNAL_NAME,
    REPORT_JSON,
    Session,
    SessionError,
    find_session,
    load_session,
    unfinished_sessions,
)
from simulator.wording import plural

if TYPE_CHECKING:
    from rich.console import Console

T = TypeVar("T")
EXIT_BAD_INPUT = 1  # a scenario, map, roster or session that cannot be used
EXIT_BAD_ANSWERS = 2  # an answers file that does not fit the scenario (like a usage error)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    fail(message, code)


def _load(loader: Callable[[], T], code: int = EXIT_BAD_INPUT) -> T:
    """Run a loader; print its findings as file:line:col lines and exit instead of a traceback."""
    try:
        return loader()
    except LoadError as error:
        for finding in error.findings:
            echo_safe(str(finding), err=True)
        # A file that cannot be read at all is bad input, whatever its role.
        raise SystemExit(EXIT_BAD_INPUT if isinstance(error, UnreadableFile) else code) from None


def load_played_files(scenario: str, map_reference: str | None) -> tuple[Path, Scenario, Path, AuthorityMap]:
    """The scenario (file or bundled id) and its map (given, or the one for its audience), validated; exits on error."""
    try:
        scenario_path = resolve_scenario(scenario)
    except NotFound as error:
        _fail(str(error))
    scenario_model = _load(lambda: load_scenario_cached(scenario_path))
    try:
        map_path = resolve_map(map_reference or DEFAULT_MAP_FOR_AUDIENCE[scenario_model.audience])
    except NotFound as error:
        _fail(str(error))
    authority_map = _load(lambda: load_map_cached(map_path))
    return scenario_path, scenario_model, map_path, authority_map


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        echo_safe(f"warning: {warning}", err=True)


def _require_one(answers: Path | None, strategy: str | None) -> None:
    if (answers is None) == (strategy is None):
        raise click.UsageError("give exactly one of --answers FILE or --autoplay map|nobody|random")


def _answerer(
    answers: Path | None, strategy: str | None, scenario: Scenario, authority_map: AuthorityMap, seed: int
) -> Answerer:
    if answers is not None:
        return from_answers(_load(lambda: load_answers(answers, scenario, authority_map), EXIT_BAD_ANSWERS))
    assert strategy is not None
    return autoplay(strategy, seed)


def saved_state(folder: Path) -> str:
    """What the session's journal holds now, read back from disk, for a message after a failed write."""
    try:
        contents = read_journal(folder / JOURNAL_NAME)
    except JournalError as error:
        return f"its journal cannot be read back ({error})"
    answers = len(contents.of_type("answer_recorded"))
    if contents.ended:
        return f"the session is complete: {JOURNAL_NAME} holds its {plural(answers, 'answer')} and its end"
    kept = {0: "no answer yet", 1: "the first answer"}.get(answers, f"the first {answers} answers")
    return (
        f"{JOURNAL_NAME} holds {kept} and the session is resumable:"
        f" 'ttx resume {folder}' continues it once the disk has room"
    )


def _finish(folder: Path, engine: Engine, header: Header, console: Console, tampered: tuple[int, ...] = ()) -> None:
    """Write report.json next to the journal and print the summary; `tampered`: where the chain breaks."""
    from rich.text import Text

    from simulator.reporting.files import SessionReport, score_events, write_session_reports
    from simulator.reporting.summary import summary_of
    from simulator.reporting.terminal import print_summary

    score = score_events(engine.scenario, engine.authority_map, engine.roster, engine.events)
    report = SessionReport(header, engine.scenario, engine.authority_map, engine.events, score, tampered=tampered)
    try:
        write_session_reports(report, folder, ("json",))
    except OSError as error:
        _fail(
            f"{folder}: {saved_state(folder)}; {REPORT_JSON} was not written ({error.strerror or error});"
            f" 'ttx report {folder} --format json' recomputes it"
        )
    print_summary(summary_of(score), console)
    console.print(
        Text.assemble("Session folder: ", (str(folder), "bold"), f"  (journal: {JOURNAL_NAME}, report: {REPORT_JSON})")
    )


def _console() -> Console:
    return safe_console()


option_answers = click.option(
    "--answers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file: decision-id: role-id | [role-a, role-b] | nobody.",
)
option_autoplay = click.option(
    "--autoplay",
    type=click.Choice(AUTOPLAY_STRATEGIES),
    help="map: the map's accountable role; nobody: no one; random: 0-2 roles picked from the seed.",
)
option_accept_tampered = click.option(
    "--accept-tampered",
    is_flag=True,
    help="Use a journal whose hash chain is broken (edited by hand?); its reports say so on their cover.",
)
option_workspace = click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_WORKSPACE,
    show_default=True,
    help="Folder holding the session folders.",
)


@click.command()
@click.argument("scenario")
@click.option("--map", "map_reference", help="Authority map: a file or a bundled id (default: from the audience).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Roster YAML file.")
@click.option("--seed", type=SEED, help="Seed for the scenario's names (default: random, printed).")
@click.option(
    "--workspace",
    "--out",  # its first name, kept for the scripts that use it
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_WORKSPACE,
    show_default=True,
    help="Folder holding the session folders (--out is the same), as for play, host, resume and report.",
)
@option_answers
@option_autoplay
def run(
    scenario: str,
    map_reference: str | None,
    roster: Path | None,
    seed: int | None,
    out: Path,
    answers: Path | None,
    autoplay: str | None,
) -> None:
    """Play SCENARIO (a file or a bundled id) headless and write its journal and report."""
    _require_one(answers, autoplay)
    scenario_path, scenario_model, map_path, authority_map = load_played_files(scenario, map_reference)
    if roster is not None:
        roster_path = roster
        roster_model = _load(lambda: load_roster_cached(roster_path, authority_map))
    else:
        roster_model = whole_team(authority_map)
    seed = random_seed() if seed is None else seed
    answerer = _answerer(answers, autoplay, scenario_model, authority_map, seed)

    console = _console()
    console.print(f"Seed: [bold]{seed}[/] (replay with --seed {seed})")
    try:
        playable = start_session(
            workspace=out,
            scenario_path=scenario_path,
            scenario=scenario_model,
            map_path=map_path,
            authority_map=authority_map,
            roster=roster_model,
            seed=seed,
            mode="headless",
        )
    except (OSError, SessionError, JournalError) as error:
        _fail(f"cannot start the session: {error}")
    with playable:  # the session's lock is held until report.json is written
        try:
            play_to_end(playable.engine, answerer, answering_as(roster_model))
        except (OSError, JournalError) as error:
            _fail(f"{playable.folder}: the session stopped: {error}; {saved_state(playable.folder)}")
        _finish(playable.folder, playable.engine, playable.header, console)


TAMPERED_HINT = {
    "reporting": "; give --accept-tampered to score it anyway (the report then says so on its cover)",
    "resuming": "; give --accept-tampered to continue it anyway (its reports then say so on their cover)",
}


def _open(reference: str, workspace: Path, purpose: str, accept_tampered: bool = False) -> Session:
    try:
        folder = find_session(reference, workspace)
        session = load_session(folder, purpose, accept_tampered)
    except TamperedJournal as error:
        _fail(f"{error}{TAMPERED_HINT.get(purpose, '')}")
    except (SessionError, JournalError) as error:
        _fail(str(error))
    except LoadError as error:
        for finding in error.findings:
            echo_safe(str(finding), err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    _warn(session.warnings)
    return session


def _latest_unfinished(workspace: Path) -> str:
    waiting = unfinished_sessions(workspace)
    if not waiting:
        _fail(f"no unfinished session in {workspace}; name one, or start with 'ttx play'")
    return str(waiting[-1].folder)


@click.command()
@click.argument("session", required=False)
@option_workspace
@option_answers
@option_autoplay
@option_accept_tampered
def resume(
    session: str | None, workspace: Path, answers: Path | None, autoplay: str | None, accept_tampered: bool
) -> None:
    """Continue SESSION (a folder, or a folder name in the workspace; default: the latest unfinished one).

    With --answers or --autoplay it finishes headless; otherwise it reopens the
    exercise screen exactly where the session stopped.
    """
    reference = session or _latest_unfinished(workspace)
    if answers is None and autoplay is None and accept_tampered:
        raise click.UsageError("--accept-tampered continues a session headless only: add --answers or --autoplay")
    if answers is None and autoplay is None:
        from simulator.cli.play import launch

        folder = _open(reference, workspace, "resuming").folder
        launch(resume=folder, workspace=workspace)
        return
    _require_one(answers, autoplay)
    loaded = _open(reference, workspace, "resuming", accept_tampered)
    if loaded.finished:
        echo_safe(f"{loaded.folder}: the session has already ended; see 'ttx report {loaded.folder}'")
        return
    header = loaded.header
    answerer = _answerer(answers, autoplay, loaded.scenario, loaded.authority_map, header.seed)
    console = _console()
    try:
        playable = reopen_session(loaded, accept_tampered)
    except ResumeError as error:
        _fail(strip_controls(f"{loaded.journal_path}: {error}", multiline=False))  # ids read from the journal
    except (SessionError, JournalError, EngineError, OSError) as error:
        _fail(str(error) if str(error).startswith(str(loaded.folder)) else f"{loaded.folder}: {error}")
    with playable:  # the session's lock is held until report.json is written
        engine = playable.engine
        pending = engine.pending_decision
        where = f" at step '{pending.step}', decision '{pending.decision.id}'" if pending else ""
        console.print(
            f"Resuming {loaded.folder.name}{where} ({plural(len(engine.answers), 'answer')} replayed)", markup=False
        )
        try:
            play_to_end(engine, answerer, answering_as(loaded.roster))
        except (JournalError, OSError) as error:
            _fail(f"{loaded.folder}: the session stopped: {error}; {saved_state(loaded.folder)}")
        _finish(loaded.folder, engine, playable.header, console, tuple(loaded.contents.broken_lines))


@click.command()
@click.argument("session")
@option_workspace
@click.option(
    "--format",
    "format_",
    type=click.Choice(["term", "md", "html", "json", "csv"]),
    default="term",
    show_default=True,
    help="term: summary on the terminal; md, html: the after-action report; json: report.json; csv: improvement plan.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead.")
@option_accept_tampered
@force_option
def report(
    session: str, workspace: Path, format_: str, output: Path | None, accept_tampered: bool, force: bool
) -> None:
    """Recompute SESSION's report from its journal and the copies kept with it.

    The journal's hash chain is verified and the journal replayed against the
    copies first: a journal that was edited, or that does not replay, is refused
    with the line at fault.
    """
    from simulator.reporting.files import session_report, write_report_file

    loaded = _open(session, workspace, "reporting", accept_tampered)
    try:
        Engine.restore(loaded.scenario, loaded.authority_map, loaded.roster, loaded.header.seed, loaded.contents.events)
    except ResumeError as error:
        _fail(strip_controls(f"{loaded.journal_path}: {error}", multiline=False))  # ids read from the journal
    if not loaded.finished:
        answers = len(standing_answers(loaded.contents.events))
        total = len(loaded.scenario.decisions)
        click.echo(
            f"note: the session has not ended ({plural(answers, 'answer')} of {plural(total, 'decision')})", err=True
        )
    reports = session_report(loaded)
    if format_ == "term":
        from simulator.reporting.aar import tampered_notice
        from simulator.reporting.terminal import print_summary

        if output is None:
            console = safe_console()
            if reports.tampered:
                console.print(tampered_notice(reports.tampered), style="bold red", markup=False)
            print_summary(reports.summary, console)
            return
        buffer = io.StringIO()
        if reports.tampered:
            buffer.write(tampered_notice(reports.tampered) + "\n")
        print_summary(reports.summary, safe_console(file=buffer, width=100, color_system=None))
        text = buffer.getvalue()
    else:
        text = reports.text(format_)
        if output is None:
            echo_safe(text, nl=False)
            return
    try:
        write_report_file(output, format_, strip_controls(text), force=force)
    except OutputError as error:
        _fail(str(error), EXIT_EXISTS if error.exists else EXIT_BAD_INPUT)
