"""The seat server: one static page and one WebSocket, on aiohttp, in the host's own event loop.

Each connection must `join` (by roster name) or rejoin (seat id + secret)
before anything else; then every change in the room sends it a fresh `state`.
Limits, refusals and which of them close the connection are in protocol.py
and docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import ssl
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from simulator.engine import EngineError
from simulator.journal import JournalWriteError
from simulator.seats.protocol import (
    CLOSE_FULL,
    CLOSE_REFUSED,
    CLOSE_REMOVED,
    CLOSING_ERRORS,
    HARD_MESSAGE_BYTES,
    MAX_SEATS,
    MESSAGES_PER_SECOND,
    Ballot,
    Join,
    ProtocolError,
    message,
    parse,
)
from simulator.seats.registry import Seat
from simulator.seats.room import Room
from simulator.seats.views import own_part, seat_state, shared_part, state_text

log = logging.getLogger(__name__)

PAGE_FILES = {
    "/": ("seat.html", "text/html"),
    "/seat.css": ("seat.css", "text/css"),
    "/seat.js": ("seat.js", "text/javascript"),
}
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
LOCAL_ADDRESSES = ("127.0.0.1", "::1", "localhost")
BROADCAST_DELAY_S = 0.05


@dataclass
class RateLimit:
    """A token bucket: `rate` messages a second sustained, a burst of as many."""

    rate: float = MESSAGES_PER_SECOND
    tokens: float = MESSAGES_PER_SECOND
    last: float = field(default_factory=time.monotonic)

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass(eq=False)
class Connection:
    socket: web.WebSocketResponse
    seat: Seat | None = None
    limit: RateLimit = field(default_factory=RateLimit)


def beyond_this_machine(bind: str) -> bool:
    if bind in LOCAL_ADDRESSES:
        return False
    try:
        return not ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return True  # a host name: it may resolve to anything


def origin_allowed(request: web.Request, extra: frozenset[str]) -> bool:
    """Browsers send Origin: it must be this page's own host, or one named with --origin (a reverse proxy)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser (ttx join, scripts); they cannot be driven by another site's page
    if origin.rstrip("/") in extra:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()


def _page(name: str) -> bytes:
    return resources.files("simulator.seats").joinpath("static").joinpath(name).read_bytes()


