"""The sentence table with the links that retrieval needs: each sentence's paragraph, the
paragraph's lead sentence and the previous sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from index.split import Paragraph, Sentence
from index.tokenize import WordTokenizer, char_bigrams


@dataclass(frozen=True)
class Corpus:
    paragraphs: Sequence[Paragraph]
    sentences: Sequence[Sentence]
    paragraph_of: np.ndarray = field(init=False, repr=False)
    lead_of: np.ndarray = field(init=False, repr=False)
    previous_of: np.ndarray = field(init=False, repr=False)
    paragraph_end_of: np.ndarray = field(init=False, repr=False)
    paragraph_starts: np.ndarray = field(init=False, repr=False)  # first sentence of each paragraph
    _by_number: dict[tuple[str, int], int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        para_index = {(p.doc_id, p.number): i for i, p in enumerate(self.paragraphs)}
        paragraph_of = np.empty(len(self.sentences), dtype=np.int64)
        lead_of = np.empty(len(self.sentences), dtype=np.int64)
        previous_of = np.empty(len(self.sentences), dtype=np.int64)
        lead = 0
        for i, s in enumerate(self.sentences):
            paragraph_of[i] = para_index[(s.doc_id, s.paragraph)]
            if s.number == 1:
                lead = i
            lead_of[i] = lead
            # The first sentence has no previous one within its paragraph: it stands for itself.
            previous_of[i] = i - 1 if s.number > 1 else i
        # Sentences of a paragraph are contiguous: [lead_of[i], paragraph_end_of[i]) is its span.
        paragraph_end = np.searchsorted(lead_of, lead_of, side="right")
        object.__setattr__(self, "paragraph_end_of", paragraph_end)
        # Paragraphs are in sentence order and none is empty, so paragraph k starts at
        # paragraph_starts[k] and paragraph_of doubles as the index into per-paragraph arrays.
        object.__setattr__(self, "paragraph_starts", np.flatnonzero(lead_of == np.arange(len(self.sentences))))
        object.__setattr__(self, "_by_number", para_index)
        object.__setattr__(self, "paragraph_of", paragraph_of)
        object.__setattr__(self, "lead_of", lead_of)
        object.__setattr__(self, "previous_of", previous_of)

    def __len__(self) -> int:
        return len(self.sentences)

    def paragraph(self, sentence_index: int) -> Paragraph:
        return self.paragraphs[int(self.paragraph_of[sentence_index])]

    def find_paragraph(self, doc_id: str, number: int) -> Paragraph | None:
        """The paragraph a citation names (document id and paragraph number), if there is one."""
        at = self._by_number.get((doc_id, number))
        return None if at is None else self.paragraphs[at]


def lexical_tokens(words: WordTokenizer, text: str) -> list[str]:
    """One BM25 field holds both jieba words and character bigrams: measured better than either."""
    return words.words(text) + char_bigrams(text)


def context_tokens(corpus: Corpus, own: Sequence[list[str]], section_tokens: dict[str, list[str]]) -> list[list[str]]:
    """Each sentence's tokens plus its section title's, its paragraph lead's and its previous
    sentence's (each counted once even when lead and previous coincide)."""
    out = []
    for i, s in enumerate(corpus.sentences):
        tokens = list(own[i]) + section_tokens.get(s.section, [])
        for j in {int(corpus.lead_of[i]), int(corpus.previous_of[i])} - {i}:
            tokens += own[j]
        out.append(tokens)
    return out
