"""Messages of the WeChat family (official account and WeCom, both parsed by wechatpy): which are
questions, the fixed replies to the rest, and the XML reply. Shared by `wechat` and `wecom`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import wechatpy
import wechatpy.enterprise
from fastapi import Request
from wechatpy.enterprise.replies import TextReply as WeComTextReply
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply

from service import conversation
from service.channels import replies as texts
from service.channels.base import answer_once, stored_once
from service.channels.wechat import protocol as proto
from service.deps import get_engine, get_ledger, get_shared_replies
from service.settings import Settings

XML = "application/xml; charset=utf-8"
# WeChat reads this body as "no reply" and does not retry.
NO_REPLY = "success"
# XML 1.0 cannot carry these at all, even inside CDATA.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class WeChatChannel:
    name: str
    session_prefix: str
    parse: Callable[[str], BaseMessage]
    reply: type[TextReply]


WECHAT = WeChatChannel("wechat", conversation.WECHAT, wechatpy.parse_message, TextReply)
WECOM = WeChatChannel("wecom", conversation.WECOM, wechatpy.enterprise.parse_message, WeComTextReply)


def examples(request: Request, settings: Settings) -> list[str]:
    if settings.wechat_examples:
        return settings.wechat_examples[: texts.EXAMPLE_COUNT]
    return texts.example_questions(get_engine(request).stats().sections)


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


async def respond(
    request: Request, settings: Settings, channel: WeChatChannel, raw: proto.RawMessage, message: BaseMessage
) -> str | None:
    """The reply text for one message, or None for no reply."""
    key = proto.message_key(channel.name, raw)
    question = question_of(message)
    ledger = get_ledger(request)
    if question is not None:
        engine, shared = get_engine(request), get_shared_replies(request)
        session_id = conversation.session_key(channel.session_prefix, raw["FromUserName"])
        budget = settings.wechat_answer_budget_seconds
        return await answer_once(request, engine, ledger, shared, key, question, session_id, budget)
    text = fixed_reply(request, settings, message) or ""
    return await stored_once(ledger, key, text) or None


def xml_safe(text: str) -> str:
    """Text that survives inside the CDATA section of a reply: no characters XML forbids, and any
    "]]>" split across two CDATA sections so it cannot end the first one early."""
    return XML_FORBIDDEN.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def render(channel: WeChatChannel, message: BaseMessage, text: str | None) -> str:
    if text is None:
        return NO_REPLY
    xml: str = channel.reply(message=message, content=xml_safe(text)).render()
    return xml
