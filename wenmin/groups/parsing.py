"""Split a WeChat group conversation into messages; pure, no database.

Two sources. A paste of WeChat's desktop copy: a header line "昵称 2024/5/3 14:22" (or "昵称 14:22"
for today, "昵称 昨天 14:22", "昵称 2024年5月3日 下午2:22") followed by the message's lines; or, in
a forwarded chat record, a time line of its own ("2024/5/3 14:22") and then "昵称：text" lines.
And a table export (CSV or tab-separated text, UTF-8 with or without BOM, or GB18030) whose sender,
time and text columns the cadre names (by header or by number) or leaves to be found.

A paste that cannot be read is refused whole, with the line it stopped at: nothing is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wenmin.core.validators import text_problem

MAX_MESSAGES = 5000
MAX_TEXT = 4000
MAX_SENDER = 64
MAX_BYTES = 5 * 1024 * 1024

_TIME = (
    r"(?P<ampm>上午|下午|中午|晚上|凌晨|早上)?\s*"
    r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:[:：](?P<second>\d{2}))?"
)
_DATE = (
    r"(?:(?P<year>\d{4})\s*[/\-.年]\s*(?P<month>\d{1,2})\s*[/\-.月]\s*(?P<day>\d{1,2})\s*日?"
    r"|(?P<md_month>\d{1,2})月(?P<md_day>\d{1,2})日"
    r"|(?P<relative>昨天|前天|今天))"
)
_STAMP = rf"(?:{_DATE}\s*)?{_TIME}"
HEADER = re.compile(rf"^(?P<sender>\S.{{0,{MAX_SENDER - 1}}}?)\s+{_STAMP}$")
TIME_LINE = re.compile(rf"^{_STAMP}$")
# "明天下午 3:00" in a message is a time the text names, not "昵称 时间": no nickname ends with a
# day or a part of the day.
WHEN_WORD_END = re.compile(
    r"(上午|下午|中午|晚上|凌晨|早上|傍晚|明天|后天|今天|昨天|前天|周[一二三四五六日天]|"
    r"星期[一二三四五六日天]|礼拜[一二三四五六日天]|\d+[点号日])$"
)
COLON_LINE = re.compile(r"^(?P<sender>[^\s：:][^：:]{0,63}?)\s*[：:]\s*(?P<text>.*)$")
# WeChat's own notices: not anyone's message.
NOTICE = re.compile(
    r"(撤回了一条消息|邀请.+加入了群聊|通过扫描.*二维码加入群聊|加入了群聊|移出了群聊|"
    r"修改群名为|已成为新群主|与群里其他人都不是(?:微信)?朋友关系|"
    r"^以上是打招呼的内容$|^以下为新消息$|^—+\s*以下是新消息\s*—+$|拍了拍)"
)
# A message that is only an attachment's placeholder.
MEDIA = re.compile(
    r"^(\[(图片|表情|动画表情|语音|视频|文件|位置|链接|小程序|红包|转账|聊天记录|名片|音乐)\]\s*)+$"
)


class ChatFormatError(ValueError):
    """The conversation could not be read; `line` is 1-based (0: the whole input)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass(frozen=True)
class ChatMessage:
    line: int
    sender: str
    sent_at: dt.datetime
    text: str


@dataclass
class Chat:
    """What a conversation held: its messages and how many of WeChat's notices were left out."""

    messages: list[ChatMessage] = field(default_factory=list)
    notices: int = 0


