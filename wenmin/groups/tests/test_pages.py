"""The group pages as their users read them: who may open which group, pasting and uploading,
opening cases, and figures that each link to the list they count."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Case
from wenmin.core.models import User
from wenmin.groups.models import GroupImport, GroupMessage, SourceKind
from wenmin.groups.services import group_chat_import, group_messages_open_cases
from wenmin.groups.testing import Groups
from wenmin.testing import CaseDesk

LIST = reverse("groups:list")
CHAT = (
    "张阿姨 2024/5/3 14:22\n村口路灯坏了\n"
    "老王 2024/5/3 14:25\n收到\n"
    "刘师傅 2024/5/3 14:30\n三组水管漏水，没人管\n"
)


def page_of(groups: Groups) -> str:
    return reverse("groups:group", args=[groups.village_group.pk])


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["branch_secretary", "township_clerk", "administrator"])
def test_the_cadre_township_staff_and_administrator_open_the_group(
    client: Client, desk: CaseDesk, groups: Groups, who: str
) -> None:
    user = getattr(desk.county, who)
    assert _as(client, user).get(page_of(groups)).status_code == 200
    assert "青石村民情微群" in _text(client.get(LIST))


def test_another_townships_clerk_gets_404_and_no_list_entry(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    _as(client, desk.county.other_township_clerk)
    assert client.get(page_of(groups)).status_code == 404
    assert (
        client.post(
            reverse("groups:paste", args=[groups.village_group.pk]), {"text": CHAT}
        ).status_code
        == 404
    )
    listed = _text(client.get(LIST))
    assert "青石村民情微群" not in listed
    assert "白沙乡环境整治工作群" in listed
    assert GroupImport.objects.count() == 0


def test_another_branch_secretary_gets_404(client: Client, desk: CaseDesk, groups: Groups) -> None:
    # 王建国 runs 白沙乡's work group: only that one is his.
    other = User.objects.create_user(
        username="baisha-secretary",
        password="x",
        role="branch_secretary",
        unit=desk.county.branch_b,
        person=desk.county.member_b,
    )
    _as(client, other)
    assert client.get(page_of(groups)).status_code == 404
    assert client.get(reverse("groups:group", args=[groups.other_group.pk])).status_code == 200


@pytest.mark.parametrize("who", ["department_clerk", "leader", "resident"])
def test_other_roles_are_refused(client: Client, desk: CaseDesk, groups: Groups, who: str) -> None:
    assert _as(client, getattr(desk.county, who)).get(page_of(groups)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client, groups: Groups) -> None:
    assert client.get(page_of(groups)).status_code == 302


def test_the_cadre_pastes_a_chat_and_sees_the_requests_marked_with_why(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    _as(client, desk.county.branch_secretary)
    response = client.post(reverse("groups:paste", args=[groups.village_group.pk]), {"text": CHAT})
    assert response.status_code == 302
    shown = _text(client.get(response["Location"]))
    assert "3 条消息" in shown or "3 messages read" in shown
    rows = re.findall(r"<tr data-message=.*?</tr>", shown, re.S)
    assert len(rows) == 2  # the marked ones: 收到 is a reply
    assert "村口路灯坏了" in rows[1] and "三组水管漏水" in rows[0]
    assert "坏了、路灯" in rows[1]


def test_a_malformed_paste_shows_the_line_and_saves_nothing(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    _as(client, desk.county.branch_secretary)
    response = client.post(
        reverse("groups:paste", args=[groups.village_group.pk]), {"text": "路灯坏了\n" + CHAT}
    )
    assert response.status_code == 400
    assert re.search(r"(第 1 行|Line 1)", _text(response))
    assert GroupMessage.objects.count() == 0


def test_an_upload_with_a_column_mapping_is_brought_in(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    _as(client, desk.county.township_clerk)
    data = "谁,几点,说了啥\n张阿姨,2024/5/3 14:22,村口路灯坏了\n".encode("gb18030")
    response = client.post(
        reverse("groups:upload", args=[groups.village_group.pk]),
        {
            "file": SimpleUploadedFile("chat.csv", data, content_type="text/csv"),
            "sender_column": "谁",
            "time_column": "几点",
            "text_column": "说了啥",
        },
    )
    assert response.status_code == 302
    assert GroupImport.objects.get().source == SourceKind.CSV
    assert GroupMessage.objects.get().sender == "张阿姨"


def test_selected_messages_open_cases_from_the_page(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    ids = list(GroupMessage.objects.filter(looks_like_request=True).values_list("id", flat=True))
    _as(client, desk.county.branch_secretary)
    response = client.post(
        reverse("groups:open_cases", args=[groups.village_group.pk]), {"message": ids, "phone": ""}
    )
    assert response.status_code == 302
    assert Case.objects.filter(channel="sentiment_group").count() == 2
    shown = _text(client.get(response["Location"]))
    for case in Case.objects.all():
        assert case.number in shown


def test_a_refused_selection_says_why(client: Client, desk: CaseDesk, groups: Groups) -> None:
    _as(client, desk.county.branch_secretary)
    url = reverse("groups:open_cases", args=[groups.village_group.pk])
    response = client.post(url, {"message": ["abc"]})
    assert response.status_code == 400
    response = client.post(url, {})
    assert response.status_code == 400
    assert "至少" in _text(response) or "at least" in _text(response)
    assert Case.objects.count() == 0


def _count_links(text: str) -> dict[str, tuple[str, int]]:
    found = re.findall(r'<a href="([^"]+)" data-count="([^"]+)"><span class="n">(\d+)</span>', text)
    return {name: (href, int(n)) for href, name, n in found}


def _rows(client: Client, href: str) -> int:
    return len(re.findall(r'<tr data-message="', _text(client.get(href))))


def test_every_figure_links_to_exactly_the_list_it_counts(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    marked = list(GroupMessage.objects.filter(looks_like_request=True).order_by("sent_at"))
    lamp, pipe = group_messages_open_cases(
        group=groups.village_group, message_ids=[m.pk for m in marked], actor=None
    )
    cases.case_reject(case=lamp, actor=desk.dispatcher, reason="unreasonable", note="无理")
    _as(client, desk.county.township_clerk)
    figures = _count_links(_text(client.get(page_of(groups))))
    assert {name: n for name, (_, n) in figures.items()} == {
        "messages": 3,
        "marked": 2,
        "cases": 2,
        "state-collected": 1,
        "state-rejected": 1,
    }
    for href, n in figures.values():
        assert _rows(client, href) == n, href
    listed = _text(client.get(LIST))
    row = re.search(rf'<tr data-group="{groups.village_group.pk}">.*?</tr>', listed, re.S)
    assert row is not None
    for name, n in (("messages", 3), ("marked", 2), ("cases", 2)):
        link = re.search(rf'<a href="([^"]+)" data-count="{name}">(\d+)</a>', row.group(0))
        assert link is not None and int(link.group(2)) == n
        assert _rows(client, html.unescape(link.group(1))) == n


def test_the_list_takes_the_same_queries_however_many_groups(
    client: Client, desk: CaseDesk, groups: Groups, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    group_chat_import(group=groups.other_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    _as(client, desk.county.administrator)
    client.get(LIST)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_the_list_finds_groups_by_name_and_kind(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    _as(client, desk.county.administrator)
    found = _text(client.get(LIST, {"q": "青石"}))
    assert "青石村民情微群" in found and "白沙乡环境整治工作群" not in found
    found = _text(client.get(LIST, {"kind": "work_group"}))
    assert "青石村民情微群" not in found and "白沙乡环境整治工作群" in found
    assert "没有匹配的群" in _text(client.get(LIST, {"q": "无此群"}))


def test_the_group_page_takes_the_same_queries_however_many_cases(
    client: Client, desk: CaseDesk, groups: Groups, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    ids = list(GroupMessage.objects.values_list("id", flat=True))
    group_messages_open_cases(group=groups.village_group, message_ids=ids, actor=None)
    _as(client, desk.county.township_clerk)
    client.get(page_of(groups), {"show": "all"})
    with django_assert_max_num_queries(16):
        assert client.get(page_of(groups), {"show": "all"}).status_code == 200


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ("导入群聊记录", "为选中的消息立案", "含求助用语")),
        (
            "en",
            ("Bring the conversation in", "Open cases for the selected messages", "Words people"),
        ),
    ],
)
def test_the_group_page_speaks_chinese_and_english(
    client: Client, desk: CaseDesk, groups: Groups, settings, language: str, words: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = language
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    shown = _text(_as(client, desk.county.branch_secretary).get(page_of(groups)))
    for word in words:
        assert word in shown
