"""`ttx validate`, `ttx list` and `ttx schema` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from simulator.bundled import MAP_DIR
from simulator.cli import main
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO

Write = Callable[..., Path]


def test_validate_clean_files_exits_zero(write: Write) -> None:
    scenario, authority_map = write(MINIMAL_SCENARIO, "s.yaml"), write(MINIMAL_MAP, "m.yaml")
    result = CliRunner().invoke(main, ["validate", str(scenario), str(authority_map)])
    assert result.exit_code == 0, result.output
    assert "scenario 'tiny': 2 decisions" in result.output
    assert "map 'tiny': 2 roles, 2/24 responsibilities assigned" in result.output


def test_validate_reports_findings_and_exits_one(write: Write) -> None:
    path = write(MINIMAL_SCENARIO.replace("containment.authorize", "containment.authorise"), "bad.yaml")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:25:25: steps[1].decisions[0].responsibility: unknown responsibility" in result.output
    assert "Traceback" not in result.output


def test_validate_tells_kinds_apart_in_a_folder(write: Write, tmp_path: Path) -> None:
    write(MINIMAL_SCENARIO, "a.yaml")
    write(MINIMAL_MAP, "b.yaml")
    write("participants:\n  - name: Dana\n    roles: [soc-analyst]\n", "c.yaml")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [line.split(": ok — ")[1].split(" ")[0] for line in result.output.splitlines()[:3]] == [
        "scenario",
        "map",
        "roster:",
    ]


def test_validate_usage_errors_exit_two(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["validate"]).exit_code == 2
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "missing.yaml")]).exit_code == 2


def test_validate_unknown_kind(write: Write) -> None:
    result = CliRunner().invoke(main, ["validate", str(write("name: something\n"))])
    assert result.exit_code == 1
    assert "cannot tell what this file is" in result.output


def test_list_shows_bundled_and_local_content(write: Write, tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "tiny.yaml").write_text(MINIMAL_SCENARIO, encoding="utf-8")
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Piped: tab-separated, one line per file.
    assert "scenario\ttiny\tTiny scenario\tany\t" in out and out.count("\ttiny\t") == 1
    assert "map\tmsp\tMSP with outsourced SOC\t11\t24/24\tbundled" in out
    assert "map\tbroken\tinvalid: 1 problem (ttx validate roles/broken.yaml)\t\t\tlocal" in out


def test_schema_writes_json_schemas(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    scenario = json.loads((tmp_path / "ttx-scenario.schema.json").read_text())
    assert "steps" in scenario["properties"]
    decision = scenario["$defs"]["Decision"]["properties"]["responsibility"]
    assert "containment.authorize" in decision["enum"]
    assert (tmp_path / "ttx-map.schema.json").is_file()


CHECK_IMPORTS = """
import sys
import click
import pytest
from click.testing import CliRunner
from simulator.cli import main
result = CliRunner().invoke(main, sys.argv[1:])
heavy = sorted(m for m in ("textual", "faker") if m in sys.modules)
print(result.exit_code, ",".join(heavy) or "none")
"""


def test_validate_and_list_import_neither_textual_nor_faker() -> None:
    for args in (["validate", str(MAP_DIR)], ["list"]):
        out = subprocess.run(
            [sys.executable, "-c", CHECK_IMPORTS, *args], capture_output=True, text=True, check=True
        ).stdout.split()
        assert out == ["0", "none"], (args, out)


def test_every_listed_command_loads_under_its_name() -> None:
    from simulator.cli import LAZY_COMMANDS, SHORT_HELP

    assert set(SHORT_HELP) == set(LAZY_COMMANDS)
    context = click.Context(main)
    for name in LAZY_COMMANDS:
        command = main.get_command(context, name)
        assert command is not None and command.name == name


def test_help_and_version_load_no_command_module() -> None:
    program = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from simulator.cli import main\n"
        "for args in (['--help'], ['--version']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "print(sorted(m for m in ('pydantic', 'textual', 'yaml', 'simulator.loading') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_schema_into_an_unwritable_place_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "schemas"
    result = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert result.stderr.startswith(f"cannot write {out}: ") and result.stderr.count("\n") == 1


def test_list_shows_titles_and_paths_that_look_like_markup_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "roles").mkdir()
    title = "Dana [/bold] Whitfield [on call]"
    (tmp_path / "scenarios" / "tiny.yaml").write_text(
        MINIMAL_SCENARIO.replace("title: Tiny scenario", f"title: '{title}'"), encoding="utf-8"
    )
    (tmp_path / "scenarios" / "[on call].yaml").write_text("id: broken\n", encoding="utf-8")
    (tmp_path / "roles" / "tiny.yaml").write_text(
        MINIMAL_MAP.replace("title: Tiny map", "title: '[link=http://x]y[/link]'"), encoding="utf-8"
    )
    (tmp_path / "roles" / "[red]z.yaml").write_text("id: broken\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["list", "--format", "table"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert title in result.output
    assert "[link=http://x]y[/link]" in result.output
    assert "invalid:" in result.output and "(ttx validate scenarios/[on call].yaml)" in result.output
    assert "(ttx validate roles/[red]z.yaml)" in result.output
    assert "\n[on call] " in result.output and "\n[red]z " in result.output  # the invalid files' names


def test_validate_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no .yaml or .yml files" in result.output
