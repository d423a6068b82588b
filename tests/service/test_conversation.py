"""Sessions belong to their channel: no id a client sends through one front door (a /v1/ask
session_id, a chat completion's user) reaches a conversation of another (a WeChat user's); and
every text that becomes part of a session key is checked, so none turns into a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.service.channels.wechat_client import FakeWeChat, new_aes_key
from tests.service.test_app import assert_error

TOKEN = "conversation-token"
OPENID = "oVictim-1"


@pytest.fixture(scope="module")
def wechat_server(make_server) -> Iterator[tuple[str, FakeWeChat]]:
    with make_server(wechat_token=TOKEN, wechat_mode="plain") as url:
        fake = FakeWeChat(url, TOKEN, new_aes_key(), "wx0123456789abcdef")
        yield url, fake
        fake.close()


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def test_http_clients_cannot_read_or_steer_a_wechat_users_session(wechat_server: tuple[str, FakeWeChat]) -> None:
    url, wechat = wechat_server
    assert first_line(wechat.ask(OPENID, "一线医护人员领到了多少个口罩？").content) == "3万个"
    forged = [f"wx:{OPENID}", OPENID, f"wechat:{OPENID}"]
    with httpx.Client(base_url=url, timeout=30) as http:
        for sid in forged:
            r = http.post("/v1/ask", json={"question": "防护服呢？", "session_id": sid}).json()
            assert r["session_id"] == sid  # the client's own id comes back, as sent
            assert r["resolved_question"] == "防护服呢？"  # no turn of the WeChat user was read
            completion = http.post(
                "/v1/chat/completions", json={"user": sid, "messages": [{"role": "user", "content": "防护服呢？"}]}
            ).json()
            assert completion["reportqa"]["resolved_question"] == "防护服呢？"
    # The WeChat user's follow-up still means what it meant: nothing the HTTP clients asked landed there.
    assert first_line(wechat.ask(OPENID, "防护服呢？").content) == "800套"


def test_the_http_api_and_chat_completions_keep_separate_sessions(client: httpx.Client) -> None:
    opened = client.post("/v1/ask", json={"question": "一线医护人员领到了多少个口罩？", "session_id": "shared-id"})
    assert opened.json()["short_answer"] == "3万个"
    other = client.post(
        "/v1/chat/completions", json={"user": "shared-id", "messages": [{"role": "user", "content": "防护服呢？"}]}
    ).json()
    assert other["reportqa"]["resolved_question"] == "防护服呢？"
    same = client.post("/v1/ask", json={"question": "防护服呢？", "session_id": "shared-id"}).json()
    assert same["short_answer"] == "800套"  # within its own channel the session works


LONE = "\ud800"  # json.dumps escapes it: valid JSON, but no UTF-8 text
FOLLOW_UP = {"role": "user", "content": "防护服呢？"}


@pytest.mark.parametrize(
    "body",
    [
        {"messages": [{"role": "user", "content": LONE}, {"role": "assistant", "content": "好"}, FOLLOW_UP]},
        {"messages": [{"role": "user", "content": "问"}, {"role": "assistant", "content": LONE}, FOLLOW_UP]},
        {"messages": [{"role": "user", "content": [{"type": "text", "text": LONE}]}, FOLLOW_UP]},
        {"user": LONE, "messages": [FOLLOW_UP]},
    ],
)
def test_a_lone_surrogate_in_any_turn_is_a_422(client: httpx.Client, body: dict) -> None:
    r = client.post("/v1/chat/completions", content=json.dumps(body), headers={"content-type": "application/json"})
    assert_error(r, 422, "invalid_request")


def test_a_lone_surrogate_in_a_session_id_is_a_422(client: httpx.Client) -> None:
    body = json.dumps({"question": "防护服呢？", "session_id": LONE})
    r = client.post("/v1/ask", content=body, headers={"content-type": "application/json"})
    assert_error(r, 422, "invalid_request")
