"""A fake WeChat (and WeCom) server: signs, encrypts and posts callbacks exactly as WeChat does.

Written from the protocol description with the `cryptography` package, not with wechatpy, so the
service's use of wechatpy is checked against an independent implementation:
- signature = sha1 of the sorted concatenation of token, timestamp, nonce (and the ciphertext);
- ciphertext = base64(AES-256-CBC(key, iv=key[:16], PKCS#7 with 32-byte blocks of
  16 random bytes + 4-byte network-order length + message + app id)),
  key = base64decode(EncodingAESKey + "=").
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from itertools import count

import httpx
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32
_ids = count(int(time.time() * 1000))


def new_aes_key() -> str:
    """A random EncodingAESKey: 43 characters of base64 without the trailing '='."""
    return base64.b64encode(os.urandom(32)).decode()[:-1]


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def encrypt(aes_key: str, plaintext: str, receive_id: str) -> str:
    key = base64.b64decode(aes_key + "=")
    body = plaintext.encode()
    data = os.urandom(16) + struct.pack("!I", len(body)) + body + receive_id.encode()
    pad = BLOCK - len(data) % BLOCK
    data += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(data) + enc.finalize()).decode()


def decrypt(aes_key: str, ciphertext: str) -> tuple[str, str]:
    """(message, receive id) of a ciphertext."""
    key = base64.b64decode(aes_key + "=")
    dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    data = dec.update(base64.b64decode(ciphertext)) + dec.finalize()
    data = data[: -data[-1]]
    (length,) = struct.unpack("!I", data[16:20])
    return data[20 : 20 + length].decode(), data[20 + length :].decode()


def xml_message(fields: dict[str, str | int]) -> str:
    inner = "".join(
        f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()
    )
    return f"<xml>{inner}</xml>"


def fields_of(xml: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ET.fromstring(xml)}


@dataclass
class Reply:
    raw: httpx.Response
    fields: dict[str, str] = field(default_factory=dict)  # the (decrypted) reply message

    @property
    def status(self) -> int:
        return self.raw.status_code

    @property
    def body(self) -> str:
        return self.raw.text

    @property
    def content(self) -> str:
        return self.fields.get("Content", "")


@dataclass
class FakeWeChat:
    """One official account (or, with `wecom=True`, one WeCom app) talking to `base_url`."""

    base_url: str
    token: str
    aes_key: str | None = None
    receive_id: str = ""  # app id (official account) or corp id (WeCom)
    account: str = "gh_reportqa"
    wecom: bool = False
    clock_offset: float = 0.0
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    @property
    def path(self) -> str:
        return "/wecom" if self.wecom else "/wechat"

    def stamp(self) -> tuple[str, str]:
        return str(int(time.time() + self.clock_offset)), secrets.token_hex(5)

    def verify_url(self, echostr: str = "echo-1234") -> httpx.Response:
        timestamp, nonce = self.stamp()
        if self.wecom:
            assert self.aes_key
            encrypted = encrypt(self.aes_key, echostr, self.receive_id)
            params = {"msg_signature": sign(self.token, timestamp, nonce, encrypted), "echostr": encrypted}
        else:
            params = {"signature": sign(self.token, timestamp, nonce), "echostr": echostr}
        return self.http.get(self.base_url + self.path, params={**params, "timestamp": timestamp, "nonce": nonce})

    def message(self, user: str, msg_type: str, msg_id: int | None = None, **fields: str | int) -> str:
        body: dict[str, str | int] = {"ToUserName": self.account, "FromUserName": user}
        body |= {"CreateTime": int(time.time()), "MsgType": msg_type, **fields}
        if msg_type != "event":
            body["MsgId"] = msg_id if msg_id is not None else next(_ids)
        if self.wecom:
            body["AgentID"] = 1000002
        return xml_message(body)

    def post(self, xml: str | bytes, encrypted: bool, params: dict[str, str] | None = None) -> Reply:
        """Post one callback, signed (and encrypted) as WeChat would; decrypt the reply."""
        timestamp, nonce = self.stamp()
        query = {"timestamp": timestamp, "nonce": nonce, "openid": "o-user"}
        if not self.wecom:
            query["signature"] = sign(self.token, timestamp, nonce)
        if encrypted:
            assert self.aes_key and isinstance(xml, str)
            ciphertext = encrypt(self.aes_key, xml, self.receive_id)
            query |= {"encrypt_type": "aes", "msg_signature": sign(self.token, timestamp, nonce, ciphertext)}
            xml = xml_message({"ToUserName": self.account, "Encrypt": ciphertext})
        response = self.http.post(self.base_url + self.path, params=query | (params or {}), content=xml)
        return self.read(response, encrypted)

    def read(self, response: httpx.Response, encrypted: bool) -> Reply:
        reply = Reply(response)
        if response.status_code != 200 or response.text == "success":
            return reply
        fields = fields_of(response.text)
        if encrypted:
            assert fields["MsgSignature"] == sign(self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"])
            assert self.aes_key
            plaintext, receive_id = decrypt(self.aes_key, fields["Encrypt"])
            assert receive_id == self.receive_id
            fields = fields_of(plaintext)
        reply.fields = fields
        return reply

    def ask(self, user: str, text: str, encrypted: bool = False, msg_id: int | None = None) -> Reply:
        return self.post(self.message(user, "text", msg_id, Content=text), encrypted)

    def close(self) -> None:
        self.http.close()
