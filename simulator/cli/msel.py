"""`ttx import msel` and `ttx export msel`: scenarios to and from spreadsheet MSELs (CSV, XLSX)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import NoReturn

import click

from simulator.safetext import strip_controls


def _fail(findings: list[object]) -> NoReturn:
    for finding in findings:
        click.echo(strip_controls(str(finding), multiline=False), err=True)
    click.echo("nothing written", err=True)
    raise SystemExit(1)


def _write(out: Path, data: bytes, force: bool) -> None:
    from simulator.cli.output import write_file

    write_file(out, data, force=force, create_folders=True)  # ttx's output rules: never over a file unasked


@click.group(name="import")
def import_group() -> None:
    """Bring content from other tools into ttx."""


@import_group.command(name="msel")
@click.argument("sheet_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="worksheet to read from an .xlsx (default: 'Events', 'MSEL' or the first visible one)")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="scenario file to write (default: scenarios/ID.yaml)")  # fmt: skip
@click.option("--id", "scenario_id", help="scenario id (default: the sheet's 'id' field or the file name)")
@click.option("--title", help="scenario title (default: the sheet's 'title' field or the file name)")
@click.option("--encoding", help="encoding of a CSV that is not UTF-8, e.g. cp1252 or latin-1")
@click.option("--force", is_flag=True, help="replace the output file if it exists")
def import_msel(
    sheet_file: Path,
    sheet: str | None,
    out: Path | None,
    scenario_id: str | None,
    title: str | None,
    encoding: str | None,
    force: bool,
) -> None:
    """Write a scenario from a Master Scenario Events List (.csv or .xlsx), one row per event.

    Columns are found by their header (case, spacing and common HSEEP names forgiven; see
    docs/msel.md). Unknown columns are kept in the facilitator notes and listed here. Any problem
    is reported as FILE:ROW:COLUMN and nothing is written.
    """
    from simulator.msel import SheetError, import_sheet
    from simulator.msel.cells import slug

    if scenario_id is not None and slug(scenario_id, 64) != scenario_id:
        raise click.BadParameter(f"'{scenario_id}' is not an id; expected e.g. '{slug(scenario_id, 64)}'",
                                 param_hint="--id")  # fmt: skip
    try:
        imported, text = import_sheet(sheet_file, sheet=sheet, encoding=encoding, scenario_id=scenario_id, title=title)
    except SheetError as error:
        _fail(list(error.findings))
    for note in imported.notes:
        click.echo(strip_controls(f"note: {note}", multiline=False), err=True)
    scenario = imported.scenario
    target = out or Path("scenarios") / f"{scenario.id}.yaml"
    _write(target, text.encode("utf-8"), force)
    click.echo(f"wrote {target} — scenario '{scenario.id}': {len(scenario.steps)} steps, "
               f"{len(scenario.decisions)} decisions, {len(scenario.stages)}/6 stages")  # fmt: skip
    click.echo(f"next: ttx validate {target} && ttx play {target}", err=True)


@click.group(name="export")
def export_group() -> None:
    """Write ttx content for other tools."""


@export_group.command(name="msel")
@click.argument("scenario_ref", metavar="SCENARIO")
@click.option("--map", "map_ref", help="authority map for the expected owners (default: by the scenario's audience)")
@click.option("--seed", type=int, help="fill in names as a session with this seed shows them (default: keep "
              "the {{ placeholders }}, so the sheet imports back as the same template)")  # fmt: skip
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.xlsx or FILE.csv")  # fmt: skip
@click.option("--force", is_flag=True, help="replace the output file if it exists")
def export_msel(scenario_ref: str, map_ref: str | None, seed: int | None, out: Path, force: bool) -> None:
    """Write the controller's MSEL for a scenario (path or bundled id) as .xlsx or .csv.

    One row per event: time, stage, step, inject, artifacts, each decision question with the
    map's expected owner (Accountable and Responsible, by name and party) and the map's why,
    consequences, discussion questions and facilitator notes. The .xlsx adds an 'Owners' sheet.
    """
    from simulator.bundled import DEFAULT_MAP_FOR_AUDIENCE
    from simulator.cli.authoring import _map, _scenario
    from simulator.msel import SheetError, export_bytes, sheet_format

    try:
        fmt = sheet_format(out)
    except SheetError as error:
        raise click.BadParameter(error.findings[0].message, param_hint="-o") from None
    scenario = _scenario(scenario_ref)
    authority_map = _map(map_ref or DEFAULT_MAP_FOR_AUDIENCE[scenario.audience])
    data = export_bytes(scenario, authority_map, seed, fmt)
    _write(out, data, force)
    click.echo(f"wrote {out} — {len(scenario.steps)} steps, {len(scenario.decisions)} decisions, "
               f"owners from map '{authority_map.id}'")  # fmt: skip
    if seed is None:
        hint = secrets.randbelow(2**31)
        click.echo(f"names kept as {{{{ placeholders }}}}; add --seed (e.g. --seed {hint}, the session's seed) "
                   "to fill them in", err=True)  # fmt: skip
