"""The FastAPI application: a thin shell over the engine, which each worker loads once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from index.build import NoDocuments
from index.embed import EmbedderError
from index.store import IndexProblem
from qa.engine import ReportQA
from qa.settings import Settings, get_settings
from qa.stores import SessionStoreError, make_session_store
from service import errors, openai_api, routes, wechat
from service.middleware import RequestContext

log = logging.getLogger("reportqa.service")
PAGE = Path(__file__).parent / "static" / "index.html"


def load_engine(settings: Settings) -> ReportQA:
    engine = ReportQA.load(
        settings.docs_dir,
        settings.index_dir,
        settings.embedder,
        rebuild=True,
        progress=False,
        sessions=make_session_store(settings),
    )
    engine.warm_up()
    return engine


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
        app.state.engine, app.state.load_error = engine, None
        if engine is None:
            current = app.dependency_overrides.get(get_settings, get_settings)()
            try:
                app.state.engine = await run_in_threadpool(load_engine, current)
            except (IndexProblem, EmbedderError, NoDocuments, FileNotFoundError, SessionStoreError) as exc:
                app.state.load_error = str(exc)
                log.error("index unavailable: %s", exc)
        yield

    app = FastAPI(
        title="ReportQA",
        summary="Answers questions about reports with the report's own sentences cited.",
        version="0.1.0",
        lifespan=lifespan,
    )
    s = settings or get_settings()
    configure_access_log()
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    if s.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=s.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    app.add_middleware(RequestContext)
    errors.install(app)
    app.include_router(routes.api)
    app.include_router(openai_api.router)
    app.include_router(routes.health)
    app.include_router(wechat.router)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(PAGE, media_type="text/html; charset=utf-8")

    return app
