"""Every validation error the API can give, in our own words: a request that breaks each rule of
each route, and each pydantic error type the table words."""

from __future__ import annotations

import httpx
import pytest

from service.validation import FALLBACK, MESSAGES, explain

# Phrases of pydantic's own messages: none may reach a client.
PYDANTIC_WORDING = (
    "Input should",
    "Value error",
    "Field required",
    "valid dictionary",
    "Extra inputs",
    "String should",
)
USER = {"role": "user", "content": "口罩？"}

CASES = [
    ("post", "/v1/ask", {"json": {}}, "question: is required"),
    ("post", "/v1/ask", {"json": {"question": ""}}, "question: the question is empty"),
    ("post", "/v1/ask", {"json": {"question": "  "}}, "question: the question is empty"),
    ("post", "/v1/ask", {"json": {"question": "问" * 501}}, "question: must have at most 500 characters"),
    ("post", "/v1/ask", {"json": {"question": 42}}, "question: must be text"),
    ("post", "/v1/ask", {"json": {"question": "口罩？", "extra": 1}}, "extra: is not a field of this request"),
    ("post", "/v1/ask", {"json": {"question": "口罩？", "session_id": "s" * 129}}, "session_id: must have at most 128"),
    ("post", "/v1/ask", {"json": ["口罩？"]}, "the body: must be an object"),
    ("post", "/v1/chat/completions", {"json": {}}, "messages: is required"),
    ("post", "/v1/chat/completions", {"json": {"messages": []}}, "messages: must have at least 1 item"),
    ("post", "/v1/chat/completions", {"json": {"messages": "hi"}}, "messages: must be a list"),
    ("post", "/v1/chat/completions", {"json": {"messages": ["hi"]}}, "messages.0: must be an object"),
    ("post", "/v1/chat/completions", {"json": {"messages": [{"role": "bot"}]}}, "messages.0.role: must be one of"),
    (
        "post",
        "/v1/chat/completions",
        {"json": {"messages": [USER], "stream": "maybe"}},
        "stream: must be true or false",
    ),
    ("post", "/v1/chat/completions", {"json": {"messages": [USER], "max_tokens": 0}}, "max_tokens: must be 1 or more"),
    ("post", "/v1/chat/completions", {"json": {"messages": [USER], "max_tokens": "x"}}, "max_tokens: must be a whole"),
    ("post", "/v1/chat/completions", {"json": {"messages": [{"role": "user", "content": 5}]}}, "messages.0.content"),
    ("get", "/v1/paragraph", {"params": {"doc_id": "school"}}, "paragraph_index: is required"),
    (
        "get",
        "/v1/paragraph",
        {"params": {"doc_id": "school", "paragraph_index": "x"}},
        "paragraph_index: must be a whole",
    ),
    (
        "get",
        "/v1/paragraph",
        {"params": {"doc_id": "school", "paragraph_index": 0}},
        "paragraph_index: must be 1 or more",
    ),
    ("get", "/v1/paragraph", {"params": {"paragraph_index": 1}}, "doc_id: is required"),
]


@pytest.mark.parametrize(("method", "path", "request_args", "expected"), CASES)
def test_every_validation_error_is_in_our_words(
    client: httpx.Client, method: str, path: str, request_args: dict, expected: str
) -> None:
    r = client.request(method.upper(), path, **request_args)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith(expected), error["message"]
    assert not any(phrase in error["message"] for phrase in PYDANTIC_WORDING)


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_each_worded_error_type_reads_as_a_sentence(kind: str) -> None:
    ctx = {
        "min_length": 1,
        "max_length": 2,
        "ge": 1,
        "le": 9,
        "expected": "'a' or 'b'",
        "error": ValueError("own words"),
    }
    message = explain({"type": kind, "loc": ("body", "field"), "ctx": ctx})
    assert message.startswith("field: ") and "None" not in message and "{" not in message
    assert message != f"field: {FALLBACK}"


def test_an_error_type_without_wording_still_names_the_field() -> None:
    assert explain({"type": "something_new", "loc": ("query", "doc_id")}) == f"doc_id: {FALLBACK}"
