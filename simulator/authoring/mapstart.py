"""Starting points for a new map: blank, a copy of a bundled map, or a party template.

A party template is a bundled map's parties and roles with no assignment, so a
team starts from a familiar cast (an MSP with an outsourced SOC, a SaaS company)
and decides every owner itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from simulator.authoring.mapdraft import MapDraft, RoleDraft
from simulator.bundled import MAP_DIR, bundled_maps
from simulator.loading import load_map

StartKind = Literal["blank", "bundled", "template"]

TEMPLATES: dict[str, tuple[str, str]] = {
    # template id -> (bundled map it takes parties and roles from, label)
    "msp": ("msp", "MSP with outsourced SOC: parties and roles, no owners yet"),
    "saas": ("saas", "SaaS company: parties and roles, no owners yet"),
}


@dataclass(frozen=True)
class StartPoint:
    kind: StartKind
    source: str  # bundled map id or template id; "" for blank
    label: str


def start_points() -> list[StartPoint]:
    """Every starting point offered for `ttx map edit new NAME`, blank first."""
    points = [StartPoint("blank", "", "Blank: no parties, no roles; you add them")]
    for path in bundled_maps():
        points.append(
            StartPoint("bundled", path.stem, f"Copy of the bundled map '{path.stem}', owners and whys included")
        )
    points += [StartPoint("template", key, label) for key, (_, label) in TEMPLATES.items()]
    return points


def new_draft(map_id: str, title: str, start: StartPoint) -> MapDraft:
    """A draft named `map_id`/`title` from `start`."""
    if start.kind == "blank":
        return MapDraft(map_id, title)
    bundled = start.source if start.kind == "bundled" else TEMPLATES[start.source][0]
    source = load_map(Path(MAP_DIR) / f"{bundled}.yaml")
    if start.kind == "bundled":
        copy = MapDraft.from_map(source.model_copy(update={"id": map_id, "title": title}))
        copy.mark_saved()
        return copy
    roles = [RoleDraft(r.id, r.name, r.party, r.summary, r.deputy) for r in source.roles]
    return MapDraft(map_id, title, parties=dict(source.parties), roles=roles)
