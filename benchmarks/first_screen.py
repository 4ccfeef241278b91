"""Start an app headless and exit once its first interactive screen has been painted.

    python benchmarks/first_screen.py ttx SCENARIO WORKSPACE   # `ttx play SCENARIO --mode solo ...`
    python benchmarks/first_screen.py bare                     # Header, Static and Footer, nothing else

bench.py runs this in a fresh process and times it from the outside. The wall-clock
time (time.time()), the process's CPU time and its peak memory at the screen's first
rendered frame are noted as "ready", "ready_cpu" and "ready_rss_mb"; once the work put
off past that paint is done too (ttx validates the files and creates the session then),
the time and the peak memory are noted as "settled" and "peak_rss_mb". These and the
screen's class name are written as JSON to the file named by $FIRST_SCREEN_REPORT, then
the app exits, so the process's exit time and peak memory include the deferred work.

Only `textual.app` is imported before the command runs, to make `App.run` headless
and stop it at the first screen; `ttx play` imports it on its way to the screen
anyway (simulator/tui/app.py), so the ttx process loads exactly the modules the
real command does, in the order `simulator.cli` asks for them.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from typing import Any

from textual.app import App, ComposeResult

SIZE = (100, 32)  # a roomy terminal; ttx needs at least 80x24
TIMEOUT_S = 60.0
REPORT_ENV = "FIRST_SCREEN_REPORT"
TARGET_SCREEN = {"ttx": "BriefingScreen", "bare": "Screen"}  # the first screen that takes input


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    From /proc (VmHWM) where there is one: on Linux, `ru_maxrss` of a freshly started process
    also counts its parent's memory at the moment of the fork, which would put the benchmark
    script's own size under both apps.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    try:
        import resource
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB on Linux


def settled(app: App[Any]) -> bool:
    """Whether the start-up work put off past the first paint is done: ttx has its session by then."""
    return not hasattr(app, "session") or app.session is not None


def stop_at_first_screen(target: str) -> None:
    """Make every `App.run` headless, and exit once a `target` screen has been painted.

    The paint is timed where Textual hands a rendered frame of the screen to the terminal
    (`App._display`; headless, it is rendered and then dropped): waiting for a refresh from
    outside would time whichever refresh comes next, not the first one.
    """
    original_run = App.run
    original_display = App._display
    # screen class -> (wall clock, process CPU seconds, peak RSS in MB) at its first frame
    painted: dict[str, tuple[float, float, float]] = {}

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        if renderable is not None and type(screen).__name__ not in painted:
            painted[type(screen).__name__] = (time.time(), time.process_time(), peak_rss_mb())
        original_display(self, screen, renderable)

    App._display = display  # type: ignore[method-assign]

    def run(self: App[Any], **_: Any) -> Any:
        async def first_screen(pilot: Any) -> None:
            app = pilot.app
            deadline = time.monotonic() + TIMEOUT_S
            while target not in painted:
                if app.return_code is not None:  # the app failed before its first screen
                    return
                if time.monotonic() > deadline:
                    app.exit(f"first_screen: no {target} after {TIMEOUT_S:.0f} s (on {type(app.screen).__name__})")
                    return
                await asyncio.sleep(0)
            ready, ready_cpu, ready_rss = painted[target]
            report = {"ready": ready, "ready_cpu": ready_cpu, "ready_rss_mb": ready_rss, "screen": target}
            # Then the work deferred past the first paint (validation, session, names): the
            # process's exit time and peak memory include it, and its end is reported too.
            try:
                while not settled(app):
                    if app.return_code is not None or time.monotonic() > deadline:
                        raise asyncio.TimeoutError
                    await asyncio.sleep(0.005)
                await asyncio.wait_for(app.workers.wait_for_complete(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                app.exit(f"first_screen: start-up work still unfinished after {TIMEOUT_S:.0f} s")
                return
            report["settled"] = time.time()
            report["peak_rss_mb"] = peak_rss_mb()
            with open(os.environ[REPORT_ENV], "w", encoding="utf-8") as out:
                json.dump(report, out)
            app.exit()

        return original_run(self, headless=True, size=SIZE, auto_pilot=first_screen)

    App.run = run  # type: ignore[method-assign]


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        from textual.widgets import Footer, Header, Static  # here, so the ttx process never loads Header

        yield Header()
        yield Static("Who acts?")
        yield Footer()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TARGET_SCREEN:
        print(__doc__, file=sys.stderr)
        return 2
    stop_at_first_screen(TARGET_SCREEN[argv[0]])
    if argv[0] == "bare":
        result = BareApp().run()
        return 0 if result is None else 1
    scenario, workspace = argv[1], argv[2]
    sys.argv = ["ttx", "play", scenario, "--mode", "solo", "--player", "Bench", "--seed", "1"]
    sys.argv += ["--workspace", workspace]
    # What the `ttx` console script does.
    from simulator.cli import main as ttx

    ttx()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
