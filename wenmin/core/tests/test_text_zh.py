from wenmin.core.text_zh import analyzer, shingles, tokens, top_shared


def test_tokens_keep_the_words_of_a_spoken_complaint():
    words = tokens("村口那段路一下雨就全是泥，娃娃上学没法走")
    assert "村口" in words
    assert "泥" in words
    assert "，" not in words and "的" not in words and "就" not in words


def test_numbers_punctuation_and_empty_text_give_nothing():
    assert tokens("") == []
    assert tokens("123 ！！ 。。") == []


def test_latin_is_lower_cased_and_analyzer_agrees_with_tokens():
    assert "wifi" in tokens("村里WiFi信号差")
    text = "自来水管爆裂，停水两天"
    assert analyzer(text) == tokens(text)


def test_shingles_and_shared_words():
    assert shingles("停水了！") == {"停水", "水了"}
    assert shingles("水") == {"水"}
    assert top_shared(["自来水", "停水", "小区"], ["停水", "自来水", "路灯"]) == ["自来水", "停水"]
