"""ttx performance report: python benchmarks/bench.py [--runs N] [--only NAME,...]

Each measurement is repeated (median and min reported) and compared with a
baseline measured in the same run, because the machines this runs on are noisy.
It is a report, not a test: it always exits 0 and marks misses OVER TARGET.

  headless      `ttx run SCENARIO --autoplay map` per bundled scenario vs `python -c "import yaml, rich, faker"`;
                wall time per scenario, and the CPU time of all of them (info: it ignores a busy machine)
  scoring       score_session on bench_scoring's synthetic 1,000-decision session
  first-screen  process start to the first interactive screen of `ttx play` vs a bare Textual app
                (Header, Static, Footer), and the peak memory of both processes; ttx validates and
                creates the session after its first paint, so "ready to begin" and the peak memory
                include that work; one more ttx run per round starts with an empty content cache
  latency       Enter on the role picker (the owner ticked) to the next decision painted, through
                Textual's Pilot, solo assessment (no feedback modal), fake clock; median over a
                scenario's decisions

Child processes get their own bytecode cache (PYTHONPYCACHEPREFIX), their own
validated-content cache (TTX_CACHE_DIR) and one untimed warm-up run, so they start as
an installed ttx that has run once does: compiled, and with the bundled files validated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIRST_SCREEN = Path(__file__).resolve().parent / "first_screen.py"
PLAY_SCENARIO = "ransomware-file-server"
TIMEOUT_S = 120.0
SECTIONS = ("headless", "scoring", "first-screen", "latency")


# --- results ------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table. With a baseline, the target is a ratio; without, an absolute bound."""

    name: str
    values: list[float]
    unit: str  # "ms" or "MB"
    baseline: list[float] = field(default_factory=list)
    target: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def ratio(self) -> float | None:
        return self.median / statistics.median(self.baseline) if self.baseline else None

    @property
    def over(self) -> bool:
        if self.target is None or not self.values:
            return False
        measured = self.ratio if self.ratio is not None else self.median
        return measured > self.target

    def cells(self) -> list[str]:
        if not self.values:
            return [self.name, "failed", "", "", "", f"OVER TARGET ({self.note})"]
        value = f"{self.median:,.1f} {self.unit} (min {min(self.values):,.1f})"
        baseline = f"{statistics.median(self.baseline):,.1f} {self.unit}" if self.baseline else "—"
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else "—"
        if self.target is None:
            target, verdict = "—", "info"
        else:
            target = f"≤ {self.target:g}×" if self.baseline else f"< {self.target:g} {self.unit}"
            verdict = "OVER TARGET" if self.over else "within"
        return [self.name, value, baseline, ratio, target, verdict]


def print_table(rows: Sequence[Row]) -> None:
    header = ["measurement", "value: median (min)", "baseline", "ratio", "target", "verdict"]
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for n, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- child processes ------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float  # spawn to exit
    maxrss_mb: float | None  # the child's own peak resident set size
    cpu_s: float | None = None  # the child's user + system CPU time
    ready_s: float | None = None  # spawn to first screen, from the child's report
    settled_s: float | None = None  # spawn to the end of the work deferred past the first screen
    ready_cpu_s: float | None = None  # the child's CPU time at its first screen, from its report
    ready_rss_mb: float | None = None  # peak memory at the first screen, from the child's report


def child_env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env["TTX_CACHE_DIR"] = str(scratch / "content-cache")
    return env


def spawn(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run `argv` to completion: wall time, and peak memory of exactly this child (wait4)."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        killer = threading.Timer(TIMEOUT_S, proc.kill)
        killer.start()
        try:
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(proc.pid, 0)
                elapsed = time.perf_counter() - started
                proc.returncode = os.waitstatus_to_exitcode(status)
                # ru_maxrss is in KiB on Linux, bytes on macOS.
                maxrss: float | None = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
                cpu: float | None = usage.ru_utime + usage.ru_stime
            else:
                proc.wait()
                elapsed, maxrss, cpu = time.perf_counter() - started, None, None
        finally:
            killer.cancel()
        if proc.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(f"{' '.join(argv[1:3])} exited {proc.returncode}: {' | '.join(tail)}")
    return Sample(elapsed, maxrss, cpu)


def ttx_command() -> list[str]:
    """The installed `ttx` console script, run by this interpreter; `-m simulator` without one."""
    script = shutil.which("ttx", path=str(Path(sys.executable).parent))
    return [sys.executable, script] if script else [sys.executable, "-m", "simulator"]


def repeat(runs: int, measure: Callable[[], None]) -> None:
    """One untimed warm-up (it also fills the bytecode cache), then `runs` timed rounds."""
    for _ in range(runs + 1):
        measure()


def bench_headless(runs: int, env: dict[str, str], scratch: Path) -> list[Row]:
    from simulator.bundled import bundled_scenarios

    scenarios = [path.stem for path in bundled_scenarios()]
    baseline_argv = [sys.executable, "-c", "import yaml, rich, faker"]
    baseline: list[float] = []
    baseline_cpu: list[float] = []
    all_cpu: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in scenarios}
    failed: dict[str, str] = {}
    rounds = 0

    def one_round() -> None:
        nonlocal rounds
        timed = rounds > 0
        rounds += 1
        sample = spawn(baseline_argv, env)
        if timed:
            baseline.append(sample.seconds * 1000)
            if sample.cpu_s is not None:
                baseline_cpu.append(sample.cpu_s * 1000)
        for name in scenarios:
            if name in failed:
                continue
            out = Path(tempfile.mkdtemp(dir=scratch))
            try:
                sample = spawn(
                    [*ttx_command(), "run", name, "--autoplay", "map", "--seed", "1", "--out", str(out)], env
                )
            except RuntimeError as error:
                failed[name] = str(error)
                continue
            if timed:
                times[name].append(sample.seconds * 1000)
                if sample.cpu_s is not None:
                    all_cpu.append(sample.cpu_s * 1000)

    progress(f"headless: {len(scenarios)} scenarios × {runs} runs, interleaved with the baseline")
    repeat(runs, one_round)
    rows = [Row("baseline: python -c 'import yaml, rich, faker'", baseline, "ms", target=None)]
    for name in scenarios:
        rows.append(Row(f"ttx run {name}", times[name], "ms", baseline, target=2.5, note=failed.get(name, "")))
    if all_cpu and baseline_cpu:
        rows.append(Row("ttx run, every scenario: CPU time (info)", all_cpu, "ms", baseline_cpu))
    return rows


