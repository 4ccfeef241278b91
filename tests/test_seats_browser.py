"""Two people take seats in a real browser (the system's headless Chromium driven by Playwright),
cast private ballots, and see the reveal and the team answer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from simulator.seats.headless import HeadlessHost
from simulator.seats.server import SeatServer
from tests.seats_support import hosted

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PAIR = {
    "participants": [
        {"name": "Zora Quillfeather", "roles": ["msp-service-manager"]},
        {"name": "Ivo Brannigan", "roles": ["soc-analyst"]},
    ]
}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (CI installs Debian's)")


async def take_seat(browser: Any, url: str, name: str, width: int, height: int) -> Any:
    page = await browser.new_page(viewport={"width": width, "height": height})
    await page.goto(url)
    await page.fill("#name", name)
    await page.click("#join button[type=submit]")
    await page.wait_for_selector("#seat:not([hidden])")
    return page


async def test_two_browsers_vote_and_see_the_reveal_and_team_answer(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    session = hosted(tmp_path / "work", roster=PAIR)
    room = session.room
    host = HeadlessHost(room)
    server = TestServer(SeatServer(room).app(), host="127.0.0.1")
    await server.start_server()
    url = f"http://127.0.0.1:{server.port}/#room={room.registry.room_code}"
    shots = Path(os.environ.get("TTX_SCREENSHOTS", tmp_path))
    try:
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            phone = await take_seat(browser, url, "Zora Quillfeather", 360, 740)
            laptop = await take_seat(browser, url, "ivo brannigan", 1280, 800)
            # The host starts once everyone is seated: the first question reaches both.
            await phone.wait_for_selector("#ask:not(:empty)")
            await laptop.wait_for_selector("#ask:not(:empty)")
            pending = room.engine.pending_decision
            assert pending is not None
            assert await phone.text_content("#ask") == pending.ask
            assert await phone.text_content("#roles") == "Your roles: MSP service delivery manager (MSP operations)"
            await phone.screenshot(path=str(shots / "seat-360x740-question.png"), full_page=False)

            await phone.check("#choices input[value=msp-service-manager]")
            await phone.click("#cast")
            await phone.wait_for_selector("#ballot-status:has-text('Your ballot is recorded')")
            # Zora's ballot is not shown to Ivo before the reveal; only the count.
            await laptop.wait_for_selector("#voted:has-text('1 of 2')")
            assert "Zora" not in (await laptop.text_content("#seat") or "").split("Story")[0]
            await laptop.click("#nobody")

            # Both voted: the host reveals and records the majority (a tie goes to the first cast).
            await phone.wait_for_selector("#last-box:not([hidden])")
            await laptop.wait_for_selector("#last-box:not([hidden])")
            team = await laptop.text_content("#last-team")
            assert team == "Team answer: MSP service delivery manager"
            ballots = await laptop.text_content("#last-ballots")
            assert ballots == "Zora Quillfeather: MSP service delivery managerIvo Brannigan: nobody / not sure"
            await phone.screenshot(path=str(shots / "seat-360x740-reveal.png"), full_page=True)
            await laptop.screenshot(path=str(shots / "seat-1280x800-reveal.png"), full_page=True)
            # A reload keeps the seat (its secret is in the page's storage) and the state comes back.
            await phone.reload()
            await phone.wait_for_selector("#last-box:not([hidden])")
            assert await phone.is_hidden("#join")
            await browser.close()
    finally:
        await server.close()
        session.close()
    events = [e["type"] for e in room.engine.events]
    assert events.count("ballot_cast") == 2
    assert events.count("answer_recorded") == 1
    assert host.done.is_set() is False


async def test_someone_not_in_the_roster_picks_roles_from_the_map_on_a_phone(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    session = hosted(tmp_path / "work", roster=PAIR)
    room = session.room
    server = TestServer(SeatServer(room).app(), host="127.0.0.1")
    await server.start_server()
    url = f"http://127.0.0.1:{server.port}/#room={room.registry.room_code}"
    shots = Path(os.environ.get("TTX_SCREENSHOTS", tmp_path))
    try:
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            phone = await browser.new_page(viewport={"width": 360, "height": 740})
            await phone.goto(url)
            await phone.fill("#name", "Nell <b>Ortiz</b>")
            await phone.click("#join-button")
            await phone.wait_for_selector("#pick:not([hidden])")
            assert await phone.text_content("#join-button") == "Join with these roles"
            assert await phone.text_content("#pick-legend") == (
                "You are not in the roster. Tick the roles you hold (at most 6):"
            )
            offered = await phone.eval_on_selector_all("#pick-roles input", "inputs => inputs.map(i => i.value)")
            assert offered == room.engine.authority_map.role_ids
            # The page is no wider than the phone.
            assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
            await phone.click("#join-button")  # nothing ticked: the host says what is missing
            await phone.wait_for_selector("#join-error:has-text('pick at least one role')")
            await phone.check("#pick-roles input[value=soc-senior]")
            await phone.check("#pick-roles input[value=vendor-support]")
            await phone.screenshot(path=str(shots / "seat-360x740-pick-roles.png"), full_page=True)
            await phone.click("#join-button")
            await phone.wait_for_selector("#seat:not([hidden])")
            await phone.wait_for_selector("#roles:has-text('Your roles')")
            assert await phone.text_content("#roles") == (
                "Your roles: SOC senior analyst (L2/L3 incident handler) (Backend SOC),"
                " EDR vendor support engineer (Technology vendor)"
            )
            assert await phone.text_content("#who") == "Nell <b>Ortiz</b>"  # text, never markup
            await browser.close()
    finally:
        await server.close()
        session.close()
    joined = [(e["name"], e["roles"]) for e in room.engine.events if e["type"] == "participant_joined"]
    assert joined == [("Nell <b>Ortiz</b>", ["soc-senior", "vendor-support"])]


async def test_the_page_says_it_waits_for_the_start_and_that_the_ballots_are_out(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    session = hosted(tmp_path / "work", roster=PAIR)
    room = session.room
    server = TestServer(SeatServer(room).app(), host="127.0.0.1")
    await server.start_server()
    url = f"http://127.0.0.1:{server.port}/#room={room.registry.room_code}"
    try:
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            phone = await take_seat(browser, url, "Zora Quillfeather", 360, 740)
            await phone.wait_for_selector("#waiting:not([hidden])")  # seated during the briefing
            room.engine.start()
            room.changed()
            await phone.wait_for_selector("#ask:not(:empty)")
            assert await phone.is_hidden("#waiting")
            await phone.check("#choices input[value=msp-service-manager]")
            await phone.click("#cast")
            await phone.wait_for_selector("#ballot-status:has-text('You can change it until the reveal')")
            room.reveal()
            await phone.wait_for_selector("#reveal-box:not([hidden])")
            # Once revealed, a ballot can no longer change: the page stops saying it can.
            await phone.wait_for_selector(
                "#ballot-status:text-is('The ballots are revealed. Yours: MSP service delivery manager.')"
            )
            await browser.close()
    finally:
        await server.close()
        session.close()
