"""Each id once in `ttx list` and on the home screen: a local file with a bundled id replaces it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, RadioButton, Static

from simulator.bundled import MAP_DIR, SCENARIO_DIR, NotFound, bundled_scenarios, resolve_map, resolve_scenario
from simulator.cli import main
from simulator.content_index import each_id_once
from simulator.tui.library import plain_words
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.map_choice import MapChoiceScreen
from simulator.tui.screens.setup import SetupScreen
from tests.test_tui import plain
from tests.tui_support import make_app, settle

LOCAL_TITLE = "Stolen laptop, our own version"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder whose ./scenarios holds its own copy of the bundled stolen-laptop scenario."""
    (tmp_path / "scenarios").mkdir()
    text = (SCENARIO_DIR / "stolen-laptop.yaml").read_text(encoding="utf-8")
    lines = [f"title: {LOCAL_TITLE}" if line.startswith("title:") else line for line in text.splitlines()]
    (tmp_path / "scenarios" / "laptop-ours.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_local_id_replaces_the_bundled_one_in_place() -> None:
    ids = {Path("b/one.yaml"): "one", Path("b/two.yaml"): "two", Path("l/x.yaml"): "two", Path("l/y.yaml"): "new"}
    entries = each_id_once(
        [Path("b/one.yaml"), Path("b/two.yaml")],
        [Path("l/x.yaml"), Path("l/y.yaml")],
        lambda path: (ids[path], None),
    )
    assert [(e.id, e.origin, str(e.path), e.replaces_bundled) for e in entries] == [
        ("one", "bundled", "b/one.yaml", False),
        ("two", "local", "l/x.yaml", True),
        ("new", "local", "l/y.yaml", False),
    ]


def test_an_unchanged_copy_of_a_bundled_file_stays_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ttx installed, then run from a checkout of its own source: ./scenarios holds the same bytes.
    (tmp_path / "scenarios").mkdir()
    copy = tmp_path / "scenarios" / "stolen-laptop.yaml"
    copy.write_bytes((SCENARIO_DIR / "stolen-laptop.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    laptops = [line.split("\t") for line in ttx_list().splitlines() if "\tstolen-laptop\t" in line]
    assert [row[-1] for row in laptops] == ["bundled"]
    copy.write_bytes(copy.read_bytes() + b"# our note\n")
    laptops = [line.split("\t") for line in ttx_list().splitlines() if "\tstolen-laptop\t" in line]
    assert [row[-1] for row in laptops] == ["local"]


def ttx_list(*args: str, columns: int = 80) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "list", *args],
        capture_output=True,
        text=True,
        env={"COLUMNS": str(columns), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return result.stdout


def test_piped_list_is_tab_separated_with_each_id_once(project: Path) -> None:
    lines = ttx_list().splitlines()
    laptops = [line.split("\t") for line in lines if "\tstolen-laptop\t" in line]
    assert laptops == [["scenario", "stolen-laptop", LOCAL_TITLE, "any", "50", "DCCCID", "18", "local"]]
    scenario_lines = [line for line in lines if line.startswith("scenario\t")]
    assert len(scenario_lines) == len(bundled_scenarios())


def test_list_at_80_columns_keeps_one_line_per_scenario(project: Path) -> None:
    out = ttx_list("--format", "table", columns=80)
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    for scenario in bundled_scenarios():
        [line] = [line for line in lines if line.startswith(scenario.stem + " ")]
        assert line.rstrip().endswith("local" if scenario.stem == "stolen-laptop" else "bundled")
    assert "Business-email co…" in out  # long titles give way, with an ellipsis
    assert "local files replace the bundled ones with the same id: stolen-laptop" in out


async def test_home_lists_each_id_once_and_marks_the_local_file(project: Path) -> None:
    app = make_app(project / "reports", offer_resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#scenarios", DataTable)
        assert table.row_count == len(bundled_scenarios())
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert f"{LOCAL_TITLE} (local)" in titles
        assert not any(t.startswith("Stolen laptop —") or t == "Stolen laptop" for t in titles)
        # Nothing overlaps at 80×24: the Next button sits below the Seed box, inside the screen.
        seed, button = screen.query_one("#seed").region, screen.query_one("#next").region
        assert button.y >= seed.bottom and button.bottom <= 23


async def test_home_summary_is_readable_and_resume_only_when_resumable(tmp_path: Path) -> None:
    app = make_app(tmp_path, offer_resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        summary = plain(screen.query_one("#scenario-summary", Static))
        assert summary.startswith("An impossible-travel alert for ")  # the first scenario: business email
        assert "{{" not in summary and "‹" not in summary and "finance_user" not in summary
        assert "resume" not in {b.binding.action for b in app.active_bindings.values()}
        app.exit()
    # Leave an exercise unfinished: now the home screen offers `r` to resume it.
    solo = make_app(tmp_path, scenario="ransomware-file-server", mode="assessment", player="Ana", seed=2)
    async with solo.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        solo.exit()
    again = make_app(tmp_path, offer_resume=False)
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "resume" in {b.binding.action for b in again.active_bindings.values()}


async def test_an_any_audience_scenario_asks_which_map(tmp_path: Path) -> None:
    app = make_app(tmp_path, offer_resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first scenario, business email, is written for any audience
        await settle(pilot)
        assert isinstance(app.screen, MapChoiceScreen)
        await pilot.press("down", "enter")  # the second map: saas
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.plan.authority_map.id == "saas"
        assert app.screen.plan.scenario.id == "bec-finance-mailbox"


async def test_play_of_an_any_audience_scenario_without_a_map_asks_which(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario="stolen-laptop", mode="solo", player="Ana", seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MapChoiceScreen)
        await pilot.press("down", "enter")  # saas
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        assert app.session is not None and app.session.header.map.id == "saas"


def test_plain_words_stand_in_for_placeholders() -> None:
    assert plain_words("An alert for {{ finance_user }} at {{company}} ({{ bad name }}).") == (
        "An alert for finance user at company (…)."
    )


async def test_the_summary_shows_the_names_the_exercise_will_use(tmp_path: Path) -> None:
    app = make_app(tmp_path, offer_resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#scenarios", DataTable)
        table.move_cursor(row=5)  # ransomware on a client's file server: written for MSPs, no map question
        screen.query_one("#seed", Input).value = "5"
        screen.query(RadioButton)[1].value = True  # solo practice: no roster to type
        await settle(pilot)
        shown = " ".join(plain(screen.query_one("#scenario-summary", Static)).split())
        assert shown.endswith("…")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen) and app.screen.plan.seed == 5
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.session is not None
        played = " ".join(app.session.engine.summary.split())
        assert played.startswith(shown.removesuffix("…")) and "{{" not in played


def test_a_local_id_is_what_play_and_run_use(project: Path) -> None:
    # `ttx list` shows the local file under the bundled id, so `ttx run stolen-laptop` plays that file.
    local = Path("scenarios") / "laptop-ours.yaml"
    assert resolve_scenario("stolen-laptop") == local
    result = CliRunner().invoke(main, ["run", "stolen-laptop", "--autoplay", "map", "--seed", "3", "--out", "out"])
    assert result.exit_code == 0, result.output
    (journal,) = (project / "out").glob("*/journal.jsonl")
    header = json.loads(journal.read_text(encoding="utf-8").splitlines()[0])
    assert Path(header["scenario"]["path"]) == (project / local).resolve()
    assert f"title: {LOCAL_TITLE}" in (journal.parent / "scenario.yaml").read_text(encoding="utf-8")


def test_an_unchanged_local_copy_resolves_to_the_bundled_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "saas.yaml").write_bytes((MAP_DIR / "saas.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert resolve_map("saas") == MAP_DIR / "saas.yaml"
    (tmp_path / "roles" / "saas.yaml").write_bytes((MAP_DIR / "saas.yaml").read_bytes() + b"# ours\n")
    assert resolve_map("saas") == Path("roles") / "saas.yaml"


def test_a_local_file_found_by_its_declared_id_not_only_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "a.yaml").write_text("# yaml-language-server: $schema=x\nid: 'our-drill'\ntitle: t\n", encoding="utf-8")
    (folder / "b.yaml").write_text("title: no id here\n", encoding="utf-8")
    assert resolve_scenario("our-drill", folder) == folder / "a.yaml"
    with pytest.raises(NotFound, match="no scenario file or bundled scenario named 'b-drill'"):
        resolve_scenario("b-drill", folder)
