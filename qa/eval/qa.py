"""Answer quality on report questions and dialogs from JSONL files: short answer, citation, abstention.

The engine is reached through `Asker`; of the engine itself only its refusal (QuestionError) is known."""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from tqdm import tqdm

from qa.errors import EvalFormatError, QuestionError
from qa.types import Answer, AnswerType

T = TypeVar("T")


class Asker(Protocol):
    def ask(self, question: str, session_id: str | None = None) -> Answer: ...


@dataclass(frozen=True, slots=True)
class QAItem:
    qid: str
    question: str
    answers: tuple[str, ...]  # empty: the report does not say
    evidence: str | None  # a substring one cited sentence must contain


@dataclass(frozen=True, slots=True)
class Dialog:
    did: str
    turns: tuple[QAItem, ...]


@dataclass(frozen=True, slots=True)
class QARow:
    """One asked question. Marks that do not apply (answer and citation of an unanswerable
    question, citation without evidence) are None."""

    qid: str
    question: str
    golds: tuple[str, ...]
    short_answer: str | None
    answerable: bool
    answer_ok: bool | None
    citation_ok: bool | None
    abstention_ok: bool
    correct: bool  # every mark that applies holds
    ms: float
    citation: str | None  # the first cited sentence, for reading the failures


@dataclass(frozen=True, slots=True)
class QAReport:
    questions: int
    answerable: int
    answer_correct: float  # of answerable questions
    citation_hit: float  # of answerable questions that name evidence
    abstention_correct: float  # of all questions
    correct: float  # of all questions
    dialogs: int
    dialog_turns: int
    dialog_turns_correct: float
    ms_per_question: float  # over single questions and dialog turns
    rows: tuple[QARow, ...]
    dialog_rows: tuple[QARow, ...]


# --- matching -------------------------------------------------------------------------------------

_QUOTES = "“”\"'‘’「」"
_TRAILING = "。，,."


def normalize_answer(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTES)
    return text.rstrip(_TRAILING)


def answer_matches(short: str | None, golds: Sequence[str]) -> bool:
    """The gold inside a short answer not much longer than it (a unit or a qualifier may ride
    along), or a short answer inside the gold covering most of it (a list missing a mark)."""
    s = normalize_answer(short) if short else ""
    if not s:
        return False
    for gold in golds:
        g = normalize_answer(gold)
        if not g:
            continue
        if g in s and len(s) <= max(2 * len(g), len(g) + 10):
            return True
        if s in g and len(s) >= 0.8 * len(g):
            return True
    return False


def citation_hit(answer: Answer, evidence: str) -> bool:
    return any(evidence in c.text for c in answer.citations)


# --- loading --------------------------------------------------------------------------------------


def _item(row: dict[str, Any], fallback_id: str) -> QAItem:
    answers = row.get("answers") or []
    if not isinstance(row["question"], str) or not all(isinstance(a, str) for a in answers):
        raise TypeError("question and answers must be text")
    evidence = row.get("evidence")
    return QAItem(str(row.get("id") or fallback_id), row["question"], tuple(answers), evidence or None)


def _jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFormatError(f"{path} cannot be read ({exc})") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                rows.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise EvalFormatError(f"{path}:{number} is not JSON ({exc})") from exc
    return rows


def _parsed(path: Path, kind: str, parse: Callable[[int, dict[str, Any]], T]) -> list[T]:
    """Each JSONL row through `parse`; a row of the wrong shape is an error naming its line."""
    out = []
    for number, row in _jsonl(path):
        try:
            out.append(parse(number, row))
        except (KeyError, TypeError, AttributeError) as exc:
            raise EvalFormatError(f"{path}:{number} is not a {kind} line ({exc!r})") from exc
    return out


def read_questions(path: Path) -> list[QAItem]:
    """One question per line: `id`, `question`, `answers` (empty = unanswerable), `evidence`."""
    return _parsed(path, "question", lambda number, row: _item(row, f"line-{number}"))


