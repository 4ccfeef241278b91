"""What the home screen lists: bundled and local scenarios and maps. No Textual here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.bundled import bundled_maps, bundled_scenarios, yaml_files
from simulator.catalogue import STAGES
from simulator.loading import LoadError, load_map, load_scenario
from simulator.templating import PLACEHOLDER_RE


@dataclass(frozen=True)
class ScenarioRow:
    path: Path
    title: str
    audience: str = ""
    minutes: int = 0
    decisions: int = 0
    stages: str = ""  # "6/6"
    summary: str = ""
    problems: int = 0  # findings when the file does not validate


@dataclass(frozen=True)
class Library:
    scenarios: list[ScenarioRow]
    maps: list[tuple[str, Path]]  # (label, path)


def read_library(local: Path = Path(".")) -> Library:
    """Bundled content plus ./scenarios and ./roles of `local`, each file once."""
    rows: list[ScenarioRow] = []
    seen: set[Path] = set()
    for path in [*bundled_scenarios(), *yaml_files(local / "scenarios")]:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            scenario = load_scenario(path)
        except LoadError as error:
            rows.append(ScenarioRow(path, path.name, problems=error.total))
            continue
        # Placeholders stay visible as ‹name›: filling them would need Faker on the home screen.
        summary = PLACEHOLDER_RE.sub(lambda m: f"‹{m.group(1).strip()}›", scenario.summary)
        rows.append(
            ScenarioRow(
                path,
                scenario.title,
                scenario.audience,
                scenario.duration_minutes,
                len(scenario.decisions),
                f"{len(set(scenario.stages))}/{len(STAGES)}",
                summary.strip(),
            )
        )
    maps: list[tuple[str, Path]] = []
    for path in [*bundled_maps(), *yaml_files(local / "roles")]:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            maps.append((f"{load_map(path).title} ({path.stem})", path))
        except LoadError:
            continue
    return Library(rows, maps)
