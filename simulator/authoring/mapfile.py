"""Write an authority map as a YAML file, safely, keeping the version it replaces.

The text is built by hand, not dumped, so it reads like the bundled maps: the
schema line for editor completion, roles grouped under their party, assignments
grouped by stage with the checklist's wording in a comment. Every string is
written as a JSON string, which is a valid YAML scalar whatever it contains.

Saving never replaces a file unless asked (`overwrite=True`); when it does, the
previous version is first copied to `.history/NAME.<timestamp>.yaml` beside it.
The new text goes to a temporary file created exclusively in the same folder,
flushed to disk, then renamed over the target, so a crash leaves either the old
file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from datetime import datetime, timezone
from pathlib import Path

from simulator.catalogue import CATALOGUE, STAGES
from simulator.frozen import frozen
from simulator.model import AuthorityMap
from simulator.safefiles import InputFileError, read_regular
from simulator.safetext import strip_controls

HISTORY_DIR = ".history"
DEFAULT_SCHEMA = "../schemas/ttx-map.schema.json"


class MapFileError(Exception):
    """A map that cannot be written where asked; the message says why and what to do."""


class WouldOverwrite(MapFileError):
    """The target exists and the caller did not ask to replace it."""


def _q(text: str) -> str:
    return json.dumps(strip_controls(text, multiline=False), ensure_ascii=False)


def _ids(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def map_yaml(authority_map: AuthorityMap, schema: str = DEFAULT_SCHEMA, *, comment: str = "") -> str:
    """The map as YAML text that `load_map` reads back into an equal model."""
    out = [f"# yaml-language-server: $schema={schema}"]
    if comment:
        out += [f"# {line}" for line in strip_controls(comment).splitlines()]
    out += [f"id: {authority_map.id}", f"title: {_q(authority_map.title)}"]
    if authority_map.description:
        out.append(f"description: {_q(authority_map.description)}")
    out += ["", "parties:"]
    out += [f"  {party}: {_q(title)}" for party, title in authority_map.parties.items()]
    out += ["", "roles:"]
    for party, title in authority_map.parties.items():
        members = [r for r in authority_map.roles if r.party == party]
        if not members:
            continue
        out.append(f"  # --- {strip_controls(title, multiline=False)} ---")
        for role in members:
            out += [f"  - id: {role.id}", f"    name: {_q(role.name)}", f"    party: {role.party}"]
            if role.deputy:
                out.append(f"    deputy: {role.deputy}")
            if role.summary:
                out.append(f"    summary: {_q(role.summary)}")
    if authority_map.extra_responsibilities:
        out += ["", "extra_responsibilities:"]
        for extra in authority_map.extra_responsibilities:
            out += [f"  - id: {extra.id}", f"    stage: {extra.stage}", f"    title: {_q(extra.title)}"]
            if extra.description:
                out.append(f"    description: {_q(extra.description)}")
    out += ["", "assignments:" if authority_map.assignments else "assignments: {}"]
    stage_of = {rid: item.stage for rid, item in CATALOGUE.items()}
    stage_of.update({x.id: x.stage for x in authority_map.extra_responsibilities if x.id not in stage_of})
    order = {rid: index for index, rid in enumerate(stage_of)}
    for stage in STAGES:
        rids = [rid for rid in authority_map.assignments if stage_of.get(rid) == stage]
        if not rids:
            continue
        out.append(f"  # --- {stage} ---")
        for rid in sorted(rids, key=order.__getitem__):
            a = authority_map.assignments[rid]
            item = CATALOGUE.get(rid)
            out.append(f"  {rid}:" + (f"  # {item.title}: {item.description}" if item else ""))
            out.append(f"    A: {a.A}")
            for letter, holders in (("R", a.R), ("C", a.C), ("I", a.I)):
                if holders:
                    out.append(f"    {letter}: {_ids(holders)}")
            out.append(f"    why: {_q(a.why)}")
    return "\n".join(out) + "\n"


def schema_reference(target: Path, schema_dir: Path | None = None) -> str:
    """The map schema as `ttx schema --out schemas` writes it here, relative to the file being written."""
    schema = (schema_dir or Path.cwd() / "schemas") / "ttx-map.schema.json"
    try:
        return Path(os.path.relpath(schema.resolve(), target.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return schema.resolve().as_uri()


def history_path(path: Path, moment: datetime) -> Path:
    """Where the version of `path` replaced at `moment` is kept: .history/NAME.2026-12-01T0930.yaml."""
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M")
    return path.parent / HISTORY_DIR / f"{path.stem}.{stamp}{path.suffix or '.yaml'}"


@frozen
class Saved:
    path: Path
    previous: Path | None  # where the replaced version was kept; None for a new file


def _create_exclusively(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, 0o644)
    try:
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _keep_previous(path: Path, moment: datetime) -> Path:
    try:
        data = read_regular(path)
    except InputFileError as error:
        raise MapFileError(f"cannot keep the current version of {path}: {error}") from None
    first = history_path(path, moment)
    first.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 100):
        candidate = first if n == 1 else first.with_name(f"{first.stem}-{n}{first.suffix}")
        try:
            _create_exclusively(candidate, data)
        except FileExistsError:
            continue
        return candidate
    raise MapFileError(f"cannot find a free name for the previous version in {first.parent}")


def save_map_text(path: Path, text: str, *, overwrite: bool = False, now: datetime | None = None) -> Saved:
    """Write `text` to `path`. Refuses an existing file unless `overwrite`, and then keeps it in .history/."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise MapFileError(f"cannot write {path}: {error.strerror or error}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise MapFileError(f"cannot write {path}: it is not a regular file (a link, folder or device)")
        if not overwrite:
            raise WouldOverwrite(f"{path} already exists; confirm to replace it (the current version is kept)")
    moment = now or datetime.now(timezone.utc)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        previous = _keep_previous(path, moment) if info is not None else None
        _create_exclusively(temporary, text.encode("utf-8"))
        if info is None:
            # A new file: link, not rename, so a file that appeared meanwhile is never replaced.
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise
            except OSError:
                # A file system without hard links: rename, after one more look that nothing is there.
                if os.path.lexists(path):
                    raise FileExistsError(path) from None
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)
        else:
            os.replace(temporary, path)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise WouldOverwrite(f"{path} appeared while saving; confirm to replace it") from None
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise MapFileError(f"cannot write {path}: {error.strerror or error}") from None
    return Saved(path, previous)
