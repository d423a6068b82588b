"""What a build can take from the segments it rewrites, so that it embeds, reads and tokenises only
what changed.

Vectors and tokens are keyed by the sentence's text (a passage vector depends on nothing else), so
a sentence that moved (a renamed or edited report) is not embedded again. Documents are keyed by
the sha256 of their bytes: a renamed PDF is not extracted again (its stored text is reused).
Segments the build keeps as they are are not read at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from index.documents import Document
from index.local.segment import Segment

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Previous:
    """Vectors and tokens by sentence text, documents by checksum, from the segments read."""

    vectors: Mapping[str, int] = field(default_factory=dict)  # text -> row of `matrix`
    matrix: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    tokens: Mapping[str, list[str]] = field(default_factory=dict)
    documents: Mapping[str, Document] = field(default_factory=dict)

    @classmethod
    def of(cls, segments: Sequence[Segment]) -> Previous:
        if not segments:
            return cls()
        texts = [s.text for g in segments for s in g.sentences]
        return cls(
            vectors={t: i for i, t in enumerate(texts)},
            matrix=np.vstack([g.vectors for g in segments]),
            tokens={t: toks for g in segments for t, toks in zip((s.text for s in g.sentences), g.tokens, strict=True)},
            documents={d.checksum: d for g in segments for d in g.documents},
        )


def cached_vectors(
    texts: Sequence[str], previous: Previous, embed: Callable[[Sequence[str]], Vectors], dim: int
) -> tuple[Vectors, int]:
    """A vector per text: reused when the old index has that text, else embedded once per distinct
    new text. Returns (vectors, how many texts were embedded)."""
    new = list(dict.fromkeys(t for t in texts if t not in previous.vectors))
    fresh = embed(new) if new else np.zeros((0, dim), dtype=np.float32)
    if fresh.shape[0]:
        dim = int(fresh.shape[1])
    elif previous.matrix.shape[0]:
        dim = int(previous.matrix.shape[1])
    at_new = {t: i for i, t in enumerate(new)}
    out = np.empty((len(texts), dim), dtype=np.float32)
    for i, t in enumerate(texts):
        j = previous.vectors.get(t)
        out[i] = previous.matrix[j] if j is not None else fresh[at_new[t]]
    return out, len(new)


def cached_tokens(texts: Sequence[str], previous: Previous, tokenize: Callable[[str], list[str]]) -> list[list[str]]:
    """Each text's tokens: from the old index, or tokenised once per distinct text (reports repeat
    boilerplate sentences)."""
    known = dict(previous.tokens)
    out = []
    for t in texts:
        tokens = known.get(t)
        if tokens is None:
            tokens = known[t] = tokenize(t)
        out.append(tokens)
    return out
