"""`ttx validate`, `ttx list`, `ttx schema`: working with scenario and map files."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from pydantic import BaseModel

from simulator import schema as file_schema
from simulator.bundled import MAP_DIR, SCENARIO_DIR, bundled_maps, bundled_scenarios, yaml_files
from simulator.catalogue import CATALOGUE, STAGES
from simulator.cli.output import echo_safe, fail, force_option, safe_console, write_file
from simulator.content_index import each_id_once
from simulator.frozen import frozen
from simulator.loading import LoadError, load_any
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.safetext import strip_controls
from simulator.wording import plural

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "ttx-scenario.schema.json": file_schema.Scenario,
    "ttx-map.schema.json": file_schema.AuthorityMap,
    "ttx-roster.schema.json": file_schema.Roster,
}


def _describe(model: AuthorityMap | Scenario | Roster) -> str:
    if isinstance(model, Scenario):
        return f"scenario '{model.id}': {len(model.decisions)} decisions, {len(model.stages)}/6 stages"
    if isinstance(model, AuthorityMap):
        covered = sum(1 for rid in CATALOGUE if rid in model.assignments)
        return f"map '{model.id}': {len(model.roles)} roles, {covered}/24 responsibilities assigned"
    return f"roster: {plural(len(model.participants), 'participant')}"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check scenario, map and roster files; print every problem as file:line:column."""
    files: list[Path] = []
    for path in paths:
        files.extend(yaml_files(path) if path.is_dir() else [path])
    if not files:
        named = strip_controls(", ".join(str(p) for p in paths), multiline=False)
        raise click.UsageError(f"no .yaml or .yml files in {named}")
    problems = 0
    for file in files:
        try:
            loaded = load_any(file)
        except LoadError as error:
            problems += error.total
            for finding in error.findings:
                echo_safe(str(finding))
        else:
            echo_safe(f"{file}: ok — {_describe(loaded.model)}")
    noun = "problem" if problems == 1 else "problems"
    click.echo(f"{len(files)} file{'s' if len(files) != 1 else ''} checked, {problems:,} {noun}", err=True)
    raise SystemExit(1 if problems else 0)


def _stage_strip(scenario: Scenario) -> str:
    present = set(scenario.stages)
    return "".join(stage[0].upper() if stage in present else "·" for stage in STAGES)


@frozen
class _Listed:
    kind: str  # "scenario" | "map"
    id: str
    title: str  # or what is wrong with the file
    details: tuple[str, ...]  # scenario: audience, minutes, stages, decisions; map: roles, assigned
    origin: str
    replaces_bundled: bool
    invalid: bool = False


def _read_model(path: Path) -> tuple[str, AuthorityMap | Scenario | Roster | LoadError]:
    try:
        loaded = load_any(path)
    except LoadError as error:
        return path.stem, error
    model = loaded.model
    return (model.id if isinstance(model, (Scenario, AuthorityMap)) else path.stem), model


def _listed(kind: str, bundled: list[Path], local_dir: Path) -> list[_Listed]:
    """Each id once: a local file with a bundled id replaces the bundled one (see content_index)."""
    rows: list[_Listed] = []
    for entry in each_id_once(bundled, yaml_files(local_dir), _read_model):
        model = entry.loaded
        where = (entry.origin, entry.replaces_bundled)
        clean = functools.partial(strip_controls, multiline=False)
        if isinstance(model, LoadError):
            problems = model.total
            title = f"invalid: {problems} problem{'s' if problems != 1 else ''} (ttx validate {entry.path})"
            rows.append(_Listed(kind, clean(entry.id), clean(title), (), entry.origin, entry.replaces_bundled, True))
        elif kind == "scenario" and isinstance(model, Scenario):
            details: tuple[str, ...] = (
                model.audience,
                str(model.duration_minutes),
                _stage_strip(model),
                str(len(model.decisions)),
            )
            rows.append(_Listed(kind, clean(model.id), clean(model.title), details, *where))
        elif kind == "map" and isinstance(model, AuthorityMap):
            assigned = sum(1 for rid in CATALOGUE if rid in model.assignments)
            details = (str(len(model.roles)), f"{assigned}/24")
            rows.append(_Listed(kind, clean(model.id), clean(model.title), details, *where))
    return rows