class SeatServer:
    """The aiohttp application serving one room."""

    def __init__(self, room: Room, allowed_origins: frozenset[str] = frozenset(), max_seats: int = MAX_SEATS) -> None:
        self.room = room
        self.allowed_origins = frozenset(o.rstrip("/") for o in allowed_origins)
        self.max_seats = max_seats
        self.connections: set[Connection] = set()
        self.sent: list[tuple[str, dict[str, Any]]] = []  # (seat id, message) when recording is on, for tests
        self.record_sent = False
        self._pages = {path: (_page(name), kind) for path, (name, kind) in PAGE_FILES.items()}
        self._pending_broadcast = False
        room.on_change(self._schedule_broadcast)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=HARD_MESSAGE_BYTES)
        for path in self._pages:
            app.router.add_get(path, self._static)
        app.router.add_get("/ws", self._websocket)
        app.on_shutdown.append(self._close_all)
        return app

    async def _static(self, request: web.Request) -> web.Response:
        body, kind = self._pages[request.path]
        return web.Response(body=body, content_type=kind, charset="utf-8", headers=SECURITY_HEADERS)

    # --- sending ---------------------------------------------------------------

    async def _send(self, connection: Connection, payload: dict[str, Any]) -> None:
        await self._send_text(connection, json.dumps(payload))

    async def _send_text(self, connection: Connection, text: str) -> None:
        if connection.socket.closed:
            return
        if self.record_sent:
            self.sent.append((connection.seat.id if connection.seat else "", json.loads(text)))
        with contextlib.suppress(ConnectionError, RuntimeError):  # it went away; its own reader handles the close
            await connection.socket.send_str(text)

    def _schedule_broadcast(self) -> None:
        # Changes within BROADCAST_DELAY_S send one state to each seat, not one per change: with 50 seats
        # voting at once, a state per ballot would make every acknowledgement wait behind 50 × 50 states.
        if self._pending_broadcast:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: the first state goes out on join
        self._pending_broadcast = True
        loop.call_later(BROADCAST_DELAY_S, lambda: asyncio.ensure_future(self.broadcast()))

    async def broadcast(self) -> None:
        self._pending_broadcast = False
        shared = json.dumps(shared_part(self.room))  # the bulk of every seat's state (the story), encoded once
        states: list[tuple[Connection, str]] = []  # one snapshot of the room for every seat
        for connection in list(self.connections):
            seat = connection.seat
            if seat is None:
                continue
            if seat.removed or not seat.taken:
                await self._refuse(connection, ProtocolError("removed", "the facilitator removed your seat"))
                continue
            states.append((connection, state_text(own_part(self.room, seat), shared)))
        for connection, text in states:
            await self._send_text(connection, text)
            # Acknowledgements whose fsync has returned go out between the states, not after all of them.
            await asyncio.sleep(0)

    async def _refuse(self, connection: Connection, error: ProtocolError) -> None:
        await self._send(connection, error.to_message())
        if error.code in CLOSING_ERRORS:
            code = {"room_full": CLOSE_FULL, "removed": CLOSE_REMOVED}.get(error.code, CLOSE_REFUSED)
            await connection.socket.close(code=code, message=error.code.encode())

    async def _close_all(self, _app: web.Application) -> None:
        for connection in list(self.connections):
            await connection.socket.close(code=1001, message=b"host shutting down")

    # --- receiving -------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if not origin_allowed(request, self.allowed_origins):
            return web.Response(status=403, text="origin not allowed\n", headers=SECURITY_HEADERS)
        socket = web.WebSocketResponse(max_msg_size=HARD_MESSAGE_BYTES, heartbeat=20.0)
        await socket.prepare(request)
        connection = Connection(socket)
        if len(self.connections) >= self.max_seats:
            await self._refuse(
                connection, ProtocolError("room_full", f"the room has its maximum of {self.max_seats} connections")
            )
            return socket
        self.connections.add(connection)
        try:
            async for frame in socket:
                if frame.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    await self._handle(connection, frame.data)
                elif frame.type == WSMsgType.ERROR:
                    break
        finally:
            self.connections.discard(connection)
            if connection.seat is not None:
                self.room.connected[connection.seat.id] -= 1
                self.room.changed()
        return socket

    async def _handle(self, connection: Connection, data: str | bytes) -> None:
        try:
            if not connection.limit.allow():
                raise ProtocolError(
                    "rate_limited", f"more than {MESSAGES_PER_SECOND} messages a second; this one was dropped"
                )
            parsed = parse(data)
            if isinstance(parsed, Join):
                await self._join(connection, parsed)
            elif connection.seat is None:
                raise ProtocolError("not_joined", "join the room first")
            elif isinstance(parsed, Ballot):
                await self._ballot(connection, connection.seat, parsed)
            else:
                await self._send(connection, message("pong"))
        except ProtocolError as error:
            await self._refuse(connection, error)

    async def _join(self, connection: Connection, join: Join) -> None:
        if connection.seat is not None:
            raise ProtocolError("already_joined", f"this connection already holds the seat of {connection.seat.name}")
        if join.seat is not None and join.secret is not None:
            seat = self.room.rejoin(join.room, join.seat, join.secret)
            secret = None
        elif join.name is not None:
            try:
                seat, secret = self.room.join(join.room, join.name, join.roles)
            except OSError as error:  # the journal or seats.json could not be written (a full disk)
                log.error("a participant could not take a seat: %s", error)
                self.room.trouble(f"{join.name} could not take a seat: {error}")
                raise ProtocolError(
                    "not_saved", "the host could not save your seat (its disk refused); tell the facilitator"
                ) from None
        else:
            raise ProtocolError("malformed", "a join needs 'name', or 'seat' and 'secret' to rejoin")
        connection.seat = seat
        self.room.connected[seat.id] += 1
        welcome = message("welcome", room=self.room.registry.room_code, seat=seat.id, name=seat.name)
        if secret is not None:
            welcome["secret"] = secret
        await self._send(connection, welcome)
        await self._send(connection, seat_state(self.room, seat))
        self.room.changed()

    async def _ballot(self, connection: Connection, seat: Seat, ballot: Ballot) -> None:
        try:
            roles = await self.room.cast(seat, ballot.decision, ballot.attempt, ballot.roles)
        except (EngineError, ValueError) as error:
            raise ProtocolError("no_question", str(error)) from None
        except JournalWriteError as error:
            log.error("a ballot was not acknowledged: %s", error)
            self.room.trouble(f"{seat.name}'s ballot was not saved: {error}")
            raise ProtocolError(
                "not_saved", "the host could not save your ballot (its disk refused); tell the facilitator"
            ) from None
        # The ballot is in the journal and an fsync has covered it: only now is it acknowledged.
        await self._send(
            connection, message("ack", decision=ballot.decision, attempt=ballot.attempt, roles=list(roles))
        )


def tls_context(certfile: Path, keyfile: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile, keyfile)
    return context


async def start_site(
    server: SeatServer, bind: str, port: int, tls: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, int]:
    """Serve in the running event loop; returns the runner (to clean up) and the port bound (for port 0)."""
    runner = web.AppRunner(server.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, bind, port, ssl_context=tls)
    await site.start()
    addresses = runner.addresses  # (host, port, ...) per listening socket
    bound = addresses[0][1] if addresses else port
    return runner, int(bound)
