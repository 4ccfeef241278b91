"""`ttx validate`, `ttx list`, `ttx schema`: working with scenario and map files."""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import BaseModel

from simulator.bundled import MAP_DIR, SCENARIO_DIR, bundled_maps, bundled_scenarios, yaml_files
from simulator.catalogue import CATALOGUE, STAGES
from simulator.cli.output import echo_safe, fail, force_option, safe_console, write_file
from simulator.loading import LoadError, load_any
from simulator.model import AuthorityMap, Roster, Scenario
from simulator.safetext import strip_controls

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "ttx-scenario.schema.json": Scenario,
    "ttx-map.schema.json": AuthorityMap,
    "ttx-roster.schema.json": Roster,
}


def _describe(model: AuthorityMap | Scenario | Roster) -> str:
    if isinstance(model, Scenario):
        return f"scenario '{model.id}': {len(model.decisions)} decisions, {len(model.stages)}/6 stages"
    if isinstance(model, AuthorityMap):
        covered = sum(1 for rid in CATALOGUE if rid in model.assignments)
        return f"map '{model.id}': {len(model.roles)} roles, {covered}/24 responsibilities assigned"
    return f"roster: {len(model.participants)} participants"


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


@click.command(name="list")
def list_content() -> None:
    """Bundled and local (./scenarios, ./roles) scenarios and maps."""
    # Titles, ids and paths come from files: they go to Rich as Text, or escaped inside our own markup.
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    def sources(bundled: list[Path], local_dir: Path) -> list[tuple[str, Path]]:
        seen = {p.resolve() for p in bundled}
        local = [p for p in yaml_files(local_dir) if p.resolve() not in seen]
        return [("bundled", p) for p in bundled] + [("local", p) for p in local]

    scenarios = Table(title="Scenarios", title_justify="left", expand=False)
    for column in ("id", "title", "audience", "min", "stages", "decisions", "source"):
        scenarios.add_column(column, no_wrap=column in ("id", "stages"))
    maps = Table(title="Authority maps", title_justify="left", expand=False)
    for column in ("id", "title", "roles", "assigned", "source"):
        maps.add_column(column, no_wrap=column == "id")

    for origin, path in sources(bundled_scenarios(), Path("scenarios")):
        try:
            loaded = load_any(path)
        except LoadError as error:
            scenarios.add_row(
                Text(path.stem),
                f"[red]invalid: {error.total} problems (ttx validate {escape(str(path))})[/]",
                "",
                "",
                "",
                "",
                origin,
            )
            continue
        if isinstance(loaded.model, Scenario):
            s = loaded.model
            scenarios.add_row(
                Text(s.id),
                Text(s.title),
                s.audience,
                str(s.duration_minutes),
                _stage_strip(s),
                str(len(s.decisions)),
                origin,
            )
    for origin, path in sources(bundled_maps(), Path("roles")):
        try:
            loaded = load_any(path)
        except LoadError as error:
            maps.add_row(
                Text(path.stem),
                f"[red]invalid: {error.total} problems (ttx validate {escape(str(path))})[/]",
                "",
                "",
                origin,
            )
            continue
        if isinstance(loaded.model, AuthorityMap):
            m = loaded.model
            assigned = sum(1 for rid in CATALOGUE if rid in m.assignments)
            maps.add_row(Text(m.id), Text(m.title), str(len(m.roles)), f"{assigned}/24", origin)
    console = safe_console()
    console.print(scenarios)
    console.print(
        "stages: D detection · C confirmation · C containment · C communication · I investigation ·"
        " D documentation, in order; · not visited",
        style="dim",
    )
    console.print(maps)
    console.print(
        Text(f"bundled from {SCENARIO_DIR.parent}" if SCENARIO_DIR.parent == MAP_DIR.parent else "", style="dim")
    )


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
