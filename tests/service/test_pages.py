"""A PDF report's citations and paragraphs carry their page over HTTP; others have page null."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from qa.engine import ReportQA


@pytest.mark.slow
def test_pdf_pages_in_ask_and_paragraph(
    made_indexes: dict[str, tuple[Path, Path]], make_server: Callable[..., object]
) -> None:
    docs, index = made_indexes["pdf"]
    engine = ReportQA.load(docs_dir=docs, index_dir=index, rebuild=False, progress=False)
    with make_server(engine=engine) as url, httpx.Client(base_url=str(url), timeout=30) as client:  # type: ignore[attr-defined]
        c = client.post("/v1/ask", json={"question": "一共发放了多少个口罩？"}).json()["citations"][0]
        assert c["page"] >= 2
        shown = client.get("/v1/paragraph", params={"doc_id": c["doc_id"], "paragraph_index": c["paragraph_index"]})
        assert shown.json()["page"] <= c["page"] and c["text"] in shown.json()["text"]


def test_other_formats_have_no_page(client: httpx.Client) -> None:
    c = client.post("/v1/ask", json={"question": "图书馆每天限流多少人？"}).json()["citations"][0]
    assert c["page"] is None
    assert client.get("/v1/paragraph", params={"doc_id": "school", "paragraph_index": 2}).json()["page"] is None
