"""The losses: per window, and shared over a question's windows."""

import torch

from training.data import Example
from training.losses import shared_norm_loss, span_loss

# Two windows of one question: [CLS] q [SEP] c c c [SEP]; the first holds the answer at 3..4.
EXAMPLES = [Example((0, 9, 2, 5, 6, 7, 2), 3, 4, 3), Example((0, 9, 2, 5, 6, 7, 2), 0, 0, 3)]
MASK = torch.ones(2, 7)


def logits(gold: float, rival: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Start/end logits: the answer window's answer at `gold`, the negative window's best at `rival`."""
    start = torch.zeros(2, 7)
    end = torch.zeros(2, 7)
    start[0, 3], end[0, 4] = gold, gold
    start[1, 5], end[1, 5] = rival, rival
    start[1, 0], end[1, 0] = 10.0, 10.0  # the negative says "no answer" firmly, as span_loss wants
    return start, end


def test_shared_norm_punishes_a_rival_span_in_another_window_that_span_loss_ignores() -> None:
    calm, rival = logits(5.0, 1.0), logits(5.0, 8.0)
    per_window = [span_loss(*lg, EXAMPLES, [0, 1], MASK).item() for lg in (calm, rival)]
    shared = [shared_norm_loss(*lg, EXAMPLES, [0, 1], MASK, [[0, 1]]).item() for lg in (calm, rival)]
    assert per_window[1] - per_window[0] < 0.1  # the negative still says "no answer" best
    assert shared[1] > shared[0] + 2


def test_shared_norm_ignores_the_question_and_the_no_answer_position() -> None:
    start, end = logits(5.0, 1.0)
    base = shared_norm_loss(start, end, EXAMPLES, [0, 1], MASK, [[0, 1]]).item()
    start[1, 0] = start[1, 1] = 50.0  # position 0 and a question token of the negative
    assert shared_norm_loss(start, end, EXAMPLES, [0, 1], MASK, [[0, 1]]).item() == base
