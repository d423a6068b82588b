"""Running the app under uvicorn."""

from __future__ import annotations

import json
import socket
from contextlib import suppress

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.errors import error_body

MALFORMED = json.dumps(error_body("bad_request", "malformed HTTP request")).encode()


class NoDelayH11Protocol(H11Protocol):
    """HTTP/1.1 with Nagle's algorithm off. uvicorn's multi-worker mode binds its socket itself and
    asyncio then leaves TCP_NODELAY unset, so every keep-alive response waited ~40 ms for the
    client's delayed ACK (measured: p50 68 ms with 2 workers against 19 ms with 1)."""

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

    def send_400_response(self, msg: str) -> None:
        """A request h11 cannot parse never reaches the app: answer it in the API's JSON error shape
        rather than uvicorn's plain text."""
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(MALFORMED)).encode()),
            (b"connection", b"close"),
        ]
        self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request")))
        self.transport.write(self.conn.send(h11.Data(data=MALFORMED)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()
