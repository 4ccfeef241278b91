"""Reading single cells the way planners write them: clocks, days, yes/no, seconds, methods, consequences."""

from __future__ import annotations

import re

from simulator.catalogue import CATALOGUE
from simulator.model import ArtifactKind

_CLOCK = re.compile(r"^(?:day\s*(?P<day>\d+)\s+)?(?P<h>\d{1,2}):?(?P<m>\d{2})(?::\d{2})?$", re.IGNORECASE)
_DAY = re.compile(r"^(?:day|d)?\s*(?P<day>\d+)$", re.IGNORECASE)
_DATE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})")
_SECONDS = re.compile(r"^(?P<n>\d+)\s*(?P<unit>s|sec|secs|seconds?|m|min|mins|minutes?)?$", re.IGNORECASE)
_MIN_SEC = re.compile(r"^(?P<m>\d+):(?P<s>[0-5]\d)$")

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "critical", "ja", "oui", "si"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "-", "–", "nein", "non"})

# Delivery methods planners write, mapped to ttx's artifact kinds; None: told in the room (the inject itself).
METHODS: dict[str, ArtifactKind | None] = {
    "": None, "narrative": None, "inject": None, "verbal": None, "spoken": None, "read aloud": None,
    "facilitator": None, "controller": None, "briefing": None, "in person": None, "face to face": None,
    "sim cell": None, "simcell": None, "story": None, "scenario": None,
    "log": "log", "logs": "log", "log excerpt": "log", "syslog": "log",
    "alert": "alert", "alarm": "alert", "siem": "alert", "siem alert": "alert", "edr": "alert",
    "edr alert": "alert", "monitoring": "alert", "notification": "alert",
    "email": "email", "e mail": "email", "mail": "email",
    "chat": "chat", "im": "chat", "instant message": "chat", "teams": "chat", "slack": "chat", "sms": "chat",
    "text": "chat", "text message": "chat", "message": "chat", "whatsapp": "chat",
    "phone": "phone", "phone call": "phone", "call": "phone", "telephone": "phone", "voicemail": "phone",
    "voice": "phone", "radio": "phone",
    "document": "document", "memo": "document", "letter": "document", "paper": "document",
    "handout": "document", "report": "document", "fax": "document", "pdf": "document", "file": "document",
    "ticket": "ticket", "helpdesk": "ticket", "service desk": "ticket", "psa ticket": "ticket",
    "screenshot": "screenshot", "image": "screenshot", "photo": "screenshot", "picture": "screenshot",
    "news": "news", "media": "news", "press": "news", "press release": "news", "social media": "news",
    "website": "news", "tv": "news", "video": "news", "news article": "news", "media inquiry": "news",
}  # fmt: skip


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def artifact_kind(method: str) -> tuple[ArtifactKind | None, bool]:
    """(kind, known): the artifact kind a delivery method stands for (None: narrative); unknown -> document."""
    words = _words(method)
    if words in METHODS:
        return METHODS[words], True
    return "document", False


def clock(time_text: str, day: int | None) -> str:
    """'2:14' -> '02:14', with a day: 'Day 2 02:14'; text ttx cannot read is returned for the validator."""
    match = _CLOCK.match(time_text.strip())
    if match is None:
        return time_text.strip()
    day_number = int(match["day"]) if match["day"] else day
    hhmm = f"{int(match['h']):02d}:{match['m']}"
    return f"Day {day_number} {hhmm}" if day_number and day_number > 1 else hhmm


def day_number(text: str, first_date: list[str]) -> int | None:
    """1-based day from '2', 'Day 2', 'D2' or a date (counted from the first date in the sheet)."""
    text = text.strip()
    match = _DAY.match(text)
    if match:
        return int(match["day"])
    date = _DATE.match(text)
    if date:
        import datetime

        try:
            value = datetime.date.fromisoformat(date["date"])
        except ValueError:
            return None
        if not first_date:
            first_date.append(value.isoformat())
        return (value - datetime.date.fromisoformat(first_date[0])).days + 1
    return None


