"""ASGI middleware: a request id and one structured access-log line per request, and a hard limit
on request body size that holds even when the client lies about Content-Length."""

from __future__ import annotations

import json
import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import error_body

access_log = logging.getLogger("reportqa.access")
MAX_BODY_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    pass


async def _send_json(send: Send, status: int, body: dict, request_id: str) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"x-request-id", request_id.encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class RequestContext:
    """Sets X-Request-ID (kept from the client when sane), logs one JSON line per request and
    refuses bodies over `max_body` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            status = 413
            await _send_json(send, 413, self._too_large(), request_id)
            self._log(scope, status, started, request_id)
            return

        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, limited_receive, tagged_send)
        except BodyTooLarge:
            status = 413
            await _send_json(send, 413, self._too_large(), request_id)
        finally:
            self._log(scope, status, started, request_id)

    def _too_large(self) -> dict:
        return error_body("payload_too_large", f"the request body is over {self.max_body // 1024} KiB")

    @staticmethod
    def _log(scope: Scope, status: int, started: float, request_id: str) -> None:
        access_log.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "ms": round(1000 * (time.perf_counter() - started), 2),
                }
            )
        )
