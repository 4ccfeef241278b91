"""`ttx host --headless` as a user runs it: a real process on a free port, two seats over WebSockets."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from simulator.journal import read_journal

ROSTER = {
    "participants": [
        {"name": "Zora Quillfeather", "roles": ["msp-service-manager"]},
        {"name": "Ivo Brannigan", "roles": ["soc-analyst"]},
    ]
}


async def vote_to_the_end(url: str, room: str, name: str, roles: list[str]) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as socket:
        await socket.send_json({"v": 1, "type": "join", "room": room, "name": name})
        cast: set[tuple[str, int]] = set()
        last: dict[str, Any] = {}
        while True:
            message = await socket.receive_json(timeout=20)
            received.append(message)
            if message.get("code") == "rate_limited":
                await asyncio.sleep(0.2)
                await socket.send_json(last)
            if message["type"] != "state":
                continue
            if message["phase"] == "ended":
                return received
            question = message["question"]
            if message["phase"] == "open" and question and (question["decision"], question["attempt"]) not in cast:
                cast.add((question["decision"], question["attempt"]))
                last = {"v": 1, "type": "ballot", "decision": question["decision"], "attempt": question["attempt"]}
                last["roles"] = roles
                await socket.send_json(last)


async def test_headless_host_plays_a_scenario_with_two_seats_and_writes_the_report(tmp_path: Path) -> None:
    roster = tmp_path / "team.yaml"
    roster.write_text(yaml.safe_dump(ROSTER), encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text("who-works-the-call: client-it-lead\n", encoding="utf-8")
    workspace = tmp_path / "reports"
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "simulator", "host", "stolen-laptop", "--map", "msp", "--roster", str(roster)],
        *["--headless", "--port", "0", "--workspace", str(workspace), "--answers", str(answers), "--seed", "3"],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    join_line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    found = re.fullmatch(r"Join: http://127\.0\.0\.1:(\d+)/#room=([2-9A-Z]{4}-[2-9A-Z]{4})\n", join_line)
    assert found, join_line + (await process.stderr.read()).decode() if process.stderr else ""
    url, room = f"ws://127.0.0.1:{found[1]}/ws", found[2]
    zora, ivo = await asyncio.wait_for(
        asyncio.gather(
            vote_to_the_end(url, room, "Zora Quillfeather", ["msp-service-manager"]),
            vote_to_the_end(url, room, "Ivo Brannigan", ["msp-service-manager", "soc-analyst"]),
        ),
        timeout=90,
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert "Report: " in out.decode()
    [folder] = list(workspace.iterdir())
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["exercise"]["mode"] == "facilitated"
    events = read_journal(folder / "journal.jsonl").events
    recorded = {e["decision"]: e["roles"] for e in events if e["type"] == "answer_recorded"}
    # From the answers file where it names the decision, else the majority (a tie: the ballot cast first).
    assert recorded["who-works-the-call"] == ["client-it-lead"]
    others = {decision: roles for decision, roles in recorded.items() if decision != "who-works-the-call"}
    assert others and all(
        roles in (["msp-service-manager"], ["msp-service-manager", "soc-analyst"]) for roles in others.values()
    )
    assert len([e for e in events if e["type"] == "ballot_cast"]) == 2 * len(recorded)
    assert zora[-1]["phase"] == ivo[-1]["phase"] == "ended"


async def host_until_it_stops(workspace: Path, *args: str) -> tuple[int | None, str]:
    """`ttx host stolen-laptop ARGS` as a process that should stop by itself: its exit code and stderr."""
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "simulator", "host", "stolen-laptop", *args, "--workspace", str(workspace)],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, err.decode()


async def test_a_headless_host_without_a_roster_says_what_it_needs(tmp_path: Path) -> None:
    """Headless, the exercise starts once everyone in the roster is seated: with no roster it would start empty."""
    code, err = await host_until_it_stops(tmp_path, "--headless")
    assert code == 2
    assert "--headless needs --roster FILE: it starts the exercise once everyone in it is seated" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # refused before a session folder was made


async def test_roster_only_without_a_roster_says_what_it_needs(tmp_path: Path) -> None:
    code, err = await host_until_it_stops(tmp_path, "--roster-only")
    assert code == 2
    assert "--roster-only needs --roster FILE: the people it seats" in err
    assert list(tmp_path.iterdir()) == []


async def test_listening_beyond_this_machine_warns(tmp_path: Path) -> None:
    _, err = await host_until_it_stops(tmp_path, "--bind", "0.0.0.0", "--headless")
    assert "warning: listening on 0.0.0.0, beyond this machine" in err
    assert "can take a free seat or join with roles of their own (--roster-only: not that)." in err


async def test_report_on_the_terminal_shows_private_ballots(tmp_path: Path) -> None:
    roster = tmp_path / "team.yaml"
    roster.write_text(yaml.safe_dump(ROSTER), encoding="utf-8")
    workspace = tmp_path / "reports"
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "simulator", "host", "stolen-laptop", "--map", "msp", "--roster", str(roster)],
        *["--headless", "--port", "0", "--workspace", str(workspace), "--seed", "3"],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    found = re.match(r"Join: http://127\.0\.0\.1:(\d+)/#room=(\S+)", (await process.stdout.readline()).decode())
    assert found
    url = f"ws://127.0.0.1:{found[1]}/ws"
    await asyncio.wait_for(
        asyncio.gather(
            vote_to_the_end(url, found[2], "Zora Quillfeather", ["msp-service-manager"]),
            vote_to_the_end(url, found[2], "Ivo Brannigan", []),
        ),
        timeout=90,
    )
    await asyncio.wait_for(process.communicate(), 30)
    [folder] = list(workspace.iterdir())
    report = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "simulator", "report", str(folder)],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120"},
    )
    out, _ = await asyncio.wait_for(report.communicate(), 60)
    text = out.decode()
    assert "Private ballots: first answers against the map" in text
    # Ivo said "nobody" every time: none of his first answers is aligned; he heads the list.
    lines = [line for line in text.splitlines() if "Ivo Brannigan" in line or "Zora Quillfeather" in line]
    assert "Ivo Brannigan" in lines[0]
    assert "(100%)" in lines[0]
