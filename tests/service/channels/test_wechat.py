"""The WeChat and WeCom bots end to end: a fake WeChat signs and encrypts callbacks for a live
server around the real engine (counted, never mocked), in every mode and with every bad input."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
import redis

from qa.engine import ReportQA
from qa.sessions import Turn
from qa.types import Answer
from service.channels import replies as texts
from tests.conftest import write_reports
from tests.service.channels.wechat_client import FakeWeChat, encrypt, new_aes_key, sign, xml_message
from tests.service.test_app import assert_error

TOKEN = "reportqa-token"
APPID = "wx0123456789abcdef"
CORP_ID = "ww0123456789abcdef"
AES_KEY = new_aes_key()
USER = "oUser-1"
POLL_LIMIT = 40


class CountingQA(ReportQA):
    """The real engine over the tiny index, recording each question it is asked; `delay` makes it
    slower than the reply budget."""

    def __init__(self, engine: ReportQA, delay: float = 0.0) -> None:
        super().__init__(engine.retriever)
        self.delay = delay
        self.asked: list[str] = []
        self._lock = threading.Lock()

    def answer(self, text: str, session_id: str, history: Sequence[Turn]) -> Answer:
        with self._lock:
            self.asked.append(text)
        time.sleep(self.delay)
        return super().answer(text, session_id, history)


@pytest.fixture(scope="module")
def counting(tiny_engine: ReportQA) -> CountingQA:
    return CountingQA(tiny_engine)


@contextmanager
def account(make_server, engine: ReportQA, mode: str, **overrides: object) -> Iterator[FakeWeChat]:
    settings = {"wechat_token": TOKEN, "wechat_aes_key": AES_KEY, "wechat_appid": APPID, "wechat_mode": mode}
    with make_server(engine=engine, **(settings | overrides)) as url:
        fake = FakeWeChat(url, TOKEN, AES_KEY, APPID)
        yield fake
        fake.close()


@pytest.fixture(scope="module")
def plain(make_server, counting: CountingQA) -> Iterator[FakeWeChat]:
    with account(make_server, counting, "plain", wechat_aes_key=None, wechat_appid=None) as fake:
        yield fake


@pytest.fixture(scope="module")
def safe(make_server, counting: CountingQA) -> Iterator[FakeWeChat]:
    with account(make_server, counting, "safe") as fake:
        yield fake


@pytest.fixture(scope="module")
def compat(make_server, counting: CountingQA) -> Iterator[FakeWeChat]:
    with account(make_server, counting, "compat") as fake:
        yield fake


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def test_url_verification(plain: FakeWeChat) -> None:
    r = plain.verify_url("echo-42")
    assert r.status_code == 200 and r.text == "echo-42" and r.headers["content-type"].startswith("text/plain")
    url = plain.base_url + "/wechat"
    ts = str(int(time.time()))
    assert_error(httpx.get(url, params={"timestamp": ts, "nonce": "n", "echostr": "e"}), 403, "bad_signature")
    bad = {"signature": "0" * 40, "timestamp": ts, "nonce": "n", "echostr": "e"}
    assert_error(httpx.get(url, params=bad), 403, "bad_signature")
    stale = FakeWeChat(plain.base_url, TOKEN, clock_offset=-301)
    assert_error(stale.verify_url(), 403, "stale_timestamp")
    assert FakeWeChat(plain.base_url, TOKEN, clock_offset=-250).verify_url().status_code == 200


def test_unconfigured_token_says_what_to_set(make_server, counting: CountingQA) -> None:
    with make_server(engine=counting) as url:
        message = assert_error(httpx.get(f"{url}/wechat"), 503, "wechat_not_configured")["message"]
        assert "QA_WECHAT_TOKEN" in message
        assert "QA_WECOM_TOKEN" in assert_error(httpx.post(f"{url}/wecom", content=b"<xml/>"), 503)["message"]
    with account(make_server, counting, "safe", wechat_aes_key=None) as fake:
        response = fake.ask(USER, "图书馆每天限流多少人？", encrypted=True).raw
        assert "QA_WECHAT_AES_KEY" in assert_error(response, 503, "wechat_not_configured")["message"]
    with account(make_server, counting, "safe", wechat_aes_key="too-short") as fake:
        assert "EncodingAESKey" in assert_error(fake.ask(USER, "x", encrypted=True).raw, 503)["message"]


def test_plain_text_round_trip(plain: FakeWeChat) -> None:
    reply = plain.ask(USER, "图书馆每天限流多少人？")
    assert reply.status == 200 and first_line(reply.content) == "200人" and "[1] 图书馆每天限流200人" in reply.content
    assert reply.fields["ToUserName"] == USER and reply.fields["FromUserName"] == plain.account
    assert reply.fields["MsgType"] == "text"


def test_follow_up_uses_the_users_session(plain: FakeWeChat, counting: CountingQA) -> None:
    assert first_line(plain.ask("oUser-follow", "一线医护人员领到了多少个口罩？").content) == "3万个"
    assert first_line(plain.ask("oUser-follow", "防护服呢？").content) == "800套"
    assert counting.sessions.history("wx:oUser-follow")


def test_a_retry_gets_the_stored_reply_and_the_engine_is_asked_once(plain: FakeWeChat, counting: CountingQA) -> None:
    before = len(counting.asked)
    first = plain.ask("oUser-retry", "防护服有多少套？", msg_id=880001)
    again = plain.ask("oUser-retry", "防护服有多少套？", msg_id=880001)
    assert first.content == again.content and first_line(first.content) == "800套"
    assert len(counting.asked) == before + 1


def test_voice_with_recognition_is_a_question(plain: FakeWeChat) -> None:
    voice = plain.message(USER, "voice", MediaId="m1", Format="amr", Recognition="图书馆每天限流多少人？")
    assert first_line(plain.post(voice, encrypted=False).content) == "200人"
    unheard = plain.message(USER, "voice", MediaId="m2", Format="amr")
    assert plain.post(unheard, encrypted=False).content == texts.VOICE_NOT_RECOGNISED


def test_subscribe_welcomes_with_examples_from_the_index(plain: FakeWeChat) -> None:
    welcome = plain.post(plain.message("oUser-new", "event", Event="subscribe", EventKey=""), encrypted=False)
    lines = welcome.content.split("\n")
    assert lines[0] == texts.WELCOME_HEAD and len(lines) == 4
    titles = {"学校复课", "图书馆", "防疫物资", "交通管控"}
    assert all(any(t in line for t in titles) for line in lines[1:])


def test_configured_examples_are_used(make_server, counting: CountingQA) -> None:
    examples = ["问题甲？", "问题乙？", "问题丙？", "问题丁？"]
    with account(make_server, counting, "plain", wechat_examples=examples) as fake:
        welcome = fake.post(fake.message("oUser-x", "event", Event="subscribe"), encrypted=False).content
        assert welcome.split("\n")[1:] == ["1. 问题甲？", "2. 问题乙？", "3. 问题丙？"]


def test_other_messages_get_a_polite_text(plain: FakeWeChat, counting: CountingQA) -> None:
    before = len(counting.asked)
    others = [
        plain.message(USER, "image", PicUrl="http://127.0.0.1/x.jpg", MediaId="m3"),
        plain.message(USER, "location", Location_X="23.1", Location_Y="113.3", Scale="20", Label="某地"),
        plain.message(USER, "link", Title="t", Description="d", Url="http://127.0.0.1/"),
        plain.message(USER, "event", Event="CLICK", EventKey="menu"),
    ]
    for xml in others:
        assert plain.post(xml, encrypted=False).content.startswith(texts.WHAT_I_DO)
    gone = plain.post(plain.message(USER, "event", Event="unsubscribe"), encrypted=False)
    assert gone.status == 200 and gone.body == "success"
    assert len(counting.asked) == before


def test_safe_mode_round_trip_with_encrypted_reply(safe: FakeWeChat) -> None:
    reply = safe.ask("oUser-safe", "图书馆每天限流多少人？", encrypted=True)
    assert "<Encrypt>" in reply.body and "200人" not in reply.body
    assert first_line(reply.content) == "200人" and reply.fields["ToUserName"] == "oUser-safe"


def test_safe_mode_refuses_plaintext_and_bad_crypto(safe: FakeWeChat, counting: CountingQA) -> None:
    before = len(counting.asked)
    assert_error(safe.ask(USER, "图书馆每天限流多少人？").raw, 400, "encryption_required")
    other_app = FakeWeChat(safe.base_url, TOKEN, AES_KEY, "wx-another-app")
    assert_error(other_app.ask(USER, "图书馆每天限流多少人？", encrypted=True).raw, 403, "wrong_receiver")
    wrong_key = FakeWeChat(safe.base_url, TOKEN, new_aes_key(), APPID)
    assert wrong_key.ask(USER, "图书馆每天限流多少人？", encrypted=True).status in (400, 403)
    tampered = safe.post(safe.message(USER, "text", Content="x"), True, params={"msg_signature": "0" * 40})
    assert_error(tampered.raw, 403, "bad_signature")
    unsigned = safe.post(safe.message(USER, "text", Content="x"), True, params={"msg_signature": ""})
    assert_error(unsigned.raw, 403, "bad_signature")
    assert len(counting.asked) == before


def test_compat_mode_answers_in_kind(compat: FakeWeChat) -> None:
    clear = compat.ask("oUser-compat", "图书馆每天限流多少人？")
    assert "<Encrypt>" not in clear.body and first_line(clear.content) == "200人"
    hidden = compat.ask("oUser-compat", "图书馆每天限流多少人？", encrypted=True)
    assert "<Encrypt>" in hidden.body and first_line(hidden.content) == "200人"


def test_plain_mode_refuses_encrypted_bodies(plain: FakeWeChat) -> None:
    response = plain.ask(USER, "图书馆每天限流多少人？", encrypted=True).raw
    assert "QA_WECHAT_AES_KEY" in assert_error(response, 400, "encrypted_message")["message"]


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType>"
    "<Content>&lol2;</Content><MsgId>1</MsgId></xml>"
)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"<xml><ToUserName>a</ToUser", 400),
        (b"not xml at all", 400),
        (BILLION_LAUGHS.encode(), 400),
        (b'<!doctype xml SYSTEM "file:///etc/passwd"><xml/>', 400),
        (b"<xml><MsgType>text</MsgType></xml>", 400),
        (
            b"<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType>"
            b"<Content>\xff\xfe</Content></xml>",
            400,
        ),
        (b"<other><MsgType>text</MsgType></other>", 400),
        (("<xml><Content>" + "问" * 30_000 + "</Content></xml>").encode(), 413),
    ],
)
def test_bad_bodies_never_reach_the_engine(plain: FakeWeChat, counting: CountingQA, body: bytes, status: int) -> None:
    before = len(counting.asked)
    assert_error(plain.post(body, encrypted=False).raw, status)
    assert len(counting.asked) == before
    assert first_line(plain.ask(USER, "图书馆每天限流多少人？").content) == "200人"  # the worker lives on


def test_bad_signatures_on_messages(plain: FakeWeChat, counting: CountingQA) -> None:
    before = len(counting.asked)
    xml = plain.message(USER, "text", Content="图书馆每天限流多少人？")
    assert_error(plain.post(xml, False, params={"signature": "f" * 40}).raw, 403, "bad_signature")
    assert_error(plain.post(xml, False, params={"signature": ""}).raw, 403, "bad_signature")
    old = FakeWeChat(plain.base_url, TOKEN, clock_offset=-3600)
    assert_error(old.post(xml, encrypted=False).raw, 403, "stale_timestamp")
    assert len(counting.asked) == before


def test_concurrent_retries_wait_for_the_first_computation(make_server, tiny_engine: ReportQA) -> None:
    slow = CountingQA(tiny_engine, delay=1.0)
    with account(make_server, slow, "plain") as fake:
        xml = fake.message("oUser-slow", "text", 990001, Content="图书馆每天限流多少人？")
        with ThreadPoolExecutor(3) as pool:
            replies = [r.result() for r in [pool.submit(fake.post, xml, False) for _ in range(3)]]
        assert {first_line(r.content) for r in replies} == {"200人"}
        assert slow.asked == ["图书馆每天限流多少人？"]


def test_over_budget_says_send_again_and_keeps_computing(make_server, tiny_engine: ReportQA) -> None:
    slow = CountingQA(tiny_engine, delay=1.5)
    with account(make_server, slow, "plain", wechat_answer_budget_seconds=0.2) as fake:
        first = fake.ask("oUser-wait", "一线医护人员领到了多少个口罩？", msg_id=770001)
        assert first.content == texts.STILL_LOOKING
        # The user sends the question again (new MsgIds) until the answer is there.
        for _ in range(POLL_LIMIT):
            again = fake.ask("oUser-wait", "一线医护人员领到了多少个口罩？")
            if again.content != texts.STILL_LOOKING:
                break
        assert first_line(again.content) == "3万个"
        assert (
            first_line(fake.ask("oUser-wait", "一线医护人员领到了多少个口罩？", msg_id=770001).content) == "3万个"
        )  # WeChat's own retry
        assert slow.asked == ["一线医护人员领到了多少个口罩？"]  # one turn: the follow-up still works
        slow.delay = 0.0
        assert first_line(fake.ask("oUser-wait", "防护服呢？").content) == "800套"


@pytest.fixture(scope="module")
def wecom(make_server, counting: CountingQA) -> Iterator[FakeWeChat]:
    settings = {"wecom_token": TOKEN, "wecom_aes_key": AES_KEY, "wecom_corp_id": CORP_ID}
    with make_server(engine=counting, **settings) as url:
        fake = FakeWeChat(url, TOKEN, AES_KEY, CORP_ID, account=CORP_ID, wecom=True)
        yield fake
        fake.close()


def test_wecom_verification_and_round_trip(wecom: FakeWeChat) -> None:
    r = wecom.verify_url("wecom-echo-7")
    assert r.status_code == 200 and r.text == "wecom-echo-7"
    reply = wecom.ask("zhangsan", "图书馆每天限流多少人？", encrypted=True)
    assert first_line(reply.content) == "200人" and reply.fields["ToUserName"] == "zhangsan"
    assert first_line(wecom.ask("zhangsan", "一线医护人员领到了多少个口罩？", encrypted=True).content) == "3万个"
    assert first_line(wecom.ask("zhangsan", "防护服呢？", encrypted=True).content) == "800套"


def test_wecom_refuses_bad_callbacks(wecom: FakeWeChat, counting: CountingQA) -> None:
    before = len(counting.asked)
    other_corp = FakeWeChat(wecom.base_url, TOKEN, AES_KEY, "ww-other", wecom=True)
    assert_error(other_corp.verify_url(), 403, "wrong_receiver")
    assert_error(other_corp.ask("lisi", "图书馆每天限流多少人？", encrypted=True).raw, 403, "wrong_receiver")
    wrong_token = FakeWeChat(wecom.base_url, "not-the-token", AES_KEY, CORP_ID, wecom=True)
    assert_error(wrong_token.verify_url(), 403, "bad_signature")
    assert_error(wrong_token.ask("lisi", "图书馆每天限流多少人？", encrypted=True).raw, 403, "bad_signature")
    stale = FakeWeChat(wecom.base_url, TOKEN, AES_KEY, CORP_ID, wecom=True, clock_offset=-400)
    assert_error(stale.ask("lisi", "图书馆每天限流多少人？", encrypted=True).raw, 403, "stale_timestamp")
    ts = str(int(time.time()))
    junk = xml_message({"ToUserName": CORP_ID, "Encrypt": "not*base64"})
    params = {"timestamp": ts, "nonce": "n", "msg_signature": sign(TOKEN, ts, "n", "not*base64")}
    assert_error(httpx.post(wecom.base_url + "/wecom", params=params, content=junk), 400, "undecryptable")
    inner = encrypt(AES_KEY, "<xml><!DOCTYPE x></xml>", CORP_ID)
    params = {"timestamp": ts, "nonce": "n", "msg_signature": sign(TOKEN, ts, "n", inner)}
    body = xml_message({"ToUserName": CORP_ID, "Encrypt": inner})
    assert_error(httpx.post(wecom.base_url + "/wecom", params=params, content=body), 400, "xml_dtd_refused")
    assert len(counting.asked) == before


@pytest.mark.slow
def test_a_long_answer_is_shortened_to_2048_bytes(make_server, tmp_path) -> None:
    # Sentences are capped at 500 characters, so a reply outgrows the limit by its citations:
    # two long ones here, the second dropped to fit.
    filler = "，".join(f"第{i}批志愿者在第{i}社区值守并登记出入人员" for i in range(1, 60))
    report = f"长报告\n物资\n{filler}，其间共向居民发放口罩5万个。\n{filler}，另向居民发放口罩2万个。\n"
    docs = write_reports(tmp_path / "docs", {"long.txt": report})
    engine = ReportQA.load(docs, tmp_path / "index", rebuild=True, progress=False)
    engine.warm_up()  # as the service does at start-up: a cold model load would take the reply budget
    with account(make_server, engine, "safe") as fake:
        reply = fake.ask("oUser-long", "共向居民发放口罩多少个？", encrypted=True)
    full = engine.ask("共向居民发放口罩多少个？").answer
    assert first_line(reply.content) == "5万个"
    assert len(reply.content.encode()) <= texts.TEXT_LIMIT_BYTES < len(full.encode())
    kept = reply.content.split("\n")[1:]
    assert len(kept) == 1 and kept[0] == full.split("\n")[1] and kept[0].startswith("[1] ")  # [1] whole, [2] gone


def test_a_retry_on_another_worker_gets_the_same_reply(make_server, tiny_engine: ReportQA) -> None:
    """Two servers sharing one data folder stand for two uvicorn workers: WeChat's retry may reach
    either, and the message is still answered once."""
    engine = CountingQA(tiny_engine)
    settings = {"wechat_token": TOKEN, "wechat_mode": "plain"}
    with make_server(engine=engine, **settings) as one, make_server(engine=engine, **settings) as two:
        first_worker, second_worker = FakeWeChat(one, TOKEN, AES_KEY, APPID), FakeWeChat(two, TOKEN, AES_KEY, APPID)
        xml = first_worker.message("oUser-workers", "text", Content="查控点有多少个？")
        first = first_worker.post(xml, encrypted=False)
        retry = second_worker.post(xml, encrypted=False)
        assert first.content == retry.content and first_line(first.content) == "45个"
        assert engine.asked == ["查控点有多少个？"]
        first_worker.close()
        second_worker.close()


def test_a_retry_on_another_worker_is_answered_once_through_redis(
    make_server, tiny_engine: ReportQA, redis_url: str
) -> None:
    """The same, with the claims in Redis (QA_REDIS_URL), as on several machines."""
    engine = CountingQA(tiny_engine, delay=0.5)
    settings = {"wechat_token": TOKEN, "wechat_mode": "plain", "redis_url": redis_url}
    with make_server(engine=engine, **settings) as one, make_server(engine=engine, **settings) as two:
        first_worker, second_worker = FakeWeChat(one, TOKEN, AES_KEY, APPID), FakeWeChat(two, TOKEN, AES_KEY, APPID)
        xml = first_worker.message("oUser-redis", "text", Content="查控点有多少个？")
        with ThreadPoolExecutor(2) as pool:  # the retry arrives while the first attempt still computes
            first = pool.submit(first_worker.post, xml, False)
            time.sleep(0.2)
            retry = pool.submit(second_worker.post, xml, False)
            replies = [first.result(), retry.result()]
        assert [first_line(r.content) for r in replies] == ["45个", "45个"]
        assert engine.asked == ["查控点有多少个？"]
        assert redis.Redis.from_url(redis_url).keys("reportqa:wechat:wechat:*")  # claimed in Redis, not SQLite
        first_worker.close()
        second_worker.close()


class FailingOnceQA(CountingQA):
    """The real engine, except that its first answer fails (a bug, an exhausted resource)."""

    def answer(self, text: str, session_id: str, history: Sequence[Turn]) -> Answer:
        failing = not self.asked
        result = super().answer(text, session_id, history)
        if failing:
            raise RuntimeError("the first attempt fails")
        return result


def test_a_retry_after_a_failed_attempt_is_answered(make_server, tiny_engine: ReportQA) -> None:
    engine = FailingOnceQA(tiny_engine)
    with account(make_server, engine, "plain", wechat_aes_key=None, wechat_appid=None) as fake:
        xml = fake.message("oUser-fail", "text", Content="图书馆每天限流多少人？")
        assert fake.post(xml, encrypted=False).content == texts.FAILED
        assert first_line(fake.post(xml, encrypted=False).content) == "200人"  # WeChat's retry, same MsgId
    assert engine.asked == ["图书馆每天限流多少人？", "图书馆每天限流多少人？"]
