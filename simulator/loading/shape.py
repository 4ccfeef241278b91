"""Turn pydantic's validation errors into findings that point at the line."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from simulator.loading.findings import Finding, did_you_mean
from simulator.loading.yamlsource import Document, Path
from simulator.model import DURATION_RE, MAX_CLOCK_DAY, MAX_DURATION_HOURS, STEP_CLOCK_PATTERN

_PATTERNS = {
    r"^[a-z0-9][a-z0-9_-]*$": "a lower-case id (letters, digits, '-', '_'), e.g. 'soc-analyst'",
    r"^[a-z0-9_-]+\.[a-z0-9_-]+$": "a dotted responsibility id, e.g. 'containment.authorize'",
    STEP_CLOCK_PATTERN: f'a clock "HH:MM" or "Day N HH:MM" (N from 1 to {MAX_CLOCK_DAY}), e.g. "02:14"',
    DURATION_RE.pattern: f'a duration "HH:MM" (at most {MAX_DURATION_HOURS} hours), e.g. "00:40"',
}


# Tags pydantic puts into an error's location for a tagged union; they name no key of the file.
UNION_TAGS = frozenset({"provider-name", "faker-spec", "choice-spec"})


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _data_path(loc: tuple[str | int, ...], data: Any) -> tuple[Path, bool]:
    """The path inside the document for a pydantic `loc`, and whether it names a mapping key.

    Union tags that pydantic inserts into `loc` are dropped: they are not in the data.
    """
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if part == "[key]":
            return tuple(path), True
        if part in UNION_TAGS:
            continue
        if _has(current, part):
            current = current[part]
        elif not last:
            continue
        path.append(part)
    return tuple(path), False


def _descend(annotation: Any, part: str | int) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _descend(get_args(annotation)[0], part)
    if origin is list:
        return get_args(annotation)[0]
    if origin is dict:
        return get_args(annotation)[1]
    if origin in (typing.Union, types.UnionType):
        return None
    return None


def allowed_keys(model: type[BaseModel], path: Path) -> list[str]:
    """Field names of the model found at `path` (empty when unknown)."""
    annotation: Any = model
    for part in path:
        annotation = _descend(annotation, part)
        if annotation is None:
            return []
    if get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def findings_from(error: ValidationError, document: Document, model: type[BaseModel]) -> list[Finding]:
    findings: list[Finding] = []
    for item in error.errors(include_url=False):
        path, is_key = _data_path(item["loc"], document.data)
        kind = item["type"]
        ctx = item.get("ctx") or {}
        value = item.get("input")
        if kind == "missing":
            name = path[-1] if path else ""
            if name == "A":
                message = "missing 'A'; expected exactly one accountable role — add 'A: <role-id>'"
            else:
                message = f"missing required key '{name}'"
            findings.append(document.finding(path[:-1], message))
        elif kind == "extra_forbidden":
            name = str(path[-1])
            keys = allowed_keys(model, path[:-1])
            hint = did_you_mean(name, keys)
            expected = f"; expected one of: {', '.join(keys)}" if keys else ""
            findings.append(document.finding(path, f"unknown key '{name}'{expected}{hint}", key=True))
        elif kind in ("literal_error", "enum"):
            options = [o.strip().strip("'") for o in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
            got = str(value)
            message = f"expected one of: {', '.join(options)}; got {_got(value)}{did_you_mean(got, options)}"
            findings.append(document.finding(path, message, key=is_key))
        elif kind == "string_pattern_mismatch":
            expected = _PATTERNS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
            findings.append(document.finding(path, f"expected {expected}; got {_got(value)}", key=is_key))
        elif kind == "string_too_long":
            limit = ctx.get("max_length")
            message = (
                f"expected at most {limit} characters (an id must fit in a session folder's name);"
                f" got {len(str(value)):,} characters"
            )
            findings.append(document.finding(path, message, key=is_key))
        elif kind == "value_error":
            findings.append(document.finding(path, str(ctx.get("error", item["msg"]))))
        else:
            message = item["msg"][0].lower() + item["msg"][1:]
            findings.append(document.finding(path, f"{message}; got {_got(value)}", key=is_key))
    return findings
