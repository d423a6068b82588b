"""`GET /healthz` (the process is alive) and `GET /readyz` (the index is loaded)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service.deps import get_engine
from service.schemas import Health, error_responses

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="The index is loaded and questions can be answered",
    responses=error_responses(503),
)
def readyz(request: Request) -> Health:
    stats = get_engine(request).stats()
    return Health(status="ready", sentences=stats.sentences, documents=stats.documents)
