import numpy as np

from index.local.fusion import FusionWeights, fuse, group_max, top_k, zscore


def test_zscore_standardises_and_flattens_constant_signals() -> None:
    z = zscore(np.array([1.0, 2.0, 3.0]))
    assert np.isclose(z.mean(), 0) and np.isclose(z.std(), 1)
    assert np.all(zscore(np.array([5.0, 5.0])) == 0)
    assert zscore(np.array([])).size == 0


def test_fuse_is_a_weighted_sum_of_standardised_signals() -> None:
    signals = {"a": np.array([0.0, 10.0]), "b": np.array([1.0, 0.0]), "ignored": np.array([9.0, 0.0])}
    assert np.argmax(fuse(signals, {"a": 1.0, "b": 0.5})) == 1
    assert np.argmax(fuse(signals, {"a": 0.5, "b": 1.0})) == 0
    assert np.all(fuse(signals, {"a": 0.0}) == 0)


def test_fusion_keeps_the_margin_that_rank_fusion_loses() -> None:
    # Signal a is nearly tied; signal b strongly prefers item 1. RRF would call it a draw.
    signals = {"a": np.array([0.51, 0.50, 0.0]), "b": np.array([0.2, 0.9, 0.1])}
    assert top_k(fuse(signals, {"a": 1.0, "b": 1.0}), 1)[0] == 1


def test_group_max_gives_each_item_its_span_maximum() -> None:
    values = np.array([0.1, 0.7, 0.3, 0.9, 0.2])
    starts, ends = np.array([0, 3, 0, 4]), np.array([3, 5, 3, 5])
    assert group_max(values, starts, ends).tolist() == [0.7, 0.9, 0.7, 0.2]
    assert group_max(values, np.array([], dtype=int), np.array([], dtype=int)).size == 0


def test_top_k_orders_best_first_and_handles_small_inputs() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.9])
    assert top_k(scores, 3).tolist() == [1, 3, 2]
    assert top_k(scores, 10).tolist() == [1, 3, 2, 0]
    assert top_k(scores, 0).size == 0


def test_default_weights_are_exposed_by_signal_name() -> None:
    assert set(FusionWeights().as_dict()) == {"context", "dense", "paragraph"}
