"""Span edges: where a short answer starts and ends inside its sentence, whichever step found it.

The reader's subword edges cut names, numbers and titles, and it keeps one item where a list is
asked for; the span rules stop at the first name. Each function here takes the question, the
sentence and a span's offsets and returns the offsets it should have — pure functions over text
(and jieba's tags where words matter), tested one by one in `tests/qa/test_edges.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import chain, pairwise

from qa.question import ASPECT, Question, positions
from qa.spans import CONNECTORS, Candidate, Tagger, dates_in, enumerations, persons, quantities
from qa.support import office
from qa.types import AnswerType

# Characters never worth starting or ending a short answer with.
EDGE = " \t\u3000，。、；：？！,.;:?!…—-"


QUOTES = {("“", "”"), ("‘", "’"), ("「", "」"), ('"', '"')}


SNAP_TYPES = {AnswerType.QUANTITY: quantities, AnswerType.DATE: dates_in}


PAIRS = {"《": "》", "“": "”", "（": "）", "(": ")", "「": "」", "‘": "’"}


def balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim edge punctuation; complete a bracket or quote the span opens or closes but cuts
    (a 《》 title cut in the middle), within the sentence."""
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    for left, right in PAIRS.items():
        span = text[start:end]
        if span.count(left) > span.count(right) and (close := text.find(right, end)) != -1:
            end = close + 1
        elif span.count(right) > span.count(left) and (open_ := text.rfind(left, 0, start)) != -1:
            start = open_
    # A name in quotation marks is the name (“健康守门人” → 健康守门人); a 《》 title keeps its marks.
    while (
        end - start > 2
        and (text[start], text[end - 1]) in QUOTES
        and text[start + 1 : end - 1].count(text[end - 1]) == 0
    ):
        start, end = start + 1, end - 1
    return start, end


def snap(q: Question, text: str, start: int, end: int) -> tuple[int, int]:
    """Quantities and dates: when the reader's span is mostly one number-with-unit or one date of
    the sentence, take that expression whole (16万 → 16万个, 300 → 300多名). The reader's subword
    edges cut these; the span rules find their edges exactly."""
    find = SNAP_TYPES.get(q.answer_type)
    if find is None or start >= end:
        return start, end
    overlapping = [c for c in find(text) if c.start < end and c.end > start]
    if len(overlapping) != 1:
        return start, end
    c = overlapping[0]
    shared = min(end, c.end) - max(start, c.start)
    return (c.start, c.end) if 2 * shared >= end - start else (start, end)


# A quantity that names its noun's amount follows the noun at once, after a bracketed aside or a
# copula: 口罩16万个, 防护服(隔离衣)6000套, 资产负债率为43.6%, 累计达12万张.
ASIDE = re.compile(r"^\s*(?:[(（][^()（）]{0,12}[)）])?\s*(?:为|达|达到|共|共计|合计|总计)?\s*$")


def amount_after(noun: str, text: str, amounts: Sequence[Candidate]) -> Candidate | None:
    """The amount of text's `amounts` (its quantities) that names `noun`'s quantity (口罩16万个,
    防护服(隔离衣)6000套), if any."""
    for at in positions(text, noun):
        after = at + len(noun)
        paired = next((c for c in amounts if c.start >= after and ASIDE.match(text[after : c.start])), None)
        if paired is not None:
            return paired
    return None


LIST_MARKS = "、；;"  # what separates a list's items (not a clause's ，, nor "," of 2,300)


def amount_before(noun: str, text: str, amounts: Sequence[Candidate]) -> Candidate | None:
    """The amount of `amounts` written right before `noun`, counting it (36个青年突击队, 100名党员民警)."""
    for at in positions(text, noun):
        if (paired := next((c for c in amounts if c.end == at), None)) is not None:
            return paired
    return None


def counted_amounts(q: Question, text: str, amounts: Sequence[Candidate]) -> Iterator[Candidate]:
    """The amounts of `amounts` the question counts, surest first: right after its counted noun or
    right before it (口罩16万个, 36个青年突击队), then right after the verb asked about (同比增长12.4%
    for 增长了多少). Only before the counted noun: any noun has some amount before it (300多名民警)."""
    if q.head:
        yield from (c for c in (amount_after(q.head, text, amounts), amount_before(q.head, text, amounts)) if c)
    if q.verb and (after_verb := amount_after(q.verb, text, amounts)) is not None:
        yield after_verb


def split_nouns(q: Question, text: str) -> list[str]:
    """Nouns jieba cut in two, joined again where the text writes them whole (防护 / 靴 → 防护靴): a
    one-character noun counts nothing alone, and its modifier is no noun."""
    return [
        a.text + b.text
        for a, b in pairwise(q.terms)
        if a.start + len(a.text) == b.start and b.is_noun and len(b.text) == 1 and a.text + b.text in text
    ]


