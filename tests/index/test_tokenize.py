import jieba

from index.tokenize import STOPWORDS, WordTokenizer, char_bigrams, normalize


def test_normalize_folds_full_width_forms() -> None:
    assert normalize("１６万ＡＢ") == "16万ab"


def test_char_bigrams_cover_cjk_runs_and_keep_ascii_words() -> None:
    assert char_bigrams("口罩16万个") == ["口罩", "万个", "16"]
    assert char_bigrams("谁？") == []  # an interrogative alone says nothing
    assert "7" in char_bigrams("7×24小时") and "24" in char_bigrams("7×24小时")


def test_words_use_search_mode_and_drop_function_words() -> None:
    words = WordTokenizer().words("连云港市公安局发放了多少口罩？")
    assert "公安局" in words and "公安" in words  # search mode also yields the parts
    assert "口罩" in words
    assert not set(words) & {"了", "多少", "？"}
    assert all(w not in STOPWORDS for w in words)


def test_each_tokenizer_owns_its_jieba_instance() -> None:
    a, b = WordTokenizer(), WordTokenizer()
    assert a.jieba is not b.jieba
    assert a.jieba is not jieba.dt  # never the process-wide default
    a.jieba.add_word("连警心")
    assert a.jieba.FREQ.get("连警心") and not b.jieba.FREQ.get("连警心")
