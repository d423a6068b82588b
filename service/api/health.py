"""`GET /healthz` (the process is alive) and `GET /readyz` (questions can be answered: the index
is loaded and the session store answers)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from qa.errors import ReportQAError
from service.deps import get_engine
from service.errors import ServiceError
from service.schemas import Health, error_responses

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Questions can be answered (index loaded, session store up); the reports and sections held",
    responses=error_responses(503),
)
async def readyz(request: Request) -> Health:
    engine = get_engine(request)
    try:
        # The session store through its circuit breaker: while it is known down this fails at once.
        await run_in_threadpool(engine.check)
    except ReportQAError as exc:
        raise ServiceError(503, exc.code, exc.message) from exc
    stats = engine.stats()
    return Health(
        status="ready",
        sentences=stats.sentences,
        documents=stats.documents,
        doc_ids=list(stats.doc_ids),
        sections=list(stats.sections),
    )
