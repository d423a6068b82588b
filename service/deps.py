"""Dependencies as `Annotated` aliases, so each route states what it needs in its signature.

Everything here is created once per app by its lifespan (`service.app`): the engine, the engine
slots, the exactly-once ledger and the shared reply claims."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from qa.engine import ReportQA
from service.channels.claims import SharedReplies
from service.channels.ledger import Ledger
from service.errors import ServiceError
from service.settings import Settings, get_settings

T = TypeVar("T")
SettingsDep = Annotated[Settings, Depends(get_settings)]

# Engine calls are CPU-bound: more of them at once than there are cores only slows each one, and
# the thread pool then serves them in no particular order (p95 ran to 6× p50 at 32 clients).
# A FIFO semaphore lets as many run as there are cores and queues the rest in arrival order.
ENGINE_SLOTS = max(1, os.cpu_count() or 1)


def unavailable(request: Request) -> ServiceError:
    state = request.app.state
    if state.load_error:
        return ServiceError(503, "index_unavailable", state.load_error)
    if state.build_status:
        return ServiceError(503, "index_building", f"building the index: {state.build_status}", {"Retry-After": "5"})
    return ServiceError(503, "index_unavailable", "the index is still loading", {"Retry-After": "1"})


def get_engine(request: Request) -> ReportQA:
    """The engine this worker loaded at start-up, or 503 with the message that says how to fix it."""
    engine: ReportQA | None = request.app.state.engine
    if engine is None:
        raise unavailable(request)
    return engine


def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def get_shared_replies(request: Request) -> SharedReplies:
    shared: SharedReplies | None = request.app.state.shared_replies
    if shared is None:
        raise unavailable(request)
    return shared


EngineDep = Annotated[ReportQA, Depends(get_engine)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SharedRepliesDep = Annotated[SharedReplies, Depends(get_shared_replies)]


async def run_engine(request: Request, fn: Callable[..., T], *args: object) -> T:
    """Run an engine call in the thread pool, at most ENGINE_SLOTS at a time, first come first served."""
    async with request.app.state.engine_slots:
        return await run_in_threadpool(fn, *args)


# Declared so OpenAPI (and /docs' Authorize button) shows the key; checked below, so a missing
# header gets our 401 rather than the library's own 403.
BEARER = HTTPBearer(auto_error=False, description="QA_API_KEY, when the service sets one")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


def bearer_is(credentials: HTTPAuthorizationCredentials | None, key: str) -> bool:
    """Whether the request's Bearer token is `key` (compared in constant time)."""
    token = credentials.credentials.strip() if credentials else ""
    return secrets.compare_digest(token.encode(), key.encode())


def require_api_key(settings: SettingsDep, credentials: BearerDep) -> None:
    """With QA_API_KEY set, every API call must carry `Authorization: Bearer <key>`."""
    if not settings.api_key:
        return
    if not bearer_is(credentials, settings.api_key):
        raise ServiceError(
            401,
            "unauthorized",
            "missing or wrong API key: send Authorization: Bearer <key>",
            {"WWW-Authenticate": "Bearer"},
        )


def require_admin_key(settings: SettingsDep, credentials: BearerDep) -> None:
    """Changing the reports needs QA_ADMIN_KEY as the Bearer token; with none set it is disabled."""
    if not settings.admin_key:
        raise ServiceError(
            403,
            "forbidden",
            "changing documents over HTTP is disabled: start the server with QA_ADMIN_KEY set and send "
            "it as Authorization: Bearer <key>",
        )
    if not bearer_is(credentials, settings.admin_key):
        raise ServiceError(
            401,
            "unauthorized",
            "missing or wrong admin key: send Authorization: Bearer <QA_ADMIN_KEY>",
            {"WWW-Authenticate": "Bearer"},
        )
