"""The texts a chat channel sends, and fitting them to its size limit. Pure functions: no I/O, no
protocol, easy to test.

A WeChat passive text reply may carry at most 2048 bytes of UTF-8, the tightest limit of the
channels, and WeChat drops longer ones silently, so the user would see nothing at all. Replies are
shortened here, never cut inside a character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qa.errors import QuestionError
from qa.format import reply_parts
from qa.types import Answer

TEXT_LIMIT_BYTES = 2048
ELLIPSIS = "…"
EXAMPLE_COUNT = 3

STILL_LOOKING = "正在查找答案，请稍候几秒再把问题发一次。"
VOICE_NOT_RECOGNISED = "抱歉，没有听清这条语音。请用文字再问一次。"
FAILED = "抱歉，暂时无法回答，请稍后再试。"
WHAT_I_DO = "我可以回答关于报告内容的问题，并给出报告原文作为出处。请直接用文字（或语音）提问。"
WELCOME_HEAD = "欢迎！我会根据报告原文回答问题，并注明出处。可以这样问："
# Generic on purpose: questions about a section by its title, whatever the reports are.
SECTION_QUESTION = "{}是怎么安排的？"
FALLBACK_EXAMPLE = "报告的主要内容是什么？"

QUESTION_ERRORS = {
    "empty_question": "请输入一个关于报告的问题。",
    "question_too_long": "问题太长了，请说得简短一些。",
    "bad_encoding": "消息里有无法识别的字符，请重新输入。",
}


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def cut_to_bytes(text: str, limit: int) -> str:
    """`text` whole if it fits in `limit` bytes, else its longest prefix that fits with "…" after it
    ("" when not even the ellipsis fits). Cuts fall between characters, never inside one."""
    if utf8_size(text) <= limit:
        return text
    room = limit - utf8_size(ELLIPSIS)
    if room < 0:
        return ""
    # A byte cut can split only the last character; decoding with "ignore" drops that fragment.
    return text.encode("utf-8")[:room].decode("utf-8", "ignore") + ELLIPSIS


def fit_reply(head: str, citations: Sequence[str], limit: int = TEXT_LIMIT_BYTES) -> str:
    """The head (the short answer) and as many citations, in order, as fit in `limit` bytes.

    Later citations go first; the head is never shortened unless it alone is over the limit; a first
    citation too long to fit whole is cut with "…" rather than dropped, since it is the evidence."""
    if utf8_size(head) > limit:
        return cut_to_bytes(head, limit)
    lines = [head]
    used = utf8_size(head)
    for i, line in enumerate(citations):
        cost = 1 + utf8_size(line)  # the newline before it
        if used + cost <= limit:
            lines.append(line)
            used += cost
            continue
        if i == 0:
            cut = cut_to_bytes(line, limit - used - 1)
            if cut:
                lines.append(cut)
        break
    return "\n".join(lines)


def answer_text(answer: Answer, limit: int = TEXT_LIMIT_BYTES) -> str:
    """The engine's reply (the short answer, then one citation per line), shortened to fit."""
    head, citations = reply_parts(answer)
    return fit_reply(head, citations, limit)


def question_error_text(error: QuestionError) -> str:
    return QUESTION_ERRORS.get(error.code, "请换一种说法再问一次。")


def example_questions(section_titles: Iterable[str], count: int = EXAMPLE_COUNT) -> list[str]:
    """Example questions built from the reports' own section titles (first distinct ones in order),
    so the welcome fits whatever reports are indexed."""
    titles: list[str] = []
    for title in section_titles:
        title = title.strip()
        if title and title not in titles:
            titles.append(title)
        if len(titles) == count:
            break
    examples = [SECTION_QUESTION.format(t) for t in titles]
    return examples or [FALLBACK_EXAMPLE]


def welcome_text(examples: Sequence[str]) -> str:
    lines = [WELCOME_HEAD, *(f"{i}. {q}" for i, q in enumerate(examples[:EXAMPLE_COUNT], start=1))]
    return fit_reply(lines[0], lines[1:])


def what_i_do_text(examples: Sequence[str]) -> str:
    return WHAT_I_DO + (f"例如：{examples[0]}" if examples else "")
