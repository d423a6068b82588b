import numpy as np

from index.local.dense import build_faiss, index_kind, load_faiss, save_faiss, search_faiss, search_segments


def unit_rows(n: int, dim: int = 32, seed: int = 3) -> np.ndarray:
    m = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_small_corpora_are_searched_exactly() -> None:
    vectors = unit_rows(200)
    index = build_faiss(vectors)
    assert index_kind(index) == "flat"
    scores, ids = search_faiss(index, vectors[17], 3)
    assert ids[0] == 17 and np.isclose(scores[0], 1.0, atol=1e-5)


def test_large_corpora_get_hnsw_with_high_recall(tmp_path) -> None:
    vectors = unit_rows(3000)
    index = build_faiss(vectors, flat_max=1000)
    assert index_kind(index) == "hnsw"
    save_faiss(index, tmp_path / "dense.faiss")
    loaded = load_faiss(tmp_path / "dense.faiss")
    queries = unit_rows(50, seed=9)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    found = [set(search_faiss(loaded, q, 10)[1]) for q in queries]
    recall = np.mean([len(f & set(e)) / 10 for f, e in zip(found, exact, strict=True)])
    assert recall >= 0.9


def test_k_larger_than_the_corpus() -> None:
    _, ids = search_faiss(build_faiss(unit_rows(4)), unit_rows(1)[0], 10)
    assert len(ids) == 4 and (ids >= 0).all()


def test_segments_laid_end_to_end_search_like_one_index() -> None:
    vectors = unit_rows(300)
    parts = [(0, build_faiss(vectors[:200])), (200, build_faiss(vectors[200:290])), (290, build_faiss(vectors[290:]))]
    whole = build_faiss(vectors)
    for query in unit_rows(20, seed=5):
        scores, ids = search_segments(parts, query, 7)
        expected_scores, expected_ids = search_faiss(whole, query, 7)
        assert list(ids) == list(expected_ids)
        np.testing.assert_allclose(scores, expected_scores, rtol=1e-6)
