"""The WeChat official-account bot (`/wechat`): a passive-reply callback. WeChat posts the user's
message and shows whatever XML comes back within 5 s. The protocol checks live in `protocol`, the
message handling (shared with WeCom) in `messages`, exactly-once answering in `channels.base`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from service.channels.wechat import protocol as proto
from service.channels.wechat.messages import NO_REPLY, WECHAT, XML, render, respond
from service.deps import SettingsDep
from service.settings import Settings

# Callbacks for WeChat's servers, not an API for clients: kept out of the OpenAPI spec.
router = APIRouter(tags=["wechat"], include_in_schema=False)


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
