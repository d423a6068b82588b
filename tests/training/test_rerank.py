"""The ways of choosing an answer among windows that `training.rerank` compares (pure functions)."""

import pytest

from qa.read import MIDPOINT
from training.rerank import Option, best_margin, rank_prior, score

SURE = MIDPOINT + 3


def test_best_margin_within_the_first_windows() -> None:
    opts = [Option(1, 1.0, 0.2, True), Option(2, 4.0, 1.0, True), Option(4, 9.0, 0.0, False)]
    assert best_margin(2)(opts) == opts[1]
    assert best_margin(5)(opts) == opts[2]
    assert best_margin(1)([]) is None


def test_reading_deeper_only_when_the_first_windows_are_unsure() -> None:
    unsure = [Option(1, MIDPOINT - 1, 0.0, False), Option(4, SURE, 1.0, True)]
    sure = [Option(1, SURE, 0.5, True), Option(4, SURE + 5, 1.0, True)]
    assert best_margin(3, MIDPOINT)(unsure) == unsure[1]  # none of the first three is sure: read on
    assert best_margin(3, MIDPOINT)(sure) == sure[0]  # the first is sure: the fourth is never read


def test_the_rank_prior_lets_retrieval_break_near_ties() -> None:
    opts = [Option(1, 5.0, 1.0, True), Option(4, 5.5, 0.0, False)]
    assert rank_prior(0.0)(opts) == opts[1]
    assert rank_prior(1.0)(opts) == opts[0]  # 5.5 - log2(4) = 3.5 < 5.0


def test_score_counts_an_empty_reading_as_a_miss() -> None:
    samples = [[Option(1, 5.0, 1.0, True)], []]
    f1, own = score(samples, best_margin(5))
    assert f1 == pytest.approx(0.5) and own == pytest.approx(0.5)
