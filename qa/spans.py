"""Typed answer spans inside a sentence: quantities, dates, persons, places and organisations,
quoted names, enumerations, and the clause as a fallback. Offsets are relative to the sentence.

Everything here is about Chinese writing in general (numerals, measure words, 、-enumerations,
organisation suffixes), never about one report's wording.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from qa.question import MEASURE_WORDS

Tag = tuple[str, str, int]  # word, part-of-speech flag, start
Tagger = Callable[[str], Sequence[Tag]]  # a text's words with their tags (QuestionAnalyzer.tag)


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    start: int
    end: int
    kind: str  # quantity, date, person, place, name, list, clause, span


# Thousands written with separators count whole (6,476名观众 is not 476名).
# Roman numerals count levels in official Chinese (Ⅱ级应急响应).
NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]+)"
# Calendar units make dates, not quantities.
QUANTITY_UNITS = [u for u in MEASURE_WORDS if u not in ("年", "月", "日")]
QUANTITY = re.compile(
    rf"(?:近|约|超过|逾|达|共|仅|全部)?(?:{NUM}[×xX*]{NUM}|{NUM}(?:[万亿千百])?(?:余|多)?)"
    rf"(?:{'|'.join(map(re.escape, QUANTITY_UNITS))}|%|％)(?:余|多)?"
)
BARE_NUMBER = re.compile(rf"{NUM}(?:万|亿)(?:余|多)?")
NUMERALS = set("0123456789.零〇一二两三四五六七八九十百千万亿ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ")
DATE = re.compile(
    rf"(?:(?:公元前?)?{NUM}年(?:{NUM}月(?:{NUM}[日号])?)?|{NUM}月{NUM}[日号]|{NUM}月(?:份|初|中旬|下旬|底)?)"
    r"(?:上午|下午|晚上|凌晨|早上|中午)?"
)
QUOTED = re.compile(r"“([^”]{1,40})”|「([^」]{1,40})」|\"([^\"]{1,40})\"|‘([^’]{1,40})’|《[^》]{1,60}》")
TITLES = re.compile(r"(?:《[^》]{1,60}》[、和及与]?){2,}")
ORG_SUFFIX = re.compile(
    r"(?:派出所|公安局|分局|医院|学校|大学|中学|小学|学院|中心|公司|集团|委员会|政府|部门|单位|机关|大队|支队|中队|"
    r"厅|局|所|院|校|站|馆|社|台|报|队|组|部|处|科|室|办|会|协会|基金会|地区|县|市|省|区|镇|乡|村|街道|社区|"
    r"公园|广场|机场|车站|码头|大厦|酒店|宾馆|剧院|礼堂|会堂|景区|新区|开发区|园区)$"
)
CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?]")
PARTICLE_FLAGS = ("u", "p", "c", "y", "r", "x", "w", "d")
CONNECTORS = ("和", "及", "与", "以及", "或")


def _spans(pattern: re.Pattern[str], text: str, kind: str) -> Iterator[Candidate]:
    for m in pattern.finditer(text):
        yield Candidate(m.group(), m.start(), m.end(), kind)


def _ordinal(text: str, start: int) -> bool:
    """Whether the number starting at `start` (or the numeral run it ends) follows 第: 第一人民医院,
    第二十三名 and 第3批 name a position, not an amount."""
    while start > 0 and text[start - 1] in NUMERALS:
        start -= 1
    return start > 0 and text[start - 1] == "第"


# "一个支部就是一个堡垒，一辆警车就是一座灯塔": each X is a Y, a figure of speech with no count in it.
EACH_IS = re.compile(r"一[^，,。；;！？\s]{1,8}?(?:就是|便是|即是)一[^，,。；;！？\s]{1,8}")


def _in_figure(text: str, start: int) -> bool:
    return any(m.start() <= start < m.end() for m in EACH_IS.finditer(text))


def quantities(text: str) -> list[Candidate]:
    dates = [(c.start, c.end) for c in dates_in(text)]
    found = [
        c for c in _spans(QUANTITY, text, "quantity") if not _ordinal(text, c.start) and not _in_figure(text, c.start)
    ]
    taken = [(c.start, c.end) for c in found]
    found += [
        c
        for c in _spans(BARE_NUMBER, text, "quantity")
        if not _overlaps((c.start, c.end), taken) and not _ordinal(text, c.start)
    ]
    return [c for c in found if not _overlaps((c.start, c.end), dates)]


def dates_in(text: str) -> list[Candidate]:
    return list(_spans(DATE, text, "date"))


def quoted(text: str) -> list[Candidate]:
    """Quoted names: the inner text of “…” (quotes are punctuation), 《…》 kept whole (a title)."""
    out = []
    for m in QUOTED.finditer(text):
        inner = next((i for i in range(1, 5) if m.group(i)), None)
        if inner is None:
            out.append(Candidate(m.group(), m.start(), m.end(), "name"))
        else:
            out.append(Candidate(m.group(inner), m.start(inner), m.end(inner), "name"))
    return out


def persons(tags: Sequence[Tag]) -> list[Candidate]:
    """Person names as jieba tags them (nr, nrfg, nrt), adjacent pieces joined."""
    out: list[Candidate] = []
    for word, flag, start in tags:
        if not flag.startswith("nr") or (len(word) < 2 and not out):
            continue
        if out and out[-1].end == start:
            prev = out.pop()
            out.append(Candidate(prev.text + word, prev.start, start + len(word), "person"))
        else:
            out.append(Candidate(word, start, start + len(word), "person"))
    return [c for c in out if len(c.text) >= 2]


def _is_name_part(word: str, flag: str) -> bool:
    # z: jieba's status words, such as 湿地 in 城东湿地公园
    return flag.startswith(("n", "j")) or (flag in ("m", "b", "vn", "l", "s", "f", "a", "z") and word not in ("的",))


GENERIC_HEADS = frozenset(("单位", "地方", "机构", "部门", "组织", "地区"))


def places(tags: Sequence[Tag], head: str | None) -> list[Candidate]:
    """Noun chunks that end in the asked-for head (哪个派出所 → 东海县公安局曲阳派出所); with no
    specific head, chunks ending in an organisation or place suffix or tagged as one."""
    specific = head if head and head not in GENERIC_HEADS else None
    out = []
    for i, (word, flag, start) in enumerate(tags):
        if specific:
            is_place = word.endswith(specific) or (specific.endswith(word) and len(word) >= 2)
        else:
            is_place = bool(ORG_SUFFIX.search(word)) or flag in ("ns", "nt")
        if not is_place:
            continue
        j = i
        while j > 0 and _is_name_part(*tags[j - 1][:2]) and start + len(word) - tags[j - 1][2] <= 16:
            j -= 1
        if j == i and not specific and flag not in ("ns", "nt") and ORG_SUFFIX.fullmatch(word):
            continue  # the suffix alone is a common noun, not a name (公司 of 公司计划在江苏常州新建…)
        out.append(Candidate("".join(t[0] for t in tags[j : i + 1]), tags[j][2], start + len(word), "place"))
    if specific and not out:
        return places(tags, None)
    return maximal(out)


def maximal(cands: list[Candidate]) -> list[Candidate]:
    """Drop candidates inside a longer one: 城东 inside 城东湿地公园 is not a separate answer."""
    return [
        c
        for c in cands
        if not any(o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start) for o in cands)
    ]


def _grab(tags: Sequence[Tag], i: int, step: int, target: int) -> tuple[int, int]:
    """Tokens from index i in direction step until `target` characters; stops at punctuation and
    particles. Returns the (first, last) token indices taken, or (i, i - step) when none."""
    taken, j, first = 0, i, i
    while 0 <= j < len(tags) and taken < target:
        word, flag, _ = tags[j]
        if not word.strip() or CLAUSE_BREAK.fullmatch(word) or word in "、“”《》（）()" or word in CONNECTORS:
            break
        if flag.startswith(PARTICLE_FLAGS) and not word.isalnum():
            break
        if flag.startswith(("u", "p", "c", "y")) or word in ("等", "等等", "了", "的"):
            break
        taken += len(word)
        first = j
        j += step
    return (first, i) if step < 0 else (i, first)


def enumerations(text: str, tags: Sequence[Tag]) -> list[Candidate]:
    """A、B、C(和D) runs, each item as long as its neighbours; and juxtaposed titles 《A》《B》."""
    out = list(_spans(TITLES, text, "list"))
    seps = [k for k, (w, _, _) in enumerate(tags) if w == "、"]
    runs: list[list[int]] = []
    for k in seps:
        if runs and k - runs[-1][-1] <= 6 and "，" not in "".join(t[0] for t in tags[runs[-1][-1] : k]):
            runs[-1].append(k)
        else:
            runs.append([k])
    for run in runs:
        cand = _enumeration(text, tags, run)
        if cand:
            out.append(cand)
    return out


def _enumeration(text: str, tags: Sequence[Tag], seps: list[int]) -> Candidate | None:
    first_sep, last_sep = seps[0], seps[-1]
    middle = [tags[a + 1 : b] for a, b in itertools.pairwise(seps)]
    typical = max(2, min((sum(len(t[0]) for t in item) for item in middle), default=2))
    lo, _ = _grab(tags, first_sep - 1, -1, typical)
    _, hi = _grab(tags, last_sep + 1, 1, typical)
    # The verb that takes a list of things is no part of its first item (调拨帐篷800顶、棉被5000床…);
    # a list of doings keeps it (打击犯罪, 巡逻值守 of 巡逻值守、物资配送).
    verbal = any(tags[k + 1][1].startswith("v") for k in seps if k + 1 < len(tags))
    if lo < first_sep - 1 and tags[lo][1].startswith("v") and tags[lo + 1][1].startswith("n") and not verbal:
        lo += 1
    if lo >= first_sep or hi <= last_sep:
        return None
    # "B和C" after the last 、: take the connector and one more item.
    if hi + 2 < len(tags) and tags[hi + 1][0] in CONNECTORS:
        _, more = _grab(tags, hi + 2, 1, typical)
        if more > hi + 1:
            hi = more
    start, end = tags[lo][2], tags[hi][2] + len(tags[hi][0])
    return Candidate(text[start:end], start, end, "list")


def clauses(text: str) -> list[Candidate]:
    """The sentence's clauses (between commas, semicolons, colons), trimmed."""
    out, begin = [], 0
    for m in [*CLAUSE_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[begin:end]
        s = begin + len(chunk) - len(chunk.lstrip(" “”\"'"))
        e = end - (len(chunk) - len(chunk.rstrip(" “”\"'")))
        if e > s:
            out.append(Candidate(text[s:e], s, e, "clause"))
        begin = m.end() if m else end
    return out


def _overlaps(span: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)
