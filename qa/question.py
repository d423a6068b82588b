"""Question analysis: the answer type from the interrogative, the measure word asked for, and
the focus terms (content words) a supporting sentence must speak about."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from index.tokenize import layered, new_jieba, word_tags
from qa.types import AnswerType

QUESTION_MAX_CHARS = 500

# Measure words that may follow 多少 / 几; longest first so 批次 wins over 批.
MEASURE_WORDS = sorted(
    """
    个 位 名 人 次 批次 批 套 双 副 吨 件 台 辆 所 家 条 项 种 支 队 组 只 张 份 本 篇 间 座 栋 户
    株 棵 箱 袋 瓶 盒 包 元 块 钱 万元 亿元 天 年 月 日 周 小时 分钟 秒 公里 千米 米 厘米 毫米 千克
    公斤 斤 克 平方米 平方公里 亩 公顷 岁 倍 届 期 场 轮 起 例 辆次 人次 架 艘 门 所 处 片 层 级 度
    美元 万 顶 床 枚 颗 粒 根 把 头 匹 部 册 首 封 幅 升 毫升 立方米 个小时 个月 个星期 个工作日
    """.split(),
    key=len,
    reverse=True,
)

_Q = r"[？?！!。.\s]*$"
ZH_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = tuple(
    (t, re.compile(p))
    for t, p in (
        (AnswerType.REASON, r"为什么|为何|什么原因|原因是什么|怎么样|怎样|如何|怎么"),
        (AnswerType.DATE, r"什么时候|何时|哪一?天|哪一?年|几月几[日号]|几月份?|几号|什么时间|哪个月|什么日子|什么年代"),
        (AnswerType.LIST, r"哪些|有哪|哪[几一二两三四五六七八九十]+"),
        (AnswerType.QUANTITY, r"多少|几(?!乎)|多[大高长远重久深宽厚快少]"),
        (AnswerType.NAME, r"叫什么|什么名字|名字是什么|名称是什么|什么名称|叫做什么|称为什么"),
        (AnswerType.PERSON, r"谁|哪位|什么人|哪个人"),
        (AnswerType.PLACE, r"哪里|哪儿|在哪|什么地方|什么地区|哪[个家所座](?=[\u4e00-\u9fff])|哪(?=[\u4e00-\u9fff])"),
        (AnswerType.YESNO, r"是否|是不是|有没有|能否|可否|会不会|能不能|吗" + _Q),
        (AnswerType.OTHER, r"什么|啥"),
    )
)
EN_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = tuple(
    (t, re.compile(p, re.IGNORECASE))
    for t, p in (
        (AnswerType.QUANTITY, r"\bhow (many|much|long|large|big|far|old|often)\b|\bwhat (number|amount)\b"),
        (AnswerType.DATE, r"\bwhen\b|\bwhat (time|date|day|year)\b|\bwhich (day|date|year|month)\b"),
        (AnswerType.PERSON, r"\bwho(m|se)?\b"),
        (AnswerType.NAME, r"\bwhat is the name\b|\bcalled\b|\bnamed\b"),
        (AnswerType.PLACE, r"\bwhere\b|\bwhich (place|unit|hospital|school|station|city|area|district|office)"),
        (AnswerType.LIST, r"\bwhich\b|\bwhat (are|were) the\b"),
        (AnswerType.REASON, r"\bwhy\b|\bhow\b"),
        (AnswerType.YESNO, r"^\s*(is|are|was|were|do|does|did|can|could|has|have|had|will|would)\b"),
        (AnswerType.OTHER, r"\bwhat\b"),
    )
)

# Words that carry no topic: interrogatives, pronouns, light verbs, document self-reference.
NON_FOCUS = frozenset(
    """
    多少 几 哪 哪些 哪个 哪里 哪儿 哪位 哪家 哪天 哪年 什么 怎么 怎样 如何 为什么 为何 谁 是否
    是不是 有没有 吗 呢 吧 啊 了 的 地 得 是 有 在 和 与 及 或 也 都 又 还 就 被 把 将 对 为 于 以
    之 其 从 向 到 去 给 这 那 这个 那个 这些 那些 他 她 它 他们 她们 它们 我 我们 你 你们 该 此 本
    一共 总共 共 一下 请问 共计 累计 分别 大概 大约 目前 当时 呢 那么 叫 名字 名称 时候 时间 一 篇
    """.split()
)
SELF_REFERENCE = re.compile(r"(这篇|本篇|该篇|这份|本|该|此|这)(报道|报告|文章|新闻|稿件|通讯|文)")
CONTENT_FLAGS = ("n", "v", "a", "b", "m", "t", "s", "f", "j", "l", "i", "eng", "x")
# A word that points back (这番话, 那件事) names what an earlier sentence said, in words no passage
# repeats: "李继刚说这番话是什么时候？" is about the sentence where he speaks, not one saying 这番话.
POINTING = re.compile(r"^[这那][番个些次项件位种样份句段]")
PRONOUNS = frozenset("他们 她们 它们 这些 那些 他 她 它 其 该".split())
# Nouns too general to constrain anything: "一共几个人？" names no topic of its own.
GENERIC = frozenset(
    """
    人 人员 事 事情 东西 情况 地方 时候 方面 问题 内容 东西 样子
    """.split()
)
# Nouns that name people by role: "<role>叫什么名字？" asks for a person's name.
PEOPLE_HEADS = frozenset(
    """
    人 人员 同志 先生 女士 民警 警察 记者 作者 编辑 专家 学者 教授 老师 学生 医生 护士 干部 职工 员工
    工人 农民 志愿者 负责人 创始人 主席 主任 书记 部长 厅长 局长 处长 科长 所长 院长 校长 队长 市长
    县长 省长 经理 总经理 董事长 总裁 演员 导演 歌手 运动员 教练 司机 领导 成员 代表
    """.split()
)


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    flag: str  # jieba part-of-speech tag
    start: int  # offset in the question

    @property
    def is_noun(self) -> bool:
        # jieba tags some role nouns (主任) as distinguishing words, "b"
        long_b = self.flag == "b" and len(self.text) >= 2
        return self.flag.startswith(("n", "j", "eng")) or self.flag in ("t", "s", "nz", "vn", "l", "i") or long_b


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    language: str  # "zh" or "en"
    answer_type: AnswerType
    wh: str  # the interrogative as written ("多少", "哪个派出所"); "" when none
    wh_start: int  # offset of wh in text; -1 when none
    wh_end: int  # end of wh and the measure word after it (哪几位 → after 位); -1 when none
    unit: str | None  # measure word asked for: "个" in 多少个, "位" in 几位
    head: str | None  # the noun the interrogative asks about: 派出所 in 哪个派出所
    terms: tuple[Term, ...]  # focus terms in question order

    @property
    def focus(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms)

    @property
    def required(self) -> tuple[Term, ...]:
        """Terms a supporting sentence (or its context) must contain: the nouns, names and numbers,
        except the head noun that names the answer's class (哪些媒体 → 媒体 need not appear)."""
        head = self.head or ""
        counted = self.answer_type is AnswerType.QUANTITY
        return tuple(
            t
            for t in self.terms
            if t.text not in GENERIC
            and ((counted and t.text in head) or ((t.is_noun or t.flag == "m") and not (head and t.text in head)))
        )

    @property
    def verb(self) -> str | None:
        """The verb written right before the interrogative, an aspect particle aside: 增长 of 增长了多少,
        带 of 带着什么 — what the question asks is that verb's object or amount."""
        before = [t for t in self.terms if t.start + len(t.text) <= self.wh_start][-1:]
        if self.language != "zh" or not before or not before[0].flag.startswith("v"):
            return None
        gap = self.text[before[0].start + len(before[0].text) : self.wh_start]
        return before[0].text if set(gap) <= ASPECT else None

    @property
    def wants_people(self) -> bool:
        """A person is asked for: 谁, or a name asked about a person noun (民警叫什么名字)."""
        before = [t.text for t in self.terms if t.start < self.wh_start][-1:]
        nouns = {self.head or "", *before}
        if self.answer_type is AnswerType.PERSON or nouns & PEOPLE_HEADS:
            return True
        # A name asked of an office jieba keeps whole (公安局长, 派出所所长叫什么？): the office's last
        # word is a people noun. Name questions only: CMRC's "什么时候双方代表互换批准书？" asks a date.
        return self.answer_type is AnswerType.NAME and any(
            noun.endswith(head) for noun in nouns for head in PEOPLE_HEADS if len(head) >= 2
        )