def bench_first_screen(runs: int, env: dict[str, str], scratch: Path) -> list[Row]:
    report = scratch / "first-screen.json"
    env = dict(env, FIRST_SCREEN_REPORT=str(report))
    samples: dict[str, list[Sample]] = {"bare": [], "ttx": [], "ttx-cold": []}
    rounds = 0

    def launch(kind: str) -> Sample:
        report.unlink(missing_ok=True)
        argv = [sys.executable, str(FIRST_SCREEN), kind.removesuffix("-cold")]
        launch_env = env
        if kind.startswith("ttx"):
            argv += [PLAY_SCENARIO, tempfile.mkdtemp(dir=scratch)]
        if kind == "ttx-cold":  # nothing validated yet: the first start after installing or editing
            launch_env = dict(env, TTX_CACHE_DIR=tempfile.mkdtemp(dir=scratch))
        started_wall = time.time()
        sample = spawn(argv, launch_env)
        if not report.exists():
            raise RuntimeError(f"first_screen.py {kind} exited without reaching its first screen")
        data = json.loads(report.read_text(encoding="utf-8"))
        sample.ready_s = data["ready"] - started_wall
        sample.settled_s = data["settled"] - started_wall
        sample.ready_cpu_s = data.get("ready_cpu")
        sample.ready_rss_mb = data.get("ready_rss_mb") or None
        # The child's own figure: wait4's counts the memory this script had when it started the child.
        sample.maxrss_mb = data.get("peak_rss_mb") or sample.maxrss_mb
        return sample

    def one_round() -> None:
        nonlocal rounds
        timed = rounds > 0
        rounds += 1
        for kind in ("bare", "ttx", "ttx-cold"):
            sample = launch(kind)
            if timed:
                samples[kind].append(sample)

    progress(f"first screen: `ttx play {PLAY_SCENARIO} --mode solo` and a bare Textual app × {runs} runs")
    try:
        repeat(runs, one_round)
    except RuntimeError as error:
        return [Row("ttx play: start → first screen", [], "ms", note=str(error))]

    def ms(kind: str, pick: Callable[[Sample], float | None]) -> list[float]:
        return [value * 1000 for s in samples[kind] if (value := pick(s)) is not None]

    def mb(kind: str, pick: Callable[[Sample], float | None] = lambda s: s.maxrss_mb) -> list[float]:
        return [value for s in samples[kind] if (value := pick(s)) is not None]

    bare_ready = ms("bare", lambda s: s.ready_s)
    rows = [
        Row("ttx play: start → first screen", ms("ttx", lambda s: s.ready_s), "ms", bare_ready, 1.25),
        Row("  the same, empty content cache (info)", ms("ttx-cold", lambda s: s.ready_s), "ms", bare_ready),
        Row(
            "  CPU time to first screen (info)",
            ms("ttx", lambda s: s.ready_cpu_s),
            "ms",
            ms("bare", lambda s: s.ready_cpu_s),
        ),
        Row("ttx play: start → ready to begin (info)", ms("ttx", lambda s: s.settled_s), "ms", bare_ready),
        Row("ttx play: start → exit (info)", ms("ttx", lambda s: s.seconds), "ms", ms("bare", lambda s: s.seconds)),
    ]
    if mb("ttx"):
        rows.append(Row("ttx play: peak memory (RSS)", mb("ttx"), "MB", mb("bare"), 1.5))
    if mb("ttx", lambda s: s.ready_rss_mb):
        rows.append(
            Row(
                "  peak memory at first screen (info)",
                mb("ttx", lambda s: s.ready_rss_mb),
                "MB",
                mb("bare", lambda s: s.ready_rss_mb),
            )
        )
    return rows


# --- in process ---------------------------------------------------------------------


