"""The briefing painted before validation: from the cache or the raw YAML, and the wait for the session."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Static

from simulator.loading.cache import load_map_cached, load_scenario_cached
from simulator.tui.options import DEFAULT_WORKSPACE, LaunchOptions
from simulator.tui.preview import BriefingFacts, preview_facts
from simulator.tui.screens.briefing import WAITING_LABEL, BriefingScreen
from tests.conftest import MINIMAL_MAP, MINIMAL_SCENARIO
from tests.tui_support import make_app, settle


def options(scenario: Path | str, map_: Path | str | None = None, **more: Any) -> LaunchOptions:
    return LaunchOptions(
        scenario=str(scenario), map=None if map_ is None else str(map_), mode="solo", player="Ana", **more
    )


def test_the_preview_reads_the_raw_files(write: Any) -> None:
    scenario = write(MINIMAL_SCENARIO, "scenario.yaml")
    authority_map = write(MINIMAL_MAP, "map.yaml")
    facts = preview_facts(options(scenario, authority_map), seed=9)
    assert facts == BriefingFacts(
        title="Tiny scenario",
        summary="An alert on ….",
        map_title="Tiny map",
        mode="solo",
        seed=9,
        duration_minutes=60,
        decisions=2,
    )


def test_the_preview_reads_the_cache_when_the_files_were_validated(write: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = write(MINIMAL_SCENARIO, "scenario.yaml")
    authority_map = write(MINIMAL_MAP, "map.yaml")
    load_scenario_cached(scenario)
    load_map_cached(authority_map)

    def no_yaml(*_: object) -> None:
        raise AssertionError("the preview parsed YAML although the cache had the files")

    monkeypatch.setattr("simulator.loading.yamlsource.parse", no_yaml)
    facts = preview_facts(options(scenario, authority_map), seed=3)
    assert facts is not None
    assert (facts.title, facts.summary, facts.map_title, facts.decisions) == (
        "Tiny scenario",
        "An alert on ….",
        "Tiny map",
        2,
    )


def test_the_preview_shows_no_control_characters_and_survives_a_broken_file(write: Any) -> None:
    scenario = write('id: t\ntitle: "Evil \\e[2J title"\nsummary: [not, text]\nsteps: 3\n', "scenario.yaml")
    authority_map = write("roles: [\n", "map.yaml")  # not even YAML
    facts = preview_facts(options(scenario, authority_map), seed=1)
    assert facts is not None
    assert facts.title == "Evil [2J title"
    assert (facts.summary, facts.map_title, facts.decisions) == ("", "map", None)


def test_no_preview_for_a_scenario_that_does_not_exist(tmp_path: Path) -> None:
    assert preview_facts(options(tmp_path / "nowhere.yaml"), seed=1) is None


def test_the_exercise_screen_start_loads_neither_pydantic_nor_faker_before_the_briefing() -> None:
    program = (
        "import sys\n"
        "from simulator.tui.app import TtxApp\n"
        "from simulator.tui.preview import preview_facts\n"
        "from simulator.tui.screens.briefing import BriefingScreen\n"
        "from simulator.cli.play import play\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'faker', 'transitions'))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_default_workspace_is_the_sessions_one() -> None:
    from simulator.sessions import DEFAULT_WORKSPACE as SESSIONS_DEFAULT

    assert DEFAULT_WORKSPACE == SESSIONS_DEFAULT == Path("reports")


async def test_begin_before_the_session_is_ready_waits_then_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import simulator.tui.setup_logic as setup_logic

    release = threading.Event()
    real_plan = setup_logic.plan_from_options

    def slow_plan(launch: LaunchOptions) -> Any:
        release.wait(30)
        return real_plan(launch)

    monkeypatch.setattr(setup_logic, "plan_from_options", slow_plan)
    app = make_app(tmp_path, scenario="ransomware-file-server", mode="solo", player="Ana", seed=5)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause(0.3)  # painted, and the worker is waiting
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert screen.session is None
        assert "Ransomware" in str(screen.query_one("#briefing-text", Static).content.renderables[0])  # type: ignore[union-attr]
        await pilot.press("enter")
        assert str(screen.query_one("#begin", Button).label) == WAITING_LABEL
        assert type(app.screen).__name__ == "BriefingScreen"
        release.set()
        await settle(pilot)
        assert type(app.screen).__name__ == "PlayScreen"
        assert app.session is not None and app.session.engine.seed == 5


async def test_an_invalid_scenario_given_on_the_command_line_ends_on_home_with_its_error(
    tmp_path: Path, write: Any
) -> None:
    scenario = write(MINIMAL_SCENARIO.replace("detection.triage", "detection.triaj"), "scenario.yaml")
    authority_map = write(MINIMAL_MAP, "map.yaml")
    app = make_app(tmp_path / "ws", scenario=str(scenario), map=str(authority_map), mode="solo", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        [toast] = list(app._notifications)
        assert toast.title == "Cannot start"
        assert toast.message.startswith(
            f"{scenario}:16:25: steps[0].decisions[0].responsibility: unknown responsibility"
        )
    assert not (tmp_path / "ws").exists()  # no session folder for files that do not validate