def is_english(text: str) -> bool:
    """Mostly Latin letters, and no Chinese interrogative: "Which police station does 李继刚 work
    at?" is English, "MIT OpenCourseWare指什么？" a Chinese question about an English name (three of
    CMRC's first 300 were taken for English, and the English names check, `qa.read.names_held`,
    found their Chinese words — 指什么 — in no paragraph)."""
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return letters > 2 * cjk and _match_type(text, ZH_TYPES)[1] is None


def pos_tokenizer() -> Any:
    """A private part-of-speech tagger (a jieba.posseg.POSTokenizer). It shares the process's word
    frequencies and tag table read-only (`new_jieba`, `word_tags`): building its own would read
    dict.txt again; words it adds go to its own layer."""
    posseg, tags = word_tags()
    pos = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    pos.tokenizer = new_jieba()
    pos.word_tag_tab = layered(tags)
    return pos


class QuestionAnalyzer:
    """Owns its jieba tokenizer and part-of-speech tagger, loaded on first use."""

    def __init__(self, cache_size: int = 8192) -> None:
        self._pos: Any = None
        self._lock = threading.Lock()
        # The same report sentences are tagged again and again, and HMM tagging costs ~3 ms each.
        self.tag = functools.lru_cache(maxsize=cache_size)(self._tag)

    @property
    def pos(self) -> Any:
        if self._pos is None:
            with self._lock:
                if self._pos is None:
                    self._pos = pos_tokenizer()
        return self._pos

    def _tag(self, text: str) -> tuple[tuple[str, str, int], ...]:
        """(word, flag, start) for every token."""
        out, at = [], 0
        for pair in self.pos.cut(text):
            out.append((pair.word, pair.flag, at))
            at += len(pair.word)
        return tuple(out)

    def analyze(self, text: str) -> Question:
        text = normalize_question(text)
        if is_english(text):
            return self._analyze_english(text)
        answer_type, match = _match_type(text, ZH_TYPES)
        wh_start, wh_end = (match.start(), match.end()) if match else (-1, -1)
        tags = _merge_numbers(list(self.tag(text)))
        measure = _measure_word(text[wh_end:], tags, wh_end) if match else None
        unit = measure if answer_type is AnswerType.QUANTITY else None
        if answer_type is AnswerType.PERSON:
            tags = _office_noun(text, tags, wh_start)
        after_wh = wh_end + len(measure or "")
        head = _head_noun(tags, after_wh, counted=measure is not None)
        terms = tuple(_focus_terms(text, tags, wh_start, after_wh))
        wh = text[wh_start:wh_end] if match else ""
        return Question(text, "zh", answer_type, wh, wh_start, after_wh if match else -1, unit, head, terms)

    def analyze_english(self, text: str) -> Question:
        """A question known to be English, whatever its share of Chinese ("Who is 赵伟捷?": an English
        question given the report's own writing of a name)."""
        return self._analyze_english(normalize_question(text))

    def _analyze_english(self, text: str) -> Question:
        answer_type, match = _match_type(text, EN_TYPES)
        words = re.finditer(r"[A-Za-z][A-Za-z'-]+|\d+(?:[.,]\d+)?", text)
        stop = _EN_STOP
        terms = tuple(Term(m.group().lower(), "eng", m.start()) for m in words if m.group().lower() not in stop)
        wh = match.group() if match else ""
        span = (match.start(), match.end()) if match else (-1, -1)
        return Question(text, "en", answer_type, wh, *span, None, None, terms)


