"""The reader's training losses: each window on its own, and each question's windows together.

`span_loss` is the per-window objective: a softmax over position 0 (no answer) and the window's
context tokens. It teaches each window whether it holds the answer, but never compares windows: a
span logit of 9 in one window and 7 in another mean nothing to each other, although serving picks
the answer across the windows retrieval hands it. `shared_norm_loss` adds that comparison (shared
normalisation, Clark & Gardner 2018): one softmax over the context tokens of all the windows of a
question — its answer window and its negatives — so the answer's start and end must outscore every
token of the near misses too.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.nn import functional as F

from training.data import Example


def allowed_positions(mask: torch.Tensor, examples: Sequence[Example], idx: Sequence[int]) -> torch.Tensor:
    """1 at position 0 and at each window's context tokens (not the question, not the closing token)."""
    allowed = mask.clone()
    for k, i in enumerate(idx):
        allowed[k, 1 : examples[i].context_start] = 0
        allowed[k, len(examples[i].ids) - 1 :] = 0
    return allowed


def span_loss(
    start: torch.Tensor, end: torch.Tensor, examples: Sequence[Example], idx: Sequence[int], mask: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy over position 0 (no answer) and the context tokens, window by window."""
    neg = (1 - allowed_positions(mask, examples, idx)) * -1e4
    ys = torch.tensor([examples[i].start for i in idx])
    ye = torch.tensor([examples[i].end for i in idx])
    return (F.cross_entropy(start + neg, ys) + F.cross_entropy(end + neg, ye)) / 2


def shared_norm_loss(
    start: torch.Tensor,
    end: torch.Tensor,
    examples: Sequence[Example],
    idx: Sequence[int],
    mask: torch.Tensor,
    groups: Sequence[Sequence[int]],
) -> torch.Tensor:
    """Cross-entropy of the answer's start and end over the context tokens of all of a question's
    windows; `groups` holds each question's rows of the batch, its answer window first."""
    allowed = allowed_positions(mask, examples, idx)
    allowed[:, 0] = 0  # "no answer" stays a per-window decision
    neg = (1 - allowed) * -1e4
    losses = []
    for rows in groups:
        gold = rows[0]
        for logits, target in ((start, examples[idx[gold]].start), (end, examples[idx[gold]].end)):
            flat = (logits[list(rows)] + neg[list(rows)]).reshape(-1)
            losses.append(torch.logsumexp(flat, 0) - (logits[gold, target]))
    return torch.stack(losses).mean()
