"""The training loop runs and learns: a few steps on twenty examples bring the loss down."""

import json
from pathlib import Path

import pytest

from training.train import main

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
def test_loss_goes_down_and_training_resumes(tmp_path: Path) -> None:
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
    ]
    assert main(args) == 0
    losses = json.loads((out / "losses.json").read_text())
    assert len(losses) >= 20
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 * 0.8
    assert (out / "reader.pt").is_file() and (out / "checkpoint.pt").is_file()
    # Running again resumes from the checkpoint instead of starting over: no new steps.
    assert main(args) == 0
    assert len(json.loads((out / "losses.json").read_text())) == len(losses)
