"""`ttx map check`, `ttx new`, `ttx graph`, `ttx handout`: tools for scenario and map authors."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import NoReturn

import click

from simulator.bundled import NotFound, resolve_map, resolve_scenario
from simulator.cli.output import SEED, echo_safe, force_option, safe_console, write_file
from simulator.loading import LoadError, load_map, load_roster, load_scenario
from simulator.model import AuthorityMap, Scenario
from simulator.safetext import strip_controls


def _fail_load(error: LoadError) -> NoReturn:
    for finding in error.findings:
        echo_safe(str(finding), err=True)
    raise SystemExit(1)


def _scenario(reference: str) -> Scenario:
    try:
        return load_scenario(resolve_scenario(reference))
    except NotFound as error:
        raise click.BadParameter(strip_controls(str(error), multiline=False), param_hint="SCENARIO") from None
    except LoadError as error:
        _fail_load(error)


def _map(reference: str) -> AuthorityMap:
    try:
        return load_map(resolve_map(reference))
    except NotFound as error:
        raise click.BadParameter(strip_controls(str(error), multiline=False), param_hint="MAP") from None
    except LoadError as error:
        _fail_load(error)


def _write_or_print(text: str, out: Path | None, force: bool) -> None:
    if out is None:
        echo_safe(text, nl=not text.endswith("\n"))
        return
    write_file(out, strip_controls(text), force=force, create_folders=True)
    echo_safe(f"wrote {out}", err=True)


# --- ttx map check -----------------------------------------------------------


@click.group(name="map")
def map_group() -> None:
    """Work with authority maps."""


@map_group.command()
@click.argument("map_ref", metavar="MAP")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="roster file: also check that every accountable role is staffed")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["term", "md"]), default="term", show_default=True)
def check(map_ref: str, roster: Path | None, fmt: str) -> None:
    """Audit a map (path or bundled id) for readiness: gaps, unstaffed owners, overload, idle roles.

    Exits 0 when the map is ready (informational notes do not fail it), 1 with problems.
    """
    from simulator.audit import audit_map
    from simulator.authoring.audit_view import render_markdown, render_terminal

    authority_map = _map(map_ref)
    roster_model = None
    if roster is not None:
        try:
            roster_model = load_roster(roster, authority_map)
        except LoadError as error:
            _fail_load(error)
    audit = audit_map(authority_map, roster_model)
    if fmt == "md":
        echo_safe(render_markdown(audit), nl=False)
    else:
        console = safe_console(highlight=False)
        for part in render_terminal(audit):
            console.print(part)
    raise SystemExit(0 if audit.ready else 1)


@map_group.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["term", "md"]), default="term", show_default=True,
              help="term: tables for the terminal; md: Markdown for a change review")  # fmt: skip
def diff(old: str, new: str, fmt: str) -> None:
    """Show who gained or lost which responsibility between two versions of a map.

    OLD and NEW are map files or bundled ids. Lists changed owners (A), R/C/I gained
    or lost, roles and parties that appeared, went or changed, and changed whys.
    """
    from simulator.authoring.mapdiff import diff_maps, render_markdown, render_terminal

    result = diff_maps(_map(old), _map(new))
    if fmt == "md":
        click.echo(render_markdown(result, old, new), nl=False)
        return
    from rich.console import Console

    console = Console(highlight=False)
    for part in render_terminal(result, old, new):
        console.print(part)


@map_group.command()
@click.argument("words", nargs=-1, metavar="[MAP | new NAME]")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="file to save to (default: the map's own file, or roles/ID.yaml)")  # fmt: skip
@click.option("--force", is_flag=True, help="save over an existing file without asking (its old version is kept)")
def edit(words: tuple[str, ...], out: Path | None, force: bool) -> None:
    """Open the map workshop: the 24 responsibilities against the roles, with the audit live.

    MAP is a map file or a bundled id (a bundled map is saved to roles/ID.yaml, never
    over the bundled copy). `new NAME` starts a map from blank, a bundled map or a
    party template and walks the checklist asking who owns each item.
    """
    from simulator.bundled import MAP_DIR
    from simulator.cli.play import launch
    from simulator.tui.options import MapEditRequest

    if words and words[0] == "new":
        if len(words) != 2:
            raise click.UsageError("expected: ttx map edit new NAME")
        map_id, _title = _id_and_title(words[1])
        target = out or Path("roles") / f"{map_id}.yaml"
        if target.exists() and not force:
            raise click.UsageError(f"{target} already exists; edit it with: ttx map edit {target}")
        request = MapEditRequest(source=None, new_name=words[1], target=target, force=force)
    elif len(words) > 1:
        raise click.UsageError("expected one MAP, or: new NAME")
    elif words:
        _map(words[0])  # bad input gets its located errors here, before the screen opens
        source = resolve_map(words[0])
        bundled = source.resolve().parent == Path(MAP_DIR).resolve()
        target = out or (Path("roles") / source.name if bundled else source)
        request = MapEditRequest(source=source, new_name=None, target=target, force=force)
    else:
        request = MapEditRequest(source=None, new_name=None, target=out, force=force)
    launch(map_edit=request)


# --- ttx new ----------------------------------------------------------------


def _id_and_title(name: str) -> tuple[str, str]:
    """An id and a title from NAME: an id is used as-is, a title is slugified ("Phishing at HR")."""
    from simulator.authoring.newmap import ID_RE

    name = strip_controls(name, multiline=False)  # typed text goes into a file and onto the terminal
    if ID_RE.match(name):
        return name, name.replace("-", " ").replace("_", " ").capitalize()
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise click.BadParameter(f"cannot make an id from '{name}'; use letters and digits", param_hint="NAME")
    return slug, name.strip()


def _schema_reference(out: Path, schema_file: str) -> str:
    # Where `ttx schema --out schemas` puts the schema when run here, relative to the new file.
    target = Path.cwd() / "schemas" / schema_file
    try:
        return Path(os.path.relpath(target, out.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_uri()


def _create(out: Path, text: str, force: bool) -> None:
    """Write a new file; an existing one only with --force (exit 2 without it, 1 if it cannot be written)."""
    write_file(out, text, force=force, create_folders=True)
    echo_safe(f"wrote {out}")
    if not (Path.cwd() / "schemas").is_dir():
        click.echo("for editor completion, run: ttx schema --out schemas", err=True)


@click.group()
def new() -> None:
    """Start a new scenario or authority map from an annotated, valid template."""


_OUT = click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
                    help="file to write (default: scenarios/ID.yaml or roles/ID.yaml)")  # fmt: skip


@new.command(name="scenario")
@click.argument("name")
@_OUT
@force_option
def new_scenario(name: str, out: Path | None, force: bool) -> None:
    """Write a starter scenario covering all six stages. NAME is an id or a title."""
    from simulator.authoring.templates import scenario_text

    scenario_id, title = _id_and_title(name)
    out = out or Path("scenarios") / f"{scenario_id}.yaml"
    _create(out, scenario_text(scenario_id, title, _schema_reference(out, "ttx-scenario.schema.json")), force)
    echo_safe(f"next: edit it, then ttx validate {out} && ttx graph {out}", err=True)


@new.command(name="map")
@click.argument("name")
@click.option("--party", "parties", multiple=True, metavar="ID=TITLE",
              help="a party taking part, e.g. --party soc='Backend SOC' (repeatable)")  # fmt: skip
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ID:PARTY:NAME",
    help="a role, e.g. --role soc-analyst:soc:'SOC analyst' (repeatable; default: a starter set)",
)
@_OUT
@force_option
def new_map(name: str, parties: tuple[str, ...], roles: tuple[str, ...], out: Path | None, force: bool) -> None:
    """Write a starter authority map assigning all 24 responsibilities. NAME is an id or a title.

    Assignments are guessed from the role names and every why is a TODO to replace.
    A party a --role names but no --party declares is added with a TODO title.
    """
    from simulator.authoring.newmap import DEFAULT_PARTIES, DEFAULT_ROLES, SpecError, map_text, parse_party, parse_role

    try:
        declared = dict(parse_party(strip_controls(text, multiline=False)) for text in parties)
        specs = tuple(parse_role(strip_controls(text, multiline=False)) for text in roles) or DEFAULT_ROLES
    except SpecError as error:
        raise click.BadParameter(strip_controls(str(error), multiline=False)) from None
    duplicates = sorted({s.id for s in specs if sum(o.id == s.id for o in specs) > 1})
    if duplicates:
        raise click.BadParameter(f"role id given more than once: {', '.join(duplicates)}", param_hint="--role")
    all_parties = {**(DEFAULT_PARTIES if not roles else {}), **declared}
    for spec in specs:
        all_parties.setdefault(spec.party, f"TODO: name of the {spec.party} party")
    map_id, title = _id_and_title(name)
    out = out or Path("roles") / f"{map_id}.yaml"
    _create(out, map_text(map_id, title, all_parties, specs, _schema_reference(out, "ttx-map.schema.json")), force)
    echo_safe(f"next: review every assignment, then ttx map check {out}", err=True)


# --- ttx graph ---------------------------------------------------------------


@click.command()
@click.argument("scenario", required=False)
@click.option("--machine", is_flag=True, help="draw the stage state machine instead of a scenario")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="write to a file, not stdout")
@force_option
def graph(scenario: str | None, machine: bool, out: Path | None, force: bool) -> None:
    """Print a scenario's steps, stages and consequence jumps as a Mermaid flowchart.

    SCENARIO is a path or a bundled id. Paste the output into any Mermaid viewer,
    or into a Markdown file inside a ```mermaid block.
    """
    from simulator.authoring.graph import machine_diagram, scenario_flowchart
    from simulator.safewrite import GRAPH_MARK

    if machine:
        _write_or_print(f"{GRAPH_MARK}\n{machine_diagram()}", out, force)
        return
    if scenario is None:
        raise click.UsageError("give a SCENARIO (path or bundled id), or --machine for the stage machine")
    _write_or_print(f"{GRAPH_MARK}\n{scenario_flowchart(_scenario(scenario))}", out, force)


# --- ttx handout -------------------------------------------------------------


@click.command()
@click.argument("scenario")
@click.option("--seed", type=SEED, help="seed for the scenario's names; use the session's seed so they match "
              "(default: random, printed)")  # fmt: skip
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="write to a file, not stdout")
@force_option
def handout(scenario: str, seed: int | None, out: Path | None, force: bool) -> None:
    """Write the participants' briefing for a scenario in Markdown.

    It holds what players see during play (story, evidence, the "who acts?"
    questions, discussion points) and leaves out facilitator notes, expected
    owners, responsibilities and consequences.
    """
    from simulator.authoring.handout import handout as build

    model = _scenario(scenario)
    seed = secrets.randbelow(2**31) if seed is None else seed
    click.echo(f"seed {seed} (run the session with --seed {seed} so the names match)", err=True)
    _write_or_print(build(model, seed), out, force)


COMMANDS: tuple[click.Command, ...] = (map_group, new, graph, handout)