def normalised(text: str) -> str:
    """NFKC (full-width letters and digits), line ends unified, spaces collapsed, trimmed."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip()


def is_media(text: str) -> bool:
    return bool(MEDIA.match(text.strip()))


def _stamp(match: re.Match[str], *, today: dt.date, zone: dt.tzinfo, line: int) -> dt.datetime:
    parts = match.groupdict()
    day = today
    if parts.get("year"):
        year, month, date_day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    elif parts.get("md_month"):
        year, month, date_day = today.year, int(parts["md_month"]), int(parts["md_day"])
    else:
        offset = {"昨天": 1, "前天": 2}.get(parts.get("relative") or "", 0)
        day = today - dt.timedelta(days=offset)
        year, month, date_day = day.year, day.month, day.day
    hour, minute = int(parts["hour"]), int(parts["minute"])
    second = int(parts["second"] or 0)
    ampm = parts.get("ampm") or ""
    if (ampm in ("下午", "晚上") and hour < 12) or (ampm == "中午" and hour < 11):
        hour += 12
    elif ampm in ("凌晨", "上午") and hour == 12:
        hour = 0
    try:
        return dt.datetime(year, month, date_day, hour, minute, second, tzinfo=zone)
    except ValueError:
        raise ChatFormatError(
            _("“%(text)s” is not a date and time.") % {"text": match.group(0).strip()},
            line=line,
        ) from None


def _checked(message: ChatMessage, *, now: dt.datetime) -> ChatMessage:
    text = message.text.strip("\n")
    if text_problem(text, multiline=True) or text_problem(message.sender):
        raise ChatFormatError(
            _("this message holds a control character, which cannot be stored."),
            line=message.line,
        )
    if len(text) > MAX_TEXT:
        raise ChatFormatError(
            _("a message is longer than %(max)s characters.") % {"max": MAX_TEXT},
            line=message.line,
        )
    if message.sent_at > now + dt.timedelta(days=1):
        raise ChatFormatError(_("this message's time is in the future."), line=message.line)
    return ChatMessage(line=message.line, sender=message.sender, sent_at=message.sent_at, text=text)


class _Reader:
    """Collects messages line by line; one message is open at a time."""

    def __init__(self, *, now: dt.datetime, zone: dt.tzinfo) -> None:
        self.now = now
        self.zone = zone
        self.today = now.astimezone(zone).date()
        self.chat = Chat()
        self.sender = ""
        self.sent_at: dt.datetime | None = None
        self.start = 0
        self.lines: list[str] = []

    def close(self) -> None:
        if self.sender and self.sent_at is not None:
            text = "\n".join(self.lines).strip()
            if text:
                message = ChatMessage(self.start, self.sender, self.sent_at, text)
                self.chat.messages.append(_checked(message, now=self.now))
                if len(self.chat.messages) > MAX_MESSAGES:
                    raise ChatFormatError(
                        _("more than %(max)s messages at once: bring the conversation in parts.")
                        % {"max": MAX_MESSAGES},
                        line=self.start,
                    )
        self.sender, self.lines = "", []

    def open(self, sender: str, sent_at: dt.datetime, number: int, first: str = "") -> None:
        self.close()
        self.sender, self.sent_at, self.start = sender.strip()[:MAX_SENDER], sent_at, number
        self.lines = [first] if first else []

    def stamp(self, match: re.Match[str], number: int) -> dt.datetime:
        return _stamp(match, today=self.today, zone=self.zone, line=number)


def _header(line: str) -> re.Match[str] | None:
    """The line as "昵称 时间", or None: a "nickname" that ends with a day or a part of the day
    ("明天下午 3:00", "周五 9:30") is a message's text naming a time."""
    match = HEADER.match(line)
    if match is None or TIME_LINE.match(line) or WHEN_WORD_END.search(match.group("sender")):
        return None
    return match


