"""Asking within a conversation from any front door.

Sessions are namespaced by channel on the server side: the id a client sends (a `/v1/ask`
session_id, a chat completion's `user`, a WeChat OpenID) is stored under its channel's prefix, so
no id sent through one channel can reach a conversation of another. And the session store is read
and written outside the engine slots, so a slow or hung store never holds the cores that answer."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from qa.engine import ReportQA, validate
from qa.types import Answer
from service.deps import run_engine

# One prefix per channel; none is a prefix of another, so two channels' keys never meet.
API, OPENAI, WECHAT, WECOM = "api:", "openai:", "wx:", "wecom:"


def session_key(channel: str, client_id: str) -> str:
    """The server-side session id of a client's id in a channel."""
    return channel + client_id


async def ask(request: Request, engine: ReportQA, question: str, session_id: str) -> Answer:
    """The engine's answer in a session (a server-side id from `session_key`), the store called
    outside the engine slots. Raises QuestionError (422) and SessionStoreError (503)."""
    text = validate(question)
    history = await run_in_threadpool(engine.sessions.history, session_id)
    answer = await run_engine(request, engine.answer, text, session_id, history)
    await run_in_threadpool(engine.remember, answer)
    return answer
