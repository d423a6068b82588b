"""Dependencies as `Annotated` aliases, so each route states what it needs in its signature."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from qa.engine import ReportQA
from qa.settings import Settings, get_settings
from service.errors import ServiceError

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_engine(request: Request) -> ReportQA:
    """The engine this worker loaded at start-up, or 503 with the message that says how to fix it."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        problem = getattr(request.app.state, "load_error", None) or "the index is still loading"
        raise ServiceError(503, "index_unavailable", problem)
    return engine


EngineDep = Annotated[ReportQA, Depends(get_engine)]


def require_api_key(request: Request, settings: SettingsDep) -> None:
    """With QA_API_KEY set, every API call must carry `Authorization: Bearer <key>`."""
    if not settings.api_key:
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip().encode(), settings.api_key.encode()):
        raise ServiceError(
            401,
            "unauthorized",
            "missing or wrong API key: send Authorization: Bearer <key>",
            {"WWW-Authenticate": "Bearer"},
        )
