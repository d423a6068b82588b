"""The chat endpoint, paragraphs for the web page, and health checks. Routes stay thin."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from qa.types import Answer
from service.deps import EngineDep, require_api_key, run_engine
from service.errors import ServiceError
from service.schemas import AskRequest, AskResponse, Health, ParagraphOut, error_responses

api = APIRouter(
    prefix="/v1",
    dependencies=[Depends(require_api_key)],
    tags=["answers"],
    responses=error_responses(400, 401, 413, 422, 503),
)
health = APIRouter(tags=["health"])


@api.post("/ask", response_model=AskResponse, summary="Answer a question, citing the report")
async def ask(body: AskRequest, engine: EngineDep, request: Request) -> dict:
    answer: Answer = await run_engine(request, engine.ask, body.question, body.session_id)
    return answer.to_dict()


@api.get(
    "/paragraph",
    response_model=ParagraphOut,
    summary="One paragraph, for showing a citation in context",
    responses=error_responses(404),
)
def paragraph(
    engine: EngineDep,
    doc_id: str = Query(..., max_length=512),
    number: int = Query(..., ge=1, le=10_000_000, alias="paragraph"),
) -> ParagraphOut:
    p = engine.index.corpus.find_paragraph(doc_id, number)
    if p is None:
        raise ServiceError(404, "not_found", f"no paragraph {number} in document {doc_id!r}")
    return ParagraphOut(doc_id=p.doc_id, section=p.section, paragraph=p.number, text=p.text, start=p.start, end=p.end)


@health.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


@health.get(
    "/readyz",
    response_model=Health,
    summary="The index is loaded and questions can be answered",
    responses=error_responses(503),
)
def readyz(request: Request) -> Health:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise ServiceError(503, "index_unavailable", request.app.state.load_error or "the index is still loading")
    counts = engine.index.manifest["counts"]
    return Health(status="ready", sentences=counts["sentences"], documents=counts["documents"])
