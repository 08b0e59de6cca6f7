"""Which messages look like requests, and why; pure, no database."""

from __future__ import annotations

import pytest

from wenmin.groups.marking import marking
from wenmin.groups.models import RequestRule


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("村口那盏路灯坏了", ("坏了", "路灯")),
        ("三组水管漏水，没人管", ("漏水", "没人管", "水管")),
        ("垃圾桶满了能不能安排清一下", ("能不能", "垃圾")),
        ("我想反映一下噪音扰民的问题", ("反映", "噪音", "扰民")),
    ],
)
def test_request_words_mark_a_message_and_say_which(text: str, words: tuple[str, ...]) -> None:
    found = marking(text)
    assert found.looks_like_request
    assert found.rule == RequestRule.KEYWORDS
    assert set(words) <= set(found.words)


def test_a_long_enough_question_is_marked() -> None:
    found = marking("村里的体育器材谁负责维护？")
    assert (found.looks_like_request, found.rule) == (True, RequestRule.QUESTION)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("收到", RequestRule.SHORT),
        ("在吗？", RequestRule.SHORT),
        ("[图片]", RequestRule.MEDIA),
        ("[表情][表情]", RequestRule.MEDIA),
        ("今天天气真不错大家出去走走", RequestRule.NONE),
    ],
)
def test_replies_pictures_and_chatter_are_not_marked(text: str, rule: str) -> None:
    found = marking(text)
    assert (found.looks_like_request, found.rule) == (False, rule)


def test_full_width_question_marks_and_letters_count_as_plain_ones() -> None:
    assert marking("ＷＩＦＩ信号谁来修一下?").looks_like_request