SCENARIO_COLUMNS = ("id", "title", "audience", "min", "stages", "decisions", "source")
MAP_COLUMNS = ("id", "title", "roles", "assigned", "source")


def _print_tab_separated(scenarios: list[_Listed], maps: list[_Listed]) -> None:
    """One line per file, fields separated by tabs: for scripts, grep and cut when the output is piped."""
    for kind, rows, columns in (("scenario", scenarios, SCENARIO_COLUMNS), ("map", maps, MAP_COLUMNS)):
        click.echo("\t".join(("kind", *columns)))
        for row in rows:
            details = row.details or ("",) * (len(columns) - 3)
            title = " ".join(row.title.split())  # a tab or newline in a title would break the columns
            click.echo("\t".join((kind, row.id, title, *details, row.origin)))


def _print_tables(scenarios: list[_Listed], maps: list[_Listed]) -> None:
    """Rich tables that keep one line per file at any width: titles give way, cut with an ellipsis."""
    from rich.table import Table
    from rich.text import Text

    console = safe_console()
    for title, rows, columns in (("Scenarios", scenarios, SCENARIO_COLUMNS), ("Authority maps", maps, MAP_COLUMNS)):
        table = Table(title=title, title_justify="left", box=None, pad_edge=False, header_style="bold underline")
        cells = [(row.id, row.title, *(row.details or ("",) * (len(columns) - 3)), row.origin) for row in rows]
        for index, column in enumerate(columns):
            short = {"audience": "aud.", "decisions": "dec."}.get(column, column)
            # Every column but the title keeps its full width; only the title gives way, with an ellipsis.
            widest = [max([len(short), *(len(cell[i]) for cell in cells)]) for i in range(len(columns))]
            others = sum(w for i, w in enumerate(widest) if columns[i] != "title") + 2 * (len(columns) - 1)
            if column == "title":
                width = max(8, min(widest[index], console.width - others))
                table.add_column(short, no_wrap=True, overflow="ellipsis", width=width)
            else:
                table.add_column(short, no_wrap=True, width=widest[index])
        for row, cell in zip(rows, cells, strict=True):
            table.add_row(Text(cell[0]), Text(cell[1], style="red" if row.invalid else ""), *cell[2:])
        console.print(table)
        if title == "Scenarios":
            console.print(
                "stages: D detection · C confirmation · C containment · C communication · I investigation ·"
                " D documentation, in order; · not visited",
                style="dim",
            )
    replaced = [row.id for row in (*scenarios, *maps) if row.replaces_bundled]
    if replaced:
        console.print(Text(f"local files replace the bundled ones with the same id: {', '.join(replaced)}", "dim"))
    console.print(
        Text(f"bundled from {SCENARIO_DIR.parent}" if SCENARIO_DIR.parent == MAP_DIR.parent else "", style="dim")
    )


@click.command(name="list")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", "table", "tsv"]),
    default="auto",
    show_default=True,
    help="table on a terminal, tab-separated when piped",
)
def list_content(output_format: str) -> None:
    """Bundled and local (./scenarios, ./roles) scenarios and maps, each id once.

    A local file with the id of a bundled one replaces it and is marked local. On a
    terminal each file takes one line (titles cut with an ellipsis); piped or
    redirected, the output is tab-separated, one line per file.
    """
    scenarios = _listed("scenario", bundled_scenarios(), Path("scenarios"))
    maps = _listed("map", bundled_maps(), Path("roles"))
    if output_format == "table" or (output_format == "auto" and sys.stdout.isatty()):
        _print_tables(scenarios, maps)
    else:
        _print_tab_separated(scenarios, maps)


def schemas() -> dict[str, dict[str, object]]:
    """JSON Schema of each file format, keyed by file name."""
    result: dict[str, dict[str, object]] = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **schema}
        result[name] = schema
    return result


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="folder to write the schemas to",
)
@force_option
def schema(out: Path, force: bool) -> None:
    """Write JSON Schemas of the scenario, map and roster formats (for editor completion).

    Schemas ttx wrote before are replaced; any other file of the same name only with --force.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
    for name, document in schemas().items():
        target = out / name
        write_file(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n", force=force)
        echo_safe(str(target))
