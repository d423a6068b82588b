import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from index.documents import Document
from index.split import MAX_SENTENCE_CHARS, heading_title, sentence_spans, split_document


def doc(text: str, path: str = "r.txt") -> Document:
    return Document("r", path, text, "", "utf-8")


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_splits_on_chinese_and_ascii_terminators() -> None:
    assert sentences("第一句。第二句！第三句？第四句；第五句… Fifth. Sixth!") == [
        "第一句。",
        "第二句！",
        "第三句？",
        "第四句；",
        "第五句…",
        "Fifth.",
        "Sixth!",
    ]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    text = "“我志愿投身一线，听从指挥……”。一个支部就是一个堡垒。（完）"
    assert sentences(text) == ["“我志愿投身一线，听从指挥……”。", "一个支部就是一个堡垒。", "（完）"]
    assert sentences("他说：“好！”然后走了。") == ["他说：“好！”", "然后走了。"]


def test_no_split_inside_titles_numbers_or_short_parentheses() -> None:
    assert sentences("出台了《从优待警六项措施。试行》等文件。提供7×24小时服务，效率提高1.5倍。") == [
        "出台了《从优待警六项措施。试行》等文件。",
        "提供7×24小时服务，效率提高1.5倍。",
    ]
    assert sentences("鸡毛松（学名：甲；乙）是一种树。Andrew W. Mellon 资助。") == [
        "鸡毛松（学名：甲；乙）是一种树。",
        "Andrew W. Mellon 资助。",
    ]


def test_an_unclosed_bracket_does_not_swallow_the_paragraph() -> None:
    text = "（未闭合" + "字" * 200 + "。下一句。"
    assert sentences(text)[-1] == "下一句。"


def test_heading_rules() -> None:
    assert heading_title("宣传激励", False) == "宣传激励"
    assert heading_title("这是一个句子。", False) is None
    assert heading_title("期间,连云港市公安局", False) is None
    assert heading_title("## 图书馆", True) == "图书馆"
    assert heading_title("普通的一行", True) is None


def test_document_structure_sections_paragraphs_sentences() -> None:
    text = "导语第一句。导语第二句。\n党建引领\n第一段。\r\n第二段第一句；第二句。\n宣传激励\n最后一段。\n（完）\n"
    paragraphs, sents = split_document(doc(text))
    assert [(p.section, p.number) for p in paragraphs] == [
        ("", 1),
        ("党建引领", 2),
        ("党建引领", 3),
        ("宣传激励", 4),
        ("宣传激励", 5),
    ]
    assert paragraphs[-1].text == "（完）"  # a trailing short line is text, not a heading
    # What a reader counts: the paragraph's place in its section, restarting at each heading.
    assert [p.in_section for p in paragraphs] == [1, 1, 2, 1, 2]
    assert [s.paragraph_in_section for s in sents if s.paragraph == 3] == [2, 2]
    assert [(s.paragraph, s.number, s.text) for s in sents if s.paragraph == 3] == [
        (3, 1, "第二段第一句；"),
        (3, 2, "第二句。"),
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text
        assert s.sentence_id == f"r:{s.start}-{s.end}"


def test_markdown_paragraphs_are_blank_line_separated() -> None:
    text = "# 标题\n\n第一行\n接着第一行。\n\n## 小节\n\n第二段。\n"
    paragraphs, sents = split_document(doc(text, "r.md"))
    assert [(p.section, p.text) for p in paragraphs] == [("标题", "第一行\n接着第一行。"), ("小节", "第二段。")]
    assert sents[0].text == "第一行\n接着第一行。"


ALPHABET = st.sampled_from([*list("民警口罩防护服发放了万个，。！？；…“”《》（）()7×24.5 \n\r\t#abc"), "\r\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join), st.booleans())
def test_offsets_always_point_at_the_exact_text(text: str, markdown: bool) -> None:
    paragraphs, sents = split_document(doc(text, "r.md" if markdown else "r.txt"))
    for p in paragraphs:
        assert text[p.start : p.end] == p.text and p.text.strip() == p.text and p.text
    for s in sents:
        assert text[s.start : s.end] == s.text and s.text.strip() == s.text and s.text
    # sentences tile their paragraph in order, without overlap
    starts = [s.start for s in sents]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(sents))


def test_a_run_without_punctuation_is_cut_into_capped_sentences() -> None:
    text = "啊" * 200_000  # no punctuation at all: one "sentence" before the cap
    _, sentences = split_document(Document("x", "x.txt", text, "c", "utf-8"))
    assert len(sentences) == 200_000 // MAX_SENTENCE_CHARS
    assert all(len(s.text) == MAX_SENTENCE_CHARS and text[s.start : s.end] == s.text for s in sentences)


def test_a_long_sentence_is_cut_after_a_comma_first() -> None:
    clause = "第一批志愿者在社区值守并登记出入人员，"  # 19 characters
    text = clause * 60 + "其间共发放口罩5万个。"
    _, sentences = split_document(Document("x", "x.txt", text, "c", "utf-8"))
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text.endswith("，") for s in sentences[:-1])  # never mid-clause while a comma fits
    assert "".join(s.text for s in sentences) == text
