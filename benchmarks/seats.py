"""Seats benchmark: python benchmarks/seats.py [--seats 50] [--scenario ransomware-file-server]

A report, not a test (it always exits 0 and marks misses OVER TARGET). A real
`ttx host --headless` process on 127.0.0.1 and N seats (asyncio WebSocket
clients in this process) that each cast a ballot on every decision:

  run           ballot -> ack latency p50 / p99 (target p99 < 100 ms), against the baseline of the same run:
                the round trip of a message the host answers without the journal (PROBES connections
                that never join send pings, each answered at once with `not_joined`) while the seats vote;
                host CPU seconds per ballot,
                host memory per seat (RSS with N seats joined minus RSS before any joined; target < 1 MB),
                ballots lost (acknowledged but not in the journal; must be 0)
  kill-resume   the same, with the host killed (SIGKILL) mid-vote on a decision and restarted with
                `ttx host --resume`: the seats rejoin with their secrets and carry on; lost must be 0

Bounded: at most --seats 60 (the room's limit), one scenario, TIMEOUT_S per run; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

REPO = Path(__file__).resolve().parent.parent
TIMEOUT_S = 300.0
PROBES = 5  # connections measuring the baseline round trip (within the room's 60 connections)
PROBE_INTERVAL_S = 0.15  # under the host's limit of 10 messages a second per connection
ROLES = ["msp-service-manager", "msp-duty-engineer", "soc-analyst", "soc-lead", "client-it-lead", "vendor-support"]
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Host:
    process: asyncio.subprocess.Process
    port: int
    room: str
    folder: Path


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    acked: set[tuple[str, str, int]] = field(default_factory=set)  # (name, decision, attempt)
    rejoins: int = 0
    round_trips: list[float] = field(default_factory=list)  # the baseline: answered without the journal


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * PAGE


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def start_host(args: list[str], workspace: Path, port: int = 0) -> Host:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "host",
        *args,
        "--headless",
        "--port",
        str(port),
        "--workspace",
        str(workspace),
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
    found = re.match(r"Join: http://127\.0\.0\.1:(\d+)/#room=(\S+)", line)
    if not found:
        raise RuntimeError(f"the host did not start: {line}{(await process.stderr.read()).decode()}")
    await process.stdout.readline()  # the room code
    folder = Path((await process.stderr.readline()).decode().split(": ", 1)[1].strip())
    return Host(process, int(found[1]), found[2], folder)


async def seat(name: str, roles: list[str], host: list[Host], tally: Tally, kill_at: asyncio.Event | None) -> None:
    """Join, then ballot on every open question; on a lost connection, rejoin with the seat's secret."""
    held: dict[str, str] = {}
    cast: set[tuple[str, int]] = set()
    sent_at: dict[tuple[str, int], float] = {}
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.ws_connect(f"ws://127.0.0.1:{host[0].port}/ws") as socket:
                    join = {"v": 1, "type": "join", "room": host[0].room}
                    join.update({"seat": held["seat"], "secret": held["secret"]} if held else {"name": name})
                    await socket.send_json(join)
                    async for frame in socket:
                        message: dict[str, Any] = frame.json()
                        kind = message["type"]
                        if kind == "welcome" and "secret" in message:
                            held = {"seat": message["seat"], "secret": message["secret"]}
                        elif kind == "ack":
                            key = (message["decision"], message["attempt"])
                            tally.acked.add((name, *key))
                            tally.latencies.append(time.perf_counter() - sent_at[key])
                        elif kind == "error" and message["code"] == "rate_limited":
                            await asyncio.sleep(0.2)
                        elif kind == "state":
                            if message["phase"] == "ended":
                                return
                            question = message["question"]
                            if message["phase"] == "open" and question:
                                key = (question["decision"], question["attempt"])
                                if key in cast and message["your_ballot"] is not None:
                                    continue
                                if key in cast and (name, *key) in tally.acked:
                                    continue
                                cast.add(key)
                                if kill_at is not None and not kill_at.is_set() and len(tally.acked) > 120:
                                    kill_at.set()  # mid-vote: some seats have cast on this decision, some not
                                sent_at[key] = time.perf_counter()
                                await socket.send_json(
                                    {"v": 1, "type": "ballot", "decision": key[0], "attempt": key[1], "roles": roles}
                                )
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError):
                pass
            tally.rejoins += 1
            await asyncio.sleep(0.3)


