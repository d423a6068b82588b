"""What every chat channel shares: a channel's identity, and answering each message exactly once.

A chat front door (WeChat, WeCom; Telegram or Slack would be the same) is a folder here with a
`router`, included in `service.app` with one line. It turns its platform's callback into a
question and a user id, calls `answer_once`, and renders the reply text its platform's way,
fitted with `replies.fit_reply`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from qa.engine import ReportQA
from qa.errors import QuestionError
from service import conversation
from service.channels import replies
from service.channels.claims import SharedReplies
from service.channels.ledger import Ledger, within

log = logging.getLogger("reportqa.channels")
SHARED_POLL_SECONDS = 0.05


class Channel(Protocol):
    @property
    def name(self) -> str:
        """Prefix of its message keys in the ledger and the shared claims."""
        ...

    @property
    def session_prefix(self) -> str:
        """One conversation per user: the session id is this prefix and the user's id."""
        ...


async def published_reply(shared: SharedReplies, key: str, budget: float) -> str | None:
    """Another worker's reply to this message, waited for within the budget (bounded polling)."""
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        reply = await run_in_threadpool(shared.reply, key)
        if reply is not None:
            return reply
        await asyncio.sleep(SHARED_POLL_SECONDS)
    return None


async def answer_once(
    request: Request,
    engine: ReportQA,
    ledger: Ledger,
    shared: SharedReplies,
    key: str,
    question: str,
    session_id: str,
    budget: float,
) -> str:
    """The engine's answer as reply text, computed once per message however often it is retried.

    When the budget runs out the computation goes on; the user is asked to send the question again,
    and that new message (a new message id, same text) picks up the same computation."""
    resend_key = f"resend:{session_id}:{question}"

    async def compute() -> str:
        try:
            reply = replies.answer_text(await conversation.ask(request, engine, question, session_id))
        except QuestionError as exc:
            reply = replies.question_error_text(exc)
        except Exception:
            log.exception("the engine failed on a chat message")
            task = asyncio.current_task()
            if task is not None:  # let a retry try again rather than repeat the failure
                ledger.forget(key, task)
                ledger.forget(resend_key, task)
            await run_in_threadpool(shared.release, key)
            return replies.FAILED
        await run_in_threadpool(shared.publish, key, reply)
        return reply

    if ledger.get(key) is None and (pending := ledger.pop(resend_key)) is not None:
        ledger.put(key, pending)
    if ledger.get(key) is None and not await run_in_threadpool(shared.claim, key):
        # Another worker is answering this message (a retry landed here): its reply, once.
        return await published_reply(shared, key, budget) or replies.STILL_LOOKING
    task = ledger.claim(key, compute)
    reply = await within(task, budget)
    if reply is None:
        ledger.put(resend_key, task)
        return replies.STILL_LOOKING
    ledger.forget(resend_key, task)
    return reply


async def stored_once(ledger: Ledger, key: str, text: str) -> str:
    """A fixed reply, also given once per message (a retry gets the same reply, never a second)."""

    async def stored() -> str:
        return text

    return await ledger.claim(key, stored)
