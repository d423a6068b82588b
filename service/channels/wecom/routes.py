"""The WeCom (企业微信) app bot (`/wecom`): the same passive-reply callback as WeChat's, always
encrypted, with the corp id as the receive id."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from service.channels.wechat import protocol as proto
from service.channels.wechat.messages import NO_REPLY, WECOM, XML, render, respond
from service.deps import SettingsDep

router = APIRouter(tags=["wecom"], include_in_schema=False)


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
