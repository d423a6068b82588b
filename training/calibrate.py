"""Set the reader's abstention point on validation data: `python -m training.calibrate --val FILE`.

For each validation question the engine reads its top retrieved sentences twice: once from the whole
corpus (the report says it) and once with the question's own passage taken out (the report does
not say it: the nearest sentences of other passages). The best span margin of each reading is a
sample; a one-feature logistic regression over the two classes (equal weight) gives the midpoint
and scale that `qa.read` turns into a confidence. Prints the table and the two constants.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from tqdm import tqdm

from qa.engine import ReportQA
from qa.eval.squad import read_squad, squad_dirs
from qa.read import READ_DEPTH, read
from qa.settings import Settings


def margins(bot: ReportQA, path: Path, limit: int) -> tuple[np.ndarray, np.ndarray]:
    _, questions = read_squad(path)
    questions = [q for q in questions if q.answers and q.question.strip()][: limit or None]
    assert bot.reader is not None
    said, unsaid = [], []
    for q in tqdm(questions, desc="questions", unit="q"):
        question = bot.analyzer.analyze(q.question.strip())
        hits = bot.retriever.search(question.text, k=READ_DEPTH * 4)
        for sample, kept in ((said, hits), (unsaid, [h for h in hits if h.sentence.doc_id != q.passage_id])):
            spans = read(bot.reader, question, kept[:READ_DEPTH])
            sample.append(spans[0].score if spans else -20.0)
    return np.array(said), np.array(unsaid)


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 50) -> tuple[float, float]:
    """(midpoint, scale) of p = sigmoid((x - midpoint) / scale), by Newton's method."""
    w, b = 1.0, 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(w * x + b)))
        g = np.array([np.sum((p - y) * x), np.sum(p - y)])
        r = p * (1 - p)
        h = np.array([[np.sum(r * x * x), np.sum(r * x)], [np.sum(r * x), np.sum(r)]]) + 1e-6 * np.eye(2)
        w, b = np.array([w, b]) - np.linalg.solve(h, g)
    return float(-b / w), float(1 / w)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--val", type=Path, required=True, help="SQuAD-format validation file (CMRC 2018 trial)")
    p.add_argument("--limit", type=int, default=0)
    args = p.parse_args(argv)
    s = Settings()
    docs, index = squad_dirs(args.val, s.data_dir / "eval", s.embedder)
    bot = ReportQA.load(docs_dir=docs, index_dir=index, settings=s)
    said, unsaid = margins(bot, args.val, args.limit)
    x = np.concatenate([said, unsaid])
    y = np.concatenate([np.ones(len(said)), np.zeros(len(unsaid))])
    midpoint, scale = fit_logistic(x, y)
    print("| margin quantile | 10% | 25% | 50% | 75% | 90% |\n|---|---|---|---|---|---|")
    for name, m in (("report says it", said), ("report does not", unsaid)):
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in np.percentile(m, [10, 25, 50, 75, 90])) + " |")
    answered, abstained = float(np.mean(said > midpoint)), float(np.mean(unsaid <= midpoint))
    print(f"\nMIDPOINT = {midpoint:.2f}, SCALE = {scale:.2f}")
    print(f"answers {answered:.3f} of the first, abstains on {abstained:.3f} of the second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
