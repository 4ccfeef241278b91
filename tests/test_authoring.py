"""`ttx new`, `ttx graph` and `ttx handout`, as an author runs them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.authoring.handout import handout
from simulator.bundled import bundled_maps, bundled_scenarios
from simulator.catalogue import CATALOGUE, STAGES
from simulator.cli import main
from simulator.loading import load_any, load_map, load_scenario
from simulator.model import AuthorityMap, Scenario
from simulator.reporting.markdown_text import escape
from simulator.templating import FAKER_PROVIDERS, fill_variables, render
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

Write = Callable[..., Path]
SCENARIOS = bundled_scenarios()


def ttx(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --- ttx map check -----------------------------------------------------------


def test_map_check_shows_names_that_look_like_markup_as_typed(write: Write) -> None:
    hostile = MINIMAL_MAP.replace("title: Tiny map", "title: 'Dana [/bold] Whitfield'")
    hostile = hostile.replace("name: SOC analyst", "name: 'Analyst [on call]'")
    hostile = hostile.replace("client: Client admins", "client: '[link=http://x]y[/link]'")
    hostile = hostile.replace("why: The client owns its systems.", "why: '[bold]Watch[/] [/bold]'")
    result = CliRunner().invoke(main, ["map", "check", str(write(hostile, "m.yaml"))], env={"COLUMNS": "300"})
    assert result.exit_code == 1, result.output  # not ready: most responsibilities have no owner
    shown = result.output
    assert "Map check: Dana [/bold] Whitfield (tiny)" in shown
    assert "Client IT lead ([link=http://x]y[/link])" in shown and "Analyst [on call]" in shown
    assert "[bold]Watch[/] [/bold]" in shown


# --- ttx new -----------------------------------------------------------------


def test_new_scenario_is_valid_complete_and_annotated(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    result = ttx("new", "scenario", "phishing-at-payroll", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    loaded = load_any(out)
    assert loaded.kind == "scenario"
    scenario = loaded.model
    assert isinstance(scenario, Scenario)
    assert scenario.id == "phishing-at-payroll"
    assert scenario.stages == list(STAGES)
    assert len(scenario.decisions) >= 5
    assert scenario.variables and any(step.artifacts for step in scenario.steps)
    assert any(c.goto for c in scenario.consequences.values())
    for key in (
        "variables:",
        "clock:",
        "inject:",
        "artifacts:",
        "facilitator_notes:",
        "decisions:",
        "expect:",
        "goto:",
    ):
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(key))
        # Explained on the line itself or by a comment just above it.
        assert "#" in lines[at] or lines[at - 1].startswith("#"), f"{key} is not explained: {lines[at]}"


def test_new_scenario_from_a_title_makes_an_id(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    assert ttx("new", "scenario", 'Ransomware "at" Café: #2', "-o", str(out)).exit_code == 0
    scenario = load_scenario(out)
    assert (scenario.id, scenario.title) == ("ransomware-at-cafe-2", 'Ransomware "at" Café: #2')


def test_new_writes_to_the_local_content_folders_with_a_working_schema_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert ttx("schema", "--out", "schemas").exit_code == 0
    assert ttx("new", "scenario", "drill").exit_code == 0
    assert ttx("new", "map", "acme").exit_code == 0
    for path in (tmp_path / "scenarios" / "drill.yaml", tmp_path / "roles" / "acme.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = (path.parent / first.split("$schema=")[1]).resolve()
        assert schema.is_file(), first
        assert json.loads(schema.read_text(encoding="utf-8"))["$id"].startswith("ttx-")


@pytest.mark.parametrize("kind", ["scenario", "map"])
def test_new_refuses_to_overwrite(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "x.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = ttx("new", kind, "x", "-o", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.output and "not overwriting" in result.output
    assert out.read_text(encoding="utf-8") == "mine\n"


MAP_OPTIONS: list[list[str]] = [
    [],
    ["--party", "soc=Backend SOC", "--role", "soc-analyst:soc:SOC analyst"],
    [
        "--party", "msp=MSP | operations", "--party", "client=Client",
        "--role", "duty-engineer:msp:On-call engineer", "--role", "service-manager:msp:Service manager",
        "--role", "client-it-lead:client:Client IT lead", "--role", "client-dpo:client:Data protection officer",
        "--role", "account-manager:msp:Account manager: \"key\" person",
    ],
    # A party named by a role but not declared is added; unmatched names still get work.
    ["--role", "alpha:team-a:Alpha", "--role", "beta:team-b:Beta", "--role", "gamma:team-a:Gamma"],
]  # fmt: skip


@pytest.mark.parametrize("options", MAP_OPTIONS, ids=["default", "one-role", "msp-like", "undeclared-party"])
def test_new_map_is_valid_and_assigns_everything(tmp_path: Path, options: list[str]) -> None:
    out = tmp_path / "m.yaml"
    result = ttx("new", "map", "My org", *options, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    loaded = load_any(out)
    assert loaded.kind == "map"
    authority_map = loaded.model
    assert isinstance(authority_map, AuthorityMap)
    assert authority_map.id == "my-org"
    assert set(authority_map.assignments) == set(CATALOGUE)
    assert all(a.why.startswith("TODO") for a in authority_map.assignments.values())
    acting = {a.A for a in authority_map.assignments.values()} | {
        r for a in authority_map.assignments.values() for r in a.R
    }
    assert acting == set(authority_map.role_ids), "every role should be A or R somewhere"
    if options:
        given = [options[i + 1].split(":")[0] for i, o in enumerate(options) if o == "--role"]
        assert authority_map.role_ids == given


def test_new_map_default_roles_get_sensible_owners(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    assert ttx("new", "map", "m", "-o", str(out)).exit_code == 0
    owners = {rid: a.A for rid, a in load_map(out).assignments.items()}
    assert owners["detection.triage"] == "security-analyst"
    assert owners["containment.isolate"] == "it-admin"
    assert owners["communication.contact"] == "comms-lead"
    assert owners["documentation.compliance"] == "compliance-officer"
    assert owners["containment.emergency"] == "executive"
    assert max(list(owners.values()).count(role) for role in set(owners.values())) <= 6


@pytest.mark.parametrize(
    "options",
    [
        ["--role", "no-colons"],
        ["--role", "Bad Id:soc:Name"],
        ["--party", "soc"],
        ["--role", "a:p:A", "--role", "a:p:B"],
    ],
)
def test_new_map_bad_options_are_usage_errors(tmp_path: Path, options: list[str]) -> None:
    result = ttx("new", "map", "m", *options, "-o", str(tmp_path / "m.yaml"))
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "m.yaml").exists()


# --- ttx graph ---------------------------------------------------------------

NODE_ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"[^"]*"'
LINE_FORMS = {
    "subgraph": re.compile(rf"^subgraph ({NODE_ID})\[{LABEL}\]$"),
    "node": re.compile(rf"^({NODE_ID})(?:\[({LABEL})\]|\(\[({LABEL})\]\))$"),
    "edge": re.compile(rf"^({NODE_ID}) (?:-->|-\.->\|({LABEL})\|) ({NODE_ID})$"),
}


def parse_flowchart(text: str) -> tuple[dict[str, str], list[tuple[str, str, str | None]]]:
    """Check the flowchart's structure line by line; return its nodes (id -> label) and edges."""
    mark, *lines = text.splitlines()
    assert mark == "%% written by ttx graph"  # a Mermaid comment: lets ttx replace its own file
    assert lines[0] == "flowchart TD"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str | None]] = []
    depth = 0
    for raw in lines[1:]:
        line = raw.strip()
        if line == "end":
            assert depth > 0, "'end' without an open subgraph"
            depth -= 1
            continue
        match = next(((kind, m) for kind, pattern in LINE_FORMS.items() if (m := pattern.match(line))), None)
        assert match is not None, f"not a Mermaid line this generator should write: {raw!r}"
        kind, m = match
        if kind == "subgraph":
            depth += 1
        elif kind == "node":
            assert m.group(1) not in nodes, f"node declared twice: {m.group(1)}"
            nodes[m.group(1)] = (m.group(2) or m.group(3))[1:-1]
        else:
            edges.append((m.group(1), m.group(3), m.group(2)))
    assert depth == 0, "a subgraph is not closed with 'end'"
    for source, target, _ in edges:
        assert source in nodes and target in nodes, f"edge to an undeclared node: {source} -> {target}"
    assert not {"end", "graph", "subgraph"} & set(nodes)
    return nodes, edges


