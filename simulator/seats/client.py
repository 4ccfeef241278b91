"""What a terminal seat needs besides its screen: the address to dial, and the seat it holds.

The seat secret is kept in a small file (mode 0600) under the user's state folder, so
a `ttx join` that is closed and started again takes back the same seat.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from simulator.frozen import frozen
from simulator.seats.registry import normal_code


class AddressError(ValueError):
    """An address `ttx join` cannot use; the message says what was expected."""


@frozen
class Address:
    websocket: str  # ws://host:port/ws or wss://…
    room: str


def parse_address(address: str, room: str | None = None) -> Address:
    """The join link (`http://host:port/#room=CODE`) or `host:port` with a separate room code."""
    text = address.strip()
    if "://" not in text:
        text = f"http://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        raise AddressError(
            f"'{address}': expected the join link the facilitator shows, e.g. http://10.0.0.5:8765/#room=K7QX-M2PA"
        )
    code = room or (parse_qs(parts.fragment).get("room") or [""])[0]
    if not code:
        raise AddressError(f"'{address}' has no room code; give the whole join link or --room CODE")
    secure = parts.scheme in ("https", "wss")
    return Address(f"{'wss' if secure else 'ws'}://{parts.netloc}/ws", normal_code(code))


def state_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "ttx"


def _seat_file(address: Address, name: str, folder: Path) -> Path:
    key = "".join(c if c.isalnum() else "_" for c in f"{address.websocket}-{address.room}-{name}".lower())
    return folder / f"seat-{key[:120]}.json"


def saved_seat(address: Address, name: str, folder: Path | None = None) -> tuple[str, str] | None:
    path = _seat_file(address, name, folder or state_folder())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["seat"]), str(data["secret"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_seat(address: Address, name: str, seat: str, secret: str, folder: Path | None = None) -> None:
    folder = folder or state_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = _seat_file(address, name, folder)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"seat": seat, "secret": secret}, handle)


def forget_seat(address: Address, name: str, folder: Path | None = None) -> None:
    _seat_file(address, name, folder or state_folder()).unlink(missing_ok=True)
