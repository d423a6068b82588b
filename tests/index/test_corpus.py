"""The sentence table's links: each sentence's paragraph, its paragraph's lead and previous sentence."""

from __future__ import annotations

from index.corpus import Corpus, context_tokens
from index.documents import Document
from index.split import split_document

TEXT = "标题\n第一句。第二句。第三句。\n另一段。\n"


def corpus() -> Corpus:
    return Corpus(*split_document(Document("r", "r.txt", TEXT, "", "utf-8")))


def test_links_point_within_the_paragraph() -> None:
    c = corpus()
    assert [s.text for s in c.sentences] == ["第一句。", "第二句。", "第三句。", "另一段。"]
    assert list(c.paragraph_of) == [0, 0, 0, 1]
    assert list(c.lead_of) == [0, 0, 0, 3]
    assert list(c.previous_of) == [0, 0, 1, 3]  # a lead stands for itself
    assert list(c.paragraph_end_of) == [3, 3, 3, 4]
    assert list(c.paragraph_starts) == [0, 3]


def test_find_paragraph_by_citation() -> None:
    c = corpus()
    assert c.find_paragraph("r", 2) is not None and c.find_paragraph("r", 2).text == "另一段。"
    assert c.find_paragraph("r", 3) is None and c.find_paragraph("x", 1) is None
    assert c.paragraph(2).number == 1


def test_context_tokens_add_section_lead_and_previous_once() -> None:
    c = corpus()
    own = [[s.text] for s in c.sentences]
    ctx = context_tokens(c, own, {"标题": ["标题"]})
    assert ctx[0] == ["第一句。", "标题"]
    assert ctx[1] == ["第二句。", "标题", "第一句。"]  # lead and previous are the same sentence
    assert sorted(ctx[2]) == sorted(["第三句。", "标题", "第一句。", "第二句。"])
