"""The report dev questions get the same answers and citations from the PDF, Word and web-page
versions of the report as from the .txt; PDF citations name the page the sentence is on."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from index.local import store
from qa.engine import ReportQA
from qa.types import Answer

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "eval" / "report_dev.jsonl").open(encoding="utf-8")]


def answers(docs_index: tuple[Path, Path]) -> list[Answer]:
    bot = ReportQA.load(docs_dir=docs_index[0], index_dir=docs_index[1], rebuild=False, progress=False)
    return [bot.ask(q) for q in QUESTIONS]


def shown(a: Answer) -> tuple[object, ...]:
    cited = [(c.section, c.paragraph, c.paragraph_index, c.sentence, c.text, c.start, c.end) for c in a.citations]
    return a.short_answer, a.answerable, cited


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["pdf", "docx", "html"])
def test_same_answers_as_the_text_file(made_indexes: dict[str, tuple[Path, Path]], suffix: str) -> None:
    expected = [shown(a) for a in answers(made_indexes["txt"])]
    got = answers(made_indexes[suffix])
    assert [shown(a) for a in got] == expected
    texts = store.load_texts(made_indexes[suffix][1])
    for a in got:
        for c in a.citations:  # the index keeps the text that citations quote
            assert texts[c.doc_id][c.start : c.end] == c.text
            assert (c.page is not None) == (suffix == "pdf")


@pytest.mark.slow
def test_pdf_citations_name_the_right_page(made_indexes: dict[str, tuple[Path, Path]], made: dict[str, Path]) -> None:
    with pdfplumber.open(made["report.pdf"]) as pdf:
        pages = ["".join((p.extract_text(x_tolerance_ratio=0.3) or "").split()) for p in pdf.pages]
    seen = set()
    for a in answers(made_indexes["pdf"]):
        for c in a.citations:
            assert c.page is not None and "".join(c.text.split())[:10] in pages[c.page - 1]
            seen.add(c.page)
    assert len(seen) > 1
