"""BM25 over token lists, stored as raw term counts per segment and scored with corpus-wide statistics.

An index is made of segments (`segment`), and adding a report writes only a new one. BM25's idf and
average length belong to the whole corpus, so a segment cannot store finished scores (bm25s's way:
its idf is baked into every score): it stores each term's rows and counts, and the scores are
computed at query time from the counts, the corpus-wide document frequency and the corpus-wide
average length. The formula is bm25s's `lucene` method (idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
tf / (tf + k1·(1 - b + b·len/avglen))); a test checks the scores against bm25s's on the same tokens.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

# A low k1 saturates term frequency early: in a sentence, a term's second occurrence says little
# more than its first (k1 0.4 beat 0.6, 0.8 and the usual 1.2 on CMRC 2018).
K1 = 0.4
B = 0.75
ARRAYS = ("indptr", "rows", "counts", "lengths")


@dataclass(frozen=True)
class TermCounts:
    """One segment's field: for term j, rows[indptr[j]:indptr[j+1]] hold it counts[…] times."""

    terms: dict[str, int]
    indptr: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int32]
    counts: npt.NDArray[np.float32]
    lengths: npt.NDArray[np.float32]  # tokens per row

    @property
    def size(self) -> int:
        return len(self.lengths)

    @classmethod
    def build(cls, rows_tokens: Sequence[list[str]]) -> TermCounts:
        terms: dict[str, int] = {}
        ids: list[int] = []
        rows: list[int] = []
        for r, tokens in enumerate(rows_tokens):
            for t in tokens or [""]:  # an empty row keeps its place (length 1, as bm25s counts it)
                ids.append(terms.setdefault(t, len(terms)))
                rows.append(r)
        n = max(1, len(rows_tokens))
        keys, counts = np.unique(
            np.asarray(ids, dtype=np.int64) * n + np.asarray(rows, dtype=np.int64), return_counts=True
        )
        term_of = keys // n
        indptr = np.searchsorted(term_of, np.arange(len(terms) + 1)).astype(np.int64)
        lengths = np.bincount(np.asarray(rows, dtype=np.int64), minlength=len(rows_tokens)).astype(np.float32)
        return cls(terms, indptr, (keys % n).astype(np.int32), counts.astype(np.float32), lengths)

    def postings(self, term: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]] | None:
        j = self.terms.get(term)
        if j is None:
            return None
        start, end = self.indptr[j], self.indptr[j + 1]
        return self.rows[start:end], self.counts[start:end]

    def df(self, term: str) -> int:
        j = self.terms.get(term)
        return 0 if j is None else int(self.indptr[j + 1] - self.indptr[j])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.terms, key=self.terms.__getitem__)
        (directory / "terms.json").write_text(json.dumps(ordered, ensure_ascii=False), encoding="utf-8")
        for name in ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> TermCounts:
        """Raises ValueError (or OSError) when the files do not fit together or hold another size."""
        ordered = json.loads((directory / "terms.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(directory / f"{name}.npy", allow_pickle=False) for name in ARRAYS}
        if len(arrays["lengths"]) != size:
            raise ValueError(f"{directory} holds {len(arrays['lengths'])} rows, expected {size}")
        if len(arrays["indptr"]) != len(ordered) + 1 or arrays["indptr"][-1] != len(arrays["rows"]):
            raise ValueError(f"{directory}: its term table and postings do not fit together")
        if len(arrays["rows"]) and int(arrays["rows"].max()) >= size:
            raise ValueError(f"{directory}: a posting points past its {size} rows")
        return cls({t: i for i, t in enumerate(ordered)}, **arrays)


class LexicalIndex:
    """One BM25 field (e.g. the word tokens of sentences) over segments laid end to end."""

    def __init__(self, segments: Sequence[TermCounts], k1: float = K1, b: float = B) -> None:
        self._segments = list(segments)
        self.size = sum(s.size for s in self._segments)
        total = float(sum(float(s.lengths.sum()) for s in self._segments))
        average = total / self.size if self.size else 1.0
        self._offsets = np.cumsum([0] + [s.size for s in self._segments])[:-1]
        # The length part of each row's denominator, computed once.
        self._norms = [(k1 * ((1 - b) + b * s.lengths / average)).astype(np.float32) for s in self._segments]

    @classmethod
    def build(cls, rows_tokens: Sequence[list[str]]) -> LexicalIndex:
        return cls([TermCounts.build(rows_tokens)])

    def idf(self, term: str) -> float:
        df = sum(s.df(term) for s in self._segments)
        return 0.0 if df == 0 else math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query_tokens: list[str]) -> npt.NDArray[np.float32]:
        """BM25 score of every row (float32); all zeros when no query token is in the index. A
        token given twice counts twice, as in bm25s."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in query_tokens:
            idf = self.idf(term) if term else 0.0
            if idf == 0.0:
                continue
            for segment, offset, norm in zip(self._segments, self._offsets, self._norms, strict=True):
                found = segment.postings(term)
                if found is not None:
                    rows, counts = found
                    scores[offset + rows] += np.float32(idf) * counts / (norm[rows] + counts)
        return scores
