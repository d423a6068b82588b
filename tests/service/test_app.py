"""/v1/ask, health checks and every kind of bad input, against a live server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]


def test_health_and_readiness(client: httpx.Client) -> None:
    alive = client.get("/healthz").json()
    assert alive == {"status": "ok", "sentences": None, "documents": None, "doc_ids": None, "sections": None}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["documents"] == 2
    assert sorted(ready["doc_ids"]) == ["school", "supplies"]
    assert {"学校复课", "图书馆", "防疫物资", "交通管控"} <= set(ready["sections"])


def test_ask_answers_with_citations_offsets_and_a_session(client: httpx.Client, tiny_index_dir) -> None:
    r = client.post("/v1/ask", json={"question": "图书馆每天限流多少人？"})
    assert r.status_code == 200 and r.headers["x-request-id"]
    body = r.json()
    assert body["short_answer"] == "200人" and body["answerable"] is True and body["session_id"]
    c = body["citations"][0]
    source = (tiny_index_dir[0] / "school.md").read_text(encoding="utf-8")
    assert source[c["start"] : c["end"]] == c["text"]


def test_follow_up_in_a_session(client: httpx.Client) -> None:
    first = client.post("/v1/ask", json={"question": "一线医护人员领到了多少个口罩？"}).json()
    second = client.post("/v1/ask", json={"question": "防护服呢？", "session_id": first["session_id"]}).json()
    assert second["short_answer"] == "800套"


def test_unknown_session_starts_a_new_one(client: httpx.Client) -> None:
    r = client.post("/v1/ask", json={"question": "防护服有多少套？", "session_id": "never-seen"})
    assert r.status_code == 200 and r.json()["session_id"] == "never-seen"


def test_paragraph_for_a_citation(client: httpx.Client) -> None:
    p = client.get("/v1/paragraph", params={"doc_id": "school", "paragraph_index": 1}).json()
    assert "复课" in p["text"] and p["section"] == "学校复课"
    assert_error(client.get("/v1/paragraph", params={"doc_id": "school", "paragraph_index": 99}), 404, "not_found")


def test_paragraph_numbers_count_within_the_section(client: httpx.Client) -> None:
    cited = client.post("/v1/ask", json={"question": "图书馆每天限流多少人？"}).json()["citations"][0]
    # school.md: the library is the second paragraph of the document, the first of its section.
    assert (cited["section"], cited["paragraph"], cited["paragraph_index"]) == ("图书馆", 1, 2)
    shown = client.get("/v1/paragraph", params={"doc_id": "school", "paragraph_index": 2}).json()
    assert (shown["paragraph"], shown["paragraph_index"]) == (1, 2) and shown["text"].startswith("图书馆每天")


def test_bad_questions(client: httpx.Client) -> None:
    assert_error(client.post("/v1/ask", json={"question": ""}), 422, "invalid_request")
    message = assert_error(client.post("/v1/ask", json={"question": "  \n "}), 422)["message"]
    assert "empty" in message
    message = assert_error(client.post("/v1/ask", json={"question": "问" * 501}), 422)["message"]
    assert "500" in message
    assert_error(client.post("/v1/ask", json={}), 422)
    assert_error(client.post("/v1/ask", json={"question": "x", "extra": 1}), 422)
    assert_error(client.post("/v1/ask", json={"question": 42}), 422)


def test_broken_bodies(client: httpx.Client) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/v1/ask", content=b'{"question": ', headers=headers), 400, "invalid_json")
    assert_error(client.post("/v1/ask", content=b'{"question": "\xff\xfe"}', headers=headers), 400)
    big = json.dumps({"question": "问", "pad": "x" * 70_000})
    assert_error(client.post("/v1/ask", content=big, headers=headers), 413, "payload_too_large")
    # Without Content-Length (chunked transfer) the limit holds too.
    chunks = (big[i : i + 8192].encode() for i in range(0, len(big), 8192))
    assert_error(client.post("/v1/ask", content=chunks, headers=headers), 413, "payload_too_large")
    small = (part.encode() for part in ('{"question": ', '"图书馆每天限流多少人？"}'))
    assert client.post("/v1/ask", content=small, headers=headers).json()["short_answer"] == "200人"


def test_unknown_route_and_method(client: httpx.Client) -> None:
    assert_error(client.get("/v1/nothing"), 404)
    assert_error(client.get("/v1/ask"), 405)


def test_api_key_is_required_when_set(make_server) -> None:
    with make_server(api_key="s3cret") as url:
        assert_error(httpx.post(f"{url}/v1/ask", json={"question": "口罩有多少？"}), 401, "unauthorized")
        wrong = {"Authorization": "Bearer nope"}
        assert_error(httpx.post(f"{url}/v1/ask", json={"question": "口罩有多少？"}, headers=wrong), 401)
        ok = httpx.post(f"{url}/v1/ask", json={"question": "口罩有多少？"}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        assert httpx.get(f"{url}/healthz").status_code == 200  # probes need no key


def test_missing_index_is_503_with_the_fix(make_server, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with make_server(engine=None, docs_dir=tmp_path / "docs", index_dir=tmp_path / "index") as url:
        error = assert_error(httpx.post(f"{url}/v1/ask", json={"question": "口罩有多少？"}), 503, "index_unavailable")
        assert "no readable" in error["message"]
        assert httpx.get(f"{url}/readyz").status_code == 503
        assert httpx.get(f"{url}/healthz").status_code == 200


def test_cors_when_configured(make_server) -> None:
    with make_server(cors_origins=["http://example.test"]) as url:
        r = httpx.options(
            f"{url}/v1/ask",
            headers={"Origin": "http://example.test", "Access-Control-Request-Method": "POST"},
        )
        assert r.headers.get("access-control-allow-origin") == "http://example.test"


def test_openapi_docs_are_served(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/ask" in spec["paths"] and "/v1/chat/completions" in spec["paths"]
    assert client.get("/docs").status_code == 200
