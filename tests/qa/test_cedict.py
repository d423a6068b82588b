"""CC-CEDICT senses: cleaned to a translation, looked up a few words at a time."""

import pytest

from qa.cedict import clean_sense, proper_nouns_reading, senses, words_naming


@pytest.mark.parametrize(
    ("sense", "cleaned"),
    [
        ("to provide", "provide"),
        ("mask (surgical etc)", "mask"),
        ("correct; right; true", "correct"),
        ("Wuhan city on Changjiang, subprovincial city and capital of Hubei province", "Wuhan"),
        ("CL:個|个[ge4]", ""),
        ("variant of 罩[zhao4]", ""),
        ("to receive (praise, an education, punishment etc)", "receive"),
        ("to be ...ed", ""),
    ],
)
def test_clean_sense(sense: str, cleaned: str) -> None:
    assert clean_sense(sense) == cleaned


def test_senses_of_a_few_words_in_one_lookup() -> None:
    found = senses(["手套", "派出所", "没有这个词语"])
    assert "glove" in found["手套"]
    assert any("police station" in s for s in found["派出所"])
    assert found["没有这个词语"] == ()
    assert senses(["手套"]) == {"手套": found["手套"]}  # the second time from what was found


def test_words_naming_a_class_and_its_kinds_but_not_acts_on_it() -> None:
    assert "医院" in words_naming("hospital")
    assert "出院" not in words_naming("hospital")  # "leave hospital"
    assert "派出所" in words_naming("Police  Station")  # by its sense "local police station"
    assert words_naming("no such class of things") == ()


def test_proper_nouns_a_pinyin_name_may_spell() -> None:
    assert proper_nouns_reading(("shang", "hai")) == ("上海",)
    assert "武汉" in proper_nouns_reading(("wu", "han"))
    assert proper_nouns_reading(("chi", "na")) == ()  # English words that spell pinyin name nothing
    assert proper_nouns_reading(()) == ()
