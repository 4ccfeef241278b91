"""Where the bundled scenarios, maps and schemas are, installed or in a checkout."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.loading.findings import did_you_mean

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "bundled" / name  # a wheel puts them inside the package
    return installed if installed.is_dir() else _PACKAGE.parent / name


SCENARIO_DIR = _bundled("scenarios")
MAP_DIR = _bundled("roles")
SCHEMA_DIR = _bundled("schemas")
DEFAULT_MAP_FOR_AUDIENCE = {"msp": "msp", "saas": "saas", "any": "msp"}


def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def bundled_scenarios() -> list[Path]:
    return yaml_files(SCENARIO_DIR)


def bundled_maps() -> list[Path]:
    return yaml_files(MAP_DIR)


class NotFound(LookupError):
    """A scenario or map name that is neither a file nor a bundled id."""


_DECLARED_ID = re.compile(r"^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.MULTILINE)
_ID_PEEK_BYTES = 64 * 1024  # a top-level `id:` sits near the top; the loader reads the whole file later


def _declared_id(path: Path) -> str | None:
    """The top-level `id:` of a YAML file, read without parsing it (the listing shows files by id)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_ID_PEEK_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    match = _DECLARED_ID.search(head)
    return match.group(1) if match else None


def _same_file_or_bytes(one: Path, other: Path) -> bool:
    try:
        if one.resolve() == other.resolve():
            return True
        return one.stat().st_size == other.stat().st_size and one.read_bytes() == other.read_bytes()
    except OSError:
        return False


def _local_with_id(reference: str, local_folder: Path) -> Path | None:
    """The file of `local_folder` that `ttx list` shows under `reference`: by file name, then by its `id:`."""
    files = yaml_files(local_folder)
    for path in files:
        if path.stem == reference:
            return path
    for path in files:
        if _declared_id(path) == reference:
            return path
    return None


def _resolve(reference: str, folder: Path, local_folder: Path, what: str) -> Path:
    path = Path(reference).expanduser()
    if path.is_file() or (path.exists() and not path.is_dir()):
        return path  # a device or FIFO too: reading it refuses it with a message that says what it is
    names = [p.stem for p in yaml_files(folder)]
    bundled = folder / f"{reference}.yaml" if reference in names else None
    local = _local_with_id(reference, local_folder)
    # A local file with a bundled id replaces it, as in `ttx list` and on the home screen; an unchanged
    # copy of the bundled file (running from the project's own checkout) is the bundled one.
    if local is not None and (bundled is None or not _same_file_or_bytes(local, bundled)):
        return local
    if bundled is not None:
        return bundled
    raise NotFound(
        f"no {what} file or bundled {what} named '{reference}'{did_you_mean(reference, names)}"
        f" (bundled: {', '.join(names) or 'none'}; see 'ttx list')"
    )


def resolve_scenario(reference: str, local_folder: Path = Path("scenarios")) -> Path:
    """A scenario path from a file path, a scenario id of ./scenarios, or a bundled scenario id."""
    return _resolve(reference, SCENARIO_DIR, local_folder, "scenario")


def resolve_map(reference: str, local_folder: Path = Path("roles")) -> Path:
    """A map path from a file path, a map id of ./roles, or a bundled map id (msp, saas)."""
    return _resolve(reference, MAP_DIR, local_folder, "map")
