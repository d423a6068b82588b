"""What a rebuild can take from the index it replaces, so that it embeds, reads and tokenises only
what changed.

Vectors and tokens are keyed by the sentence's text (a passage vector depends on nothing else), so
a sentence that moved, or appears in another report, is not embedded again. Documents are keyed by
the sha256 of their bytes: an unchanged PDF is not extracted again (its stored text is reused).
Anything unreadable in the old index only means more work: the rebuild starts from nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.documents import Document
from index.local import store

log = logging.getLogger(__name__)
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Previous:
    """The replaced index's vectors and tokens by sentence text, documents by checksum."""

    vectors: Mapping[str, int] = field(default_factory=dict)  # text -> row of `matrix`
    matrix: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    tokens: Mapping[str, list[str]] = field(default_factory=dict)
    documents: Mapping[str, Document] = field(default_factory=dict)


def load_previous(index_dir: Path, embedder_id: str) -> Previous:
    """The reusable parts of the index at index_dir; empty when there is none or it does not fit."""
    try:
        manifest = json.loads((index_dir / store.MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("schema_version") != store.SCHEMA_VERSION:
            return Previous()
        texts = [row["text"] for row in store.read_jsonl(index_dir / store.SENTENCES)]
        documents = {d.checksum: d for d in store.load_documents(index_dir / store.TEXTS)}
        tokens = [list(row) for row in store.read_jsonl_lists(index_dir / store.TOKENS)]
        if len(tokens) != len(texts):
            tokens = []
        matrix = np.load(index_dir / store.VECTORS, allow_pickle=False)
        usable = manifest["embedder"]["id"] == embedder_id and matrix.shape[0] == len(texts)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("nothing reused from %s: %s", index_dir, exc)
        return Previous()
    return Previous(
        vectors={t: i for i, t in enumerate(texts)} if usable else {},
        matrix=matrix if usable else np.zeros((0, 0), dtype=np.float32),
        tokens=dict(zip(texts, tokens, strict=False)),
        documents=documents,
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
