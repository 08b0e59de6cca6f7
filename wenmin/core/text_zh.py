"""Chinese text as words: one tokeniser for every module that reads what residents write.

jieba segments the text (its dictionary is loaded once per process, quietly); punctuation,
digits-only tokens and a short list of function words are dropped, so "村口那段路一下雨就全是泥"
gives words like 村口, 路, 下雨, 泥. Latin words are lower-cased. Nothing leaves the machine.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

_lock = threading.Lock()
_ready = False

# Function words and the fillers of spoken complaints: they say nothing about the problem.
_STOPWORD_TEXT = """
    的 了 是 在 和 与 及 或 也 都 就 还 又 很 太 更 最 把 被 给 让 对 向 从 到 为 以 于 之 其
    这 那 这个 那个 这些 那些 这里 那里 这样 那样 什么 怎么 怎么办 为什么 如何 哪里 哪个
    我 你 他 她 它 我们 你们 他们 她们 大家 自己 本人 咱们 人家
    啊 吧 呢 吗 嘛 呀 哦 哈 啦 喽 哎 唉 嗯
    一个 一些 有些 有点 一下 一直 已经 现在 目前 还是 但是 可是 因为 所以 如果 虽然 而且 并且
    没有 不是 不能 不会 能 会 要 想 请 请问 希望 麻烦 谢谢 感谢 您好 你好 领导 同志 反映 问题
    有 没 不 被 等 等等 上 下 里 中 个 次 年 月 日 号 天 时候 多 少 好 能否 可以 是否 一 二
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_NUMBER = re.compile(r"^[\d.]+$")


def _jieba():  # type: ignore[no-untyped-def]
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def tokens(text: str) -> list[str]:
    """The words of TEXT that carry meaning, in order (repeats kept)."""
    if not text:
        return []
    out: list[str] = []
    for word in _jieba().lcut(text, HMM=True):
        word = word.strip().lower()
        if not word or word in STOPWORDS or _PUNCT.match(word) or _NUMBER.match(word):
            continue
        out.append(word)
    return out


def shingles(text: str, size: int = 2) -> set[str]:
    """Character n-grams of TEXT without spaces or punctuation (near-duplicate signatures)."""
    compact = "".join(filter(str.isalnum, text))
    if len(compact) <= size:
        return {compact} if compact else set()
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


@lru_cache(maxsize=4096)
def _cached(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


def analyzer(text: str) -> list[str]:
    """scikit-learn's `analyzer=` for TfidfVectorizer / CountVectorizer (cached per text)."""
    return list(_cached(text))


def top_shared(a: Iterable[str], b: Iterable[str], limit: int = 5) -> list[str]:
    """The words two texts share, longest first: the 'why' shown beside a similarity score."""
    shared = set(a) & set(b)
    return sorted(shared, key=lambda w: (-len(w), w))[:limit]
