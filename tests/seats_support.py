"""Shared set-up for the seat tests: a hosted session on a bundled scenario with a three-person roster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from simulator.bundled import resolve_map, resolve_scenario
from simulator.loading import load_map, load_scenario
from simulator.model import Roster
from simulator.seats.hosting import HostedSession, host_new

ROSTER = {
    "participants": [
        {"name": "Zora Quillfeather", "roles": ["msp-service-manager", "msp-duty-engineer"]},
        {"name": "Ivo Brannigan", "roles": ["soc-analyst", "soc-lead"]},
        {"name": "Tamsin Okonkwo", "roles": ["client-it-lead"]},
    ]
}


def hosted(
    workspace: Path,
    scenario: str = "ransomware-file-server",
    roster: dict[str, Any] | None = ROSTER,
    *,
    roster_only: bool = False,
) -> HostedSession:
    """A new hosted session; `roster=None` hosts without a roster, as `ttx host` does when given none."""
    scenario_path = resolve_scenario(scenario)
    scenario_model = load_scenario(scenario_path)
    map_path = resolve_map("msp")
    return host_new(
        workspace=workspace,
        scenario_path=scenario_path,
        scenario=scenario_model,
        map_path=map_path,
        authority_map=load_map(map_path),
        roster=Roster(participants=[]) if roster is None else Roster.model_validate(roster),
        seed=7,
        roster_only=roster_only,
    )


async def receive_until(socket: Any, kind: str, limit: int = 20) -> dict[str, Any]:
    """The next message of `kind`, skipping others (state updates arrive whenever the room changes)."""
    for _ in range(limit):
        received: dict[str, Any] = await socket.receive_json(timeout=5)
        if received["type"] == kind:
            return received
    raise AssertionError(f"no '{kind}' message in {limit} messages")


async def seat(client: TestClient, name: str, room: str) -> tuple[Any, dict[str, Any]]:
    socket = await client.ws_connect("/ws")
    await socket.send_json({"v": 1, "type": "join", "room": room, "name": name})
    welcome = await receive_until(socket, "welcome")
    return socket, welcome
