"""The ttx Textual app and the one factory the CLI and the tests both use."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import Resize
from textual.logging import TextualHandler
from textual.screen import ModalScreen, Screen

from simulator.tui.options import LaunchOptions

if TYPE_CHECKING:
    from simulator.play import PlayableSession
    from simulator.tui.setup_logic import SetupPlan

# The engine, the loaders (pydantic), Faker and the modal screens (TextArea) are imported where
# they are used: `ttx play` with everything given paints its briefing before any of them is loaded.

MIN_WIDTH, MIN_HEIGHT = 80, 24
PREPARE_AFTER_PAINT_S = 0.1


class TtxApp(App[str | None]):
    """Home → setup → briefing → play → debrief, over one Engine."""

    CSS_PATH = "ttx.tcss"
    TITLE = "ttx"
    SUB_TITLE = "who acts?"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help", tooltip="Every key on this screen"),
        Binding("ctrl+q", "request_quit", "Quit", id="quit", tooltip="Leave ttx (answers are already saved)"),
    ]

    def __init__(self, options: LaunchOptions) -> None:
        super().__init__()
        self.options = options
        self.session: PlayableSession | None = None
        self.crash_report: str | None = None  # the traceback of an unhandled error, printed on exit
        self._to_prepare: LaunchOptions | None = None  # a briefing painted before its session exists

    def _handle_exception(self, error: Exception) -> None:
        # Python's own traceback keeps every file path whole (the pretty one cuts them to the
        # terminal's width); `run` prints it once the terminal is restored.
        if self.crash_report is None:
            self.crash_report = "".join(traceback.format_exception(error))
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        self.bell()
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        options = self.options
        if options.map_edit is not None:
            from simulator.tui.screens.map_workshop import MapWorkshopScreen

            self.push_screen(MapWorkshopScreen.for_request(options.map_edit, exit_on_close=True))
            return
        if options.resume is not None:
            self.open_session_folder(options.resume)
            return
        if options.ready_to_play and self.brief_first():
            return
        from simulator.tui.screens.home import HomeScreen

        if options.scenario is None:
            self.push_screen(HomeScreen(offer_resume=options.offer_resume))
            return
        from simulator.tui.setup_logic import SetupError, plan_from_options

        try:
            plan = plan_from_options(options)
        except SetupError as error:
            self.push_screen(HomeScreen())
            self.notify(str(error), title="Cannot start", severity="error", timeout=12, markup=False)
            return
        if options.map is None and plan.scenario.audience == "any":
            self._ask_which_map(plan)
            return
        self._set_up(plan)

    def _ask_which_map(self, plan: SetupPlan) -> None:
        """A scenario written for any organisation: ask which map instead of quietly taking one."""
        from simulator.tui.library import read_maps
        from simulator.tui.screens.home import HomeScreen
        from simulator.tui.screens.map_choice import MapChoiceScreen
        from simulator.tui.setup_logic import SetupError, plan_from_options

        def chosen(path: Path | None) -> None:
            if path is None:
                self.push_screen(HomeScreen(offer_resume=False))
                return
            self.options.map = str(path)
            try:
                self._set_up(plan_from_options(self.options))
            except SetupError as error:
                self.push_screen(HomeScreen(offer_resume=False))
                self.notify(str(error), title="Cannot start", severity="error", timeout=12, markup=False)

        maps = [(row.label, row.path) for row in read_maps()]
        self.push_screen(MapChoiceScreen(plan.scenario.title, maps), chosen)

    def _set_up(self, plan: SetupPlan) -> None:
        """The setup screen, or straight to the briefing when the command line gave everything."""
        if self.options.ready_to_play:
            self.begin(plan)  # straight to the briefing: the home screen is never built
        else:
            from simulator.tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(plan))

    def on_unmount(self) -> None:
        self._close_session()

    def _close_session(self) -> None:
        """Close the journal and release the session's lock: one session is open at a time."""
        if self.session is not None:
            self.session.close()  # closing twice is harmless

    # --- moving between the main screens --------------------------------------------

    def brief_first(self) -> bool:
        """Paint the briefing from the unvalidated files now; validate and create the session after.

        False when the files cannot even be found: the caller then reports it the usual way.
        """
        from simulator.tui.preview import new_seed, preview_facts
        from simulator.tui.screens.briefing import BriefingScreen

        seed = self.options.seed if self.options.seed is not None else new_seed()
        facts = preview_facts(self.options, seed)
        if facts is None:
            return False
        self._to_prepare = replace(self.options, seed=seed)
        self.push_screen(BriefingScreen(preview=facts))
        return True

    def on_briefing_screen_painted(self) -> None:
        options, self._to_prepare = self._to_prepare, None
        if options is not None:
            # A moment after the first paint, so the frame reaches the terminal before the worker
            # competes with it for the interpreter; nobody presses Begin within a tenth of a second.
            self.set_timer(PREPARE_AFTER_PAINT_S, lambda: self.prepare_session(options))

    @work(thread=True, exclusive=True, group="prepare-session")
    def prepare_session(self, options: LaunchOptions) -> None:
        """Validate the files (or find them in the cache), create the session and its names, off the UI thread."""
        from simulator.sessions import SessionError
        from simulator.tui.setup_logic import SetupError, plan_from_options, start_from_plan

        try:
            session = start_from_plan(plan_from_options(options), options)
        except SetupError as error:
            self.call_from_thread(self.cannot_start, str(error), "Cannot start")
            return
        except (OSError, SessionError) as error:
            self.call_from_thread(self.cannot_start, f"Could not create the session: {error}", "Error")
            return
        try:
            self.call_from_thread(self.session_prepared, session)
        except RuntimeError:  # the app closed meanwhile
            session.close()

    def session_prepared(self, session: PlayableSession) -> None:
        from simulator.tui.screens.briefing import BriefingScreen

        self.session = session
        for screen in self.screen_stack:
            if isinstance(screen, BriefingScreen) and screen.session is None:
                screen.session_ready(session)

    def cannot_start(self, message: str, title: str) -> None:
        from simulator.tui.screens.home import HomeScreen

        self.switch_to(HomeScreen())
        self.notify(message, title=title, severity="error", timeout=12, markup=False)

    def begin(self, plan: SetupPlan) -> None:
        """Create the session on disk and show the briefing."""
        from simulator.sessions import SessionError
        from simulator.tui.screens.briefing import BriefingScreen
        from simulator.tui.setup_logic import start_from_plan

        self._close_session()
        try:
            self.session = start_from_plan(plan, self.options)
        except (OSError, SessionError) as error:
            self.notify(f"Could not create the session: {error}", severity="error", timeout=12, markup=False)
            return
        self.switch_to(BriefingScreen(self.session))

    def open_session_folder(self, folder: Path) -> None:
        """Reopen a session exactly where it stopped (the debrief when it had ended)."""
        from simulator.engine import EngineError
        from simulator.journal import JournalError
        from simulator.loading import LoadError
        from simulator.play import reopen_session
        from simulator.sessions import SessionError, load_session
        from simulator.tui.screens.home import HomeScreen

        self._close_session()
        try:
            self.session = reopen_session(load_session(folder))
        except (LoadError, SessionError, JournalError, EngineError, OSError, ValueError) as error:
            if len(self.screen_stack) <= 1:
                self.push_screen(HomeScreen())
            self.notify(f"Could not resume {folder}: {error}", severity="error", timeout=15, markup=False)
            return
        for warning in self.session.warnings:
            self.notify(warning, title="Resuming", severity="warning", timeout=12, markup=False)
        self.show_play()

    def show_play(self) -> None:
        from simulator.tui.screens.debrief import DebriefScreen
        from simulator.tui.screens.play import PlayScreen

        assert self.session is not None
        engine = self.session.engine
        if not engine.started:
            try:
                engine.start()
            except OSError as error:
                self.journal_failed(error)
                return
        finished = engine.finished
        self.switch_to(DebriefScreen(self.session) if finished else PlayScreen(self.session, self.options.clock))

    def new_exercise(self) -> None:
        """Close the finished session and go back to the scenario list, to start another exercise."""
        from simulator.tui.screens.home import HomeScreen

        if self.session is not None:
            self.session.close()
            self.session = None
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen(offer_resume=False))

    def journal_failed(self, error: OSError) -> None:
        """A journal write failed (a full disk): say so and leave, the session resumable from its last saved line.

        The engine in memory may be one event ahead of the disk, so play must not go on from it.
        """
        folder = self.session.folder if self.session else None
        self.exit(
            f"Could not save to the session journal: {error.strerror or error}. Everything saved before this is"
            f" kept; free some disk space, then continue with: ttx resume {folder}",
            return_code=1,
        )

    def switch_to(self, screen: Screen[None]) -> None:
        """Show `screen` in place of the current main screen; the home screen stays underneath."""
        from simulator.tui.screens.home import HomeScreen

        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        if len(self.screen_stack) <= 1 or isinstance(self.screen, HomeScreen):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    # --- app-wide keys --------------------------------------------------------------

    def action_help(self) -> None:
        from simulator.tui.screens.modals import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.active_bindings.values()))

    def action_request_quit(self) -> None:
        from simulator.tui.screens.modals import ConfirmScreen

        engine = self.session.engine if self.session else None
        if engine is None or not engine.started or engine.finished:
            self.exit(None)
            return
        folder = self.session.folder if self.session else None
        message = f"Leave the exercise now?\n\nEvery answer so far is saved. Continue later with\n  ttx resume {folder}"

        def decided(leave: bool | None) -> None:
            if leave:
                self.exit(f"Session saved. Continue with: ttx resume {folder}")

        self.push_screen(ConfirmScreen(message, yes="Leave", no="Stay"), decided)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Help", "Every key on the current screen", self.action_help)
        yield from getattr(screen, "palette_commands", lambda: ())()
        yield SystemCommand("Quit", "Leave ttx; an exercise can be resumed later", self.action_request_quit)
        yield from (c for c in super().get_system_commands(screen) if c.title == "Theme")
        yield SystemCommand(
            "Screenshot",
            "Save an SVG picture of this screen in the session folder",
            lambda: self.set_timer(0.1, self.action_screenshot),  # once the palette has closed
        )

    def screenshot_folder(self) -> Path:
        """The session's folder while an exercise is open, else the workspace's screenshots folder."""
        if self.session is not None:
            return self.session.folder
        return self.options.workspace / "screenshots"

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen where the exercise's files are, and say where (or why not)."""
        folder = Path(path) if path else self.screenshot_folder()
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        name = filename or f"screenshot-{stamp}-{type(self.screen).__name__.removesuffix('Screen').lower()}.svg"
        target = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            svg = self.export_screenshot()
            for number in range(2, 100):  # never over an existing file: add a number instead
                try:
                    with open(target, "x", encoding="utf-8") as handle:
                        handle.write(svg)
                    break
                except FileExistsError:
                    target = folder / f"{Path(name).stem}-{number}.svg"
            else:
                raise FileExistsError(f"too many screenshots named {name}")
        except OSError as error:
            reason = error.strerror or str(error)
            self.notify(f"Screenshot not saved: cannot write {target}: {reason}", severity="error", markup=False)
            return
        self.notify(f"Screenshot saved to {target.resolve()}", title="Screenshot", timeout=8, markup=False)

    def on_resize(self, event: Resize) -> None:
        too_small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        if not too_small and not isinstance(self.screen, ModalScreen):
            return  # the usual case, and the first resize at start-up: no need to load the modals
        from simulator.tui.screens.modals import TooSmallScreen

        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif showing and isinstance(self.screen, TooSmallScreen):
            self.screen.update_size(event.size.width, event.size.height)
            if not too_small:
                self.pop_screen()


def create_app(options: LaunchOptions | None = None) -> TtxApp:
    """The one way to build the app, for the CLI and the tests alike."""
    return TtxApp(options or LaunchOptions())


def run(options: LaunchOptions) -> str | None:
    """Run the app; after a crash, print the plain traceback and exit non-zero (SystemExit)."""
    # Library logging goes to Textual's log, never over the screen.
    logging.basicConfig(level=logging.INFO, handlers=[TextualHandler()], force=True)
    app = create_app(options)
    message = app.run()
    if app.crash_report is not None or app.return_code:
        sys.stderr.write(app.crash_report or "ttx stopped after an error.\n")
        if app.session is not None:
            sys.stderr.write(f"\nEvery answer given is saved. Continue with: ttx resume {app.session.folder}\n")
        raise SystemExit(app.return_code or 1)
    return message
