"""Time validation of hostile files: python -m benchmarks.bench_validation [--runs N].

The reproducers of work that grew faster than the file: a 158 KB map of 3,000
roles whose assignments name 1,488 unknown roles and a 51 KB answers file of
3,000 unknown decisions (the quadratic "did you mean"), and a 1.3 MB scenario
with 150,000 undeclared template variables (each finding rescanned the text for
its line). Each is loaded in this process, as `ttx validate` and `ttx run
--answers` do, and compared with loading the bundled msp map in the same run, so
the ratio says how much more work the hostile file causes. Target: each under
2 s on the 2-core machine (97 s, 23 s and 100 s before).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from simulator.bundled import MAP_DIR, resolve_scenario
from simulator.catalogue import CATALOGUE
from simulator.engine.scripted import load_answers
from simulator.loading import LoadError, load_map, load_scenario

TARGET_SECONDS = 2.0


def hostile_map(roles: int = 3000, unknown_per_responsibility: int = 62) -> str:
    lines = ["id: big", "title: Big", "parties:", "  p: Party", "roles:"]
    lines += [f"  - {{id: role-{i:04d}, name: Role {i}, party: p}}" for i in range(roles)]
    lines.append("assignments:")
    for k, rid in enumerate(CATALOGUE):
        unknown = ", ".join(f"rol-{k * unknown_per_responsibility + j:04d}x" for j in range(unknown_per_responsibility))
        lines += [f"  {rid}:", f"    A: role-{k:04d}", f"    R: [{unknown}]", "    why: because"]
    return "\n".join(lines) + "\n"


def hostile_templates(count: int = 150_000) -> str:
    """A scenario whose one inject holds `count` undeclared template variables (1.3 MB)."""
    inject = "{{ x }}\\n" * count
    return f'id: x\ntitle: t\nsteps:\n  - id: s\n    stage: detection\n    inject: "{inject}"\n'


def hostile_answers(count: int = 3000) -> str:
    return "".join(f"dec-{i:04d}: nobody\n" for i in range(count))


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(LoadError):
            action()
        times.append(time.perf_counter() - start)
    return min(times) if runs < 3 else statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        big_map = Path(folder) / "big.yaml"
        big_map.write_text(hostile_map(), encoding="utf-8")
        templates = Path(folder) / "templates.yaml"
        templates.write_text(hostile_templates(), encoding="utf-8")
        answers = Path(folder) / "answers.yaml"
        answers.write_text(hostile_answers(), encoding="utf-8")
        scenario = load_scenario(resolve_scenario("ransomware-file-server"))
        authority_map = load_map(MAP_DIR / "msp.yaml")

        baseline = best_of(runs, lambda: load_map(MAP_DIR / "msp.yaml"))
        results = {
            f"map: 3,000 roles, 1,488 unknown ({big_map.stat().st_size // 1024} KB)": best_of(
                runs, lambda: load_map(big_map)
            ),
            f"scenario: 150,000 undeclared variables ({templates.stat().st_size // 1024} KB)": best_of(
                runs, lambda: load_scenario(templates)
            ),
            f"answers: 3,000 unknown decisions ({answers.stat().st_size // 1024} KB)": best_of(
                runs, lambda: load_answers(answers, scenario, authority_map)
            ),
        }
    print(f"baseline: bundled msp map  {baseline * 1000:8.1f} ms")
    for name, seconds in results.items():
        verdict = "ok" if seconds < TARGET_SECONDS else f"OVER the {TARGET_SECONDS:.0f} s target"
        print(f"{name:<48} {seconds * 1000:8.1f} ms  ×{seconds / baseline:6.1f}  {verdict}")


if __name__ == "__main__":
    main()
