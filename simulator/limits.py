"""The vocabularies, limits and patterns of the file formats.

Shared by the runtime model (`simulator.model`) and the validation schema (`simulator.schema`);
it imports nothing, so reading a value from here never loads pydantic.
"""

from __future__ import annotations

import re
from typing import Literal

Outcome = Literal["aligned", "overlap", "drift", "gap"]
OUTCOMES: tuple[Outcome, ...] = ("aligned", "overlap", "drift", "gap")
Audience = Literal["msp", "saas", "any"]
Expect = Literal["responsible", "accountable"]
ArtifactKind = Literal["log", "alert", "email", "chat", "phone", "document", "ticket", "screenshot", "news"]

# Limits that keep what validates playable: a session folder is named "<time>-<scenario id>-<map id>",
# which must fit the 255-byte name limit of common file systems; clocks stay within 999 days.
MAX_ID_LENGTH = 64
MAX_CLOCK_DAY = 999
MAX_DURATION_HOURS = 999

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
RESPONSIBILITY_ID_PATTERN = r"^[a-z0-9_-]+\.[a-z0-9_-]+$"
# Any clock play can reach (consequences may push it past Day 999), never a number of thousands of digits.
CLOCK_RE = re.compile(r"^(?:Day (?P<day>[1-9]\d{0,6}) )?(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)$")
# What a step of a scenario file may say.
STEP_CLOCK_PATTERN = r"^(?:Day [1-9]\d{0,2} )?(?:[01]?\d|2[0-3]):[0-5]\d$"
DURATION_RE = re.compile(r"^(?P<h>\d{1,3}):(?P<m>[0-5]\d)$")
