"""OpenAI-compatible Chat Completions: the last user message is the question, the turns before
it are the conversation. Streaming sends SSE chunks and ends with `data: [DONE]`."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from qa.engine import ReportQA
from qa.errors import QuestionError
from qa.types import Answer
from service import conversation
from service.api.base import v1_router
from service.conversation import OPENAI, session_key
from service.deps import EngineDep
from service.errors import ServiceError
from service.schemas import ChatRequest, error_responses

MODEL_ID = "reportqa"
REPLAY_TURNS = 4
router = v1_router("openai")


def conversation_key(turns: list[tuple[str, str]]) -> str:
    """A session id derived from the conversation so far: the same history finds the same session
    in any worker that shares the session store."""
    digest = hashlib.sha256(json.dumps(turns, ensure_ascii=False).encode()).hexdigest()[:32]
    return f"chat-{digest}"


def split_conversation(req: ChatRequest) -> tuple[list[tuple[str, str]], str]:
    turns: list[tuple[str, str]] = [(m.role, m.text()) for m in req.messages if m.role in ("user", "assistant")]
    last = max((i for i, (role, _) in enumerate(turns) if role == "user"), default=None)
    if last is None:
        raise ServiceError(422, "invalid_request", "messages: no user message to answer")
    return turns[:last], turns[last][1]


async def answer_conversation(request: Request, engine: ReportQA, req: ChatRequest) -> Answer:
    before, question = split_conversation(req)
    if req.user:
        return await conversation.ask(request, engine, question, session_key(OPENAI, f"user:{req.user}"))
    # An opening question starts its own session: a key derived from an empty history would be
    # the same for every client.
    sid = session_key(OPENAI, conversation_key(before) if before else f"chat-{uuid.uuid4().hex}")
    store = engine.sessions
    if before and not await run_in_threadpool(store.history, sid):
        # A conversation this service has not seen (history edited, store expired): replay its
        # last questions so follow-ups still resolve.
        for text in [text for role, text in before if role == "user"][-REPLAY_TURNS:]:
            try:
                await conversation.ask(request, engine, text, sid)
            except QuestionError:
                continue
    answer = await conversation.ask(request, engine, question, sid)
    following = session_key(OPENAI, conversation_key([*before, ("user", question), ("assistant", answer.answer)]))
    for turn in await run_in_threadpool(store.history, sid):
        await run_in_threadpool(store.append, following, turn)
    return answer


def check_model(req: ChatRequest) -> None:
    """OpenAI answers a model it does not have with 404 model_not_found; so does this service."""
    if req.model is not None and req.model != MODEL_ID:
        raise ServiceError(
            404,
            "model_not_found",
            f"there is no model {req.model!r} here: use model {MODEL_ID!r} (GET /v1/models lists it)",
            type="invalid_request_error",
            param="model",
        )


def reply(answer: Answer, limit: int | None) -> tuple[str, str]:
    """(content, finish_reason): the reply cut to `limit` characters when max_tokens asks it."""
    if limit is not None and len(answer.answer) > limit:
        return answer.answer[:limit], "length"
    return answer.answer, "stop"


def usage(req: ChatRequest, content: str) -> dict[str, int]:
    """Counted in characters (Unicode code points): no language model, so no tokenizer to count by."""
    prompt = sum(len(m.text()) for m in req.messages)
    return {"prompt_tokens": prompt, "completion_tokens": len(content), "total_tokens": prompt + len(content)}


def completion(answer: Answer, req: ChatRequest, completion_id: str, created: int) -> dict[str, Any]:
    content, finish = reply(answer, req.reply_limit())
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
        "usage": usage(req, content),
        "citations": answer.to_dict()["citations"],
        "reportqa": {k: v for k, v in answer.to_dict().items() if k != "citations"},
    }


def stream_chunks(answer: Answer, req: ChatRequest, completion_id: str, created: int) -> Iterator[str]:
    def chunk(delta: dict[str, str], finish: str | None = None, **extra: object) -> str:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    content, finish = reply(answer, req.reply_limit())
    yield chunk({"role": "assistant", "content": ""})
    for line in content.splitlines(keepends=True):
        yield chunk({"content": line})
    yield chunk({}, finish, citations=answer.to_dict()["citations"], usage=usage(req, content))
    yield "data: [DONE]\n\n"


@router.post(
    "/chat/completions",
    response_model=None,
    summary="OpenAI-compatible chat completion (streaming or not)",
    responses={
        200: {
            "description": "a chat.completion object, or with stream=true server-sent chat.completion.chunk events",
            "content": {"text/event-stream": {"schema": {}}},
        },
        **error_responses(404),
    },
)
async def chat_completions(req: ChatRequest, engine: EngineDep, request: Request) -> Response | dict[str, Any]:
    check_model(req)
    answer = await answer_conversation(request, engine, req)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if req.stream:
        return StreamingResponse(stream_chunks(answer, req, completion_id, created), media_type="text/event-stream")
    return completion(answer, req, completion_id, created)


@router.get("/models", summary="The one model this service offers")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "reportqa"}]}
