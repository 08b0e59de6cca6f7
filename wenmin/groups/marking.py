"""Which messages look like a request for help: a few plain rules anyone can read and change.

A message is marked when it holds one of REQUEST_WORDS, or when it asks a question and is long
enough to be about something. Attachments and WeChat's placeholders never are, nor short replies
without such a word ("收到", "好的", "在吗？"). Each marked message keeps the rule and the words
that marked it, so the cadre sees why. Edit the word lists here; nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from wenmin.groups.models import RequestRule
from wenmin.groups.parsing import is_media, normalised

# Words residents use when they want something done, grouped only for reading.
REQUEST_WORDS: tuple[str, ...] = (
    # asking
    "反映",
    "投诉",
    "举报",
    "求助",
    "请问",
    "能不能",
    "可不可以",
    "能否",
    "希望",
    "麻烦",
    "帮忙",
    "帮帮",
    "建议",
    "咨询",
    "怎么办",
    "怎么处理",
    "什么时候",
    "何时",
    "多久",
    # something wrong
    "坏了",
    "损坏",
    "漏水",
    "停水",
    "停电",
    "没水",
    "没电",
    "堵了",
    "堵塞",
    "积水",
    "塌",
    "裂缝",
    "噪音",
    "扰民",
    "臭",
    "污染",
    "危险",
    "隐患",
    "没人管",
    "不管",
    "没人修",
    "乱停",
    "乱扔",
    "乱倒",
    "占道",
    "拖欠",
    "欠薪",
    "纠纷",
    # things people ask about
    "路灯",
    "垃圾",
    "下水道",
    "自来水",
    "水管",
    "电线",
    "道路",
    "路面",
    "坑",
    "桥",
    "低保",
    "医保",
    "社保",
    "补贴",
    "养老金",
    "户口",
    "证明",
)
QUESTION_MARKS = ("?", "？")
MIN_LENGTH = 6  # characters: shorter messages without a request word are replies
MIN_QUESTION_LENGTH = 8


@dataclass(frozen=True)
class Marking:
    looks_like_request: bool
    rule: str
    words: tuple[str, ...] = ()


def marking(text: str) -> Marking:
    """Whether a message looks like a request, and why."""
    clean = normalised(text)
    if is_media(clean):
        return Marking(False, RequestRule.MEDIA)
    words = tuple(word for word in REQUEST_WORDS if word in clean)
    if words:
        return Marking(True, RequestRule.KEYWORDS, words)
    if len(clean) < MIN_LENGTH:
        return Marking(False, RequestRule.SHORT)
    if len(clean) >= MIN_QUESTION_LENGTH and any(mark in clean for mark in QUESTION_MARKS):
        return Marking(True, RequestRule.QUESTION)
    return Marking(False, RequestRule.NONE)