async def probe(host: list[Host], tally: Tally, done: asyncio.Event) -> None:
    """Ping from a connection that never joins, while the seats vote: the host answers each at once."""
    async with aiohttp.ClientSession() as http:
        while not done.is_set():
            try:
                async with http.ws_connect(f"ws://127.0.0.1:{host[0].port}/ws") as socket:
                    while not done.is_set():
                        sent = time.perf_counter()
                        await socket.send_json({"v": 1, "type": "ping"})
                        reply = await socket.receive_json(timeout=10)
                        if reply.get("code") == "not_joined" and tally.acked:  # measured while the seats vote
                            tally.round_trips.append(time.perf_counter() - sent)
                        await asyncio.sleep(PROBE_INTERVAL_S)
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError, TypeError, ValueError):
                await asyncio.sleep(0.3)  # the host was killed, or closed the connection: connect again


def journaled(folder: Path) -> set[tuple[str, str, int]]:
    from simulator.journal import read_journal

    events = read_journal(folder / "journal.jsonl").events
    return {(e["participant"], e["decision"], e["attempt"]) for e in events if e["type"] == "ballot_cast"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(seats: int, scenario: str, kill: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ttx-seats-") as scratch:
        roster = Path(scratch) / "roster.yaml"
        names = [f"Seat {n:02d}" for n in range(1, seats + 1)]
        people = [{"name": n, "roles": [ROLES[i % len(ROLES)]]} for i, n in enumerate(names)]
        roster.write_text(yaml.safe_dump({"participants": people}), encoding="utf-8")
        workspace = Path(scratch) / "reports"
        host = [await start_host([scenario, "--map", "msp", "--roster", str(roster), "--seed", "1"], workspace)]
        pid = host[0].process.pid
        rss_before = rss_bytes(pid)
        tally = Tally()
        kill_at = asyncio.Event() if kill else None
        picks = {n: [ROLES[(i * 7) % len(ROLES)]] for i, n in enumerate(names)}
        tasks = [asyncio.create_task(seat(n, picks[n], host, tally, kill_at)) for n in names]
        probing = asyncio.Event()
        probes = [asyncio.create_task(probe(host, tally, probing)) for _ in range(min(PROBES, 60 - seats))]
        started = time.perf_counter()
        rss_seated = 0
        killed_at_acks = None
        while not all(t.done() for t in tasks):
            await asyncio.sleep(0.05)
            if not rss_seated and tally.acked:
                rss_seated = rss_bytes(pid)  # every seat joined (the host starts only then)
            if kill_at is not None and kill_at.is_set() and killed_at_acks is None:
                cpu = cpu_seconds(pid)
                host[0].process.send_signal(signal.SIGKILL)
                await host[0].process.wait()
                killed_at_acks = len(tally.acked)
                host[0] = await start_host(["--resume", str(host[0].folder)], workspace, host[0].port)
                host[0].folder = host[0].folder
            if time.perf_counter() - started > TIMEOUT_S:
                for t in tasks:
                    t.cancel()
                raise RuntimeError(f"the run took over {TIMEOUT_S} s")
        probing.set()
        cpu = cpu_seconds(host[0].process.pid)
        await asyncio.wait_for(host[0].process.wait(), 30)
        await asyncio.wait_for(asyncio.gather(*probes), 30)
        on_disk = journaled(host[0].folder)
        lost = len(tally.acked - on_disk)
        return {
            "seats": seats,
            "ballots acked": len(tally.acked),
            "ack p50 ms": 1000 * statistics.median(tally.latencies),
            "ack p99 ms": 1000 * percentile(tally.latencies, 0.99),
            "baseline round trip p50 ms": 1000 * statistics.median(tally.round_trips or [0.0]),
            "baseline round trip p99 ms": 1000 * percentile(tally.round_trips or [0.0], 0.99),
            "ack p99 / baseline p99": percentile(tally.latencies, 0.99)
            / max(1e-6, percentile(tally.round_trips or [0.0], 0.99)),
            "baseline samples": len(tally.round_trips),
            "host cpu s / 100 ballots (last process)": 100 * cpu / max(1, len(tally.acked)),
            "host memory per seat KB": (rss_seated - rss_before) / seats / 1024,
            "ballots lost": lost,
            "killed after acks": killed_at_acks,
            "rejoins": tally.rejoins,
            "wall s": time.perf_counter() - started,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seats", type=int, default=50, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--scenario", default="ransomware-file-server")
    args = parser.parse_args()
    for label, kill in (("run", False), ("kill-resume", True)):
        result = asyncio.run(run(args.seats, args.scenario, kill))
        misses = []
        if result["ack p99 ms"] >= 100:
            misses.append("p99 OVER TARGET (100 ms)")
        if result["host memory per seat KB"] >= 1024:
            misses.append("memory OVER TARGET (1 MB)")
        if result["ballots lost"]:
            misses.append("BALLOTS LOST")
        print(f"== {label}: {', '.join(misses) or 'within targets'}")
        for key, value in result.items():
            print(f"  {key:42} {value:.1f}" if isinstance(value, float) else f"  {key:42} {value}")


if __name__ == "__main__":
    main()