def step_of(label: str) -> str:
    first = label.split("<br/>")[0]
    match = re.search(r"\(([a-z0-9][a-z0-9_-]*)\)$", first)
    return match.group(1) if match else first


def new_scenario_template(tmp_path: Path) -> Path:
    out = tmp_path / "new.yaml"
    assert ttx("new", "scenario", "new", "-o", str(out)).exit_code == 0
    return out


@pytest.mark.parametrize("path", [*SCENARIOS, None], ids=[*(p.stem for p in SCENARIOS), "new-template"])
def test_graph_is_structurally_valid_mermaid(path: Path | None, tmp_path: Path) -> None:
    path = path or new_scenario_template(tmp_path)
    result = ttx("graph", str(path))
    assert result.exit_code == 0, result.output
    scenario = load_scenario(path)
    nodes, edges = parse_flowchart(result.output)
    steps = {step_of(label): node for node, label in nodes.items() if node.startswith("s_")}
    assert set(steps) == {step.id for step in scenario.steps}
    solid = {(s, t) for s, t, label in edges if label is None}
    for previous, step in pairwise(scenario.steps):
        assert (steps[previous.id], steps[step.id]) in solid
    assert result.output.count("subgraph ") == len(scenario.stages)
    dashed = [(s, t, label or "") for s, t, label in edges if label is not None]
    for step in scenario.steps:
        for decision in step.decisions:
            for outcome, cids in decision.on.items():
                for cid in cids:
                    goto = scenario.consequences[cid].goto
                    if goto is None:
                        continue
                    assert any(
                        s == steps[step.id] and t == steps[goto] and cid in label and outcome in label
                        for s, t, label in dashed
                    ), f"consequence {cid} ({step.id} -> {goto}) is not drawn"