_EN_STOP = frozenset(
    """
    what which who whom whose when where why how many much long is are was were be been the a an of
    to in on at for by and or do does did that this these those it its with from as there their they
    them his her he she has have had can could will would many much name called named
    """.split()
)


def normalize_question(text: str) -> str:
    """Full-width letters and digits folded, whitespace collapsed; Chinese punctuation and the
    asker's capitals kept."""
    text = re.sub(r"\s+", " ", text).strip()
    return "".join(unicodedata.normalize("NFKC", ch) if ch.isalnum() else ch for ch in text)


def _match_type(
    text: str, table: tuple[tuple[AnswerType, re.Pattern[str]], ...]
) -> tuple[AnswerType, re.Match[str] | None]:
    for answer_type, pattern in table:
        m = pattern.search(text)
        if m:
            return answer_type, m
    return AnswerType.OTHER, None


def _measure_word(rest: str, tags: list[tuple[str, str, int]], at: int) -> str | None:
    """The measure word `rest` (the question after its interrogative, at offset `at`) starts with;
    not the first character of a longer noun: 场 is a measure word, but 哪些场所 asks about places."""
    word = next((w for w in MEASURE_WORDS if rest.startswith(w)), None)
    noun = next((w for w, flag, start in tags if start == at and flag.startswith("n")), "")
    return None if word is None or len(noun) > len(word) else word


