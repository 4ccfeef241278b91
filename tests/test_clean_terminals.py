"""No terminal control sequence from a file or a person reaches the terminal or a report file.

Every text field of a scenario, map, roster and answers file carries an OSC 52 clipboard write,
a clear-screen and a CSI in its C1 form (YAML's "\\e" and "\\x9b" escapes are legal), and so do
the names and titles typed on the command line. Every command and every report format is run
on them; no ESC, BEL or C1 CSI may come out, on stdout, on stderr or in a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from simulator.cli import main
from simulator.reporting import markdown_text
from simulator.reporting.csv_plan import safe
from simulator.reporting.svg import e
from tests.reports_support import FIXTURES

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
PAYLOAD = f"{OSC52}{CLEAR}{C1_CSI}"
FORBIDDEN = (b"\x1b", b"\x07", "\x9b".encode())
TEXT_KEYS = {"title", "name", "summary", "inject", "body", "ask", "why", "description", "facilitator_notes"}


def _poison(node: Any, key: str = "") -> Any:
    """Every free-text value (and every list item of discussion or choices) with the payload inside."""
    if isinstance(node, dict):
        # YAML 1.1 read a decision's `on:` key as True; write it back as the key it is.
        return {("on" if k is True else k): _poison(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [
            f"{item} {PAYLOAD}" if key in ("discussion", "choice") and isinstance(item, str) else _poison(item, key)
            for item in node
        ]
    if isinstance(node, str) and key in TEXT_KEYS:
        return f"{node} {PAYLOAD}"
    return node


def _hostile(source: Path, target: Path) -> Path:
    data = _poison(yaml.safe_load(source.read_text(encoding="utf-8")))
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def assert_clean(data: bytes, where: str) -> None:
    for byte in FORBIDDEN:
        assert byte not in data, f"{byte!r} in {where}"


def assert_clean_run(result: Result, what: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert_clean(result.stdout_bytes, f"stdout of {what}")
    assert_clean(result.stderr_bytes, f"stderr of {what}")


@pytest.fixture
def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "roles").mkdir()
    paths = {
        "scenario": _hostile(FIXTURES / "scenario.yaml", tmp_path / "scenarios" / "hostile.yaml"),
        "map": _hostile(FIXTURES / "map.yaml", tmp_path / "roles" / "hostile-map.yaml"),
        "roster": _hostile(FIXTURES / "roster.yaml", tmp_path / "roster.yaml"),
    }
    decisions = [d["id"] for step in yaml.safe_load(paths["scenario"].read_text())["steps"] for d in step["decisions"]]
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(dict.fromkeys(decisions, "nobody")), encoding="utf-8")
    paths["answers"] = answers
    unknown = tmp_path / "unknown-answers.yaml"
    unknown.write_text(yaml.safe_dump({f"who-{PAYLOAD}": "nobody", "x": f"role{PAYLOAD}"}), encoding="utf-8")
    paths["unknown"] = unknown
    raw = tmp_path / "raw.yaml"
    raw.write_bytes(f"id: x\ntitle: T{OSC52}\n".encode())
    paths["raw"] = raw
    return paths


def test_the_payload_is_really_in_the_files(room: dict[str, Path]) -> None:
    # The files hold the escapes as YAML writes them; loading them is what must strip them.
    assert "\\e]52;c;ZXZpbA==\\a\\e[2J" in room["scenario"].read_text(encoding="utf-8")
    assert room["raw"].read_bytes().count(b"\x1b") == 1


def test_every_command_and_every_format_prints_and_writes_no_control_sequence(
    room: dict[str, Path], tmp_path: Path
) -> None:
    def ttx(*args: str) -> Result:
        result = CliRunner().invoke(main, list(args))
        assert_clean_run(result, "ttx " + " ".join(args))
        return result

    scenario, map_, roster = str(room["scenario"]), str(room["map"]), str(room["roster"])
    assert ttx("validate", scenario, map_, roster).exit_code == 0
    raw = ttx("validate", str(room["raw"]))
    assert raw.exit_code == 1
    assert raw.stdout == (
        f"{room['raw']}:2:9: invalid YAML: control character U+001B is not allowed in a YAML file; expected text"
        " — remove it (terminal control sequences are never shown)\n"
    )
    assert ttx("list").exit_code == 0
    assert ttx("map", "check", map_, "--roster", roster).exit_code in (0, 1)
    assert ttx("map", "check", map_, "--format", "md").exit_code in (0, 1)
    assert ttx("graph", scenario).exit_code == 0
    assert ttx("handout", scenario, "--seed", "1").exit_code == 0
    unknown = ttx("run", scenario, "--map", map_, "--roster", roster, "--answers", str(room["unknown"]))
    assert unknown.exit_code == 2
    assert "unknown decision 'who-]52;c;ZXZpbA==[2J31m'" in unknown.stderr
    played = ttx("run", scenario, "--map", map_, "--roster", roster, "--answers", str(room["answers"]))
    assert played.exit_code == 0
    [session] = (tmp_path / "reports").iterdir()
    assert ttx("resume", str(session), "--autoplay", "map").exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    for format_ in ("term", "md", "html", "json", "csv"):
        assert ttx("report", str(session), "--format", format_).exit_code == 0
        assert ttx("report", str(session), "--format", format_, "-o", str(out / f"report.{format_}")).exit_code == 0
    workspace = str(tmp_path / "reports")
    for format_ in ("term", "md", "html"):
        assert ttx("trend", workspace, "--format", format_).exit_code == 0
        assert ttx("trend", workspace, "--format", format_, "-o", str(out / f"trend.{format_}")).exit_code == 0
    assert ttx("graph", scenario, "-o", str(out / "graph.mmd")).exit_code == 0
    assert ttx("handout", scenario, "--seed", "1", "-o", str(out / "handout.md")).exit_code == 0
    title = ttx("new", "scenario", f"Phish{PAYLOAD} at HR", "-o", str(out / "new.yaml"))
    assert title.exit_code == 0
    assert 'title: "Phish]52;c;ZXZpbA==[2J31m at HR"' in (out / "new.yaml").read_text(encoding="utf-8")
    party, role = f"soc=SOC{PAYLOAD}", f"soc-analyst:soc:Analyst{PAYLOAD}"
    assert ttx("new", "map", f"Map{CLEAR}", "--party", party, "--role", role, "-o", str(out / "m.yaml")).exit_code == 0

    written = sorted(out.iterdir()) + sorted(session.iterdir())
    # out: 5 reports, 3 trends, graph, handout, 2 new files; the session: journal, 2 copies, report.json, lock
    assert len(written) == 12 + 5
    for path in written:
        assert_clean(path.read_bytes(), str(path))


def test_the_output_escapes_strip_controls_from_journal_text_too() -> None:
    # A note or a name read back from a journal reaches the reports through these helpers.
    assert markdown_text.escape(f"a{PAYLOAD}b") == "a\\]52;c;ZXZpbA==\\[2J31mb"
    assert markdown_text.code(f"x{CLEAR}") == "`x[2J`"
    assert markdown_text.fence(f"log{OSC52}") == "```text\nlog]52;c;ZXZpbA==\n```"
    assert e(f"<b>{OSC52}</b>") == "&lt;b&gt;]52;c;ZXZpbA==&lt;/b&gt;"
    assert safe(f"{CLEAR}=1+1") == "[2J=1+1"
    assert safe("\x07=1+1") == "'=1+1"


def test_names_typed_for_the_room_are_kept_on_one_line_without_controls() -> None:
    from simulator.loading import load_map
    from simulator.play import whole_team
    from simulator.tui.setup_logic import add_participant

    roster = add_participant(None, f" Ana{OSC52}\nSilva ", ["soc-lead"])
    assert [p.name for p in roster.participants] == ["Ana]52;c;ZXZpbA== Silva"]
    solo = whole_team(load_map(FIXTURES / "map.yaml"), f"Ben{CLEAR}")
    assert [p.name for p in solo.participants] == ["Ben[2J"]


@pytest.mark.parametrize("tag", ["", "!!str ", "!!int ", "!!float ", "!!binary ", "!!timestamp ", "!custom "])
def test_no_yaml_tag_lets_a_control_character_through(tag: str, tmp_path: Path) -> None:
    from simulator.loading.yamlsource import parse

    document = parse("t.yaml", f'title: {tag}"a\\e[2J\\x07b"\n')
    assert document.data == {"title": "a[2Jb"}


def test_report_json_keeps_no_c1_control_even_from_a_journal() -> None:
    from simulator.reporting.json_report import dumps_report

    assert dumps_report({"name": f"Ana{C1_CSI}{CLEAR}"}) == '{\n  "name": "Ana31m\\u001b[2J"\n}\n'


def test_an_argument_echoed_back_in_an_error_carries_no_control(tmp_path: Path) -> None:
    folder = tmp_path / f"empty{CLEAR}"
    folder.mkdir()
    for args in (
        ["graph", f"nope{OSC52}"],
        ["map", "check", f"nope{OSC52}"],
        ["run", f"nope{OSC52}", "--autoplay", "map"],
        ["report", f"nope{OSC52}", "--workspace", str(tmp_path)],
        ["validate", str(folder)],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (1, 2), result.output
        assert "nope]52;c;ZXZpbA==" in result.stderr or "empty[2J" in result.stderr
        assert_clean_run(result, " ".join(args))


def test_bidirectional_overrides_are_stripped_from_files_and_names() -> None:
    # "Trojan Source": an invisible right-to-left override (U+202E) makes "invoice<RLO>gpj.exe" read "invoiceexe.jpg".
    from simulator.loading.yamlsource import parse
    from simulator.safetext import has_controls, strip_controls

    spoofed = "invoice\u202egpj.exe \u2066isolated\u2069 \u202aembedded\u202c"
    assert strip_controls(spoofed) == "invoicegpj.exe isolated embedded"
    assert strip_controls(spoofed, multiline=False) == "invoicegpj.exe isolated embedded"
    assert has_controls("a\u202eb") and not has_controls("Ana \u05e9\u05dc\u05d5\u05dd")  # Hebrew letters stay
    assert parse("t.yaml", 'title: "report\u202efdp.exe"\n').data == {"title": "reportfdp.exe"}
