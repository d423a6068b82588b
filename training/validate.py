"""Validation of a reader in training: gold-sentence windows, EM/F1 per answer-length bucket."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from qa.eval.squad import squad_em, squad_f1
from qa.reader.decode import best_span
from qa.reader.e5file import E5File
from qa.reader.tokenizer import E5Tokenizer
from training.data import gold_windows, read_squad
from training.model import pad_words

BUCKETS = (("≤10 chars", 0, 10), ("11-30", 11, 30), (">30", 31, 10**9), ("all", 0, 10**9))


def validate(
    reader: torch.nn.Module, f: E5File, tok: E5Tokenizer, path: Path, limit: int = 0
) -> dict[str, tuple[int, float, float, float]]:
    items = [it for group in read_squad(path) for it in group]
    if limit:
        items = items[:limit]
    reader.eval()
    rows = []
    with torch.no_grad():
        pairs = list(gold_windows(tok, items))
        for b in range(0, len(pairs), 32):
            chunk = pairs[b : b + 32]
            start, end = reader(*pad_words(f, [w.ids for _, w in chunk]))
            for i, (item, w) in enumerate(chunk):
                last = len(w.ids) - 2
                span = best_span(start[i].numpy(), end[i].numpy(), w.context_start, last)
                a = w.starts[span.start - w.context_start]
                z = w.ends[span.end - w.context_start]
                pred = item.context[a:z]
                rows.append(
                    (len(item.answers[0]), squad_em(pred, item.answers), squad_f1(pred, item.answers), span.score > 0)
                )
    reader.train()
    table = {}
    for name, lo, hi in BUCKETS:
        sel = [r for r in rows if lo <= r[0] <= hi]
        if sel:
            table[name] = (
                len(sel),
                float(np.mean([r[1] for r in sel])),
                float(np.mean([r[2] for r in sel])),
                float(np.mean([r[3] for r in sel])),
            )
    return table


def print_table(table: dict[str, tuple[int, float, float, float]], title: str) -> None:
    print(f"\nvalidation {title} (gold sentence window)", flush=True)
    print("| answer | n | EM | F1 | span beats no-answer |\n|---|---|---|---|---|", flush=True)
    for name, (n, em, f1, ans) in table.items():
        print(f"| {name} | {n} | {em:.3f} | {f1:.3f} | {ans:.2f} |", flush=True)
