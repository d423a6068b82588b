"""Set the reader's abstention point on training data:
`python -m training.calibrate --val DRCD_dev.json --traditional --limit 400` (add `--english` for
the constants of English questions: the same questions glossed word by word).

Thresholds are fitted on the training data, never on the files used to check the result (the CMRC
2018 trial file, the report dev files).

For each validation question the engine reads its top retrieved sentences twice: once from the whole
corpus (the report says it) and once with the question's own passage taken out (the report does
not say it: the nearest sentences of other passages). The best span margin of each reading is a
sample; the margin that best separates the two classes (balanced accuracy) gives the midpoint
and the classes' spread the scale that `qa.read` turns into a confidence. For Chinese questions a
second midpoint is fitted with the first held: the bar for a span whose paragraph fails the
constraint check (`qa.support`) only for words a paraphrase may stand for (职业 in 杨昊的职业是什么).
Prints the tables and the constants.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from qa.engine import ReportQA
from qa.eval.squad import SquadQuestion, read_squad, squad_dirs
from qa.read import READ_DEPTH, of_asked_type, read
from qa.settings import Settings
from qa.support import paraphrased, support


def fit_questions(path: Path, limit: int) -> list[SquadQuestion]:
    """The answerable questions of a fitting file, the first `limit` of them (0: all)."""
    _, questions = read_squad(path)
    return [q for q in questions if q.answers and q.question.strip()][: limit or None]


def fit_parser(description: str | None) -> argparse.ArgumentParser:
    """The options every fitting tool takes: the training file, its script, how many questions."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--val", type=Path, required=True, help="SQuAD-format file to fit on (DRCD, the training data)")
    p.add_argument("--traditional", action="store_true", help="convert it with OpenCC t2s first (DRCD)")
    p.add_argument("--limit", type=int, default=0)
    return p


def open_fit_set(args: argparse.Namespace) -> tuple[ReportQA, Path]:
    """The engine over the fitting file's passages (indexed once, cached), and the file to read."""
    s = Settings()
    val = simplified_copy(args.val, s.data_dir / "eval") if args.traditional else args.val
    docs, index = squad_dirs(val, s.data_dir / "eval", s.embedder)
    return ReportQA.load(docs_dir=docs, index_dir=index, settings=s), val


GLOSS_SEED = 29  # not the training run's seed, so the fitting questions get glosses of their own


def asked(questions: list[SquadQuestion], english: bool, natural: bool = False) -> list[str]:
    """The questions as the fitting asks them: as written, or glossed into English (`natural`: in
    the style of `training.gloss.naturalise`)."""
    texts = [q.question.strip() for q in questions]
    if not english:
        return texts
    from training.gloss import gloss_question
    from training.glossary import lexicon

    rng = random.Random(GLOSS_SEED)
    return [gloss_question(t, lexicon(), rng, natural) for t in texts]


@dataclass(frozen=True)
class Readings:
    """One class of readings: each question's best span margin; whether that span's paragraph passes
    the constraint check (`qa.support`; always, for English questions, which it does not read); and
    whether it fails only for words a paraphrase may stand for (`qa.support.paraphrased`)."""

    margin: np.ndarray
    held: np.ndarray
    loose: np.ndarray
    typed: np.ndarray  # the span is what a when- or how-many question asks for (`qa.read.of_asked_type`)


def margins(
    bot: ReportQA, path: Path, limit: int, english: bool = False, natural: bool = False
) -> tuple[Readings, Readings]:
    """(the corpus says it, it does not): each question read from the whole corpus and with its own
    passage taken out."""
    questions = fit_questions(path, limit)
    assert bot.reader is not None
    said: list[tuple[float, bool, bool, bool]] = []
    unsaid: list[tuple[float, bool, bool, bool]] = []
    texts = asked(questions, english, natural)
    for q, text in tqdm(list(zip(questions, texts, strict=True)), desc="questions", unit="q"):
        question = bot.analyzer.analyze(text)
        hits = bot.retriever.search(question.text, k=READ_DEPTH * 4)
        for sample, kept in ((said, hits), (unsaid, [h for h in hits if h.sentence.doc_id != q.passage_id])):
            spans = read(bot.reader, question, kept[:READ_DEPTH], first=READ_DEPTH)
            if not spans:
                sample.append((-20.0, english, False, False))
                continue
            found = support(question, spans[0].hit)
            held = english or found.sufficient
            typed = of_asked_type(question, spans[0].candidate.text)
            sample.append((spans[0].score, held, not held and paraphrased(question, found), typed))
    return readings(said), readings(unsaid)


def readings(sample: list[tuple[float, bool, bool, bool]]) -> Readings:
    margin, held, loose, typed = zip(*sample, strict=True) if sample else ((), (), (), ())
    return Readings(
        np.array(margin, dtype=float),
        np.array(held, dtype=bool),
        np.array(loose, dtype=bool),
        np.array(typed, dtype=bool),
    )


def fit_midpoint(said: np.ndarray, unsaid: np.ndarray) -> tuple[float, float]:
    """(midpoint, scale): the margin that best separates the two classes (balanced accuracy; a
    logistic fit diverges where they separate cleanly), and a scale that puts the median of each
    class near confidence 0.98 and 0.02."""
    grid = np.linspace(-10, 10, 401)
    accuracy = [(np.mean(said > m) + np.mean(unsaid <= m)) / 2 for m in grid]
    midpoint = float(grid[int(np.argmax(accuracy))])
    scale = float((np.median(said) - np.median(unsaid)) / 8)
    return midpoint, scale


