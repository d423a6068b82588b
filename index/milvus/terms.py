"""The local index's lexical tokens (jieba words and character bigrams) carried into Milvus' BM25.

Milvus' BM25 function tokenises text with an analyzer of its own, and Milvus Lite 3.2 offers only
`standard` and `jieba`: over jieba's words alone, sent@1 on the first 300 CMRC 2018 trial
questions was 0.620–0.653 against the local backend's 0.737 (README). So each of our tokens is
written as one short ASCII word — `t` and a 48-bit BLAKE2b digest in base 32 — that the standard
analyzer keeps whole: Milvus then indexes exactly our tokens and keeps the BM25 statistics
(document frequencies, mean length) current as reports come and go, with no table of ours beside
the collection. A collision between two of 2^48 words only merges two terms' counts.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterable

# Milvus' VARCHAR bound is in bytes; the longest context (four 500-character sentences) measures
# about 36 KB of words. Beyond it the tail is dropped at a word boundary rather than refused.
MAX_BYTES = 65_535
ANALYZER = {"tokenizer": "standard", "filter": []}


@functools.lru_cache(maxsize=200_000)
def term_word(token: str) -> str:
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=6).digest()
    return "t" + base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def term_text(tokens: Iterable[str]) -> str:
    """The tokens as the space-separated words the BM25 function reads (blank tokens dropped)."""
    text = " ".join(term_word(t) for t in tokens if t.strip())
    if len(text) <= MAX_BYTES:
        return text
    return text[: text.rfind(" ", 0, MAX_BYTES + 1)]
