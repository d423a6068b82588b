"""Clause and enumeration-item vectors: items at their offsets, embedded once per sentence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa.segments import SegmentVectors, items
from tests.qa.hits import make_hit


class CountingEmbedder:
    """A real function of the text (its length), counting the calls."""

    embedder_id = "count"
    dim = 2

    def __init__(self) -> None:
        self.calls = 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_items_are_clauses_cut_at_enumeration_marks() -> None:
    text = "包括口罩16万个、防护服6000套，另有消毒液2吨。"
    found = items(text)
    assert [c.text for c in found] == ["包括口罩16万个", "防护服6000套", "另有消毒液2吨"]
    assert all(text[c.start : c.end] == c.text for c in found)


def test_vectors_are_computed_once_per_sentence_and_bounded() -> None:
    embedder = CountingEmbedder()
    vectors = SegmentVectors(embedder, max_sentences=1)  # type: ignore[arg-type]
    first = make_hit("口罩3万个、防护服800套。")
    parts, v = vectors.of(first)
    assert [p.text for p in parts] == ["口罩3万个", "防护服800套"] and v.shape == (2, 2)
    vectors.of(first)
    assert embedder.calls == 1
    vectors.of(make_hit("另一句。", offset=500))
    vectors.of(first)  # evicted by the bound: embedded again
    assert embedder.calls == 3
