"""`GET /v1/paragraph`: a cited paragraph, for showing a citation in context."""

from __future__ import annotations

from fastapi import Query

from service.api.base import v1_router
from service.deps import EngineDep
from service.errors import ServiceError
from service.schemas import ParagraphOut, error_responses

router = v1_router("answers")


@router.get(
    "/paragraph",
    response_model=ParagraphOut,
    summary="One paragraph, for showing a citation in context",
    responses=error_responses(404),
)
def paragraph(
    engine: EngineDep,
    doc_id: str = Query(..., max_length=512, description="a citation's doc_id"),
    number: int = Query(
        ...,
        ge=1,
        le=10_000_000,
        alias="paragraph_index",
        description="a citation's paragraph_index (within the document)",
    ),
) -> ParagraphOut:
    p = engine.paragraph(doc_id, number)
    if p is None:
        raise ServiceError(404, "not_found", f"no paragraph {number} in document {doc_id!r}")
    return ParagraphOut(
        doc_id=p.doc_id,
        section=p.section,
        paragraph=p.in_section,
        paragraph_index=p.number,
        text=p.text,
        start=p.start,
        end=p.end,
        page=p.page,
    )