def chat_parse(text: str, *, now: dt.datetime, zone: dt.tzinfo) -> Chat:
    """The messages of a pasted conversation (or a text export in the same shape)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # With any "昵称 时间" header the paste is of that shape, and "x：y" lines are text in it.
    headed = any(_header(line.strip()) for line in lines)
    reader = _Reader(now=now, zone=zone)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            if reader.lines:
                reader.lines.append("")
            continue
        if NOTICE.search(line):
            reader.close()
            reader.chat.notices += 1
            continue
        if time_line := TIME_LINE.match(line):
            reader.close()
            reader.sent_at = reader.stamp(time_line, number)
            continue
        if headed and (header := _header(line)):
            reader.open(header.group("sender"), reader.stamp(header, number), number)
            continue
        if not headed and (colon := COLON_LINE.match(line)):
            if reader.sent_at is None:
                raise ChatFormatError(
                    _("no time before this message: start with a line like “2024/5/3 14:22”."),
                    line=number,
                )
            reader.open(colon.group("sender"), reader.sent_at, number, colon.group("text"))
            continue
        if not reader.sender:
            raise ChatFormatError(
                _(
                    "this text has no sender and time before it. WeChat's copy starts each "
                    "message with a line like “昵称 2024/5/3 14:22”."
                ),
                line=number,
            )
        reader.lines.append(line)
    reader.close()
    if not reader.chat.messages and not reader.chat.notices:
        raise ChatFormatError(
            _(
                "No messages found. Paste the conversation as WeChat copies it: a line “昵称 时间”, then the text."
            )
        )
    return reader.chat


# Table exports ---------------------------------------------------------------------------------

SENDER_HEADERS = (
    "nickname",
    "sender",
    "昵称",
    "发送人",
    "发送者",
    "群昵称",
    "remark",
    "备注",
    "talker",
)
TIME_HEADERS = ("strtime", "time", "时间", "发送时间", "日期", "createtime", "date")
TEXT_HEADERS = ("strcontent", "content", "text", "message", "内容", "消息", "消息内容", "聊天内容")


def decoded(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030; refused otherwise."""
    if len(data) > MAX_BYTES:
        raise ChatFormatError(
            _("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ChatFormatError(
            _("The file is neither UTF-8 nor GB18030 text: save it as CSV (UTF-8) and try again.")
        ) from None


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max(("\t", ",", ";"), key=first.count)


def _column(header: Sequence[str], chosen: str, known: Iterable[str], label: str) -> int:
    names = [normalised(name).lower() for name in header]
    chosen = normalised(chosen).lower()
    if chosen:
        if chosen.isdecimal() and 1 <= int(chosen) <= len(header):
            return int(chosen) - 1
        if chosen in names:
            return names.index(chosen)
        raise ChatFormatError(
            _("There is no column “%(column)s” for the %(what)s. The columns are: %(columns)s.")
            % {"column": chosen, "what": label, "columns": "、".join(header)},
            line=1,
        )
    for name in known:
        if name in names:
            return names.index(name)
    raise ChatFormatError(
        _("Say which column holds the %(what)s. The columns are: %(columns)s.")
        % {"what": label, "columns": "、".join(header)},
        line=1,
    )


def _table_time(value: str, *, now: dt.datetime, zone: dt.tzinfo, line: int) -> dt.datetime:
    value = value.strip()
    if value.isdecimal() and 9 <= len(value) <= 13:
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, tz=zone)
    match = TIME_LINE.match(value)
    if match is None:
        raise ChatFormatError(
            _("“%(text)s” is not a date and time.") % {"text": value[:40]}, line=line
        )
    return _stamp(match, today=now.astimezone(zone).date(), zone=zone, line=line)


@dataclass(frozen=True)
class Columns:
    """Which column holds what (a header name or a 1-based number; blank: found by its header)."""

    sender: str = ""
    time: str = ""
    text: str = ""


def table_parse(data: bytes, *, columns: Columns, now: dt.datetime, zone: dt.tzinfo) -> Chat:
    """The messages of a CSV or tab-separated export, its first row naming the columns."""
    text = decoded(data).replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ChatFormatError(_("The file is not text."))
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    if len(rows) < 2:
        raise ChatFormatError(_("The file has no rows under its header."))
    header = rows[0]
    at = {
        "sender": _column(header, columns.sender, SENDER_HEADERS, pgettext("groups", "sender")),
        "time": _column(header, columns.time, TIME_HEADERS, _("time")),
        "text": _column(header, columns.text, TEXT_HEADERS, _("text")),
    }
    width = max(at.values()) + 1
    chat = Chat()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            raise ChatFormatError(
                _("this row has %(found)s columns, %(needed)s are needed.")
                % {"found": len(row), "needed": width},
                line=number,
            )
        body = row[at["text"]].strip()
        if NOTICE.search(body) and not row[at["sender"]].strip():
            chat.notices += 1
            continue
        sender = row[at["sender"]].strip()[:MAX_SENDER]
        if not sender:
            raise ChatFormatError(_("this row has no sender."), line=number)
        sent_at = _table_time(row[at["time"]], now=now, zone=zone, line=number)
        if not body:
            continue
        message = ChatMessage(number, sender, sent_at, body)
        chat.messages.append(_checked(message, now=now))
        if len(chat.messages) > MAX_MESSAGES:
            raise ChatFormatError(
                _("more than %(max)s messages at once: bring the conversation in parts.")
                % {"max": MAX_MESSAGES},
                line=number,
            )
    if not chat.messages and not chat.notices:
        raise ChatFormatError(_("The file has no messages."))
    return chat
