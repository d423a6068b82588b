"""The training loop runs and learns: a few steps on twenty examples bring the loss down."""

import json
import random
from pathlib import Path

import pytest

from training.data import Example
from training.train import batches, main, question_groups, rows_by_question

CONTEXT = "连云港市公安局在疫情期间发放口罩16万个。民警李明负责运送药品。防护服共有6000套。"


def squad_file(path: Path) -> Path:
    qas = []
    for i, (q, a) in enumerate(
        [("发放了多少口罩？", "16万个"), ("谁负责运送药品？", "李明"), ("防护服有多少套？", "6000套")] * 7
    ):
        qas.append({"id": str(i), "question": q, "answers": [{"text": a, "answer_start": CONTEXT.index(a)}]})
    data = {"data": [{"title": "t", "paragraphs": [{"context": CONTEXT, "qas": qas[:20]}]}]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("objective", [[], ["--shared-norm", "--hard-negatives"]], ids=["per-window", "shared-norm"])
def test_loss_goes_down_and_training_resumes(tmp_path: Path, objective: list[str]) -> None:
    data = squad_file(tmp_path / "train.json")
    out = tmp_path / "out"
    args = [
        "--data",
        str(data),
        "--out",
        str(out),
        "--layers",
        "2",
        "--frozen",
        "1",
        "--batch",
        "4",
        "--epochs",
        "6",
        "--lr",
        "5e-4",
        "--negatives",
        "1",
        "--checkpoint-every",
        "5",
        "--threads",
        "1",
        "--english",  # the shipped model's setting: glossed copies beside the Chinese questions
        "0.3",
        "--english-copies",
        *objective,
    ]
    assert main(args) == 0
    losses = json.loads((out / "losses.json").read_text())
    assert len(losses) >= 20
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 * 0.8
    assert (out / "reader.pt").is_file() and (out / "checkpoint.pt").is_file()
    # Running again resumes from the checkpoint instead of starting over: no new steps.
    assert main(args) == 0
    assert len(json.loads((out / "losses.json").read_text())) == len(losses)


def test_a_batch_keeps_each_question_whole_with_its_answer_window_first() -> None:
    examples = [Example(tuple(range(n)), s, s, 1) for n, s in [(5, 1), (6, 0), (4, 2), (9, 1), (3, 0), (3, 0)]]
    groups = question_groups(examples)
    assert groups == [[0, 1], [2], [3, 4, 5]]
    plan = batches(groups, examples, 2, random.Random(1))
    assert len(plan) == 2 and sorted(i for b in plan for i in b) == list(range(6))
    group_of = [g for g, unit in enumerate(groups) for _ in unit]
    for idx in plan:
        for rows in rows_by_question(idx, group_of):
            assert examples[idx[rows[0]]].start and len(rows) == len(groups[group_of[idx[rows[0]]]])


def test_one_window_units_batch_as_before() -> None:
    """Without --shared-norm each window is its own unit: batches of `size` windows, the last of what is left."""
    examples = [Example(tuple(range(n)), 1, 1, 1) for n in range(3, 13)]
    plan = batches([[i] for i in range(10)], examples, 4, random.Random(1))
    assert sorted(len(b) for b in plan) == [2, 4, 4]
