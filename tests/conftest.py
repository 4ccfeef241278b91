from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# A mutation run repeats the tests once per mutant: HYPOTHESIS_PROFILE=mutation keeps the property tests short.
settings.register_profile("mutation", max_examples=10, deadline=None)
# CI tries the same examples on every run, so a push is judged on its own code, not on what a new random draw
# happens to find; a local run draws new examples each time and hunts (a find becomes a named test).
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

REPO = Path(__file__).resolve().parent.parent

MINIMAL_MAP = """\
id: tiny
title: Tiny map
parties:
  soc: Backend SOC
  client: Client admins
roles:
  - id: soc-analyst
    name: SOC analyst
    party: soc
  - id: client-it-lead
    name: Client IT lead
    party: client
    deputy: soc-analyst
assignments:
  detection.triage:
    A: soc-analyst
    R: [soc-analyst]
    why: The SOC watches the alerts.
  containment.authorize:
    A: client-it-lead
    R: [soc-analyst]
    C: []
    why: The client owns its systems.
"""

MINIMAL_SCENARIO = """\
id: tiny
title: Tiny scenario
summary: An alert on {{ host }}.
audience: any
variables:
  host: {faker: hostname, prefix: "FS-"}
  client: company
steps:
  - id: alert
    stage: detection
    clock: "02:14"
    inject: The EDR flags {{ host }} at {{ client }}.
    decisions:
      - id: who-triages
        ask: Who triages this alert?
        responsibility: detection.triage
        on:
          gap: delay
  - id: contain
    stage: containment
    inject: Encryption spreads.
    decisions:
      - id: who-authorises
        ask: Who authorises isolating the server?
        responsibility: containment.authorize
        expect: accountable
consequences:
  delay:
    clock_advance: "00:40"
    inject: Forty minutes pass.
    goto: contain
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a file in tmp_path and return its path."""

    def _write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def private_content_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets an empty validated-content cache of its own, never the user's."""
    folder = tmp_path_factory.mktemp("ttx-cache")
    monkeypatch.setenv("TTX_CACHE_DIR", str(folder))
    return folder