def _dialog(number: int, row: dict[str, Any]) -> Dialog:
    did = str(row.get("id") or f"line-{number}")
    return Dialog(did, tuple(_item(t, f"{did}#{i}") for i, t in enumerate(row["turns"], 1)))


def read_dialogs(path: Path) -> list[Dialog]:
    """One dialog per line: `id` and `turns`, each turn shaped like a question line."""
    return _parsed(path, "dialog", _dialog)


# --- report questions and dialogs -----------------------------------------------------------------


def score(item: QAItem, answer: Answer, ms: float, qid: str | None = None) -> QARow:
    should_answer = bool(item.answers)
    answer_ok = answer_matches(answer.short_answer, item.answers) if should_answer else None
    cite_ok = citation_hit(answer, item.evidence) if should_answer and item.evidence else None
    abstention_ok = answer.answerable == should_answer
    return QARow(
        qid=qid or item.qid,
        question=item.question,
        golds=item.answers,
        short_answer=answer.short_answer,
        answerable=answer.answerable,
        answer_ok=answer_ok,
        citation_ok=cite_ok,
        abstention_ok=abstention_ok,
        correct=abstention_ok and answer_ok is not False and cite_ok is not False,
        ms=ms,
        citation=answer.citations[0].text if answer.citations else None,
    )


def timed_ask(bot: Asker, question: str, session_id: str | None) -> tuple[Answer, float]:
    started = time.perf_counter()
    try:
        # A lone question gets no session id: the engine starts a fresh one, so no earlier turn leaks in.
        answer = bot.ask(question) if session_id is None else bot.ask(question, session_id=session_id)
    except QuestionError:
        # A question the engine refuses (CMRC has empty ones) is scored as declined, not a crash.
        answer = Answer(question, "", None, AnswerType.OTHER, False, 0.0, (), session_id or "", question)
    return answer, 1000 * (time.perf_counter() - started)


def warm_up(bot: Asker, questions: Sequence[str]) -> None:
    # The engine loads its model on the first question; that one-off cost is not a question's.
    if questions:
        timed_ask(bot, questions[0], None)


def _share(flags: Sequence[bool | None]) -> float:
    """The fraction of the marks that apply which hold."""
    applied = [f for f in flags if f is not None]
    return sum(applied) / len(applied) if applied else 0.0


def evaluate(
    bot: Asker, questions: Sequence[QAItem], dialogs: Sequence[Dialog] = (), progress: bool = True
) -> QAReport:
    """Each question asked on its own (no session); each dialog's turns in one fresh session."""
    warm_up(bot, [q.question for q in questions] + [t.question for d in dialogs for t in d.turns])
    rows = [
        score(q, *timed_ask(bot, q.question, None))
        for q in tqdm(questions, desc="questions", unit="q", disable=not progress)
    ]
    # A fresh run token per call: sessions may persist, and a rerun must not continue an old dialog.
    run = uuid.uuid4().hex[:8]
    dialog_rows = [
        score(turn, *timed_ask(bot, turn.question, f"eval-{run}-{d.did}"), qid=f"{d.did}#{i}")
        for d in tqdm(dialogs, desc="dialogs", unit="dlg", disable=not progress)
        for i, turn in enumerate(d.turns, 1)
    ]
    answerable = [r for r in rows if r.golds]
    every = rows + dialog_rows
    return QAReport(
        questions=len(rows),
        answerable=len(answerable),
        answer_correct=_share([r.answer_ok for r in answerable]),
        citation_hit=_share([r.citation_ok for r in answerable]),
        abstention_correct=_share([r.abstention_ok for r in rows]),
        correct=_share([r.correct for r in rows]),
        dialogs=len(dialogs),
        dialog_turns=len(dialog_rows),
        dialog_turns_correct=_share([r.correct for r in dialog_rows]),
        ms_per_question=statistics.fmean(r.ms for r in every) if every else 0.0,
        rows=tuple(rows),
        dialog_rows=tuple(dialog_rows),
    )
