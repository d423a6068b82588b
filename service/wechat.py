"""The WeChat official-account bot (`/wechat`) and the WeCom app bot (`/wecom`).

Both are passive-reply callbacks: WeChat posts the user's message and shows whatever XML comes
back within 5 s. A text (or recognised voice) message is a question for the engine, in a session
per user so that follow-ups work; other messages get a short text. The protocol checks live in
`wechat_protocol`, the texts in `wechat_reply`, exactly-once answering in `wechat_ledger`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import wechatpy
import wechatpy.enterprise
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from wechatpy.enterprise.replies import TextReply as WeComTextReply
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply

from qa.engine import QuestionError
from qa.settings import Settings
from service import wechat_protocol as proto
from service import wechat_reply as texts
from service.deps import SettingsDep, get_engine, run_engine
from service.wechat_ledger import Ledger, within
from service.wechat_shared import SharedReplies, make_shared_replies

log = logging.getLogger("reportqa.wechat")
# Callbacks for WeChat's servers, not an API for clients: kept out of the OpenAPI spec.
router = APIRouter(tags=["wechat"], include_in_schema=False)
XML = "application/xml; charset=utf-8"
# WeChat reads this body as "no reply" and does not retry.
NO_REPLY = "success"
SHARED_POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    session_prefix: str
    parse: Callable[[str], BaseMessage]
    reply: type[TextReply]


WECHAT = Channel("wechat", "wx:", wechatpy.parse_message, TextReply)
WECOM = Channel("wecom", "wecom:", wechatpy.enterprise.parse_message, WeComTextReply)


def ledger_of(request: Request) -> Ledger:
    """One ledger per app: created on first use, on the event loop, so no lock is needed."""
    state = request.app.state
    if getattr(state, "wechat_ledger", None) is None:
        state.wechat_ledger = Ledger()
    return state.wechat_ledger


def shared_of(request: Request, settings: Settings) -> SharedReplies:
    state = request.app.state
    if getattr(state, "wechat_shared", None) is None:
        state.wechat_shared = make_shared_replies(settings)
    return state.wechat_shared


async def published_reply(shared: SharedReplies, key: str, budget: float) -> str | None:
    """Another worker's reply to this message, waited for within the budget (bounded polling)."""
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        reply = await run_in_threadpool(shared.reply, key)
        if reply is not None:
            return reply
        await asyncio.sleep(SHARED_POLL_SECONDS)
    return None


def examples(request: Request, settings: Settings) -> list[str]:
    if settings.wechat_examples:
        return settings.wechat_examples[: texts.EXAMPLE_COUNT]
    return texts.example_questions(p.section for p in get_engine(request).index.corpus.paragraphs)


def fixed_reply(request: Request, settings: Settings, message: BaseMessage) -> str | None:
    """The reply to anything that is not a question; None for no reply at all."""
    if message.type == "voice":
        return texts.VOICE_NOT_RECOGNISED
    event = str(getattr(message, "event", "") or "").lower()
    if message.type == "event" and event.startswith("subscribe"):
        return texts.welcome_text(examples(request, settings))
    if message.type == "event" and event == "unsubscribe":
        return None  # the user has gone; a reply would not be shown
    return texts.what_i_do_text(examples(request, settings))


def question_of(message: BaseMessage) -> str | None:
    if message.type == "text":
        return message.content if isinstance(message.content, str) else ""
    if message.type == "voice" and isinstance(message.recognition, str) and message.recognition.strip():
        return message.recognition
    return None


async def answer(request: Request, settings: Settings, key: str, question: str, session_id: str) -> str:
    """The engine's answer as reply text, computed once per message however often WeChat retries.

    When the budget runs out the computation goes on; the user is asked to send the question again,
    and that new message (a new MsgId, same text) picks up the same computation."""
    engine = get_engine(request)
    ledger = ledger_of(request)
    shared = shared_of(request, settings)
    resend_key = f"resend:{session_id}:{question}"

    async def compute() -> str:
        try:
            reply = texts.answer_text(await run_engine(request, engine.ask, question, session_id))
        except QuestionError as exc:
            reply = texts.question_error_text(exc)
        except Exception:
            log.exception("the engine failed on a WeChat message")
            task = asyncio.current_task()
            if task is not None:  # let a retry try again rather than repeat the failure
                ledger.forget(key, task)
                ledger.forget(resend_key, task)
            await run_in_threadpool(shared.release, key)
            return texts.FAILED
        await run_in_threadpool(shared.publish, key, reply)
        return reply

    if ledger.get(key) is None and (pending := ledger.pop(resend_key)) is not None:
        ledger.put(key, pending)
    if ledger.get(key) is None and not await run_in_threadpool(shared.claim, key):
        # Another worker is answering this message (WeChat's retry landed here): its reply, once.
        return await published_reply(shared, key, settings.wechat_answer_budget_seconds) or texts.STILL_LOOKING
    task = ledger.claim(key, compute)
    reply = await within(task, settings.wechat_answer_budget_seconds)
    if reply is None:
        ledger.put(resend_key, task)
        return texts.STILL_LOOKING
    ledger.forget(resend_key, task)
    return reply


