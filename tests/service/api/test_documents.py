"""/v1/documents against real servers loaded from a private copy of the tiny index: uploads of real
files sniffed by content, the admin key, limits, and a second server that follows the new index."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

ADMIN = "admin-secret-1"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
# A report about something the tiny corpus never mentions, so only the upload can answer it.
BRIDGE = "桥梁检查简报\n城西大桥于5月20日完成荷载试验，试验车辆共24辆。\n检测单位为市交通工程质量监督站。\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
FOLLOW_TIMEOUT_S = 20


def upload(client: httpx.Client, name: str, data: bytes, **kwargs: object) -> httpx.Response:
    return client.post("/v1/documents", files={"file": (name, data)}, **kwargs)  # type: ignore[arg-type]


def doc_ids(client: httpx.Client) -> list[str]:
    return [d["doc_id"] for d in client.get("/v1/documents").json()["documents"]]


@pytest.fixture
def served(make_server: Callable[..., object], built_copy: tuple[Path, Path]) -> Callable[..., object]:
    docs, index = built_copy
    return lambda **overrides: make_server(engine=None, docs_dir=docs, index_dir=index, **overrides)  # type: ignore[operator]


def test_without_an_admin_key_changes_are_refused_saying_how_to_enable_them(served) -> None:
    with served() as url, httpx.Client(base_url=url, timeout=60) as client:
        assert sorted(doc_ids(client)) == ["school", "supplies"]
        refused = upload(client, "bridge.txt", BRIDGE.encode(), headers=AUTH)
        assert refused.status_code == 403
        assert "QA_ADMIN_KEY" in refused.json()["error"]["message"]
        assert client.delete("/v1/documents/school", headers=AUTH).status_code == 403
        assert sorted(doc_ids(client)) == ["school", "supplies"]


def test_upload_answer_from_it_then_delete(served) -> None:
    with served(admin_key=ADMIN) as url, httpx.Client(base_url=url, timeout=120) as client:
        assert upload(client, "bridge.txt", BRIDGE.encode()).status_code == 401
        assert (
            upload(client, "bridge.txt", BRIDGE.encode(), headers={"Authorization": "Bearer nope"}).status_code == 401
        )

        first = upload(client, "bridge.txt", BRIDGE.encode(), headers=AUTH)
        assert first.status_code == 201, first.text
        body = first.json()
        assert body["doc_id"] == "bridge" and body["format"] == "txt" and body["created"] is True
        assert 0 < body["embedded"] <= 3  # the old reports' sentences were reused
        answer = client.post("/v1/ask", json={"question": "城西大桥荷载试验用了多少辆车？"}).json()
        assert answer["citations"][0]["doc_id"] == "bridge"
        assert "24" in answer["short_answer"]

        again = upload(client, "copy-of-bridge.txt", BRIDGE.encode(), headers=AUTH)
        assert again.status_code == 200
        assert again.json()["doc_id"] == "bridge" and again.json()["created"] is False
        assert client.get("/v1/documents/bridge").json()["sha256"] == body["sha256"]

        gone = client.delete("/v1/documents/bridge", headers=AUTH)
        assert gone.status_code == 200 and gone.json() == {"deleted": "bridge", "documents": 2}
        assert client.get("/v1/documents/bridge").status_code == 404
        answer = client.post("/v1/ask", json={"question": "城西大桥荷载试验用了多少辆车？"}).json()
        assert all(c["doc_id"] != "bridge" for c in answer["citations"])
        assert client.delete("/v1/documents/school", headers=AUTH).status_code == 200
        last = client.delete("/v1/documents/supplies", headers=AUTH)
        assert last.status_code == 409 and "only report" in last.json()["error"]["message"]


def test_type_comes_from_the_bytes_not_the_name(served, made: dict[str, Path]) -> None:
    with served(admin_key=ADMIN) as url, httpx.Client(base_url=url, timeout=180) as client:
        pdf = upload(client, "scan.bin", made["report.pdf"].read_bytes(), headers=AUTH)
        assert pdf.status_code == 201, pdf.text
        assert pdf.json()["format"] == "pdf" and pdf.json()["file"] == "scan.pdf"
        image = upload(client, "report.txt", PNG, headers=AUTH)
        assert image.status_code == 415 and image.json()["error"]["code"] == "unsupported_type"
        broken = upload(client, "report.pdf", made["report.pdf"].read_bytes()[:3000], headers=AUTH)
        assert broken.status_code == 422 and "PDF" in broken.json()["error"]["message"]
        empty = upload(client, "empty.txt", b"", headers=AUTH)
        assert empty.status_code == 422
        assert sorted(doc_ids(client)) == ["scan", "school", "supplies"]  # the refused ones left nothing


def test_an_upload_over_the_limit_is_413_naming_the_setting(served) -> None:
    with served(admin_key=ADMIN, max_upload_mb=0.01) as url, httpx.Client(base_url=url, timeout=60) as client:
        big = upload(client, "big.txt", ("口罩" * 10_000).encode(), headers=AUTH)
        assert big.status_code == 413
        assert "QA_MAX_UPLOAD_MB" in big.json()["error"]["message"]
        # Questions keep their own, smaller limit.
        assert client.post("/v1/ask", json={"question": "口" * 40_000}).status_code == 413


def test_another_server_on_the_same_index_follows_the_new_generation(served) -> None:
    """Two serving processes share one index folder: an upload through one is answered by the other
    without a restart (it notices the index link changed before its next question)."""
    with (
        served(admin_key=ADMIN) as one,
        served() as two,
        httpx.Client(base_url=one, timeout=120) as a,
        httpx.Client(base_url=two, timeout=60) as b,
    ):
        assert "bridge" not in doc_ids(b)
        assert upload(a, "bridge.txt", BRIDGE.encode(), headers=AUTH).status_code == 201
        deadline = time.monotonic() + FOLLOW_TIMEOUT_S
        while "bridge" not in doc_ids(b) and time.monotonic() < deadline:
            time.sleep(0.2)
        answer = b.post("/v1/ask", json={"question": "城西大桥荷载试验用了多少辆车？"}).json()
        assert answer["citations"][0]["doc_id"] == "bridge"
