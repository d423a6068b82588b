"""SQuAD-format files (CMRC 2018): reading them, a docs folder of their passages, and EM / F1 of
short answers with CMRC 2018's mixed segmentation."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from index.documents import Document
from index.split import split_document
from qa.errors import EvalFormatError
from qa.eval.qa import Asker, timed_ask, warm_up
from qa.question import QuestionAnalyzer
from qa.read import read_text
from qa.reader.model import OnnxReader


@dataclass(frozen=True, slots=True)
class SquadQuestion:
    qid: str
    question: str
    passage_id: str
    answers: tuple[str, ...]


class SquadFormatError(EvalFormatError):
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


# A token is a run of ASCII letters and digits, or any other single character that is neither
# space nor punctuation (CJK characters above all): CMRC 2018's "mixed segmentation".
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def mixed_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return [t for t in _TOKEN.findall(text) if not _is_punct(t[0])]


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def squad_f1(prediction: str | None, golds: Sequence[str]) -> float:
    """CMRC 2018's F1: overlap is the longest common run of tokens (the official script's LCS),
    which for a contiguous span equals the bag-of-tokens overlap."""
    pred = mixed_tokens(prediction) if prediction else []
    best = 0.0
    for gold in golds:
        ref = mixed_tokens(gold)
        common = _longest_common_run(pred, ref)
        if common:
            precision, recall = common / len(pred), common / len(ref)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def squad_em(prediction: str | None, golds: Sequence[str]) -> float:
    pred = mixed_tokens(prediction) if prediction else []
    return float(bool(pred) and any(pred == mixed_tokens(g) for g in golds))


# Answer-length buckets (characters of the first gold answer): the reader was trained on DRCD's
# short answers (mean 5 characters); CMRC trial's run long (mean 31), so every figure is per bucket.
BUCKETS = (("≤10", 0, 10), ("11-30", 11, 30), (">30", 31, 10**9), ("all", 0, 10**9))


@dataclass(frozen=True, slots=True)
class SquadRow:
    qid: str
    short_answer: str | None
    em: float
    f1: float
    ms: float
    gold_chars: int = 0
    cited: bool = False  # the first citation holds a gold answer
    citable: bool = False  # one sentence of the gold passage holds a gold answer


@dataclass(frozen=True, slots=True)
class BucketScore:
    bucket: str
    questions: int
    em: float
    f1: float
    cited: float
    answered: float
    citable: float  # the ceiling of `cited`


@dataclass(frozen=True, slots=True)
class SquadQAReport:
    questions: int
    em: float
    f1: float
    answered: float  # share of questions given a short answer
    ms_per_question: float
    rows: tuple[SquadRow, ...]
    buckets: tuple[BucketScore, ...] = ()
    cited: float = 0.0  # share whose first citation holds a gold answer


def _mean(values: Sequence[float]) -> float:
    return sum(values) / max(len(values), 1)


def buckets_of(rows: Sequence[SquadRow]) -> tuple[BucketScore, ...]:
    out = []
    for name, lo, hi in BUCKETS:
        sel = [r for r in rows if lo <= r.gold_chars <= hi]
        if sel:
            out.append(
                BucketScore(
                    name,
                    len(sel),
                    _mean([r.em for r in sel]),
                    _mean([r.f1 for r in sel]),
                    _mean([float(r.cited) for r in sel]),
                    _mean([float(r.short_answer is not None) for r in sel]),
                    _mean([float(r.citable) for r in sel]),
                )
            )
    return tuple(out)


def report_of(rows: Sequence[SquadRow]) -> SquadQAReport:
    return SquadQAReport(
        questions=len(rows),
        em=_mean([r.em for r in rows]),
        f1=_mean([r.f1 for r in rows]),
        answered=_mean([float(r.short_answer is not None) for r in rows]),
        ms_per_question=_mean([r.ms for r in rows]),
        rows=tuple(rows),
        buckets=buckets_of(rows),
        cited=_mean([float(r.cited) for r in rows]),
    )


@functools.lru_cache(maxsize=1024)
def _sentences(context: str) -> tuple[str, ...]:
    """A passage's sentences as the index splits them; cached, as every question of a passage (and
    both tables) asks for them again."""
    _, sentences = split_document(Document("passage", "passage.txt", context, "", "utf-8"))
    return tuple(s.text for s in sentences)


def in_one_sentence(context: str, answers: Sequence[str]) -> bool:
    """Whether one sentence of the passage, split as the index splits it, holds a gold answer: no
    first citation can hold an answer that runs over two sentences (CMRC trial: 7.3 % of them)."""
    return any(a in sentence for sentence in _sentences(context) for a in answers)


def row_of(q: SquadQuestion, context: str, short: str | None, ms: float, cited: bool) -> SquadRow:
    em, f1 = squad_em(short, q.answers), squad_f1(short, q.answers)
    return SquadRow(q.qid, short, em, f1, ms, len(q.answers[0]), cited, in_one_sentence(context, q.answers))


def evaluate_squad(
    bot: Asker, passages: dict[str, str], questions: Sequence[SquadQuestion], progress: bool = True
) -> SquadQAReport:
    """Whole corpus: retrieve, read, answer. Questions without a gold answer are skipped, as in
    evaluate_retrieval; `passages` (id -> context) give each its ceiling of citation."""
    answerable = [q for q in questions if q.answers]
    warm_up(bot, [q.question for q in answerable])
    rows = []
    for q in tqdm(answerable, desc="questions", unit="q", disable=not progress):
        answer, ms = timed_ask(bot, q.question, None)
        cited = bool(answer.citations) and any(a in answer.citations[0].text for a in q.answers)
        rows.append(row_of(q, passages[q.passage_id], answer.short_answer, ms, cited))
    return report_of(rows)


def evaluate_reader(
    reader: OnnxReader,
    analyzer: QuestionAnalyzer,
    passages: dict[str, str],
    questions: Sequence[SquadQuestion],
    progress: bool = True,
) -> SquadQAReport:
    """Reader only: each question read against its own gold passage, every sentence's window; the
    span is given even where the reader would abstain (EM/F1 of the span, as SQuAD scores it)."""
    answerable = [q for q in questions if q.answers]
    rows = []
    for q in tqdm(answerable, desc="reader only", unit="q", disable=not progress):
        started = time.perf_counter()
        text = q.question.strip()
        best = read_text(reader, analyzer.analyze(text), passages[q.passage_id]) if text else None
        ms = 1000 * (time.perf_counter() - started)
        short = best.candidate.text if best else None
        cited = best is not None and any(a in best.hit.sentence.text for a in q.answers)
        rows.append(row_of(q, passages[q.passage_id], short, ms, cited))
    return report_of(rows)
