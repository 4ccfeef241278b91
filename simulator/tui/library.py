"""What the home screen lists: bundled and local scenarios and maps, each id once. No Textual here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

from simulator.bundled import bundled_maps, bundled_scenarios, yaml_files
from simulator.catalogue import STAGES
from simulator.content_index import Origin, each_id_once
from simulator.frozen import frozen
from simulator.loading import LoadError, load_map, load_scenario
from simulator.model import AuthorityMap, Scenario, VariableSpec
from simulator.safetext import strip_controls
from simulator.templating import NAME_RE, PLACEHOLDER_RE, fill_variables, render


@frozen
class ScenarioRow:
    path: Path
    title: str
    audience: str = ""
    minutes: int = 0
    decisions: int = 0
    stages: str = ""  # "6/6"
    summary: str = ""  # as written, with its `{{ placeholders }}`
    problems: int = 0  # findings when the file does not validate
    origin: Origin = "bundled"
    variables: Mapping[str, VariableSpec] = field(default_factory=dict)

    @property
    def local(self) -> bool:
        return self.origin == "local"


@frozen
class MapRow:
    path: Path
    id: str
    title: str
    origin: Origin = "bundled"

    @property
    def label(self) -> str:
        return f"{self.title} ({self.id}{', local' if self.origin == 'local' else ''})"


@frozen
class Library:
    scenarios: list[ScenarioRow]
    map_rows: list[MapRow]

    @property
    def maps(self) -> list[tuple[str, Path]]:
        """(label, path) for a Select."""
        return [(row.label, row.path) for row in self.map_rows]


def plain_words(summary: str) -> str:
    """The summary with each placeholder as the words of its name: `{{ finance_user }}` → "finance user"."""

    def words(match: object) -> str:
        name = NAME_RE.match(match.group(1))  # type: ignore[attr-defined]
        return name.group(1).replace("_", " ").replace("-", " ") if name else "…"

    return PLACEHOLDER_RE.sub(words, summary)


def sample_summary(row: ScenarioRow, seed: int) -> str:
    """The summary with the names the session will use for `seed` (Faker: call it off the UI thread)."""
    return render(row.summary, fill_variables(row.variables, seed))


def _read_scenario(path: Path) -> tuple[str, Scenario | LoadError]:
    try:
        scenario = load_scenario(path)
    except LoadError as error:
        return path.stem, error
    return scenario.id, scenario


def _read_map(path: Path) -> tuple[str, AuthorityMap | LoadError]:
    try:
        authority_map = load_map(path)
    except LoadError as error:
        return path.stem, error
    return authority_map.id, authority_map


def read_library(local: Path = Path(".")) -> Library:
    """Bundled content plus ./scenarios and ./roles of `local`; a local file with a bundled id replaces it."""
    rows: list[ScenarioRow] = []
    for entry in each_id_once(bundled_scenarios(), yaml_files(local / "scenarios"), _read_scenario):
        scenario = entry.loaded
        if isinstance(scenario, LoadError):
            rows.append(ScenarioRow(entry.path, entry.path.name, problems=scenario.total, origin=entry.origin))
            continue
        rows.append(
            ScenarioRow(
                entry.path,
                strip_controls(scenario.title, multiline=False),
                scenario.audience,
                scenario.duration_minutes,
                len(scenario.decisions),
                f"{len(set(scenario.stages))}/{len(STAGES)}",
                strip_controls(scenario.summary.strip()),
                origin=entry.origin,
                variables=dict(scenario.variables),
            )
        )
    return Library(rows, read_maps(local))


def read_maps(local: Path = Path(".")) -> list[MapRow]:
    """Bundled maps plus ./roles of `local`, each id once; files that do not validate are left out."""
    maps: list[MapRow] = []
    for entry in each_id_once(bundled_maps(), yaml_files(local / "roles"), _read_map):
        if isinstance(entry.loaded, AuthorityMap):
            title = strip_controls(entry.loaded.title, multiline=False)
            maps.append(MapRow(entry.path, entry.id, title, entry.origin))
    return maps