async def respond(
    request: Request, settings: Settings, channel: Channel, raw: proto.RawMessage, message: BaseMessage
) -> str | None:
    """The reply text for one message, or None for no reply."""
    key = proto.message_key(channel.name, raw)
    question = question_of(message)
    if question is not None:
        return await answer(request, settings, key, question, channel.session_prefix + raw["FromUserName"])
    text = fixed_reply(request, settings, message) or ""

    async def stored() -> str:
        return text

    return await ledger_of(request).claim(key, stored) or None


def render(channel: Channel, message: BaseMessage, text: str | None) -> str:
    if text is None:
        return NO_REPLY
    return channel.reply(message=message, content=texts.xml_safe(text)).render()


def require_token(settings: Settings) -> str:
    if not settings.wechat_token:
        raise proto.not_configured("QA_WECHAT_TOKEN", "the WeChat official account")
    return settings.wechat_token


@router.get("/wechat", response_class=PlainTextResponse, summary="WeChat server verification")
def wechat_verify(request: Request, settings: SettingsDep) -> PlainTextResponse:
    cb = proto.Callback.of(request.query_params)
    proto.verify_plain(require_token(settings), cb)
    if not cb.echostr:
        raise proto.bad_request("missing_echostr", "the echostr parameter is missing")
    return PlainTextResponse(cb.echostr)


@router.post("/wechat", summary="WeChat official-account messages")
async def wechat_message(request: Request, settings: SettingsDep) -> Response:
    token = require_token(settings)
    cb = proto.Callback.of(request.query_params)
    proto.verify_plain(token, cb)
    body = await request.body()
    envelope = proto.parse_xml(body)
    encrypted = cb.encrypt_type.lower() == "aes" or ("Encrypt" in envelope and "MsgType" not in envelope)
    check_mode(settings, encrypted)
    crypto = proto.wechat_crypto(token, settings.wechat_aes_key, settings.wechat_appid) if encrypted else None
    plaintext = proto.decrypt(crypto, envelope, cb) if crypto else body.decode("utf-8")
    raw, message = proto.parse_message(plaintext, WECHAT.parse)
    xml = render(WECHAT, message, await respond(request, settings, WECHAT, raw, message))
    if crypto is not None and xml != NO_REPLY:
        xml = crypto.encrypt_message(xml, cb.nonce)
    return Response(xml, media_type=XML if xml != NO_REPLY else "text/plain")


def check_mode(settings: Settings, encrypted: bool) -> None:
    """The console's message encryption mode must agree with QA_WECHAT_MODE."""
    if encrypted and settings.wechat_mode == "plain":
        fix = "QA_WECHAT_MODE=safe (or compat)"
        if not settings.wechat_aes_key:
            fix = "QA_WECHAT_AES_KEY, QA_WECHAT_APPID and " + fix
        raise proto.bad_request("encrypted_message", f"the message is encrypted but the mode is plain: set {fix}")
    if not encrypted and settings.wechat_mode == "safe":
        raise proto.bad_request(
            "encryption_required", "safe mode takes only encrypted messages (encrypt_type=aes with msg_signature)"
        )


@router.get("/wecom", response_class=PlainTextResponse, summary="WeCom callback URL verification")
def wecom_verify(request: Request, settings: SettingsDep) -> PlainTextResponse:
    crypto = proto.wecom_crypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
    return PlainTextResponse(proto.verify_wecom_echo(crypto, proto.Callback.of(request.query_params)))


@router.post("/wecom", summary="WeCom app messages")
async def wecom_message(request: Request, settings: SettingsDep) -> Response:
    crypto = proto.wecom_crypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
    cb = proto.Callback.of(request.query_params)
    proto.require_fresh(cb.timestamp)
    plaintext = proto.decrypt(crypto, proto.parse_xml(await request.body()), cb)
    raw, message = proto.parse_message(plaintext, WECOM.parse)
    xml = render(WECOM, message, await respond(request, settings, WECOM, raw, message))
    if xml == NO_REPLY:
        return PlainTextResponse(xml)
    return Response(crypto.encrypt_message(xml, cb.nonce), media_type=XML)
