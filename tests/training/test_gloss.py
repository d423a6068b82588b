"""English training questions: CC-CEDICT senses, glossed questions, and the mix into training items."""

import random

import pytest

from qa.eval.squad import SquadQuestion
from training.calibrate import asked
from training.data import SquadItem
from training.gloss import AUXILIARIES, English, gloss_question, participle, plural
from training.glossary import lexicon, parse_entries

LEXICON = {"一共": ("altogether",), "发放": ("provide", "give"), "口罩": ("mask",), "武汉": ("Wuhan",)}


def test_parse_entries_keys_the_simplified_headword_and_drops_senses_that_mean_nothing() -> None:
    lines = [
        "# comment",
        "口罩 口罩 [kou3 zhao4] /mask (surgical etc)/CL:個|个[ge4]/",
        "發放 发放 [fa1 fang4] /to provide/to give/",
    ]
    assert list(parse_entries(iter(lines))) == [("口罩", ("mask",)), ("发放", ("provide", "give"))]


def test_gloss_fronts_the_question_word_and_drops_particles_and_measure_words() -> None:
    glossed = gloss_question("一共发放了多少个口罩？", LEXICON, random.Random(0))
    assert glossed.startswith("How many altogether ")
    assert glossed.endswith("mask?")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in glossed)  # 了 and 个 are gone


def test_gloss_keeps_a_word_the_dictionary_lacks() -> None:
    assert gloss_question("谁去武汉送药？", LEXICON, random.Random(0)).startswith("Who go to Wuhan ")
    assert "送药" in gloss_question("谁去武汉送药？", LEXICON, random.Random(0))


def test_the_bundled_dictionary_reads() -> None:
    lex = lexicon()
    assert len(lex) > 80_000
    assert lex["口罩"][0] == "mask"
    assert lex["副市长"] == ("deputy mayor",)


def _items() -> list[SquadItem]:
    context = "连云港市公安局发放口罩16万个。"
    start = context.index("16万个")
    return [SquadItem(f"问题{i}发放了多少口罩？", context, ("16万个",), start, start + 4) for i in range(200)]


def test_english_mix_replaces_about_its_fraction_and_keeps_the_answers() -> None:
    items = _items()
    mixed = English(0.25, seed=13).mix(items)
    changed = [m for m, it in zip(mixed, items, strict=True) if m.question != it.question]
    assert 30 <= len(changed) <= 70
    assert all(m.question.startswith("How many") for m in changed)
    assert [(m.context, m.answers, m.answer_start) for m in mixed] == [
        (it.context, it.answers, it.answer_start) for it in items
    ]
    assert English(0.25, seed=13).mix(items) == mixed  # the same seed, the same questions
    assert English(0.0, seed=13).mix(items) == items


def test_english_copies_keep_every_chinese_question() -> None:
    items = _items()
    mixed = English(0.25, seed=13, copies=True).mix(items)
    assert [m for m in mixed if not m.question.startswith("How")] == items
    assert mixed.count(items[0]) == 1 and 30 <= len(mixed) - len(items) <= 70


def test_english_fraction_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        English(1.5, seed=13)


def test_calibration_asks_the_same_questions_glossed_when_told() -> None:
    questions = [SquadQuestion(f"q{i}", "一共发放了多少个口罩？", "p", ("16万个",)) for i in range(3)]
    assert asked(questions, english=False) == ["一共发放了多少个口罩？"] * 3
    glossed = asked(questions, english=True)
    assert len(glossed) == 3 and all(g.startswith("How many") and "mask" in g for g in glossed)
    assert asked(questions, english=True) == glossed  # its own fixed seed


def test_natural_gloss_asks_as_english_does() -> None:
    lex = {**LEXICON, "成立": ("establish",), "突击队": ("commando unit",)}
    many = gloss_question("一共发放了多少个口罩？", lex, random.Random(0), natural=True)
    assert many.startswith("How many masks ") and many.split()[3] in AUXILIARIES  # the noun, then an auxiliary
    when = {gloss_question("突击队是什么时候成立的？", lex, random.Random(seed), natural=True) for seed in range(20)}
    assert all(w.startswith("When ") and w.split()[1] in (*AUXILIARIES, "has") for w in when)
    assert any("established" in w for w in when) and any("the commando unit" in w for w in when)
    assert not any("ised" in w for w in when)  # 是 → "is" is a function word, never inflected


def test_participles_and_plurals() -> None:
    assert [participle(v) for v in ("provide", "go to", "carry", "form", "send")] == [
        "provided",
        "gone to",
        "carried",
        "formed",
        "sent",
    ]
    assert [plural(n) for n in ("mask", "batch", "supply", "goods", "police car")] == [
        "masks",
        "batches",
        "supplies",
        "goods",
        "police cars",
    ]
