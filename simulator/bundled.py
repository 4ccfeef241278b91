"""Where the bundled scenarios, maps and schemas are, installed or in a checkout."""

from __future__ import annotations

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


def _resolve(reference: str, folder: Path, what: str) -> Path:
    path = Path(reference).expanduser()
    if path.is_file() or (path.exists() and not path.is_dir()):
        return path  # a device or FIFO too: reading it refuses it with a message that says what it is
    names = [p.stem for p in yaml_files(folder)]
    if reference in names:
        return folder / f"{reference}.yaml"
    raise NotFound(
        f"no {what} file or bundled {what} named '{reference}'{did_you_mean(reference, names)}"
        f" (bundled: {', '.join(names) or 'none'}; see 'ttx list')"
    )


def resolve_scenario(reference: str) -> Path:
    """A scenario path from a file path or a bundled scenario id."""
    return _resolve(reference, SCENARIO_DIR, "scenario")


def resolve_map(reference: str) -> Path:
    """A map path from a file path or a bundled map id (msp, saas)."""
    return _resolve(reference, MAP_DIR, "map")
