"""Clause and enumeration-item vectors of sentences, embedded on first use and kept (bounded).

An English question shares no words with a Chinese report, and a long sentence's single vector
blurs the item asked about ("包括口罩16万个" among ten supplies); items match much more sharply."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from index.embed import Embedder
from index.retriever import Hit
from qa import spans


def items(text: str) -> list[spans.Candidate]:
    """The sentence's clauses, each cut at 、 into its enumeration items."""
    out = []
    for clause in spans.clauses(text):
        begin = clause.start
        for part in clause.text.split("、"):
            if part.strip():
                out.append(spans.Candidate(part, begin, begin + len(part), "clause"))
            begin += len(part) + 1
    return out


class SegmentVectors:
    def __init__(self, embedder: Embedder, max_sentences: int = 4096) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self._cache: OrderedDict[str, tuple[list[spans.Candidate], np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, hit: Hit) -> tuple[list[spans.Candidate], np.ndarray]:
        key = hit.sentence.sentence_id
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        parts = items(hit.sentence.text)
        vectors = self.embedder.embed_passages([p.text for p in parts])
        with self._lock:
            self._cache[key] = (parts, vectors)
            while len(self._cache) > self.max_sentences:
                self._cache.popitem(last=False)
        return parts, vectors
