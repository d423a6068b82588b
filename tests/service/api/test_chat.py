"""The official openai client against the live server: plain, streaming, and a conversation."""

from __future__ import annotations

import httpx
import pytest
from openai import OpenAI


@pytest.fixture
def oa(base_url: str) -> OpenAI:
    return OpenAI(base_url=f"{base_url}/v1", api_key="unused", max_retries=0, timeout=30)


def test_models_lists_the_bot(oa: OpenAI) -> None:
    assert [m.id for m in oa.models.list().data] == ["reportqa"]


def test_completion_with_footnotes_and_citations(oa: OpenAI) -> None:
    r = oa.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": "图书馆每天限流多少人？"}])
    content = r.choices[0].message.content
    assert content.startswith("200人") and "[1]" in content
    assert r.choices[0].finish_reason == "stop"
    citations = r.model_extra["citations"]
    assert citations[0]["doc_id"] == "school" and "限流200人" in citations[0]["text"]


def test_streaming_ends_with_done(oa: OpenAI, base_url: str) -> None:
    stream = oa.chat.completions.create(
        model="reportqa", messages=[{"role": "user", "content": "查控点有多少个？"}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text.startswith("45个") and "[1]" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    raw = httpx.post(
        f"{base_url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "查控点有多少个？"}], "stream": True},
    )
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert raw.text.rstrip().endswith("data: [DONE]")


def test_conversation_follow_up(oa: OpenAI) -> None:
    messages = [{"role": "user", "content": "一线医护人员领到了多少个口罩？"}]
    first = oa.chat.completions.create(model="reportqa", messages=messages).choices[0].message.content
    assert first.startswith("3万个")
    messages += [{"role": "assistant", "content": first}, {"role": "user", "content": "防护服呢？"}]
    second = oa.chat.completions.create(model="reportqa", messages=messages).choices[0].message.content
    assert second.startswith("800套")


def test_edited_history_is_replayed(oa: OpenAI) -> None:
    messages = [
        {"role": "system", "content": "你是报告问答助手"},
        {"role": "user", "content": "一线医护人员领到了多少个口罩？"},
        {"role": "assistant", "content": "(an answer this server never gave)"},
        {"role": "user", "content": "防护服呢？"},
    ]
    assert (
        oa.chat.completions.create(model="reportqa", messages=messages).choices[0].message.content.startswith("800套")
    )


def test_no_user_message_is_a_clear_error(base_url: str) -> None:
    r = httpx.post(f"{base_url}/v1/chat/completions", json={"messages": [{"role": "system", "content": "hi"}]})
    assert r.status_code == 422 and "no user message" in r.json()["error"]["message"]


def test_opening_questions_of_different_clients_do_not_share_a_session(oa: OpenAI) -> None:
    first = oa.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": "发放了多少个口罩？"}])
    assert first.choices[0].message.content.startswith("3万个")
    # Another client's opening question is not a follow-up to the first client's.
    other = oa.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": "防护服呢？"}])
    assert other.model_extra["reportqa"]["resolved_question"] == "防护服呢？"


def test_usage_counts_characters(oa: OpenAI) -> None:
    question = "图书馆每天限流多少人？"
    r = oa.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": question}])
    content = r.choices[0].message.content
    assert r.usage.prompt_tokens == len(question) and r.usage.completion_tokens == len(content)
    assert r.usage.total_tokens == len(question) + len(content)


def test_streaming_sends_usage_with_the_last_chunk(oa: OpenAI) -> None:
    stream = oa.chat.completions.create(
        model="reportqa", messages=[{"role": "user", "content": "查控点有多少个？"}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == len(text)


def test_unknown_model_is_404_in_openai_shape(oa: OpenAI) -> None:
    import openai

    with pytest.raises(openai.NotFoundError) as caught:
        oa.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "图书馆每天限流多少人？"}])
    error = caught.value.body
    assert error["code"] == "model_not_found" and error["param"] == "model"
    assert error["type"] == "invalid_request_error" and "'reportqa'" in error["message"]


def test_max_tokens_cuts_the_reply_with_finish_reason_length(oa: OpenAI) -> None:
    messages = [{"role": "user", "content": "图书馆每天限流多少人？"}]
    cut = oa.chat.completions.create(model="reportqa", messages=messages, max_tokens=4)
    assert cut.choices[0].message.content == "200人"  # the first 4 characters of "200人\n[1] …"
    assert cut.choices[0].finish_reason == "length" and cut.usage.completion_tokens == 4
    whole = oa.chat.completions.create(model="reportqa", messages=messages, max_completion_tokens=10_000)
    assert whole.choices[0].finish_reason == "stop"
    streamed = oa.chat.completions.create(model="reportqa", messages=messages, max_tokens=4, stream=True)
    chunks = list(streamed)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == cut.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "length"


def test_max_tokens_below_one_is_refused_in_our_words(base_url: str) -> None:
    body = {"model": "reportqa", "messages": [{"role": "user", "content": "口罩？"}], "max_tokens": 0}
    r = httpx.post(f"{base_url}/v1/chat/completions", json=body)
    assert r.status_code == 422 and r.json()["error"]["message"] == "max_tokens: must be 1 or more"
