from pathlib import Path
from tests.tui_support import make_app, settle
from simulator.tui.options import MapEditRequest

async def test_probe(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("reports"), map_edit=MapEditRequest(None, "acme", Path("roles/acme.yaml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        print(type(app.screen).__name__, app.focused)
        await pilot.press(*"msp", "enter")
        await settle(pilot)
        print(type(app.screen).__name__, app.focused)
