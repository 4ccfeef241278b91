"""Room code and seats: who holds which seat, by a per-seat secret.

The registry is kept in the session folder (`seats.json`, secrets only as
SHA-256 digests) so a host resumed after a crash keeps its room code and the
seats rejoin with the secrets they already hold.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from simulator.engine.session import same_person
from simulator.model import Roster
from simulator.sessions import SEATS_JSON, write_atomically

SEATS_FILE = SEATS_JSON
SEATS_FORMAT = "ttx-seats/1"
# No 0/O or 1/I/L, so a code read aloud or from a projector is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_room_code() -> str:
    """Eight random characters in two groups of four, e.g. "K7QX-M2PA" (31^8 ≈ 8.5e11 codes)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normal_code(code: str) -> str:
    """What a person typed, as the code is compared: upper case, no spaces or dashes."""
    return "".join(c for c in code.upper() if c.isalnum())


def shown_code(code: str) -> str:
    """A room code as the host shows it ("K7QX-M2PA"), whether typed with a dash, spaces or in lower case."""
    chars = normal_code(code)
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass
class Seat:
    id: str
    name: str
    roles: tuple[str, ...]
    secret_sha256: str | None = None  # None until someone takes the seat
    removed: bool = False

    @property
    def taken(self) -> bool:
        return self.secret_sha256 is not None


class SeatRegistry:
    """One seat per roster participant; a seat is taken by the first join and kept by its secret."""

    def __init__(
        self, room_code: str, seats: list[Seat], path: Path | None = None, *, roster_only: bool = False
    ) -> None:
        self.room_code = room_code
        self.seats = {seat.id: seat for seat in seats}
        self.path = path
        self.roster_only = roster_only  # nobody joins with roles of their own: only the roster's people sit

    @classmethod
    def for_roster(cls, roster: Roster, folder: Path | None = None, *, roster_only: bool = False) -> SeatRegistry:
        seats = [Seat(f"s{n}", p.name, tuple(p.roles)) for n, p in enumerate(roster.participants, start=1)]
        registry = cls(new_room_code(), seats, folder / SEATS_FILE if folder else None, roster_only=roster_only)
        registry.save()
        return registry

    @classmethod
    def load_or_create(cls, roster: Roster, folder: Path) -> SeatRegistry:
        """The registry a session folder keeps, or a new one when the session had none."""
        path = folder / SEATS_FILE
        if not path.is_file():
            return cls.for_roster(roster, folder)
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != SEATS_FORMAT:
            raise ValueError(f"{path}: expected a seats file of format {SEATS_FORMAT}")
        by_name = {p.name: p for p in roster.participants}
        seats = []
        for item in data.get("seats", []):
            person = by_name.pop(str(item.get("name")), None)
            if person is None:
                continue  # a seat for someone no longer in the roster
            digest = item.get("secret_sha256")
            seats.append(
                Seat(
                    str(item["id"]),
                    person.name,
                    tuple(person.roles),
                    digest if isinstance(digest, str) else None,
                    bool(item.get("removed", False)),
                )
            )
        registry = cls(str(data["room"]), seats, path, roster_only=data.get("roster_only") is True)
        # Someone journaled as joined whose seat the host did not get to save (it stopped in between):
        # a free seat, taken again by joining with that name.
        for person in by_name.values():
            registry.add(person.name, tuple(person.roles))
        return registry

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "format": SEATS_FORMAT,
            "room": self.room_code,
            "roster_only": self.roster_only,
            "seats": [
                {"id": s.id, "name": s.name, "secret_sha256": s.secret_sha256, "removed": s.removed}
                for s in self.seats.values()
            ],
        }
        write_atomically(self.path, json.dumps(data, indent=1) + "\n")
        self.path.chmod(0o600)

    def code_matches(self, typed: str) -> bool:
        return hmac.compare_digest(normal_code(typed), normal_code(self.room_code))

    def by_name(self, name: str) -> Seat | None:
        wanted = same_person(name)
        for seat in self.seats.values():
            if same_person(seat.name) == wanted:
                return seat
        return None

    def add(self, name: str, roles: tuple[str, ...]) -> Seat:
        """A free seat for someone who joined during play (the engine has journaled them)."""
        numbers = [int(seat_id[1:]) for seat_id in self.seats if seat_id[1:].isdigit()]
        seat = Seat(f"s{max(numbers, default=0) + 1}", name, roles)
        self.seats[seat.id] = seat
        self.save()
        return seat

    def set_roster_only(self, only: bool) -> None:
        """Seat only the roster's people (or anyone again), saved at once; unchanged when it cannot be saved."""
        before, self.roster_only = self.roster_only, only
        try:
            self.save()
        except OSError:
            self.roster_only = before
            raise

    def take(self, seat: Seat) -> str:
        """Give `seat` a fresh secret (returned once, kept only as a digest)."""
        secret = secrets.token_urlsafe(24)
        before = seat.secret_sha256, seat.removed
        seat.secret_sha256 = _digest(secret)
        seat.removed = False
        try:
            self.save()
        except OSError:  # not saved, so not given: the seat stays as it was, free to be taken again
            seat.secret_sha256, seat.removed = before
            raise
        return secret

    def check(self, seat_id: str, secret: str) -> Seat | None:
        seat = self.seats.get(seat_id)
        if seat is None or seat.secret_sha256 is None or seat.removed:
            return None
        return seat if hmac.compare_digest(seat.secret_sha256, _digest(secret)) else None

    def remove(self, seat_id: str) -> Seat:
        """Free a seat: its secret no longer works and the person may join again by name."""
        seat = self.seats[seat_id]
        seat.secret_sha256 = None
        seat.removed = True
        self.save()
        return seat
