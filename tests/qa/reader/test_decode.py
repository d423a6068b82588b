import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from qa.reader.decode import best_span, ranked_spans


def test_best_span_takes_the_best_pair_in_order() -> None:
    start = np.array([1.0, 0, 5, 0, 0, 0])
    end = np.array([1.0, 0, 0, 0, 4, 0])
    span = best_span(start, end, 1, 5)
    assert (span.start, span.end) == (2, 4)
    assert span.score == 5 + 4 - 2


def test_end_before_start_is_never_chosen() -> None:
    start = np.array([0.0, 0, 0, 9])
    end = np.array([0.0, 9, 0, 0])
    span = best_span(start, end, 1, 3)
    assert span.start <= span.end


def test_span_length_is_capped() -> None:
    start = np.array([0.0, 5, 0, 0, 0])
    end = np.array([0.0, 0, 0, 0, 5])
    span = best_span(start, end, 1, 4, max_tokens=2)
    assert span.end - span.start < 2


@given(
    arrays(np.float32, 12, elements=st.floats(-20, 20, width=32)),
    arrays(np.float32, 12, elements=st.floats(-20, 20, width=32)),
)
def test_best_span_is_the_maximum_over_valid_spans(start: np.ndarray, end: np.ndarray) -> None:
    span = best_span(start, end, 2, 10, max_tokens=4)
    best = max(float(start[i]) + float(end[j]) for i in range(2, 11) for j in range(i, min(11, i + 4)))
    assert (
        span.score + float(start[0]) + float(end[0]) == np.float64(best)
        or abs(span.score + float(start[0]) + float(end[0]) - best) < 1e-6
    )
    assert 2 <= span.start <= span.end <= 10


@given(
    arrays(np.float32, 12, elements=st.floats(-20, 20, width=32)),
    arrays(np.float32, 12, elements=st.floats(-20, 20, width=32)),
)
def test_ranked_spans_are_the_valid_spans_best_first(start: np.ndarray, end: np.ndarray) -> None:
    ranked = ranked_spans(start, end, 2, 10, k=8, max_tokens=4)
    assert len(ranked) == 8
    assert ranked[0].score == best_span(start, end, 2, 10, max_tokens=4).score
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert all(2 <= s.start <= s.end <= 10 and s.end - s.start < 4 for s in ranked)
    assert len({(s.start, s.end) for s in ranked}) == 8
