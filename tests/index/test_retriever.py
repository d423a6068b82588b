"""The retrieval seam: the Manifest round trip, and the contract every Retriever must keep.

A new backend adds one class here, `TestXRetriever(RetrieverContract)`, with its own `retriever`
fixture over the tiny corpus; every test below then runs against it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.local import store
from index.retriever import Hit, Manifest, Retriever


def test_manifest_reads_and_writes_the_file_it_was_built_from(tiny_index_dir: tuple[Path, Path]) -> None:
    _, index = tiny_index_dir
    data = json.loads((index / store.MANIFEST).read_text(encoding="utf-8"))
    manifest = Manifest.from_json(data)
    assert manifest.to_json() == data
    assert list(manifest.to_json()) == list(data)  # the same key order as the file
    assert manifest.counts.documents == len(manifest.documents) == 2
    assert manifest.counts.sentences == sum(d.sentences for d in manifest.documents)


def test_manifest_is_frozen_and_refuses_a_missing_field(tiny_index_dir: tuple[Path, Path]) -> None:
    _, index = tiny_index_dir
    data = json.loads((index / store.MANIFEST).read_text(encoding="utf-8"))
    manifest = Manifest.from_json(data)
    with pytest.raises(AttributeError):
        manifest.embedder_id = "other"  # type: ignore[misc]
    del data["embedder"]["dim"]
    with pytest.raises(KeyError):
        Manifest.from_json(data)


class RetrieverContract:
    """What the answer engine relies on; a subclass provides the `retriever` fixture."""

    def test_is_a_retriever(self, retriever: Retriever) -> None:
        assert isinstance(retriever.embedder.embedder_id, str)
        assert retriever.stats().embedder_id == retriever.embedder.embedder_id

    def test_search_ranks_best_first_within_k(self, retriever: Retriever) -> None:
        hits = retriever.search("图书馆每天限流多少人？", k=3)
        assert 1 <= len(hits) <= 3
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert "200人" in hits[0].sentence.text

    def test_hits_sit_inside_their_paragraph(self, retriever: Retriever) -> None:
        for hit in retriever.search("市卫健委发放了多少个口罩？", k=5):
            s, p = hit.sentence, hit.paragraph
            assert isinstance(hit, Hit)
            assert (s.doc_id, s.paragraph) == (p.doc_id, p.number)
            assert p.start <= s.start < s.end <= p.end
            assert p.text[s.start - p.start : s.end - p.start] == s.text

    def test_an_empty_query_finds_nothing(self, retriever: Retriever) -> None:
        assert retriever.search("   ", k=3) == []

    def test_k_larger_than_the_corpus_returns_every_sentence_once(self, retriever: Retriever) -> None:
        hits = retriever.search("口罩", k=10_000)
        ids = [h.sentence.sentence_id for h in hits]
        assert len(ids) == len(set(ids)) == retriever.stats().sentences

    def test_paragraph_finds_what_a_hit_cites(self, retriever: Retriever) -> None:
        hit = retriever.search("第一中学什么时候复课？", k=1)[0]
        assert retriever.paragraph(hit.sentence.doc_id, hit.sentence.paragraph) == hit.paragraph
        assert retriever.paragraph(hit.sentence.doc_id, 10_000) is None
        assert retriever.paragraph("no-such-document", 1) is None

    def test_stats_count_the_corpus(self, retriever: Retriever) -> None:
        stats = retriever.stats()
        assert stats.documents == 2
        assert 0 < stats.paragraphs <= stats.sentences
        assert {"防疫物资", "交通管控", "学校复课", "图书馆"} <= set(stats.sections)
        assert stats.sections.index("防疫物资") < stats.sections.index("交通管控")  # reading order
        assert len(set(stats.sections)) == len(stats.sections)

    def test_check_passes_while_the_backend_answers(self, retriever: Retriever) -> None:
        assert retriever.check() is None

    def test_warm_up_then_search(self, retriever: Retriever) -> None:
        retriever.warm_up()
        assert retriever.search("交通管控设立了多少个查控点？", k=1)[0].sentence.text.startswith("全市共设立查控点45个")


class TestLocalRetriever(RetrieverContract):
    @pytest.fixture
    def retriever(self, tiny_index: Retriever) -> Retriever:
        return tiny_index


class TestMilvusRetriever(RetrieverContract):
    @pytest.fixture
    def retriever(self, milvus_lite: Retriever) -> Retriever:
        return milvus_lite
