"""The seat protocol: message shapes, limits and errors (documented in docs/protocol.md).

Every message is one JSON object with `v` (the protocol version) and `type`.
Parsing never raises anything but `ProtocolError`, whose `code` and `message`
go back to the seat as an `error` message.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from simulator.frozen import frozen

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 16 * 1024  # larger messages are refused with an error; the connection stays
HARD_MESSAGE_BYTES = 64 * 1024  # larger still: the server closes the connection (WebSocket code 1009)
MESSAGES_PER_SECOND = 10  # per connection, sustained; a burst of as many is allowed
MAX_SEATS = 60  # connections per room, joined or not
MAX_NAME_CHARS = 80
MAX_ROLES_PER_BALLOT = 40

ErrorCode = Literal[
    "malformed",
    "unsupported_version",
    "unknown_type",
    "too_large",
    "rate_limited",
    "room_full",
    "wrong_room",
    "wrong_secret",
    "unknown_name",
    "name_taken",
    "no_roles",
    "too_many_roles",
    "ended",
    "roster_only",
    "seat_taken",
    "not_joined",
    "already_joined",
    "no_question",
    "stale_question",
    "ballots_closed",
    "unknown_role",
    "paused",
    "removed",
    "not_saved",
]

# Errors after which the server closes the connection (the rest keep it open).
CLOSING_ERRORS: frozenset[str] = frozenset({"room_full", "wrong_room", "wrong_secret", "removed"})

CLOSE_REFUSED = 4003  # WebSocket close code for a refused join (wrong room code or seat secret)
CLOSE_REMOVED = 4001  # the facilitator removed this seat
CLOSE_FULL = 1013  # "try again later": the room has its maximum of connections


class ProtocolError(Exception):
    def __init__(self, code: ErrorCode, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details  # more fields of the error message, e.g. the roles to pick from

    def to_message(self) -> dict[str, Any]:
        return message("error", code=self.code, message=self.message, **self.details)


def message(kind: str, **payload: Any) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "type": kind, **payload}


@frozen
class Join:
    room: str
    name: str | None  # a first join, by roster name (or a new participant's name, with `roles`)
    seat: str | None  # a rejoin, with the secret the first join returned
    secret: str | None
    roles: tuple[str, ...] | None = None  # picked from the map by someone not in the roster


@frozen
class Ballot:
    decision: str
    attempt: int
    roles: tuple[str, ...]


@frozen
class Ping:
    pass


ClientMessage = Join | Ballot | Ping


def _text(data: dict[str, Any], key: str, limit: int = 200, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ProtocolError("malformed", f"'{key}' must be a non-empty string of at most {limit} characters")
    return value.strip()


def _held_roles(data: dict[str, Any]) -> tuple[str, ...]:
    """The roles a join picks from the map: role ids, checked against the map by the room."""
    roles = data.get("roles")
    if (
        not isinstance(roles, list)
        or len(roles) > MAX_ROLES_PER_BALLOT
        or not all(isinstance(r, str) and 0 < len(r) <= 200 for r in roles)
    ):
        raise ProtocolError("malformed", "'roles' must be a list of the role ids you hold, from the map")
    return tuple(dict.fromkeys(roles))


def parse(raw: str | bytes) -> ClientMessage:
    """One message from a seat, checked for size, JSON, version and shape."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large", f"message of {size} bytes refused; the limit is {MAX_MESSAGE_BYTES} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("malformed", "expected one JSON object per message") from None
    if not isinstance(data, dict):
        raise ProtocolError("malformed", "expected a JSON object with 'v' and 'type'")
    if data.get("v") != PROTOCOL_VERSION:
        raise ProtocolError(
            "unsupported_version", f"protocol version {data.get('v')!r} is not spoken here; expected {PROTOCOL_VERSION}"
        )
    kind = data.get("type")
    if kind == "join":
        room = _text(data, "room", 40)
        assert room is not None
        return Join(
            room=room,
            name=_text(data, "name", MAX_NAME_CHARS, required=False),
            seat=_text(data, "seat", 40, required=False),
            secret=_text(data, "secret", 100, required=False),
            roles=_held_roles(data) if "roles" in data else None,
        )
    if kind == "ballot":
        decision = _text(data, "decision", 200)
        assert decision is not None
        attempt = data.get("attempt")
        roles = data.get("roles")
        if not isinstance(attempt, int) or isinstance(attempt, bool) or not 1 <= attempt <= 10_000:
            raise ProtocolError("malformed", "'attempt' must be the question's attempt number")
        if (
            not isinstance(roles, list)
            or len(roles) > MAX_ROLES_PER_BALLOT
            or not all(isinstance(r, str) and 0 < len(r) <= 200 for r in roles)
        ):
            raise ProtocolError("malformed", "'roles' must be a list of role ids (empty for nobody / not sure)")
        return Ballot(decision, attempt, tuple(dict.fromkeys(roles)))
    if kind == "ping":
        return Ping()
    raise ProtocolError("unknown_type", f"unknown message type {kind!r}; expected join, ballot or ping")
