"""Hits built by hand: a sentence at its real offsets inside a paragraph of a made-up source."""

from __future__ import annotations

from index.retriever import Hit
from index.split import Paragraph, Sentence


def make_hit(
    sentence: str,
    paragraph: str | None = None,
    section: str = "防疫物资",
    doc_id: str = "r",
    offset: int = 100,
    number: int = 1,
    rank: int = 1,
    dense: float = 0.85,
) -> Hit:
    """`sentence` inside `paragraph` (itself by default), the paragraph starting at `offset`."""
    paragraph = paragraph if paragraph is not None else sentence
    at = paragraph.index(sentence)
    p = Paragraph(doc_id, section, number, offset, offset + len(paragraph), paragraph)
    s = Sentence(doc_id, section, number, 1, offset + at, offset + at + len(sentence), sentence)
    return Hit(s, p, score=1.0 / rank, lexical=1.0, dense=dense, rank=rank)
