"""A cache of validated content, so starting a session does not re-validate unchanged files.

An entry records that one file's exact bytes passed full validation (shape, references,
templates) by this exact loading code, and keeps the validated data as plain JSON. It is
found by the SHA-256 of the file's bytes; it counts only when it was written by the same
loading code (a hash of the model, schema, catalogue, templating and loading sources, and of
the pydantic version), so editing a file, upgrading ttx or changing a rule means a miss and a
full validation. A miss validates exactly the bytes that were hashed, then stores them.

Entries live in the user cache directory (`platformdirs`; `$TTX_CACHE_DIR` overrides it,
and an empty `$TTX_CACHE_DIR` turns the cache off). A corrupt, foreign, unreadable or
unwritable cache is ignored: the file is then validated as if there were no cache. Never
pickle: an entry is JSON read through `json.loads` and rebuilt field by field.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from simulator.datarecord import DataRecord, RecordMismatch
from simulator.frozen import frozen
from simulator.safefiles import InputFileError, read_regular

if TYPE_CHECKING:
    from simulator.model import AuthorityMap, Roster, Scenario

CACHE_ENV = "TTX_CACHE_DIR"
ENTRY_FORMAT = "ttx-content-cache/1"
MAX_ENTRY_BYTES = 16 * 1024 * 1024
CachedKind = Literal["scenario", "map", "roster"]
ModelT = TypeVar("ModelT", bound=DataRecord)

_PACKAGE = Path(__file__).resolve().parent.parent
# Everything whose change could change what passes validation.
_RULE_SOURCES = (
    "model.py",
    "schema.py",
    "limits.py",
    "datarecord.py",
    "catalogue.py",
    "templating.py",
    "safetext.py",
    "safefiles.py",
)


@frozen
class Source:
    """A file's bytes as read once: what is hashed is what gets validated."""

    path: Path
    raw: bytes

    @functools.cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def cache_dir() -> Path | None:
    """Where entries go; None when the cache is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("ttx", appauthor=False)) / "content"
    except Exception:  # no home directory, or an exotic platform: run without a cache
        return None


@functools.cache
def rules_fingerprint() -> str:
    """A hash of the code that decides validity: entries written by other code never count."""
    digest = hashlib.sha256(ENTRY_FORMAT.encode())
    files = [_PACKAGE / name for name in _RULE_SOURCES]
    files += sorted((_PACKAGE / "loading").glob("*.py"))
    pydantic_version = _pydantic_version_file()
    if pydantic_version is not None:
        files.append(pydantic_version)
    for file in files:
        digest.update(file.name.encode())
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def _pydantic_version_file() -> Path | None:
    """pydantic's version.py, found without importing pydantic (the point is to not need it)."""
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "version.py"


def read_source(path: str | Path) -> Source | None:
    """The file's bytes, or None when it cannot be read (the loader then reports why, located)."""
    try:
        return Source(Path(path), read_regular(path))
    except InputFileError:
        return None


def _entry_path(directory: Path, kind: CachedKind, source: Source, context: str) -> Path:
    suffix = f"-{context[:16]}" if context else ""
    return directory / f"{kind}-{source.sha256}{suffix}.json"


def cached_data(kind: CachedKind, source: Source, context: str = "") -> dict[str, Any] | None:
    """The validated data stored for exactly these bytes, or None (no entry, or one that does not count)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        entry = json.loads(read_regular(_entry_path(directory, kind, source, context), MAX_ENTRY_BYTES))
        if not isinstance(entry, dict):
            return None
        expected = {
            "format": ENTRY_FORMAT,
            "rules": rules_fingerprint(),
            "kind": kind,
            "sha256": source.sha256,
            "context": context,
        }
        if any(entry.get(key) != value for key, value in expected.items()):
            return None
        text = entry.get("data")
        if not isinstance(text, str) or hashlib.sha256(text.encode()).hexdigest() != entry.get("data_sha256"):
            return None
        data = json.loads(text)
    except (InputFileError, OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def store(kind: CachedKind, source: Source, data: dict[str, Any], context: str = "") -> None:
    """Record that `source` validated to `data`; silently does nothing where the cache cannot be written."""
    directory = cache_dir()
    if directory is None:
        return
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    entry = {
        "format": ENTRY_FORMAT,
        "rules": rules_fingerprint(),
        "kind": kind,
        "sha256": source.sha256,
        "context": context,
        "path": str(source.path),  # for a person looking at the cache; never read back
        "data_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "data": text,
    }
    temporary: str | None = None
    try:
        import tempfile

        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".entry-", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False)
        # Whole entries only: a reader sees the old entry, the new one or none, never half of one.
        os.replace(temporary, _entry_path(directory, kind, source, context))
        temporary = None
    except OSError:
        pass  # a read-only or full cache only costs the next start a validation
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# --- rebuilding models from stored data -------------------------------------------------


def rebuild(model: type[ModelT], data: dict[str, Any]) -> ModelT | None:
    """The model stored as `data` (a `model_dump(mode="json")`), built without validating it again.

    None when the data does not fit the model field for field (then the file is validated again).
    """
    try:
        return model.from_data(data)
    except (RecordMismatch, KeyError, TypeError, ValueError, RecursionError):
        return None


# --- the cached loaders --------------------------------------------------------------


def _cached(
    kind: CachedKind,
    path: str | Path,
    model: type[ModelT],
    validate: Callable[[str | None], ModelT],
    context: str = "",
) -> ModelT:
    source = read_source(path)
    if source is None:
        return validate(None)  # reports the unreadable file as the plain loader does
    data = cached_data(kind, source, context)
    if data is not None:
        rebuilt = rebuild(model, data)
        if rebuilt is not None:
            return rebuilt
    try:
        text = source.raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return validate(None)  # the loader points at the byte that is not UTF-8
    validated = validate(text)  # the very bytes that were hashed; LoadError propagates
    store(kind, source, validated.model_dump(mode="json"), context)
    return validated


def load_scenario_cached(path: str | Path) -> Scenario:
    """`load_scenario`, answered from the cache when these exact bytes were validated before."""
    from simulator.model import Scenario

    def validate(text: str | None) -> Scenario:
        from simulator.loading.load import load_scenario  # YAML and the checks: only on a miss

        return load_scenario(path, text)

    return _cached("scenario", path, Scenario, validate)


def load_map_cached(path: str | Path) -> AuthorityMap:
    """`load_map`, answered from the cache when these exact bytes were validated before."""
    from simulator.model import AuthorityMap

    def validate(text: str | None) -> AuthorityMap:
        from simulator.loading.load import load_map

        return load_map(path, text)

    return _cached("map", path, AuthorityMap, validate)


def load_roster_cached(path: str | Path, authority_map: AuthorityMap) -> Roster:
    """`load_roster` against a map; the entry also depends on the map's role ids, which it checks against."""
    from simulator.model import Roster

    def validate(text: str | None) -> Roster:
        from simulator.loading.load import load_roster

        return load_roster(path, authority_map, text)

    context = hashlib.sha256("\n".join(sorted(authority_map.role_ids)).encode()).hexdigest()
    return _cached("roster", path, Roster, validate, context)


__all__ = [
    "CACHE_ENV",
    "Source",
    "cache_dir",
    "cached_data",
    "load_map_cached",
    "load_roster_cached",
    "load_scenario_cached",
    "read_source",
    "rebuild",
    "rules_fingerprint",
    "store",
]
