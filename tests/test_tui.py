"""The TUI driven through Textual's Pilot, checked against the journal it writes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.message import Message
from textual.widgets import Static

from simulator.journal import read_journal
from simulator.scoring import score_session
from simulator.sessions import load_session
from simulator.tui.screens.answer_modals import BallotScreen, FeedbackScreen
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.modals import ConfirmScreen, HelpScreen, NotesScreen, TooSmallScreen
from simulator.tui.screens.play import PlayScreen
from simulator.tui.screens.setup import SetupScreen
from simulator.tui.widgets.role_picker import RolePicker
from tests.tui_support import FakeClock, begin_play, make_app, nobody, settle

SCENARIO = "ransomware-file-server"


def journal_answers(workspace: Path) -> list[dict[str, Any]]:
    [folder] = [p for p in workspace.iterdir() if p.is_dir()]
    return [e for e in read_journal(folder / "journal.jsonl").events if e["type"] == "answer_recorded"]


def owner_number(screen: PlayScreen) -> int:
    """The picker number of the map's accountable role for the pending decision."""
    engine = screen.engine
    pending = engine.pending_decision
    assert pending is not None
    owner = engine.authority_map.assignments[pending.decision.responsibility].A
    return [c.role for c in engine.choices].index(owner) + 1


def plain(widget: Static) -> str:
    """The text a Static shows, whatever Rich renderable it holds."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


def static_text(screen: Any, selector: str) -> str:
    return plain(screen.query_one(selector, Static))


async def test_solo_practice_from_briefing_to_debrief(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="solo", player="Ana", seed=5)
    feedback_seen: list[str] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        await settle(pilot)
        answered = 0
        while isinstance(app.screen, PlayScreen):
            screen = app.screen
            if answered % 3 == 2:
                await nobody(pilot)  # nobody / not sure
            else:
                number = owner_number(screen)
                if number <= 9:
                    await pilot.press(str(number), "enter")
                else:
                    await nobody(pilot)
            await settle(pilot)
            assert isinstance(app.screen, FeedbackScreen)
            feedback_seen.append(plain(app.screen.query_one(Static)))
            await pilot.press("enter")
            await settle(pilot)
            answered += 1
        assert isinstance(app.screen, DebriefScreen)
        headline = static_text(app.screen, "#debrief-headline")
        assert "Ownership clarity" in headline
    answers = journal_answers(tmp_path)
    assert len(answers) == answered == len(feedback_seen)
    assert all(a["answered_by"] == "Ana" for a in answers)
    # every third answer was "nobody": a gap, and the feedback said so with the map's why
    assert answers[2]["roles"] == [] and "Gap" in feedback_seen[2] and "Why" in feedback_seen[2]
    assert "Aligned" in feedback_seen[0]


async def test_facilitated_session_with_ballots_and_a_split_room(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "participants:\n"
        "  - {name: Dana, roles: [msp-service-manager, msp-account-manager]}\n"
        "  - {name: Sam, roles: [soc-analyst, soc-senior]}\n"
        "  - {name: Lee, roles: [client-it-lead]}\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "ws", scenario=SCENARIO, mode="facilitated", roster=roster, seed=2)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        # ballots open on the facilitator's word
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen) and app.screen.participant == "Dana"
        await pilot.press("1", "enter")  # Dana
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen) and app.screen.participant == "Sam"
        await pilot.press("2", "enter")  # Sam disagrees
        await settle(pilot)
        await pilot.press("1", "enter")  # Lee sides with Dana
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert static_text(play, "#ballot-status").startswith(
            "Ballots (3): MSP service delivery manager ×2 · MSP on-call engineer ×1"
        )
        await pilot.press("1", "enter")  # the team's final answer
        await settle(pilot)
        # next decision: open ballots, then end the round at once with Esc, record only the team answer
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen)
        await pilot.press("escape")
        await settle(pilot)
        await nobody(pilot)
        await settle(pilot)
    folder = next((tmp_path / "ws").iterdir())
    events = read_journal(folder / "journal.jsonl").events
    ballots = [e for e in events if e["type"] == "ballot_cast"]
    assert [(b["participant"], len(b["roles"])) for b in ballots] == [("Dana", 1), ("Sam", 1), ("Lee", 1)]
    session = load_session(folder)
    answers = [e for e in events if e["type"] == "answer_recorded"]
    assert answers[0]["answered_by"] == "team" and answers[1]["ballots"] == {} and answers[1]["roles"] == []
    from simulator.records import AnswerRecord

    records = [AnswerRecord.from_json(a) for a in answers]
    score = score_session(session.scenario, session.authority_map, session.roster, records)
    assert score.consensus is not None
    [decision] = score.consensus.decisions
    assert (decision.ballots, decision.agreeing) == (3, 2)
    assert decision.ambiguous  # 2 of 3 is a split room


async def test_pause_stops_every_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        clock.advance(4)
        await pilot.press("p")
        await settle(pilot)
        assert screen.query_one("#paused").display
        assert "PAUSED" in static_text(screen, "#clocks")
        clock.advance(600)  # ten minutes of discussion while paused
        await pilot.press("1")  # keys that answer do nothing while paused
        await pilot.press("0")
        await settle(pilot)
        assert screen.engine.answers == []
        await pilot.press("p")
        clock.advance(2)
        await nobody(pilot)
        await settle(pilot)
    [answer] = journal_answers(tmp_path)
    assert answer["latency_ms"] == 6000  # 4 s before the pause + 2 s after, none of the 600 s paused


async def test_time_limit_records_a_gap(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        while (pending := screen.engine.pending_decision) and pending.decision.time_limit_s is None:
            await nobody(pilot)
            await settle(pilot)
        assert pending is not None
        limit = pending.decision.time_limit_s
        assert limit is not None
        assert "left to answer" in static_text(screen, "#countdown")
        clock.advance(limit + 1)
        screen._tick()
        await settle(pilot)
    last = journal_answers(tmp_path)[-1]
    assert last["decision"] == pending.decision.id
    assert last["timed_out"] is True and last["roles"] == []


async def test_quit_and_resume_land_on_the_same_decision(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="assessment", player="Ana", seed=9)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        for _ in range(3):
            await pilot.press("2", "enter")
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        pending = screen.engine.pending_decision
        assert pending is not None
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_value is not None and "ttx resume" in app.return_value
    before = journal_answers(tmp_path)
    assert len(before) == 3

    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    resumed = make_app(tmp_path, resume=folder)
    async with resumed.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = resumed.screen
        assert isinstance(screen, PlayScreen)
        again = screen.engine.pending_decision
        assert again is not None
        assert (again.decision.id, again.step, again.attempt) == (pending.decision.id, pending.step, pending.attempt)
        assert [a.decision for a in screen.engine.answers] == [a["decision"] for a in before]
        await nobody(pilot)
        await settle(pilot)
    after = journal_answers(tmp_path)
    assert after[:3] == before and len(after) == 4


async def test_home_offers_an_unfinished_session(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="assessment", player="Ana", seed=9)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await nobody(pilot)
        await settle(pilot)
        app.exit()
    home = make_app(tmp_path)
    async with home.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(home.screen, ConfirmScreen)
        assert "ransomware-file-server" in static_text(home.screen, ".dialog-text")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(home.screen, PlayScreen)
        assert len(home.screen.engine.answers) == 1


async def test_home_to_setup_to_briefing_with_a_roster_typed_in(tmp_path: Path) -> None:
    app = make_app(tmp_path, offer_resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")  # first scenario, facilitated by default
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"Dana", "tab", "space", "down", "space", "tab", "enter")
        await settle(pilot)
        plan = app.screen.plan
        assert plan.roster is not None
        [dana] = plan.roster.participants
        assert dana.name == "Dana" and len(dana.roles) == 2
        assert "Unstaffed" in static_text(app.screen, "#roster-table")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
    header = json.loads((next(tmp_path.iterdir()) / "journal.jsonl").read_text().splitlines()[0])
    assert header["mode"] == "facilitated" and header["roster"][0]["name"] == "Dana"


async def test_notes_go_to_the_journal(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="facilitated", roster=None, seed=1, player=None)
    app.options.mode = "assessment"
    app.options.player = "Ana"
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press(*"Nobody knew the client's out-of-hours number")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    notes = [e for e in read_journal(folder / "journal.jsonl").events if e["type"] == "note_added"]
    assert [n["text"] for n in notes] == ["Nobody knew the client's out-of-hours number"]
    assert notes[0]["step"] == "edr-alert" or notes[0]["step"]


async def test_help_lists_the_keys_of_the_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query(Static)[1])
        for description in ("Stop every clock", "facilitator / hotwash note", "nobody / not sure", "Tick a role"):
            assert description in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)


async def test_palette_lists_the_main_actions(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="facilitated", roster=None, seed=1)
    app.options.mode = "solo"
    app.options.player = "Ana"
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "Help",
            "Pause / resume",
            "Add a note",
            "Withdraw an answer or a ballot",
            "Add a minute",
            "Room view on / off",
            "End the exercise",
            "Quit",
        ):
            assert title in titles


async def test_too_small_window_is_explained_and_recovers(tmp_path: Path) -> None:
    app = make_app(tmp_path, offer_resume=False)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "70×20" in static_text(app.screen, "#too-small-text")
        await pilot.resize_terminal(100, 32)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_picker_posts_the_ticked_roles(tmp_path: Path) -> None:
    seen: list[RolePicker.Submitted] = []

    def hook(message: Message) -> None:
        # the hook sees a message at every node it bubbles through; keep each once
        if isinstance(message, RolePicker.Submitted) and all(message is not m for m in seen):
            seen.append(message)

    app = make_app(tmp_path, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await begin_play(pilot)
        await pilot.press("1", "3", "enter")  # a contested answer: two roles
        await settle(pilot)
        await pilot.press("down", "enter")  # nothing ticked: the highlighted role
        await settle(pilot)
    assert len(seen) == 2
    assert len(seen[0].roles) == 2
    assert len(seen[1].roles) == 1
    answers = journal_answers(tmp_path)
    assert sorted(answers[0]["roles"]) == sorted(seen[0].roles)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_play_screen_fits_common_sizes(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="facilitated", roster=None, seed=1)
    app.options.mode = "solo"
    app.options.player = "Ana"
    async with app.run_test(size=size) as pilot:
        await begin_play(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        picker = screen.query_one(RolePicker)
        assert picker.region.height >= 5 and picker.region.right <= size[0]
        assert screen.query_one("#question").region.height >= 1


async def test_mouse_ticks_roles_and_records_with_the_button(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="assessment", player="Ana", seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.click("#begin")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        picker = screen.query_one(RolePicker)
        await pilot.click(RolePicker, offset=(4, 1))  # first role's row, inside the border
        await pilot.click(RolePicker, offset=(4, 3))  # third role's row
        await settle(pilot)
        ticked = list(picker.selected)
        assert len(ticked) == 2
        await pilot.click("#record")
        await settle(pilot)
        await pilot.click("#nobody")
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):  # a critical decision asks first
            await pilot.click("#yes")
            await settle(pilot)
    answers = journal_answers(tmp_path)
    assert sorted(answers[0]["roles"]) == sorted(ticked)
    assert answers[1]["roles"] == []


async def test_ballots_survive_a_quit_and_the_rest_of_the_room_votes_after_resume(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "participants:\n  - {name: Dana, roles: [msp-service-manager]}\n"
        "  - {name: Sam, roles: [soc-analyst]}\n  - {name: Lee, roles: [client-it-lead]}\n",
        encoding="utf-8",
    )
    workspace = tmp_path / "ws"
    app = make_app(workspace, scenario=SCENARIO, mode="facilitated", roster=roster, seed=2)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("1", "enter")  # Dana
        await settle(pilot)
        await pilot.press("4", "enter")  # Sam
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen) and app.screen.participant == "Lee"
        app.exit()  # the terminal goes away before Lee votes
    [folder] = list(workspace.iterdir())
    resumed = make_app(workspace, resume=folder)
    async with resumed.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        play = resumed.screen
        assert isinstance(play, PlayScreen)
        assert set(play.engine.ballots) == {"Dana", "Sam"}
        # who voted shows, not what: the tally waits for the whole room
        assert static_text(play, "#ballot-status").startswith("Voted 2 of 3: Dana, Sam · waiting: Lee")
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(resumed.screen, BallotScreen) and resumed.screen.participant == "Lee"
        await pilot.press("8", "enter")
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot)
    [answer] = journal_answers(workspace)
    assert set(answer["ballots"]) == {"Dana", "Sam", "Lee"}


async def test_resuming_a_session_whose_copies_were_edited_explains_instead_of_crashing(tmp_path: Path) -> None:
    app = make_app(tmp_path, scenario=SCENARIO, mode="assessment", player="Ana", seed=9)
    async with app.run_test(size=(100, 32)) as pilot:
        await begin_play(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        app.exit()
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    [answer] = journal_answers(tmp_path)
    copy = folder / "map.yaml"
    copy.write_text(copy.read_text(encoding="utf-8").replace(answer["roles"][0], "renamed-role"), encoding="utf-8")
    resumed = make_app(tmp_path, resume=folder)
    async with resumed.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(resumed.screen, HomeScreen)
        messages = [n.message for n in resumed._notifications]
        assert any("does not replay against this scenario and map" in m for m in messages)


async def test_names_that_look_like_markup_are_shown_as_typed(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "participants:\n  - {name: 'Dana [/bold] Whitfield', roles: [msp-service-manager]}\n"
        "  - {name: 'Sam [on call]', roles: [soc-analyst]}\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "ws", scenario=SCENARIO, mode="facilitated", roster=roster, seed=2)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        briefing = plain(app.screen.query(Static)[0])
        assert "Dana [/bold] Whitfield" in briefing and "Sam [on call]" in briefing
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen)
        assert "Ballot — Dana [/bold] Whitfield" in plain(app.screen.query(Static)[0])