def pair_with_focus(q: Question, text: str, start: int, end: int) -> tuple[int, int]:
    """Quantity questions over a list of noun–amount pairs: when the span is not the amount that
    follows the noun asked about but another amount does, take that one. The reader keeps the
    list's first amount whatever noun was asked about (口罩16万个、防护服6000套: "防护服呢？" → 16万个),
    the wrong-item-of-an-enumeration class of misses. The amount may follow the noun or come right
    before it (36个青年突击队). Measured: report dev questions unchanged
    (83.3 %), CMRC trial first 300 ≤ 10 chars EM 0.457 → 0.447 (one question), and every follow-up
    over such a list in this project's own test corpora right instead of wrong."""
    if q.answer_type is not AnswerType.QUANTITY:
        return start, end
    amounts = quantities(text)
    if len(amounts) < 2:
        return start, end
    nouns = [*split_nouns(q, text), *(t.text for t in reversed(q.terms) if t.is_noun and len(t.text) >= 2)]
    after_nouns = (amount_after(noun, text, amounts) for noun in nouns)
    paired = next((c for c in chain(counted_amounts(q, text, amounts), after_nouns) if c is not None), None)
    if paired is None:
        return start, end
    # A span over the paired amount keeps its edges (a range: 200米至2,300米), unless it runs over
    # another item of the list (97个党员先锋队、36个 for 多少个青年突击队).
    over = paired.start < end and paired.end > start
    listed = any(mark in text[start:end] for mark in LIST_MARKS)
    return (start, end) if over and not listed else (paired.start, paired.end)


MAX_QUOTED_NAME = 20  # characters: a longer quotation is a saying, not a name


def quoted_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The quoted name a span lies inside, when it is only part of it (六条 of “六条措施”)."""
    for left, right in QUOTES:
        opened = text.rfind(left, 0, start)
        closed = text.find(right, end - 1)
        if left == right or opened < 0 or closed < 0 or right in text[opened + 1 : end]:
            continue  # "…" cannot tell opening from closing
        if closed - opened - 1 <= MAX_QUOTED_NAME and (opened + 1, closed) != (start, end):
            return opened + 1, closed
    return None


def quoted_name(q: Question, text: str, start: int, end: int) -> tuple[int, int]:
    """Name questions: a span that opens with a name in quotation marks and runs on past them
    (“健康守门人”志愿服务队 for 服务队叫什么名字) answers with the quoted name; so does a span inside
    one (六条 of 加强内部防控“六条措施”, for 内部防控措施叫什么)."""
    if q.answer_type is not AnswerType.NAME or start >= end:
        return start, end
    for left, right in QUOTES if end - start >= 3 else ():
        if text[start] == left and start + 1 < (close := text.find(right, start + 1, end)) < end - 1:
            return start + 1, close
    return quoted_around(text, start, end) or (start, end)


# Words a name, place or organisation never ends with: verbs (not verbal nouns), adverbs,
# prepositions, conjunctions, particles (jieba's tags).
LOOSE_END = re.compile(r"^(?:v|vd|d|p|c|u[a-z]?)$")


NAMED = {AnswerType.PERSON, AnswerType.PLACE, AnswerType.NAME}


def trim_tail(q: Question, text: str, start: int, end: int, tag: Tagger) -> tuple[int, int]:
    """Who/where/name answers: drop the words at the span's end that cannot end a name, the verb
    the reader ran on into (滨江市林业局和共青团滨江市委联合 → …市委)."""
    if q.answer_type not in NAMED:
        return start, end
    words = [(at, at + len(w), flag) for w, flag, at in tag(text) if at >= start and at + len(w) <= end]
    while len(words) > 1 and words[-1][1] == end and LOOSE_END.match(words[-1][2]):
        end = words.pop()[0]
    return start, end


# Nouns, names and the like: what a coordinated partner of a named answer is made of.
NOMINAL = re.compile(r"^(?:n[a-z]*|j|vn)$")


def with_partner(q: Question, text: str, start: int, end: int, tag: Tagger) -> tuple[int, int]:
    """Who/where/name answers: a name joined to the next by 和/与/及 is answered with both
    (滨江市林业局 → 滨江市林业局和共青团滨江市委, where they organised it together); the partner is the
    run of nouns after the connector, at most twice the span's length."""
    if q.answer_type not in NAMED:
        return start, end
    tags = tag(text)
    at = next((k for k, (_, _, offset) in enumerate(tags) if offset == end), None)
    if at is None or tags[at][0] not in CONNECTORS or tags[at][0] == "或":
        return start, end
    partner_end, k = end, at + 1
    while k < len(tags) and NOMINAL.match(tags[k][1]) and tags[k][2] + len(tags[k][0]) - end <= 2 * (end - start):
        partner_end = tags[k][2] + len(tags[k][0])
        k += 1
    return (start, partner_end) if partner_end - end > len(tags[at][0]) + 1 else (start, end)


# What may stand between an office and its holder's name: 通讯员 关宁, 主编：王某.
TITLE_GAP = re.compile(r"^[\s:：]{0,2}$")


