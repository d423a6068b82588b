"""`POST /v1/ask`: one answer, the reply and its citations as JSON."""

from __future__ import annotations

import uuid

from fastapi import Request

from service import conversation
from service.api.base import v1_router
from service.deps import EngineDep
from service.schemas import AskRequest, AskResponse

router = v1_router("answers")


@router.post("/ask", response_model=AskResponse, summary="Answer a question, citing the report")
async def ask(body: AskRequest, engine: EngineDep, request: Request) -> dict[str, object]:
    client_id = body.session_id or uuid.uuid4().hex
    sid = conversation.session_key(conversation.API, client_id)
    answer = await conversation.ask(request, engine, body.question, sid)
    return {**answer.to_dict(), "session_id": client_id}