def test_graph_labels_cannot_break_out(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace(
        "    stage: detection\n", "    stage: detection\n    title: 'Say \"end\"] --> x | y <b>#'\n", 1
    )
    result = ttx("graph", str(write(text, "s.yaml")))
    assert result.exit_code == 0, result.output
    nodes, _ = parse_flowchart(result.output)
    assert "Say #quot;end#quot;] --#gt; x #124; y #lt;b#gt;#35; (alert)" in nodes["s_alert"]


def test_graph_of_an_unknown_scenario_is_a_usage_error() -> None:
    result = ttx("graph", "ransomwear-file-server")
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert ttx("graph").exit_code == 2


MACHINE_DIAGRAM = """\
stateDiagram-v2
  [*] --> briefing
  briefing --> detection
  detection --> confirmation
  confirmation --> containment
  containment --> communication
  communication --> investigation
  investigation --> documentation
  confirmation --> detection: re-triage
  containment --> confirmation: re-scope
  containment --> communication: updates alongside
  communication --> containment: updates alongside
  communication --> investigation: updates alongside
  investigation --> containment: new indicator
  investigation --> communication: updates alongside
  documentation --> debrief
  debrief --> [*]
  note right of detection
    Forward moves may skip stages;
    a session may open at any stage
    and end early from any stage.
  end note
"""


def test_machine_diagram_shows_every_stage_and_allowed_move_back() -> None:
    """DESIGN.md §4: the stage order, the three loops back and communication alongside containment/investigation."""
    result = ttx("graph", "--machine")
    assert result.exit_code == 0
    assert result.output == "%% written by ttx graph\n" + MACHINE_DIAGRAM


# --- ttx handout -------------------------------------------------------------

ROLE_TERMS = sorted({term for path in bundled_maps() for role in load_map(path).roles for term in (role.id, role.name)})


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_handout_gives_nothing_away(path: Path) -> None:
    result = ttx("handout", str(path), "--seed", "11")
    assert result.exit_code == 0, result.output
    scenario = load_scenario(path)
    values = fill_variables(scenario.variables, 11)
    text = normal(unescaped(result.stdout))
    for step in scenario.steps:
        for sentence in re.split(r"(?<=[.!?])\s+", normal(render(step.facilitator_notes, values))):
            assert len(sentence) < 25 or sentence not in text, f"facilitator note leaked: {sentence}"
    for consequence in scenario.consequences.values():
        if consequence.inject:
            assert normal(render(consequence.inject, values)) not in text
    for term in ROLE_TERMS:
        assert not re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE), f"names role {term}"
    for rid in CATALOGUE:
        assert rid not in text
    assert "{{" not in result.stdout
    for step in scenario.steps:
        assert escape(render(step.inject, values)) in result.stdout
        for decision in step.decisions:
            assert escape(render(decision.ask, values)) in result.stdout