def duration(text: str) -> str:
    """A consequence's clock advance: '+00:40', 'T+0:40' or '40 min' -> '00:40'."""
    value = text.strip().lstrip("Tt").lstrip("+").strip()
    match = _SECONDS.match(value)
    if match and (match["unit"] or "").lower().startswith("m"):
        minutes = int(match["n"])
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    parts = value.split(":")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{int(parts[0]):02d}:{parts[1]}"
    return value


def seconds(text: str) -> str:
    """A time limit in seconds: '90', '90 s', '2 min', '1:30' -> '90'/'120'/'90'; other text unchanged."""
    value = text.strip()
    match = _SECONDS.match(value)
    if match:
        factor = 60 if (match["unit"] or "").lower().startswith("m") else 1
        return str(int(match["n"]) * factor)
    pair = _MIN_SEC.match(value)
    if pair:
        return str(int(pair["m"]) * 60 + int(pair["s"]))
    return value


def flag(text: str) -> bool | str:
    """yes/no words as a bool; anything else unchanged, for the validator to report."""
    words = text.strip().lower()
    if words in TRUE_WORDS:
        return True
    if words in FALSE_WORDS or not words:
        return False
    return text.strip()


def expect(text: str) -> str:
    words = text.strip().lower()
    return {"r": "responsible", "a": "accountable", "resp": "responsible", "acc": "accountable"}.get(words, words)


# Planners may write a responsibility by its title or its description instead of its id.
_NAMES = {r.title.lower(): r.id for r in CATALOGUE.values()} | {
    r.description.lower().rstrip("."): r.id for r in CATALOGUE.values()
}


def responsibility(text: str) -> str:
    """A catalogue id from its id in any case, its title ('Containment authority') or its description."""
    words = text.strip()
    lowered = words.lower()
    if lowered in CATALOGUE:
        return lowered
    return _NAMES.get(" ".join(lowered.split()).rstrip("."), words)


def responsibility_hint(text: str) -> str:
    """' — did you mean 'containment.authorize'?' from the closest id, title or description."""
    import difflib

    lowered = text.strip().lower()
    candidates = [*CATALOGUE, *_NAMES]
    match = difflib.get_close_matches(lowered, candidates, n=1, cutoff=0.6)
    if not match:
        return ""
    rid = match[0] if match[0] in CATALOGUE else _NAMES[match[0]]
    return f" — did you mean '{rid}' ({CATALOGUE[rid].title})?"


def consequences(text: str) -> dict[str, list[str]] | None:
    """'gap: triage-delayed; drift: a, b' -> {'gap': [...], 'drift': [...]}; None when it cannot be read.

    Ids are separated by commas; one written as words ('Slow start') becomes an id ('slow-start').
    """
    result: dict[str, list[str]] = {}
    for part in re.split(r"[;\n]+", text):
        if not part.strip():
            continue
        if ":" not in part:
            return None
        outcome, _, ids = part.partition(":")
        names = [identifier(name) for name in ids.split(",") if name.strip()]
        if not names:
            return None
        result.setdefault(outcome.strip().lower(), []).extend(names)
    return result


def slug(text: str, limit: int = 40) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    cut = words[:limit].rstrip("-")
    if len(words) > limit and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut or "item"


_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def identifier(text: str) -> str:
    """An id as written when it is one; else made into one ('Step 1' -> 'step-1'); '' stays ''."""
    value = text.strip()
    if not value or _IDENTIFIER.match(value):
        return value
    return slug(value, 64)


def discussion(text: str) -> list[str]:
    """One question per line; a leading bullet ('- ', '• ', '* ') is dropped."""
    lines = (re.sub(r"^[-•*]\s+", "", line.strip()) for line in text.splitlines())
    return [line for line in lines if line]
