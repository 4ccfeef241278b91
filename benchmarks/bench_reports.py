"""Time the reports: python -m benchmarks.bench_reports [--sessions N] [--keep DIR].

1. `ttx trend` over N synthetic sessions (default 10,000) generated into a
   temporary folder: real sessions of two bundled scenarios played with random
   answers by a three-person roster, each copied many times with its start date
   spread over two years. Every folder holds what a real one does (journal,
   scenario and map copies, report.json). The command runs as a subprocess, as
   a user would run it; its wall time and peak memory are measured for each
   output format. Targets: under 5 s and under 300 MB.
2. Writing every report format (report.json, report.md, report.html,
   improvement-plan.csv) for one session, from reading its folder to the last
   file written. Target: under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from simulator.bundled import resolve_map, resolve_scenario
from simulator.engine import Engine
from simulator.engine.scripted import Answerer, autoplay, play_to_end
from simulator.loading import load_map, load_scenario
from simulator.model import Participant, Roster
from simulator.reporting.files import session_report, write_session_reports
from simulator.sessions import JOURNAL_NAME, MAP_COPY, REPORT_JSON, SCENARIO_COPY, create_session, load_session

TREND_SECONDS = 5.0
TREND_MB = 300.0
WRITE_SECONDS = 0.3
TEMPLATES = 24  # distinct real sessions; the rest are copies with other dates
PLAYS = (("ransomware-file-server", "msp"), ("ddos-extortion", "saas"))
START = datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc)


def mixed(n: int) -> Answerer:
    """The map's answer with a probability growing with n, else a random one: teams that get better."""
    rng = random.Random(n)
    right, wrong = autoplay("map", n), autoplay("random", n)
    return lambda engine, pending: (right if rng.random() < 0.3 + n / 40 else wrong)(engine, pending)


def play_templates(folder: Path, count: int = TEMPLATES) -> list[Path]:
    """Real sessions: random answers, mixed with the map's own answer more often as the seed grows."""
    sessions = []
    for n in range(count):
        scenario_id, map_id = PLAYS[n % len(PLAYS)]
        scenario_path, map_path = resolve_scenario(scenario_id), resolve_map(map_id)
        scenario, authority_map = load_scenario(scenario_path), load_map(map_path)
        ids = authority_map.role_ids
        third = len(ids) // 3
        roster = Roster(
            participants=[
                Participant(name="Dana Whitfield", roles=ids[:third]),
                Participant(name="Sam Okafor", roles=ids[third : 2 * third]),
                Participant(name="Lee Chen", roles=ids[2 * third :]),
            ]
        )
        new = create_session(
            folder, scenario_path, scenario, map_path, authority_map, roster, n, "facilitated", now=START
        )
        with new.journal:
            engine = Engine(scenario, authority_map, roster, n, journal=new.journal)
            play_to_end(engine, mixed(n))
        new.lock.release()
        write_session_reports(session_report(load_session(new.folder, "reporting")), new.folder, ("json",))
        sessions.append(new.folder)
    return sessions


def generate(root: Path, count: int) -> None:
    """`count` session folders under `root`, copies of the templates with their start time moved."""
    templates = play_templates(root / ".templates")
    sources = []
    for folder in templates:
        report = (folder / REPORT_JSON).read_text(encoding="utf-8")
        marker = '"started_at": "'
        at = report.index(marker) + len(marker)
        end = report.index('"', at)
        sources.append((folder, report[:at], report[end:], (folder / JOURNAL_NAME).read_bytes()))
    spread = timedelta(days=730) / count
    for i in range(count):
        folder, head, tail, journal = sources[i % len(sources)]
        moment = START + spread * i
        target = root / f"{moment:%Y%m%d-%H%M%S}-{i:05d}"
        target.mkdir()
        (target / JOURNAL_NAME).write_bytes(journal)
        for copy in (SCENARIO_COPY, MAP_COPY):
            os.link(folder / copy, target / copy)
        (target / REPORT_JSON).write_text(f"{head}{moment.isoformat(timespec='seconds')}{tail}", encoding="utf-8")
    shutil.rmtree(root / ".templates")


def run_trend(root: Path, format_: str, out: Path) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one `ttx trend` run in a fresh interpreter."""
    command = [sys.executable, "-m", "simulator", "trend", str(root), "--format", format_, "-o", str(out)]
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.stderr is not None:
        process.stderr.close()
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return elapsed, peak_mb, process.returncode


def time_writing(folder: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        write_session_reports(session_report(load_session(folder, "reporting")), folder)
        times.append(time.perf_counter() - began)
    return times


def verdict(value: float, target: float) -> str:
    return f"{value / target:.2f}× target ({'ok' if value < target else 'OVER'})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="generate into DIR and keep it (default: a temporary folder)")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ttx-bench-reports-"))
    root = options.keep or work / "sessions"
    root.mkdir(parents=True, exist_ok=True)
    try:
        began = time.perf_counter()
        generate(root, options.sessions)
        print(f"generated {options.sessions:,} sessions in {time.perf_counter() - began:.1f} s under {root}")
        failed = False
        for format_ in ("term", "md", "html"):
            out = work / f"trend.{format_}"
            seconds, peak, code = run_trend(root, format_, out)
            failed |= code != 0 or seconds >= TREND_SECONDS or peak >= TREND_MB
            print(
                f"ttx trend --format {format_:4}: {seconds:.2f} s, {verdict(seconds, TREND_SECONDS)};"
                f" peak {peak:.0f} MB, {verdict(peak, TREND_MB)}; output {out.stat().st_size / 1024:.0f} KB"
                + ("" if code == 0 else f"; EXIT {code}")
            )
        one = Path(tempfile.mkdtemp(prefix="ttx-bench-one-", dir=work))
        folder = play_templates(one, 1)[0]
        times = time_writing(folder, 20)
        median, worst = statistics.median(times), max(times)
        failed |= median >= WRITE_SECONDS
        print(
            f"all report formats for one session: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms"
            f" over {len(times)} runs; {verdict(median, WRITE_SECONDS)}"
        )
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
