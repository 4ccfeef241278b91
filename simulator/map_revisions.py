"""The session folder's record of map revisions: which responsibilities the team fixed in the map.

`map-revisions.json` is written by the map workshop's debrief revision (simulator.authoring.maprevision)
and read by the reports, which mark those improvement-plan items "resolved by changing the map". It
lives here, beside the session folder's other files, so the reports need nothing from authoring.
"""

from __future__ import annotations

import json
from pathlib import Path

from simulator.safefiles import InputFileError, read_regular

REVISIONS_FILE = "map-revisions.json"
REVISIONS_FORMAT = "ttx-map-revisions/1"


def read_revisions(folder: Path) -> list[dict[str, object]]:
    """The revisions recorded for a session, oldest first; [] when none or unreadable."""
    try:
        data = json.loads(read_regular(folder / REVISIONS_FILE))
    except (InputFileError, ValueError):
        return []
    revisions = data.get("revisions") if isinstance(data, dict) else None
    return [r for r in revisions if isinstance(r, dict)] if isinstance(revisions, list) else []


def resolved_by_map(folder: Path) -> frozenset[str]:
    """Responsibility ids whose drift the team resolved by changing the map, from the session folder."""
    resolved: set[str] = set()
    for revision in read_revisions(folder):
        changes = revision.get("changes")
        for change in changes if isinstance(changes, list) else ():
            responsibility = change.get("responsibility") if isinstance(change, dict) else None
            if isinstance(responsibility, str):
                resolved.add(responsibility)
    return frozenset(resolved)
