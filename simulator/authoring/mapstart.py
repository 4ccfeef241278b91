"""Starting points for a new map: blank, a copy of a bundled map, or a party template.

A party template is a bundled map's parties and roles with no assignment, so a
team starts from a familiar cast (an MSP with an outsourced SOC, a SaaS company)
and decides every owner itself.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Literal

from simulator.authoring.mapdraft import ID_RE, DraftError, MapDraft, RoleDraft, clean_line
from simulator.bundled import MAP_DIR, bundled_maps, yaml_files
from simulator.frozen import frozen
from simulator.loading import load_map

StartKind = Literal["blank", "bundled", "template", "file"]

TEMPLATES: dict[str, tuple[str, str]] = {
    # template id -> (bundled map it takes parties and roles from, label)
    "msp": ("msp", "MSP with outsourced SOC: parties and roles, no owners yet"),
    "saas": ("saas", "SaaS company: parties and roles, no owners yet"),
}


@frozen
class StartPoint:
    kind: StartKind
    source: str  # bundled map id, template id or a file path; "" for blank
    label: str


def start_points(local: Path | None = None) -> list[StartPoint]:
    """Every starting point for a new map, blank first; then the maps in `local` to edit as they are."""
    points = [StartPoint("blank", "", "Blank: no parties, no roles; you add them")]
    for path in bundled_maps():
        points.append(
            StartPoint("bundled", path.stem, f"Copy of the bundled map '{path.stem}', owners and whys included")
        )
    points += [StartPoint("template", key, label) for key, (_, label) in TEMPLATES.items()]
    if local is not None and local.resolve() != Path(MAP_DIR).resolve():
        points += [StartPoint("file", str(path), f"Edit {path} as it is") for path in yaml_files(local)]
    return points


def id_and_title(name: str) -> tuple[str, str]:
    """An id and a title from a name: an id is used as-is, a title is slugified ("Acme MSP" -> acme-msp)."""
    if ID_RE.match(name):
        return name, name.replace("-", " ").replace("_", " ").capitalize()
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise DraftError(f"cannot make an id from '{clean_line(name)}'; use letters and digits")
    return slug, clean_line(name)


def new_draft(map_id: str, title: str, start: StartPoint) -> MapDraft:
    """A draft named `map_id`/`title` from `start`."""
    if start.kind == "blank":
        return MapDraft(map_id, title)
    if start.kind == "file":
        return MapDraft.from_map(load_map(start.source))
    bundled = start.source if start.kind == "bundled" else TEMPLATES[start.source][0]
    source = load_map(Path(MAP_DIR) / f"{bundled}.yaml")
    if start.kind == "bundled":
        copy = MapDraft.from_map(source.model_copy(update={"id": map_id, "title": title}))
        copy.mark_saved()
        return copy
    roles = [RoleDraft(r.id, r.name, r.party, r.summary, r.deputy) for r in source.roles]
    return MapDraft(map_id, title, parties=dict(source.parties), roles=roles)