def bench_scoring(runs: int) -> list[Row]:
    from benchmarks.bench_scoring import synthetic_session
    from simulator.scoring import score_session

    progress(f"scoring: 1,000 decisions × {runs} runs")
    scenario, authority_map, roster, records = synthetic_session(1000)
    score_session(scenario, authority_map, roster, records)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        score_session(scenario, authority_map, roster, records)
        times.append((time.perf_counter() - started) * 1000)
    return [Row("score_session, 1,000 decisions", times, "ms", target=100.0)]


async def play_through(workspace: Path) -> tuple[list[float], float | None]:
    """Answer every decision with the map's owner, ticked: (ms to the next decision, ms to the debrief)."""
    from simulator.tui.widgets.role_picker import RolePicker
    from tests.tui_support import make_app, settle

    app = make_app(workspace, scenario=PLAY_SCENARIO, mode="assessment", player="Bench", seed=1)
    latencies: list[float] = []
    to_debrief: float | None = None
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the briefing's Begin
        await settle(pilot)
        while type(app.screen).__name__ == "PlayScreen":
            screen: Any = app.screen
            engine = screen.engine
            pending = engine.pending_decision
            assignment = engine.authority_map.assignments.get(pending.decision.responsibility)
            roles = [choice.role for choice in engine.choices]
            owner = roles.index(assignment.A) if assignment and assignment.A in roles else 0
            picker = screen.query_one(RolePicker)
            # Ticked, as a team records its answer: Enter with nothing ticked asks to confirm first.
            picker.select(roles[owner])
            picker.highlighted = owner
            await settle(pilot)
            answered = len(engine.answers)
            started = time.perf_counter()
            press = asyncio.create_task(pilot.press("enter"))
            deadline = started + TIMEOUT_S
            while len(engine.answers) == answered:
                if press.done() or time.perf_counter() > deadline:
                    raise RuntimeError(f"Enter did not record an answer to {pending.decision.id}")
                await asyncio.sleep(0)
            if engine.finished:
                while type(app.screen).__name__ != "DebriefScreen" or not app.screen.is_mounted:
                    if time.perf_counter() > deadline:
                        raise RuntimeError("the last answer did not open the debrief")
                    await asyncio.sleep(0)
                await app.screen.wait_for_refresh()
                to_debrief = (time.perf_counter() - started) * 1000
            else:
                assert engine.pending_decision != pending
                await screen.wait_for_refresh()
                latencies.append((time.perf_counter() - started) * 1000)
            await press
            await settle(pilot)
    return latencies, to_debrief


def bench_latency(runs: int, scratch: Path) -> list[Row]:
    progress(f"latency: every decision of {PLAY_SCENARIO} through Pilot × {runs} runs")
    medians, debriefs, decisions = [], [], 0
    for n in range(runs + 1):  # the first play-through warms up
        latencies, to_debrief = asyncio.run(play_through(Path(tempfile.mkdtemp(dir=scratch))))
        if n and latencies:
            medians.append(statistics.median(latencies))
            decisions = len(latencies)
        if n and to_debrief is not None:
            debriefs.append(to_debrief)
    rows = [Row(f"keypress → next decision (median of {decisions})", medians, "ms", target=50.0)]
    if debriefs:
        rows.append(Row("keypress → debrief (last answer, info)", debriefs, "ms"))
    return rows


# --- main -----------------------------------------------------------------------------


def environment(runs: int) -> str:
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    load = " · load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    try:
        from importlib.metadata import version

        textual = f" · textual {version('textual')}"
    except Exception:
        textual = ""
    return (
        f"python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}\n"
        f"cpus {cpus} (usable {usable}){load}{textual} · {runs} runs per measurement after a warm-up"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed repetitions of each measurement (default 7)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown or args.runs < 1:
        parser.error(f"unknown section(s): {', '.join(unknown)}" if unknown else "--runs must be at least 1")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # benchmarks.* and tests.* from a checkout

    print(environment(args.runs))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ttx-bench-") as tmp:
        scratch = Path(tmp)
        env = child_env(scratch)
        for section in SECTIONS:
            if section not in chosen:
                continue
            try:
                if section == "headless":
                    rows += bench_headless(args.runs, env, scratch)
                elif section == "scoring":
                    rows += bench_scoring(args.runs)
                elif section == "first-screen":
                    rows += bench_first_screen(args.runs, env, scratch)
                else:
                    rows += bench_latency(args.runs, scratch)
            except Exception as error:  # a report: say what broke and carry on
                rows.append(Row(section, [], "ms", note=f"{type(error).__name__}: {error}"))
    print()
    print_table(rows)
    over = [row for row in rows if row.over or not row.values]
    if over:
        print()
    for row in over:
        if not row.values:
            print(f"OVER TARGET: {row.name}: no measurement ({row.note})")
            continue
        measured = f"{row.ratio:.2f}× the baseline" if row.ratio is not None else f"{row.median:,.1f} {row.unit}"
        bound = f"{row.target:g}×" if row.ratio is not None else f"{row.target:g} {row.unit}"
        print(f"OVER TARGET: {row.name}: {measured}, target {bound}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
