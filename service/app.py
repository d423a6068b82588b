"""The FastAPI application: a thin shell over the engine, which each worker loads once."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from qa.engine import ReportQA
from qa.errors import LOAD_ERRORS
from qa.sessions import make_session_store
from service import api, docs, errors
from service.channels import wechat, wecom
from service.channels.claims import make_shared_replies
from service.channels.ledger import Ledger
from service.deps import ENGINE_SLOTS
from service.middleware import RequestContext
from service.page import ChatPage
from service.settings import Settings, get_settings

log = logging.getLogger("reportqa.service")


def load_engine(settings: Settings, on_progress: Callable[[str], None] | None = None) -> ReportQA:
    sessions = make_session_store(
        settings.redis_url, settings.data_dir, settings.session_max_turns, settings.session_ttl_seconds
    )
    engine = ReportQA.load(rebuild=True, progress=False, sessions=sessions, settings=settings, on_progress=on_progress)
    engine.warm_up()
    return engine


def build_in_background(state: State, settings: Settings) -> None:
    """Build the index and load the engine while the server already answers: /readyz says how far
    the build is (503), /v1 calls get 503 until the engine is there. A daemon thread: stopping the
    server does not wait for a build (the next build removes what it left)."""

    def report(status: str) -> None:
        state.build_status = status

    def run() -> None:
        try:
            state.engine = load_engine(settings, report)
        except LOAD_ERRORS as exc:
            state.load_error = str(exc)
            log.error("index unavailable: %s", exc)
        except Exception:
            log.exception("the index build failed")
            state.load_error = "the index build failed (the error is in the server log); fix it and restart"

    state.build_status = "building the index"
    threading.Thread(target=run, name="index-build", daemon=True).start()


def configure_access_log() -> None:
    """One JSON line per request on stderr, unless the host application configured the logger."""
    access = logging.getLogger("reportqa.access")
    if not access.handlers:
        access.addHandler(logging.StreamHandler())
        access.setLevel(logging.INFO)
        access.propagate = False


def create_app(settings: Settings | None = None, engine: ReportQA | None = None) -> FastAPI:
    """The app. Pass an engine (tests) or let start-up load one from the settings."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Everything the routes share is made here, once per worker, before the first request."""
        state = app.state
        state.engine, state.load_error, state.shared_replies, state.build_status = engine, None, None, None
        state.engine_slots = asyncio.Semaphore(ENGINE_SLOTS)
        state.ledger = Ledger()
        current = app.dependency_overrides.get(get_settings, get_settings)()
        try:
            state.shared_replies = await run_in_threadpool(make_shared_replies, current)
            if engine is None and await run_in_threadpool(ReportQA.needs_build, current):
                build_in_background(state, current)
            elif engine is None:
                state.engine = await run_in_threadpool(load_engine, current)
        except LOAD_ERRORS as exc:
            state.load_error = str(exc)
            log.error("index unavailable: %s", exc)
        yield

    app = FastAPI(
        title="ReportQA",
        summary="Answers questions about reports with the report's own sentences cited.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by service.docs from local assets
        redoc_url=None,
    )
    s = settings or get_settings()
    configure_access_log()
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    if s.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=s.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    app.add_middleware(RequestContext, max_upload=s.max_upload_bytes)
    errors.install(app)
    docs.install(app)
    app.include_router(api.router)
    app.include_router(wechat.router)
    app.include_router(wecom.router)

    page = ChatPage()

    @app.get("/", include_in_schema=False)
    def chat_page() -> HTMLResponse:
        return page.response()

    return app
