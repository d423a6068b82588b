"""The reader's input: the question, then one sentence with as much of its neighbours as fits.

Training and serving build windows with this one function, so the model reads at inference exactly
the kind of window it was trained on (reading whole passages with a model trained on sentence
windows measured far worse). Layout, XLM-R's pair format: <s> question </s></s> context </s>.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.reader.tokenizer import E5Tokenizer

MAX_LEN = 160
MAX_QUESTION = 40


@dataclass(frozen=True)
class Passage:
    """A sentence of some text and where it starts in that text."""

    text: str
    start: int


@dataclass(frozen=True)
class Window:
    ids: tuple[int, ...]
    context_start: int  # index of the first context token
    sentence: tuple[int, ...]  # per context token: index of its sentence in the caller's list
    starts: tuple[int, ...]  # per context token: character range in the caller's coordinates
    ends: tuple[int, ...]
    target: int


def _share(budget: int, before: int, after: int) -> tuple[int, int]:
    """Split the room left around the target between the previous and the next sentence."""
    take_before = min(before, budget // 2)
    take_after = min(after, budget - take_before)
    take_before = min(before, budget - take_after)
    return take_before, take_after


def build_window(
    tok: E5Tokenizer,
    question: str,
    sentences: list[Passage],
    target: int,
    max_len: int = MAX_LEN,
) -> Window:
    q = tok.tokenize(question).ids[:MAX_QUESTION]
    budget = max_len - len(q) - 4
    pieces = {i: tok.tokenize(sentences[i].text) for i in (target - 1, target, target + 1) if 0 <= i < len(sentences)}
    main = pieces[target]
    n_main = min(len(main.ids), budget)
    prev, nxt = pieces.get(target - 1), pieces.get(target + 1)
    n_prev, n_next = _share(budget - n_main, len(prev.ids) if prev else 0, len(nxt.ids) if nxt else 0)
    parts = []
    if prev and n_prev:
        parts.append((target - 1, prev, len(prev.ids) - n_prev, len(prev.ids)))
    parts.append((target, main, 0, n_main))
    if nxt and n_next:
        parts.append((target + 1, nxt, 0, n_next))
    ids = [tok.bos, *q, tok.eos, tok.eos]
    context_start = len(ids)
    sent: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, toks, a, b in parts:
        offset = sentences[index].start
        ids.extend(toks.ids[a:b])
        sent.extend([index] * (b - a))
        starts.extend(offset + s for s in toks.starts[a:b])
        ends.extend(offset + e for e in toks.ends[a:b])
    ids.append(tok.eos)
    return Window(tuple(ids), context_start, tuple(sent), tuple(starts), tuple(ends), target)


def token_span(window: Window, char_start: int, char_end: int) -> tuple[int, int] | None:
    """Window positions of the first and last context token overlapping [char_start, char_end), or
    None when the answer is not wholly inside the window. A token that straddles the answer's edge
    counts (a subword can hold more than the answer)."""
    real = [(k, s, e) for k, (s, e) in enumerate(zip(window.starts, window.ends, strict=True)) if s < e]
    if not real or char_start < real[0][1] or char_end > real[-1][2]:
        return None
    inside = [k for k, s, e in real if s < char_end and e > char_start]
    if not inside:
        return None
    return window.context_start + inside[0], window.context_start + inside[-1]