def test_handout_is_reproducible_by_seed_and_says_which(tmp_path: Path) -> None:
    path = SCENARIOS[0]
    first, again, other = (ttx("handout", str(path), "--seed", seed) for seed in ("5", "5", "6"))
    assert first.stdout == again.stdout != other.stdout
    assert "seed 5" in first.stdout.splitlines()[0]
    out = tmp_path / "h.md"
    assert ttx("handout", str(path), "--seed", "5", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == first.stdout
    assert "seed" in ttx("handout", str(path)).stderr


def test_handout_keeps_scenario_text_from_changing_the_document(write: Write) -> None:
    text = MINIMAL_SCENARIO.replace(
        "    inject: The EDR flags {{ host }} at {{ client }}.\n",
        '    inject: "# not a heading | <script>"\n'
        "    artifacts:\n"
        "      - kind: log\n"
        "        title: Tricky\n"
        '        body: "line\\n```\\nafter fence"\n'
        "      - kind: phone\n"
        "        title: Call\n"
        '        body: "Caller: hello\\n- not a list"\n',
    )
    scenario = load_scenario(write(text, "s.yaml"))
    document = handout(scenario, 1)
    assert "\n# not a heading" not in document
    assert r"\# not a heading \| \<script\>" in document
    assert "````text\nline\n```\nafter fence\n````" in document
    assert "> Caller: hello\\\n> \\- not a list" in document
    assert "Forty minutes pass." not in document  # a consequence's inject


def test_handout_escapes_entities_and_math_like_the_reports(write: Write) -> None:
    """The handout and the reports share one Markdown escaping: an entity or a `$` stays literal in both."""
    from markdown_it import MarkdownIt

    from simulator.reporting.markdown import text

    hostile = "AT&amp;T pays $5 &copy; 2025"
    scenario = load_scenario(
        write(MINIMAL_SCENARIO.replace("The EDR flags {{ host }} at {{ client }}.", hostile), "s.yaml")
    )
    document = handout(scenario, 1)
    assert escape(hostile) in document
    assert escape(hostile) == text(hostile)
    rendered = MarkdownIt("commonmark").render(document)
    assert "AT&amp;amp;T pays $5 &amp;copy; 2025" in rendered  # the entities shown as typed, not decoded


@pytest.mark.parametrize(
    "args",
    [
        ["map", "check", "msp", "--format", "md"],
        ["graph", "ransomware-file-server"],
        ["graph", "--machine"],
        ["handout", "ransomware-file-server", "--seed", "1"],
        ["new", "scenario", "x", "-o", "{tmp}/s.yaml"],
        ["new", "map", "x", "-o", "{tmp}/m.yaml"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_authoring_commands_never_import_textual(args: list[str], tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from simulator.cli import main\n"
        "try:\n"
        f"    main({[a.replace('{tmp}', str(tmp_path)) for a in args]!r})\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('textual' in sys.modules, any(m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False False"


def test_authoring_guide_lists_every_provider_and_responsibility() -> None:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    for provider in FAKER_PROVIDERS:
        assert f"`{provider}`" in guide, provider
    for rid in CATALOGUE:
        assert f"`{rid}`" in guide, rid
    for command in ("ttx new scenario", "ttx new map", "ttx graph", "ttx handout", "ttx map check", "ttx schema"):
        assert command in guide


@pytest.mark.parametrize(
    "args",
    [
        ["new", "scenario", "x", "-o"],
        ["new", "map", "x", "-o"],
        ["handout", "ransomware-file-server", "--seed", "1", "-o"],
        ["graph", "--machine", "-o"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_writing_under_a_file_says_so_in_one_line(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "out.yaml"
    result = ttx(*args, str(out))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert result.stderr.splitlines()[-1] == f"cannot write {out}: {out.parent} is not a folder"
