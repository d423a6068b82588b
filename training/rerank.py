"""How much the retrieval order should count when the reader picks its answer among windows, fitted on
the training data: `reportqa train rerank --val DRCD_dev.json --traditional --limit 600`.

Every question's top retrieved sentences are all read (the full read depth); each window's best
span is kept with its margin (span minus no-answer logit) and its sentence's retrieval rank. Then
each way of choosing the answer is scored by the mean F1 of the span it picks and by how often that
span lies in the question's own passage:

- the best margin over the full depth,
- the best margin over the first k windows, reading the rest only when none clears the midpoint,
- the best margin minus a prior on the rank, `weight * log2(rank)`.

Prints one table; the constants of `qa.read` are set from it. Never fitted on the files that check
the result (the CMRC 2018 trial file, the report dev files).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from qa.engine import ReportQA
from qa.eval.squad import squad_f1
from qa.read import MIDPOINT, READ_DEPTH, read
from training.calibrate import fit_parser, fit_questions, open_fit_set


@dataclass(frozen=True)
class Option:
    rank: int  # 1-based retrieval rank of the window's sentence
    margin: float
    f1: float
    own_passage: bool


Choice = Callable[[Sequence[Option]], Option | None]


def options(bot: ReportQA, path: Path, limit: int) -> list[list[Option]]:
    questions = fit_questions(path, limit)
    assert bot.reader is not None
    out = []
    for q in tqdm(questions, desc="questions", unit="q"):
        question = bot.analyzer.analyze(q.question.strip())
        hits = bot.retriever.search(question.text, k=READ_DEPTH * 4)
        spans = read(bot.reader, question, hits[:READ_DEPTH], first=READ_DEPTH)
        out.append(
            [
                Option(
                    s.rank,  # the rank serving's prior uses: that of the window's retrieved sentence
                    s.score,
                    squad_f1(s.candidate.text, q.answers),
                    s.hit.sentence.doc_id == q.passage_id,
                )
                for s in spans
            ]
        )
    return out


def best_margin(within: int, deeper_below: float | None = None) -> Choice:
    def choose(opts: Sequence[Option]) -> Option | None:
        first = [o for o in opts if o.rank <= within]
        if deeper_below is not None and first and max(o.margin for o in first) >= deeper_below:
            return max(first, key=lambda o: o.margin)
        pool = opts if deeper_below is not None else first
        return max(pool, key=lambda o: o.margin, default=None)

    return choose


def rank_prior(weight: float, within: int = READ_DEPTH) -> Choice:
    """The best of margin minus the rank prior; with `within`, over the first windows unless none
    of them clears the midpoint (as `qa.read.read` does)."""

    def choose(opts: Sequence[Option]) -> Option | None:
        first = [o for o in opts if o.rank <= within]
        pool = first if first and max(o.margin for o in first) >= MIDPOINT else opts
        return max(pool, key=lambda o: o.margin - weight * math.log2(o.rank), default=None)

    return choose


def score(samples: Sequence[Sequence[Option]], choose: Choice) -> tuple[float, float]:
    picked = [choose(opts) for opts in samples]
    f1 = sum(p.f1 for p in picked if p) / len(samples)
    own = sum(1 for p in picked if p and p.own_passage) / len(samples)
    return f1, own


def main(argv: list[str] | None = None) -> int:
    args = fit_parser(__doc__).parse_args(argv)
    bot, val = open_fit_set(args)
    samples = options(bot, val, args.limit)
    ways: list[tuple[str, Choice]] = [
        (f"best margin of the first {k}", best_margin(k)) for k in range(1, READ_DEPTH + 1)
    ]
    ways += [(f"first {k}, the rest below the midpoint", best_margin(k, MIDPOINT)) for k in range(1, READ_DEPTH)]
    ways += [(f"margin - {w} x log2(rank)", rank_prior(w)) for w in (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)]
    ways += [(f"first 3 as above, margin - {w} x log2(rank)", rank_prior(w, 3)) for w in (0.5, 1.0, 2.0)]
    print(f"{len(samples)} questions, {READ_DEPTH} windows each\n")
    print("| choice | F1 of the chosen span | in its own passage |\n|---|---|---|")
    for name, choose in ways:
        f1, own = score(samples, choose)
        print(f"| {name} | {f1:.3f} | {own:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