def holder(q: Question, text: str, start: int, end: int, tag: Tagger) -> tuple[int, int]:
    """Who holds an office the question names (通讯员是谁？): the name the sentence writes right after
    that office, where it writes one. Two roles side by side, each followed by its name (记者 童金德
    通讯员 关宁), were answered with the first name whichever role was asked about."""
    role = office(q)
    if role is None:
        return start, end
    names = persons(tag(text))
    for at in positions(text, role.text):
        after = at + len(role.text)
        name = next((c for c in names if c.start >= after and TITLE_GAP.match(text[after : c.start])), None)
        if name is not None:
            return (start, end) if name.start < end and start < name.end else (name.start, name.end)
    return start, end


# An English which- or what-question about a plural ("Which newspapers…", "Which police stations…")
# asks for a list; the question analyser makes every "which" a list question ("Which police station
# does Li Jigang work at?": one).
WHICH_NOUN = re.compile(r"\b(?:which|what)\s+([a-z]+)(?:\s+([a-z]+))?", re.IGNORECASE)


NOT_NOUNS = frozenset("is are was were this that these those does did do has have had its his her their".split())


def _plural(word: str) -> bool:
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) and w not in NOT_NOUNS


def plural_which(text: str) -> bool:
    m = WHICH_NOUN.search(text)
    if m is None or m.group(1).lower() in NOT_NOUNS:
        return False
    return _plural(m.group(1)) or (m.group(2) is not None and _plural(m.group(2)))


def asks_for_several(q: Question) -> bool:
    """A question whose answer may be a list: 哪些 and 谁 (which does not say how many), "who" and a
    which-question about a plural."""
    if q.language == "en" and q.answer_type is AnswerType.LIST:
        return plural_which(q.text)
    return q.answer_type in (AnswerType.LIST, AnswerType.PERSON)


def whole_list(q: Question, text: str, start: int, end: int, tag: Tagger) -> tuple[int, int]:
    """List questions (哪些, 哪几): a span that is one item of an enumeration (A、B和C, 《A》《B》)
    answers with the whole enumeration. The reader, trained on short answers, often stops at one
    item (记功嘉奖 of 记功嘉奖、贺电贺信、即时奖励…). So do who-questions: 谁 does not say how many, and
    one name of a list of names is the reader's usual slip (王晓明 of 赵伟捷、李彬善、李志、王晓明)."""
    if not asks_for_several(q):
        return object_list(q, text, start, end, tag)
    tags = tag(text)
    noun = class_noun(q, tag)
    for c in enumerations(text, tags):
        inside = c.start <= start and end <= c.end and (c.start, c.end) != (start, end)
        # A span over a list and the class it is of: 担负起通道查控、…、打击犯罪等任务 for 哪些任务.
        classed = noun is not None and start <= c.start and c.end <= end and _class_follows(text, c.end, noun)
        # A span that runs into the list from its verb: 担负起通道查控 of 担负起通道查控、社区管控… is
        # its first item. Not from a noun (扁掌 of 扁掌龙族、倾齿龙族: the list's own edge is a guess).
        lead = [flag for _, flag, at in tags if start <= at < c.start]
        from_verb = start < c.start < end <= c.end and bool(lead) and not any(NOMINAL.match(f) for f in lead)
        if inside or classed or (from_verb and q.answer_type is AnswerType.LIST):
            return c.start, c.end
    return start, end


def object_list(q: Question, text: str, start: int, end: int, tag: Tagger) -> tuple[int, int]:
    """V什么 questions: a span that is one item of a list the sentence writes as the object of the
    same verb answers with the list ("上级领导带着什么去慰问？" over 带着鲜花、证书和奖金 → the three, not
    证书). Widening every what-question's item to its enumeration cost DRCD short answers; held to
    the asked verb's own object, it moves none of CMRC's or DRCD's 1,682 answers."""
    if q.wh != "什么" or q.verb is None:
        return start, end
    for c in enumerations(text, tag(text)):
        inside = c.start <= start and end <= c.end and (c.start, c.end) != (start, end)
        if inside and text[: c.start].rstrip("".join(ASPECT)).endswith(q.verb):
            return c.start, c.end
    return start, end


def _class_follows(text: str, at: int, noun: str) -> bool:
    """Whether the class noun follows at `at`, perhaps after 等 (A、B等任务)."""
    return re.match(rf"(?:等等?)?{re.escape(noun)}", text[at:]) is not None


def class_noun(q: Question, tag: Tagger) -> str | None:
    """The class a Chinese list question asks for (哪些, 哪几; not 哪一): the last word of its head,
    of two characters or more (任务 of 哪些防控任务, 场所 of 哪些场所). A span that names it
    (办公场所、办案场所…, 东亚地区 for 哪些地区) is of the class. Not for one name (哪个杂志, 哪一个足球场):
    the span ending with the class word is more often a description (日本的漫画杂志, 莫斯科附近区域) than
    the name — on CMRC's trial file holding such questions to it cost four short answers, 哪些 ones
    gained a point of F1 and a citation."""
    if q.language != "zh" or q.answer_type is not AnswerType.LIST or q.wh.startswith("哪一") or not q.head:
        return None
    last = tag(q.head)[-1][0]
    return last if len(last) >= 2 else None
