"""Lexical tokens for BM25: jieba words (search mode) and CJK character bigrams.

Character bigrams are robust where jieba splits a name or term differently in the question and in
the report; words carry meaning that bigrams blur. The index keeps both.
"""

from __future__ import annotations

import importlib
import io
import logging
import re
import sqlite3
import sys
import threading
import unicodedata
from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from types import ModuleType
from typing import cast

import jieba

from index import lexicon

# jieba announces its dictionary loading at DEBUG level; keep a CLI quiet.
jieba.setLogLevel(logging.WARNING)

# Function words and interrogatives: they match everywhere and say nothing about the topic.
STOPWORDS = frozenset(
    """
    的 了 是 在 和 与 及 或 也 都 而 并 就 又 还 被 把 将 对 为 于 以 之 其 这 那 这个 那个 这些
    那些 有 没有 个 些 上 下 中 等 着 过 吗 呢 吧 啊 呀 哪 哪个 哪些 哪里 哪儿 哪位 哪家 哪天 什么
    怎么 怎样 如何 为什么 为何 多少 几 谁 何时 何地 是否 是不是 请问 一下 一共 共 总共 其中 通过
    进行 a an the of to in on at for by and or is are was were be been do does did what which who
    whom whose when where why how many much this that these those it its with from as
    """.split()
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+(?:[.][0-9]+)?")


def normalize(text: str) -> str:
    """NFKC folds full-width letters and digits (１６ -> 16) so they match their ASCII forms."""
    return unicodedata.normalize("NFKC", text).lower()


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token) and token not in STOPWORDS


def char_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of each CJK run (a lone character stands alone) plus ASCII words."""
    text = normalize(text)
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    out.extend(_ALNUM.findall(text))
    return [t for t in out if t not in STOPWORDS]


_DICTIONARY: tuple[Mapping[str, object], int] | None = None
_WORD_TAGS: Mapping[str, object] | None = None
_DICTIONARY_LOCK = threading.Lock()
_LEXICON_DIR: Path | None = None


def use_lexicon_cache(folder: Path | None) -> None:
    """Read jieba's tables from a cache file in `folder` (written on first use, see `index.lexicon`)
    rather than into memory: a short command then starts in a fraction of the time. Takes effect
    for tables not loaded yet; None keeps them in memory."""
    global _LEXICON_DIR
    _LEXICON_DIR = folder


def _load_tables() -> tuple[Mapping[str, object], int, Mapping[str, object] | None]:
    """Word frequencies, their total and (when cached) the word tags; None tags: jieba.posseg's own."""
    path = lexicon.cache_path(_LEXICON_DIR) if _LEXICON_DIR is not None else None
    cached = lexicon.open_cache(path) if path is not None else None
    if cached is not None:
        return cached.freq, cached.total, cached.tags
    first = jieba.Tokenizer()
    first.initialize()
    if path is not None:
        posseg = importlib.import_module("jieba.posseg")  # the tag table is only needed to write the cache
        try:
            lexicon.write_cache(path, first.FREQ, first.total, posseg.dt.word_tag_tab)
        except (OSError, sqlite3.Error) as exc:  # a read-only data folder: run from memory
            logging.getLogger(__name__).warning("cannot write the word cache %s: %s", path, exc)
    return first.FREQ, first.total, None


def _shared_tables() -> tuple[Mapping[str, object], int]:
    global _DICTIONARY, _WORD_TAGS
    with _DICTIONARY_LOCK:
        if _DICTIONARY is None:
            freq, total, _WORD_TAGS = _load_tables()
            _DICTIONARY = (freq, total)
        return _DICTIONARY


def layered(shared: Mapping[str, object]) -> ChainMap[str, object]:
    """A private writable layer over a shared read-only table (ChainMap writes to its first map only)."""
    return ChainMap({}, cast("MutableMapping[str, object]", shared))


def new_jieba() -> jieba.Tokenizer:
    """A private jieba.Tokenizer over jieba's default dictionary, which is read once per process:
    loading it takes about half a second, paid again by every tokenizer that loads its own. The
    shared table is read-only: words a tokenizer adds go to its own layer above it, so owners
    never see each other's words and no process-wide jieba state is touched."""
    shared, total = _shared_tables()
    tok = jieba.Tokenizer()
    tok.total = total
    tok.FREQ = layered(shared)
    tok.initialized = True
    return tok


def word_tags() -> tuple[ModuleType, Mapping[str, object]]:
    """jieba.posseg and the word-tag table for a private tagger. Importing jieba.posseg builds a
    module-level tagger that reads dict.txt for its tags (about a second); with the cache in use it
    is given an empty file instead, then the cached table, so it tags as before without the read."""
    _shared_tables()
    tags = _WORD_TAGS
    if tags is None or "jieba.posseg" in sys.modules:
        posseg = importlib.import_module("jieba.posseg")  # heavy: imported when tagging is first needed
        return posseg, tags if tags is not None else posseg.dt.word_tag_tab
    with _DICTIONARY_LOCK:
        jieba.dt.get_dict_file = lambda: io.BytesIO()
        try:
            posseg = importlib.import_module("jieba.posseg")
        finally:
            del jieba.dt.get_dict_file
        posseg.dt.word_tag_tab = layered(tags)
    return posseg, tags


class WordTokenizer:
    """Owns a private jieba.Tokenizer (see `new_jieba`), loaded on first use."""

    def __init__(self) -> None:
        self._jieba: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    @property
    def jieba(self) -> jieba.Tokenizer:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = new_jieba()
        return self._jieba

    def words(self, text: str) -> list[str]:
        """Search-mode cut: long words also yield their parts (公安局 -> 公安, 安局, 公安局)."""
        return [t for t in self.jieba.cut_for_search(normalize(text)) if _is_word(t.strip())]
