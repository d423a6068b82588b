"""The WeChat callback protocol at the edge of the service: signatures, freshness, the AES envelope
and XML parsing. Every failure is a ServiceError, so nothing from a bad request reaches the engine.

wechatpy does the cryptography and parsing; this module decides what each failure means (403 for
anything that fails authentication, 400 for a body that is not a well-formed message, 503 when the
operator has not configured what the request needs).
"""

from __future__ import annotations

import binascii
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict
from starlette.datastructures import QueryParams
from wechatpy.crypto import InvalidAppIdException, WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.utils import check_signature

from service.errors import ServiceError

# WeChat signs the timestamp; refusing old ones stops a captured request from being replayed.
MAX_CLOCK_SKEW_SECONDS = 300
# Errors a malformed base64 / AES / length-prefixed payload raises inside wechatpy's decryption.
UNDECRYPTABLE = (binascii.Error, ValueError, UnicodeDecodeError, struct.error, IndexError, TypeError, KeyError)
RawMessage = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Callback:
    """The query string WeChat puts on every callback."""

    timestamp: str
    nonce: str
    signature: str
    msg_signature: str
    encrypt_type: str
    echostr: str

    @classmethod
    def of(cls, query: QueryParams) -> Callback:
        names = ("timestamp", "nonce", "signature", "msg_signature", "encrypt_type", "echostr")
        return cls(**{name: query.get(name, "") for name in names})


def forbidden(code: str, message: str) -> ServiceError:
    return ServiceError(403, code, message)


def bad_request(code: str, message: str) -> ServiceError:
    return ServiceError(400, code, message)


def not_configured(variables: str, what: str) -> ServiceError:
    return ServiceError(503, "wechat_not_configured", f"{what} is not configured: set {variables}")


def require_fresh(timestamp: str, now: float | None = None) -> None:
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise forbidden("bad_timestamp", "the timestamp parameter is missing or not a number")
    if abs((now or time.time()) - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise forbidden("stale_timestamp", f"the timestamp is more than {MAX_CLOCK_SKEW_SECONDS} s from now")


def verify_plain(token: str, cb: Callback) -> None:
    """The `signature` over token, timestamp and nonce that WeChat puts on every callback."""
    if not cb.signature or not cb.nonce:
        raise forbidden("bad_signature", "the signature or nonce parameter is missing")
    try:
        check_signature(token, cb.signature, cb.timestamp, cb.nonce)
    except InvalidSignatureException:
        raise forbidden("bad_signature", "the signature does not match the configured token") from None
    require_fresh(cb.timestamp)


def make_crypto(factory: Callable[[str, str, str], Any], token: str, aes_key: str, receive_id: str) -> Any:
    try:
        return factory(token, aes_key, receive_id)
    except (AssertionError, ValueError, binascii.Error):
        raise ServiceError(
            503, "wechat_not_configured", "the EncodingAESKey must be the 43 characters shown in the console"
        ) from None


def wechat_crypto(token: str, aes_key: str | None, appid: str | None) -> WeChatCrypto:
    if not aes_key or not appid:
        raise not_configured("QA_WECHAT_AES_KEY and QA_WECHAT_APPID", "message encryption (safe/compat mode)")
    return make_crypto(WeChatCrypto, token, aes_key, appid)


def wecom_crypto(token: str | None, aes_key: str | None, corp_id: str | None) -> WeComCrypto:
    if not token or not aes_key or not corp_id:
        raise not_configured("QA_WECOM_TOKEN, QA_WECOM_AES_KEY and QA_WECOM_CORP_ID", "the WeCom app callback")
    return make_crypto(WeComCrypto, token, aes_key, corp_id)


def parse_xml(body: bytes | str) -> RawMessage:
    """The fields of a `<xml>…</xml>` document. A DTD is refused before any parsing: with it come
    entity expansion ("billion laughs") and external entities, and WeChat never sends one."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise bad_request("malformed_xml", "the body is not UTF-8") from None
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise bad_request("xml_dtd_refused", "XML with a DTD or entity declarations is refused")
    try:
        root = xmltodict.parse(text)
    except (ExpatError, ValueError):
        raise bad_request("malformed_xml", "the body is not well-formed XML") from None
    fields = root.get("xml") if isinstance(root, dict) else None
    if not isinstance(fields, dict):
        raise bad_request("malformed_xml", "the body is not a WeChat <xml> message")
    return fields


def decrypt(crypto: WeChatCrypto | WeComCrypto, envelope: RawMessage, cb: Callback) -> str:
    """The plaintext message inside an encrypted envelope, after checking `msg_signature`."""
    if not cb.msg_signature:
        raise forbidden("bad_signature", "an encrypted message needs the msg_signature parameter")
    if not isinstance(envelope.get("Encrypt"), str):
        raise bad_request("malformed_xml", "the encrypted message has no <Encrypt> field")
    try:
        plaintext: str = crypto.decrypt_message(envelope, cb.msg_signature, cb.timestamp, cb.nonce)
        return plaintext
    except InvalidSignatureException:
        raise forbidden("bad_signature", "the msg_signature does not match the configured token") from None
    except (InvalidAppIdException, InvalidCorpIdException):
        raise forbidden("wrong_receiver", "the message was encrypted for another app id / corp id") from None
    except UNDECRYPTABLE:
        raise bad_request(
            "undecryptable", "the encrypted message cannot be decrypted with the configured key"
        ) from None


def verify_wecom_echo(crypto: WeComCrypto, cb: Callback) -> str:
    """WeCom's URL check: the decrypted `echostr`, after checking `msg_signature` and freshness."""
    if not cb.msg_signature or not cb.echostr or not cb.nonce:
        raise forbidden("bad_signature", "msg_signature, nonce and echostr are required")
    try:
        echo: str = crypto.check_signature(cb.msg_signature, cb.timestamp, cb.nonce, cb.echostr)
    except InvalidSignatureException:
        raise forbidden("bad_signature", "the msg_signature does not match the configured token") from None
    except InvalidCorpIdException:
        raise forbidden("wrong_receiver", "the echostr was encrypted for another corp id") from None
    except UNDECRYPTABLE:
        raise bad_request("undecryptable", "the echostr cannot be decrypted with the configured key") from None
    require_fresh(cb.timestamp)
    return echo


def parse_message(plaintext: str, parser: Callable[[str], BaseMessage]) -> tuple[RawMessage, BaseMessage]:
    """The raw fields and wechatpy's message object; the fields every reply needs are checked here,
    so a message missing them is a 400, not a crash while replying."""
    raw = parse_xml(plaintext)
    if not all(isinstance(raw.get(f), str) and raw[f] for f in ("MsgType", "FromUserName", "ToUserName")):
        raise bad_request("malformed_message", "the message lacks MsgType, FromUserName or ToUserName")
    try:
        message = parser(plaintext)
        _ = (message.type, message.source, message.target, getattr(message, "agent", 0))
    except (KeyError, TypeError, AttributeError, ValueError):
        raise bad_request("malformed_message", "the message fields are not valid") from None
    return raw, message


def message_key(channel: str, raw: RawMessage) -> str:
    """WeChat's retries of one message share its MsgId; events have none and are told apart by
    sender and creation time."""
    msg_id = raw.get("MsgId")
    if isinstance(msg_id, str) and msg_id.strip():
        return f"{channel}:{raw['ToUserName']}:{msg_id.strip()}"
    return f"{channel}:{raw['ToUserName']}:{raw['FromUserName']}:{raw.get('CreateTime')}:{raw.get('Event')}"