def answered(
    said: Readings, unsaid: Readings, midpoint: float, loose: float, typed: float | None = None
) -> tuple[float, float]:
    """(share of the first class answered, share of the second abstained on) when a held span is
    answered above `midpoint` (above `typed` if it is of the asked type, when given), one that fails
    only for paraphrasable words above `loose`, any other never."""

    def answers(r: Readings) -> np.ndarray:
        bar = np.where(r.typed, midpoint if typed is None else typed, midpoint)
        return np.where(r.held, r.margin > bar, r.loose & (r.margin > loose))

    return float(np.mean(answers(said))), float(np.mean(~answers(unsaid)))


# The bars a second midpoint is chosen from (`fit_typed`, `fit_loose`).
BAR_GRID = np.linspace(-10, 20, 601)


def balanced_accuracy(shares: Callable[[float], tuple[float, float]]) -> np.ndarray:
    """For each bar of BAR_GRID, the mean of (share answered, share abstained on) it gives."""
    return np.array([sum(shares(bar)) / 2 for bar in BAR_GRID])


def fit_typed(said: Readings, unsaid: Readings, midpoint: float, loose: float) -> float:
    """The midpoint for held spans of the asked type (a date for a when-question, an amount in the
    asked measure for a how-many one), the other bars held: the value that best separates the
    classes (balanced accuracy)."""
    accuracy = balanced_accuracy(lambda t: answered(said, unsaid, midpoint, loose, t))
    # Few such spans lie where the classes meet, so the best accuracy is a plateau: its middle, not
    # its lowest edge, is the bar (the edge answers every span just above the last unsaid one).
    best = BAR_GRID[accuracy >= accuracy.max() - 1e-9]
    return float(np.median(best))


def fit_loose(said: Readings, unsaid: Readings, midpoint: float) -> float:
    """The midpoint for spans that fail the constraint check only for paraphrasable words,
    `midpoint` held for the rest: the value that best separates the classes (balanced accuracy)."""
    accuracy = balanced_accuracy(lambda u: answered(said, unsaid, midpoint, u))
    return float(BAR_GRID[int(np.argmax(accuracy))])


def simplified_copy(path: Path, folder: Path) -> Path:
    """The file converted to simplified Chinese (OpenCC t2s, character for character), written once."""
    import opencc

    out = folder / f"{path.stem}.simplified.json"
    if not out.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        out.write_text(opencc.OpenCC("t2s").convert(path.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    p = fit_parser(__doc__)
    p.add_argument(
        "--english",
        action="store_true",
        help="ask each question glossed into English (training.gloss): the constants for English questions",
    )
    p.add_argument(
        "--english-natural",
        action="store_true",
        help="with --english: glosses with an auxiliary, plurals and participles (training.gloss.naturalise)",
    )
    args = p.parse_args(argv)
    bot, val = open_fit_set(args)
    said, unsaid = margins(bot, val, args.limit, args.english, args.english_natural)
    midpoint, scale = fit_midpoint(said.margin, unsaid.margin)
    print("| margin quantile | 10% | 25% | 50% | 75% | 90% |\n|---|---|---|---|---|---|")
    for name, r in (("report says it", said), ("report does not", unsaid)):
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in np.percentile(r.margin, [10, 25, 50, 75, 90])) + " |")
    print(f"\nMIDPOINT = {midpoint:.2f}, SCALE = {scale:.2f}")
    alone = float(np.mean(said.margin > midpoint)), float(np.mean(unsaid.margin <= midpoint))
    print("answers {:.3f} of the first, abstains on {:.3f} of the second (margin alone)".format(*alone))
    loose = np.inf if args.english else fit_loose(said, unsaid, midpoint)  # English spans are all "held"
    typed = fit_typed(said, unsaid, midpoint, loose)
    # English questions keep one midpoint (`qa.read.TYPED_MIDPOINT` is for Chinese ones): shown only.
    name = "own midpoint of typed spans (not used for English)" if args.english else "TYPED_MIDPOINT"
    print(f"{name} = {typed:.2f}")
    print(
        "spans of the asked type: {:.3f} of the first class, {:.3f} of the second; with their own midpoint "
        "it answers {:.3f} and abstains on {:.3f} (one midpoint: {:.3f}, {:.3f})".format(
            np.mean(said.typed),
            np.mean(unsaid.typed),
            *answered(said, unsaid, midpoint, loose, typed),
            *answered(said, unsaid, midpoint, loose),
        )
    )
    if not args.english:
        print(f"PARAPHRASE_MIDPOINT = {loose:.2f}")
        print("| best span's paragraph | says it | does not |\n|---|---|---|")
        for name, said_share, unsaid_share in (
            ("passes the constraint check", said.held, unsaid.held),
            ("fails it only for paraphrasable words", said.loose, unsaid.loose),
        ):
            print(f"| {name} | {np.mean(said_share):.3f} | {np.mean(unsaid_share):.3f} |")
        print(
            "answers {:.3f} of the first, abstains on {:.3f} of the second (both midpoints); "
            "with every term required: {:.3f}, {:.3f}".format(
                *answered(said, unsaid, midpoint, loose), *answered(said, unsaid, midpoint, np.inf)
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