def _merge_numbers(tags: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """jieba cuts 1月31日 into 1/月/31/日: adjacent numeral tokens become one term."""
    out: list[tuple[str, str, int]] = []
    for word, flag, start in tags:
        if out and flag == "m" and out[-1][1] == "m" and out[-1][2] + len(out[-1][0]) == start:
            out[-1] = (out[-1][0] + word, "m", out[-1][2])
        else:
            out.append((word, flag, start))
    return out


ASPECT = frozenset("着了过")  # particles between a verb and its object (带着, 购买了)
# What may stand between the office a who-question asks about and its interrogative (的组长是谁).
COPULAS = frozenset("是为")


def _office_noun(text: str, tags: list[tuple[str, str, int]], wh_start: int) -> list[tuple[str, str, int]]:
    """The word after 的 whose holder a who-question asks for is a noun whatever jieba tags it: in
    督导组的组长是谁 组长 comes out a verb, and a verb is never required, so the check let the
    question be answered by a sentence that names no 组长. Only for who-questions: the same retag
    for every question (的别名是什么, 的首都在哪里, 35 of CMRC's and DRCD's 4,525) makes attributes
    a passage often words otherwise (又名) required, which only the who-question's office must be."""
    out = list(tags)
    for i, (word, flag, start) in enumerate(out):
        end = start + len(word)
        after_de = i > 0 and out[i - 1][0] == "的" and word not in NON_FOCUS and word.isalnum()
        if after_de and not flag.startswith("n") and 0 <= end <= wh_start and set(text[end:wh_start]) <= COPULAS:
            out[i] = (word, "n", start)
    return out


def _is_nominal(word: str, flag: str) -> bool:
    return word not in NON_FOCUS and (flag.startswith("n") or flag in ("vn", "j", "nz", "l"))


def _head_noun(tags: list[tuple[str, str, int]], at: int, counted: bool) -> str | None:
    """The noun phrase right after the interrogative (and its measure word): 哪个派出所 → 派出所,
    多少个党员先锋队 → 党员先锋队. After a measure word the next content word is what is counted,
    whatever jieba tags it (多少家超市: 超市 comes out as a verb)."""
    if at < 0:
        return None
    words: list[str] = []
    for word, flag, start in tags:
        if start < at:
            continue
        first_counted = counted and not words and word not in NON_FOCUS and word.isalnum()
        if start > at + sum(map(len, words)) or not (_is_nominal(word, flag) or first_counted):
            break
        words.append(word)
    return "".join(words) or None


def _focus_terms(text: str, tags: list[tuple[str, str, int]], wh_start: int, wh_end: int) -> Iterator[Term]:
    skip = [(m.start(), m.end()) for m in SELF_REFERENCE.finditer(text)]
    for word, flag, start in tags:
        end = start + len(word)
        if any(a <= start and end <= b for a, b in skip) or word in NON_FOCUS:
            continue
        if wh_start >= 0 and start < wh_end and end > wh_start:
            # Any word that holds part of the interrogative: jieba writes 由谁来 and 一集 (of 哪一集)
            # as words, and no passage says them.
            continue
        if not any(ch.isalnum() for ch in word) or not flag.startswith(CONTENT_FLAGS) or POINTING.match(word):
            continue
        yield Term(word, flag, start)


# Marks a span may carry that the question writes otherwise or not at all (》 of 《越南亡国史》).
EDGES = " \t\u3000，。、；：？！,.;:?!…—-“”\"'《》「」()（）"


def letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


# The asker offers the answer: "A和B哪个…", "A还是B", "何者", and yes/no questions (能不能, …吗).
CHOICE = re.compile(r"还是|何者|[和与或跟].*哪|(.)[不没]\1|吗\s*[？?]?$")


def echoes(q: Question, text: str) -> bool:
    """A span the question already says, or one with nothing to say (no letter, digit or
    character): no answer, whichever step found it. CMRC's trial file, whole corpus: 23 of 1,002
    answers were such (什么是标准杆？ → 标准杆, 1992年4月，罗保铭担任什么职务？ → 1992年4月, 》, 们),
    one of them right. Except where the asker offers the answer (新加坡和香港…何者较优异？ → 新加坡;
    能不能 → 不能) or it is part of a longer word of theirs (福建人…祖籍是哪里？ → 福建): of six such
    answers to 680 DRCD questions, five right, these keep four (not 主席 of 副主席, which jieba cuts
    副 / 主席)."""
    core, asked = letters(text), letters(q.text)
    if not core:
        return True
    if core not in asked or q.answer_type is AnswerType.YESNO or CHOICE.search(q.text):
        return False
    part = text.strip(EDGES)
    found = positions(q.text, part)
    return not found or not all(_inside_a_word(q, part, at) for at in found)


def positions(text: str, part: str) -> list[int]:
    """Every offset where `part` starts in `text`, overlapping ones included."""
    return [i for i in range(len(text)) if text.startswith(part, i)]


def _inside_a_word(q: Question, part: str, at: int) -> bool:
    """`part` at `at` lies inside one of the question's words, and is not all of it nor one
    character of it (猴 of 猴面包树 names nothing)."""
    end = at + len(part)
    return len(part) > 1 and any(t.start <= at and end <= t.start + len(t.text) and t.text != part for t in q.terms)
