"""Retrieval quality on a SQuAD-format file: every passage becomes a document of one corpus and
each question is searched against all of them."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from index.load import open_index
from index.search import SentenceIndex


@dataclass(frozen=True, slots=True)
class SquadQuestion:
    qid: str
    question: str
    passage_id: str
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RetrievalReport:
    questions: int
    sent_at_1: float
    sent_at_3: float
    ctx_at_1: float
    ms_per_query: float
    sentences: int


class SquadFormatError(ValueError):
    pass


def read_squad(path: Path) -> tuple[dict[str, str], list[SquadQuestion]]:
    """(passage id -> context, questions). Raises SquadFormatError on a file of another shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        passages: dict[str, str] = {}
        questions: list[SquadQuestion] = []
        for article in data:
            for i, para in enumerate(article["paragraphs"]):
                pid = str(para.get("id") or f"{article.get('id', len(passages))}-{i}")
                passages[pid] = para["context"]
                for qa in para["qas"]:
                    answers = tuple(a["text"] for a in qa["answers"] if a["text"].strip())
                    questions.append(SquadQuestion(str(qa["id"]), qa["question"], pid, answers))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise SquadFormatError(f"{path} is not a SQuAD-format JSON file ({exc})") from exc
    return passages, questions


def squad_dirs(path: Path, cache_dir: Path, embedder: str) -> tuple[Path, Path]:
    """(docs dir, index dir) for the file's passages, cached by the file's checksum so reruns skip
    embedding; the docs are written on first use, the index is left for the caller to open or build."""
    passages, _ = read_squad(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    docs_dir = cache_dir / f"squad-{digest}" / "docs"
    if not docs_dir.is_dir():
        docs_dir.mkdir(parents=True)
        for pid, context in passages.items():
            (docs_dir / f"{pid}.txt").write_text(context, encoding="utf-8")
    slug = hashlib.sha256(embedder.encode()).hexdigest()[:8]
    return docs_dir, docs_dir.parent / f"index-{slug}"


def squad_index(path: Path, cache_dir: Path, embedder: str, progress: bool) -> SentenceIndex:
    """An index of the file's passages (see squad_dirs for the cache)."""
    docs_dir, index_dir = squad_dirs(path, cache_dir, embedder)
    return open_index(docs_dir, index_dir, embedder, progress=progress)


def evaluate_retrieval(
    index: SentenceIndex, questions: Sequence[SquadQuestion], progress: bool = True
) -> RetrievalReport:
    hits1 = hits3 = ctx1 = 0
    answerable = [q for q in questions if q.answers]
    started = time.perf_counter()
    for q in tqdm(answerable, desc="questions", unit="q", disable=not progress):
        top = index.search(q.question, k=3)
        texts = [h.sentence.text for h in top]
        has_answer = [any(a in t for a in q.answers) for t in texts]
        hits1 += bool(has_answer[:1] and has_answer[0])
        hits3 += any(has_answer)
        ctx1 += bool(top) and top[0].sentence.doc_id == q.passage_id
    elapsed = time.perf_counter() - started
    n = max(len(answerable), 1)
    return RetrievalReport(
        questions=len(answerable),
        sent_at_1=hits1 / n,
        sent_at_3=hits3 / n,
        ctx_at_1=ctx1 / n,
        ms_per_query=1000 * elapsed / n,
        sentences=len(index),
    )
