"""English which-X questions: the Chinese words naming X."""

import pytest

from qa.which import class_words


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Which police station does Li Jigang work at?", "派出所"),
        ("Which hospitals sent doctors?", "医院"),
        ("Which kind of school opened the course?", "学校"),
    ],
)
def test_a_which_question_names_its_class_in_chinese(question: str, word: str) -> None:
    assert word in class_words(question)


@pytest.mark.parametrize(
    "question",
    ["What supplies were bought?", "Which of them went to Wuhan?", "Which is bigger?", "Who went to Wuhan?"],
)
def test_other_questions_name_no_class(question: str) -> None:
    assert class_words(question) == ()
