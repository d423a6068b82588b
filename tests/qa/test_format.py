"""Reply wording: template words in the question's language around the report's own text."""

from __future__ import annotations

from qa import format
from qa.types import Answer, AnswerType, Citation

CITE = Citation("r", "防疫物资", 3, 1, "发放口罩3万个。", 10, 18, 0.9, 7)
NO_SECTION = Citation("r", "", 4, 2, "另有消毒液2吨。", 20, 28, 0.5, 8)


def test_where_names_section_and_paragraph_in_the_question_language() -> None:
    assert format.where(CITE, "zh") == "（防疫物资，第3段）"
    assert format.where(NO_SECTION, "zh") == "（第4段）"
    assert format.where(CITE, "en") == "(防疫物资, paragraph 3)"
    assert format.where(NO_SECTION, "en") == "(paragraph 4)"


def test_an_answerable_reply_is_the_short_answer_then_numbered_citations() -> None:
    text = format.reply_text(True, "3万个", (CITE, NO_SECTION), (), "zh")
    assert text.split("\n") == ["3万个", "[1] 发放口罩3万个。（防疫物资，第3段）", "[2] 另有消毒液2吨。（第4段）"]


def test_an_unanswerable_reply_says_so_and_suggests_sections() -> None:
    assert format.reply_text(False, None, (), ("暖心保障", "交通管控"), "zh") == (
        "报告中没有找到相关信息。\n可以看看：暖心保障、交通管控"
    )
    assert format.reply_text(False, None, (), (), "en") == "The report does not say."


def test_reply_parts_rebuild_the_reply_from_the_answer_structure() -> None:
    answered = Answer("q", "", "3万个", AnswerType.QUANTITY, True, 0.9, (CITE,), "s", "q")
    head, body = format.reply_parts(answered)
    assert (head, body) == ("3万个", ["[1] 发放口罩3万个。（防疫物资，第3段）"])
    declined = Answer("q", "", None, AnswerType.OTHER, False, 0.1, (), "s", "q", None, ("交通管控",), "en")
    assert format.reply_parts(declined) == ("The report does not say.", ["Closest sections: 交通管控"])
