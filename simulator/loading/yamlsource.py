"""Safe YAML reading that remembers where every value came from.

The document is composed into nodes with PyYAML's safe loader, then turned into
plain Python by hand, so that every path inside the document keeps its line and
column, mapping keys stay strings (YAML 1.1 reads a bare `on:` as True), aliases
cannot blow up memory, and duplicate keys are reported instead of silently lost.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from simulator.loading.findings import Finding, LoadError, UnreadableFile
from simulator.safefiles import MAX_INPUT_BYTES, InputFileError, read_regular
from simulator.safetext import strip_controls

MAX_BYTES = MAX_INPUT_BYTES
# The largest integer a file may hold: exact in JSON everywhere (2**53 - 1). Anything bigger is no
# duration, weight or seed, and Python refuses to print integers of more than 4,300 digits.
MAX_INTEGER = 2**53 - 1
MAX_NUMBER_TEXT = 64  # characters of a number's text; longer ones are refused before conversion
MAX_NODES = 100_000  # after alias expansion; bundled scenarios use a few thousand
MAX_DEPTH = 64

Path = tuple[str | int, ...]
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader("")  # only used for its scalar constructors


@dataclass
class Document:
    """A parsed YAML file: its data, its text, and where each path starts."""

    file: str
    data: Any
    text: str
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    spans: dict[Path, tuple[int, int]] = field(default_factory=dict)  # character offsets of scalars

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of `path` (its key when `key`), or of its nearest existing parent."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.value_marks:
                return self.value_marks[path[:end]]
        return (1, 1)

    def finding(self, path: Path, message: str, *, key: bool = False) -> Finding:
        line, column = self.locate(path, key=key)
        where = format_path(path)
        return Finding(self.file, line, column, f"{where}: {message}" if where else message)

    def offset_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the text.

        By binary search over the line starts: a file with 150,000 findings must not rescan its text each time.
        """
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(match.end() for match in re.finditer("\n", self.text))]


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _position(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def read_text(file: str) -> str:
    """The file as text, or a LoadError for a missing, oversized, special or non-UTF-8 file.

    Only a regular file is read (a link to /dev/zero or a FIFO is refused at once), at most 2 MB.
    """
    try:
        raw = read_regular(file, MAX_BYTES)
    except InputFileError as error:
        raise UnreadableFile([Finding(file, 1, 1, str(error))]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise UnreadableFile(
            [
                Finding(
                    file,
                    line,
                    column,
                    f"byte 0x{raw[error.start]:02x} is not UTF-8; expected a UTF-8 text file — re-save it as UTF-8",
                )
            ]
        ) from None


def _yaml_hint(problem: str, character: str) -> str:
    if character == "\t" or "tab" in problem:
        return " — YAML indents with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return " — put quotes around a value that contains ': '"
    if "found character '@'" in problem or "found character '`'" in problem:
        return " — put the value in quotes"
    if "could not find expected ':'" in problem:
        return " — check the indentation of the lines above"
    return ""


def parse(file: str, text: str | None = None) -> Document:
    """Parse one YAML document whose top level must be a mapping."""
    if text is None:
        text = read_text(file)
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = _position(mark) if mark is not None else (1, 1)
        problem = error.problem or "invalid YAML"
        context = f" {error.context}" if error.context else ""
        character = text[mark.index] if mark is not None and mark.index < len(text) else ""
        hint = _yaml_hint(problem, character)
        raise LoadError([Finding(file, line, column, f"invalid YAML: {problem}{context}{hint}")]) from None
    except yaml.reader.ReaderError as error:
        # Raised for a control character in the text; it has a character offset, not a mark.
        document = Document(file, None, text)
        line, column = document.offset_position(min(error.position, len(text)))
        code = f" U+{error.character:04X}" if isinstance(error.character, int) else ""
        raise LoadError(
            [
                Finding(
                    file,
                    line,
                    column,
                    f"invalid YAML: control character{code} is not allowed in a YAML file; expected text"
                    " — remove it (terminal control sequences are never shown)",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise LoadError([Finding(file, 1, 1, f"invalid YAML: {' '.join(str(error).split())}")]) from None
    if root is None:
        raise LoadError([Finding(file, 1, 1, "file is empty; expected a mapping (key: value lines) at the top level")])
    document = Document(file, None, text)
    if not isinstance(root, yaml.MappingNode):
        line, column = _position(root.start_mark)
        raise LoadError(
            [Finding(file, line, column, f"expected a mapping (key: value lines) at the top level; got {_kind(root)}")]
        )
    builder = _Builder(document)
    document.data = builder.build(root, ())
    if builder.findings:
        raise LoadError(builder.findings)
    return document


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return f"the value {node.value!r}"


class _Budget(Exception):
    """The document is too big or too deep; raised at the node where that became true."""

    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(message)
        self.mark = mark


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.findings: list[Finding] = []
        self.count = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        try:
            return self._node(node, path, 0)
        except _Budget as stop:
            line, column = _position(stop.mark)
            self.findings.append(Finding(self.document.file, line, column, str(stop)))
            return None

    def _node(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Budget(
                f"document expands to more than {MAX_NODES:,} values; expected a hand-written file"
                " — remove repeated YAML aliases (*name)",
                node.start_mark,
            )
        if depth > MAX_DEPTH:
            raise _Budget(
                f"document is nested more than {MAX_DEPTH} levels deep; expected a flatter file", node.start_mark
            )
        self.document.value_marks.setdefault(path, _position(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = _position(key_node.start_mark)
                    self.findings.append(
                        Finding(self.document.file, line, column, "expected a plain key; got a list or mapping as key")
                    )
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, column = _position(key_node.start_mark)
                    self.findings.append(
                        Finding(
                            self.document.file, line, column, "merge keys (<<) are not supported; write the keys out"
                        )
                    )
                    continue
                key = strip_controls(str(key_node.value), multiline=False)
                child = (*path, key)
                if key in result:
                    line, column = _position(key_node.start_mark)
                    first = self.document.key_marks[child]
                    self.findings.append(
                        Finding(
                            self.document.file,
                            line,
                            column,
                            f"{format_path(child)}: duplicate key '{key}' (first at line {first[0]});"
                            " expected each key once — remove or rename one",
                        )
                    )
                    continue
                self.document.key_marks[child] = _position(key_node.start_mark)
                result[key] = self._node(value_node, child, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._node(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        self.document.spans.setdefault(path, (node.start_mark.index, node.end_mark.index))
        value = self._value(node, path)
        # A double-quoted "\e[2J" or "\x07" is legal YAML, under any tag; no control character leaves the loader.
        return strip_controls(value) if isinstance(value, str) else value

    def _value(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        if node.tag == "tag:yaml.org,2002:int" and ":" in node.value:
            return node.value  # YAML 1.1 reads 02:14 as base 60; a clock is meant
        if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
            return node.value
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_NUMBER_TEXT:
            return self._too_large(node, path)
        try:
            value = _constructor.construct_object(node)
        except (yaml.YAMLError, ValueError):
            return node.value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            return self._too_large(node, path)
        return value

    def _too_large(self, node: yaml.ScalarNode, path: Path) -> str:
        line, column = _position(node.start_mark)
        where = f"{format_path(path)}: " if path else ""
        shown = node.value if len(node.value) <= 20 else node.value[:17] + "..."
        self.findings.append(
            Finding(
                self.document.file,
                line,
                column,
                f"{where}number {shown} is too large ({len(node.value):,} characters);"
                f" expected a number of at most {MAX_INTEGER:,} — put it in quotes if it is text",
            )
        )
        return str(node.value)
