"""`POST /v1/ask`: one answer, the reply and its citations as JSON."""

from __future__ import annotations

from fastapi import Request

from qa.types import Answer
from service.api.base import v1_router
from service.deps import EngineDep, run_engine
from service.schemas import AskRequest, AskResponse

router = v1_router("answers")


@router.post("/ask", response_model=AskResponse, summary="Answer a question, citing the report")
async def ask(body: AskRequest, engine: EngineDep, request: Request) -> dict[str, object]:
    answer: Answer = await run_engine(request, engine.ask, body.question, body.session_id)
    return answer.to_dict()
