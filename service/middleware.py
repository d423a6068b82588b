"""ASGI middleware: a request id and one structured access-log line per request, and a hard limit
on request body size: by Content-Length when it is over, and always by counting the bytes read."""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import error_body

access_log = logging.getLogger("reportqa.access")
MAX_BODY_BYTES = 64 * 1024
UPLOAD_PATH = "/v1/documents"


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that yields the already-read body once, then defers to the real one (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_json(send: Send, status: int, body: dict[str, Any], request_id: str) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"x-request-id", request_id.encode()),
        # The rest of a refused body is never read: the connection ends with this answer.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class RequestContext:
    """Sets X-Request-ID (kept from the client when sane), logs one JSON line per request and
    refuses bodies over `max_body` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES, max_upload: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload  # POST /v1/documents: a report, not a question (QA_MAX_UPLOAD_MB)

    def _limit(self, scope: Scope) -> int:
        upload = scope.get("method") == "POST" and scope.get("path") == UPLOAD_PATH
        return self.max_upload if upload else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        # A declared size over the limit is refused unread; anything else is counted as it arrives,
        # whatever the headers say: a request may declare a small Content-Length and still send a
        # chunked body, which the server then reads chunk by chunk.
        declared = headers.get(b"content-length", b"")
        limit = self._limit(scope)
        over = declared.isdigit() and int(declared) > limit
        body = None if over else await self._read_limited(receive, limit)
        if body is None:
            await _send_json(send, 413, self._too_large(scope), request_id)
            self._log(scope, 413, started, request_id)
            return
        receive = _replay(body, receive)

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tagged_send)
        finally:
            self._log(scope, status, started, request_id)

    async def _read_limited(self, receive: Receive, limit: int) -> bytes | None:
        """The whole body, or None as soon as it passes the limit."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    def _too_large(self, scope: Scope) -> dict[str, Any]:
        if self._limit(scope) == self.max_upload and scope.get("path") == UPLOAD_PATH:
            mb = self.max_upload / 2**20
            return error_body(
                "payload_too_large", f"the upload is over {mb:g} MB: send a smaller file, or raise QA_MAX_UPLOAD_MB"
            )
        return error_body("payload_too_large", f"the request body is over {self.max_body // 1024} KiB")

    @staticmethod
    def _log(scope: Scope, status: int, started: float, request_id: str) -> None:
        access_log.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "pid": os.getpid(),  # which worker served it
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "ms": round(1000 * (time.perf_counter() - started), 2),
                }
            )
        )
