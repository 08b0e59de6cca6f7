"""Reading WeChat's desktop copy and chat exports; pure, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from wenmin.groups.parsing import (
    HEADER,
    NOTICE,
    TIME_LINE,
    Chat,
    ChatFormatError,
    Columns,
    chat_parse,
    decoded,
    table_parse,
)

ZONE = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2024, 5, 6, 10, 0, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def at(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=ZONE)


def parse(text: str) -> Chat:
    return chat_parse(text, now=NOW, zone=ZONE)


def test_desktop_copy_with_dates_splits_into_messages() -> None:
    chat = parse("张阿姨 2024/5/3 14:22\n村口路灯坏了\n老王 2024/5/3 14:25\n收到\n")
    assert [(m.sender, m.sent_at, m.text) for m in chat.messages] == [
        ("张阿姨", at(2024, 5, 3, 14, 22), "村口路灯坏了"),
        ("老王", at(2024, 5, 3, 14, 25), "收到"),
    ]
    assert [m.line for m in chat.messages] == [1, 3]


def test_a_message_over_several_lines_keeps_its_lines() -> None:
    chat = parse("刘师傅 2024-05-03 09:05:30\n第一行\n\n第三行\n老王 2024-05-03 09:06:00\n好\n")
    assert chat.messages[0].text == "第一行\n\n第三行"
    assert chat.messages[0].sent_at == at(2024, 5, 3, 9, 5, 30)


def test_a_time_without_date_is_today_and_yesterday_is_yesterday() -> None:
    chat = parse("张阿姨 14:22\n今天的\n老王 昨天 8:03\n昨天的\n赵大姐 前天 下午3:10\n前天的\n")
    assert [m.sent_at for m in chat.messages] == [
        at(2024, 5, 6, 14, 22),
        at(2024, 5, 5, 8, 3),
        at(2024, 5, 4, 15, 10),
    ]


@pytest.mark.parametrize(
    ("stamp", "hour"),
    [("上午9:05", 9), ("中午12:30", 12), ("中午1:00", 13), ("下午12:10", 12), ("凌晨12:30", 0)],
)
def test_wechats_twelve_hour_times(stamp: str, hour: int) -> None:
    [message] = parse(f"张阿姨 2024/5/3 {stamp}\n好\n").messages
    assert message.sent_at.hour == hour


def test_chinese_dates_and_nicknames_with_spaces() -> None:
    chat = parse("Tom Li 2024年5月3日 下午2:22\nhello 路灯\n小 陈 5月4日 晚上8:00\n好的\n")
    assert [(m.sender, m.sent_at) for m in chat.messages] == [
        ("Tom Li", at(2024, 5, 3, 14, 22)),
        ("小 陈", at(2024, 5, 4, 20, 0)),
    ]


def test_forwarded_record_time_lines_and_nickname_colon_lines() -> None:
    chat = parse(
        "2024/5/3 14:22\n张阿姨：路灯坏了\n老王:\n收到\n明天去看\n2024/5/3 15:00\n赵大姐：谢谢"
    )
    assert [(m.sender, m.sent_at, m.text) for m in chat.messages] == [
        ("张阿姨", at(2024, 5, 3, 14, 22), "路灯坏了"),
        ("老王", at(2024, 5, 3, 14, 22), "收到\n明天去看"),
        ("赵大姐", at(2024, 5, 3, 15, 0), "谢谢"),
    ]


def test_colons_inside_a_headed_message_are_text() -> None:
    chat = parse("村委会 2024/5/3 14:22\n通知：明天停水\n注意：储水\n")
    assert len(chat.messages) == 1
    assert chat.messages[0].text == "通知：明天停水\n注意：储水"


def test_wechat_notices_are_left_out_and_counted() -> None:
    chat = parse(
        "张阿姨 2024/5/3 14:22\n路灯坏了\n老王撤回了一条消息\n"
        "小陈邀请王大爷加入了群聊\n王大爷 2024/5/3 14:30\n[图片]\n"
    )
    assert [m.text for m in chat.messages] == ["路灯坏了", "[图片]"]
    assert chat.notices == 2


def test_windows_line_ends_and_full_width_colon_in_time() -> None:
    chat = parse("张阿姨 2024/5/3 14：22\r\n路灯坏了\r\n")
    assert chat.messages[0].sent_at == at(2024, 5, 3, 14, 22)
    assert chat.messages[0].text == "路灯坏了"


def test_a_header_without_text_is_no_message() -> None:
    chat = parse("张阿姨 2024/5/3 14:22\n老王 2024/5/3 14:25\n收到\n")
    assert [m.sender for m in chat.messages] == ["老王"]


@pytest.mark.parametrize(
    ("paste", "line", "words"),
    [
        ("路灯坏了\n张阿姨 2024/5/3 14:22\n好\n", 1, "no sender and time"),
        ("张阿姨 2024/5/3 14:22\n好\n老王 2024/13/40 14:25\n收到\n", 3, "not a date"),
        ("张阿姨 2024/5/3 25:22\n好\n", 1, "not a date"),
        ("张阿姨 2030/5/3 14:22\n好\n", 1, "future"),
        ("张阿姨：路灯坏了\n", 1, "no time before"),
        ("张阿姨 2024/5/3 14:22\n" + "长" * 4001 + "\n", 1, "longer than"),
        ("张阿姨 2024/5/3 14:22\n好\x1b[2J\n", 1, "control character"),
    ],
    ids=["text first", "no such day", "no such hour", "future", "no time", "long", "control"],
)
def test_a_malformed_paste_is_refused_with_its_line(paste: str, line: int, words: str) -> None:
    with pytest.raises(ChatFormatError) as refused:
        parse(paste)
    assert refused.value.line == line
    assert words in refused.value.message
    assert str(refused.value).startswith(f"Line {line}: ")


def test_an_empty_paste_is_refused() -> None:
    with pytest.raises(ChatFormatError) as refused:
        parse("\n\n  \n")
    assert refused.value.line == 0


# Table exports --------------------------------------------------------------------------------

CSV = 'NickName,StrTime,StrContent\n张阿姨,2024-05-03 14:22:05,村口路灯坏了\n老王,2024-05-03 14:25:00,"收到,\n明天看"\n'


def test_a_csv_export_with_known_headers_needs_no_mapping() -> None:
    chat = table_parse(CSV.encode(), columns=Columns(), now=NOW, zone=ZONE)
    assert [(m.sender, m.sent_at, m.text) for m in chat.messages] == [
        ("张阿姨", at(2024, 5, 3, 14, 22, 5), "村口路灯坏了"),
        ("老王", at(2024, 5, 3, 14, 25), "收到,\n明天看"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030_are_read(encoding: str) -> None:
    data = "谁\t几点\t说了啥\n张阿姨\t2024/5/3 14:22\t路灯坏了\n".encode(encoding)
    chat = table_parse(
        data, columns=Columns(sender="谁", time="几点", text="说了啥"), now=NOW, zone=ZONE
    )
    assert [(m.sender, m.text) for m in chat.messages] == [("张阿姨", "路灯坏了")]


def test_columns_by_number_and_unix_times() -> None:
    data = b"a,b,c,d\nx,1714717320,zhang,lamp broken\n"
    chat = table_parse(data, columns=Columns(sender="3", time="2", text="4"), now=NOW, zone=ZONE)
    assert chat.messages[0].sender == "zhang"
    assert chat.messages[0].sent_at == dt.datetime.fromtimestamp(1714717320, tz=ZONE)


def test_an_unknown_column_names_the_columns_there_are() -> None:
    with pytest.raises(ChatFormatError) as refused:
        table_parse(b"a,b,c\n1,2,3\n", columns=Columns(sender="who"), now=NOW, zone=ZONE)
    assert "a、b、c" in refused.value.message
    assert refused.value.line == 1


def test_a_bad_row_is_refused_with_its_row_number() -> None:
    data = (CSV + "赵大姐,not a time,垃圾没人清\n").encode()
    with pytest.raises(ChatFormatError) as refused:
        table_parse(data, columns=Columns(), now=NOW, zone=ZONE)
    # The row a spreadsheet shows (the quoted message above spans two lines of the file).
    assert refused.value.line == 4


def test_a_file_that_is_not_text_is_refused() -> None:
    with pytest.raises(ChatFormatError):
        decoded(b"\xff\xfe\x00\xd8\x00\x00\x81\x30")


# What WeChat copies, read back -----------------------------------------------------------------

EARLIEST = dt.datetime(2020, 1, 1)  # noqa: DTZ001
LATEST = dt.datetime(2024, 5, 5)  # noqa: DTZ001
_NICK = st.text(
    alphabet=st.sampled_from("张王李赵刘陈小老阿姨师傅ABCxyz_·"), min_size=1, max_size=12
)
_LINE = st.text(
    alphabet=st.sampled_from("路灯坏了水管漏没人管好的收到请问？?！，。 1234abc:：[]图片"),
    min_size=1,
    max_size=40,
).map(str.strip)


def _plain(line: str) -> bool:
    """A text line the copy format cannot mistake for a header, a time line or a notice."""
    return bool(line) and not (HEADER.match(line) or TIME_LINE.match(line) or NOTICE.search(line))


@given(
    st.lists(
        st.tuples(
            _NICK,
            # Naive: hypothesis bounds its datetimes so; the copy shows the local wall time.
            st.datetimes(min_value=EARLIEST, max_value=LATEST),
            st.lists(_LINE.filter(_plain), min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_what_wechat_copies_reads_back_as_the_same_messages(
    sent: list[tuple[str, dt.datetime, list[str]]],
) -> None:
    copied = "".join(
        f"{nick} {when:%Y/%m/%d %H:%M}\n" + "\n".join(lines) + "\n" for nick, when, lines in sent
    )
    chat = chat_parse(copied, now=NOW, zone=ZONE)
    assert [(m.sender, m.sent_at, m.text) for m in chat.messages] == [
        (nick, when.replace(second=0, microsecond=0, tzinfo=ZONE), "\n".join(lines))
        for nick, when, lines in sent
    ]


@pytest.mark.parametrize(
    "when", ["明天下午 3:00", "后天 10:00", "周五 9:30", "星期六上午 10:00", "8号 14:00"]
)
def test_a_line_naming_a_time_inside_a_message_is_its_text(when: str) -> None:
    chat = parse(f"村委会 2024/5/3 14:22\n开会通知\n{when}\n在村部\n老王 2024/5/3 14:30\n收到\n")
    assert [(m.sender, m.text) for m in chat.messages] == [
        ("村委会", f"开会通知\n{when}\n在村部"),
        ("老王", "收到"),
    ]
