"""Selected messages become cases through the case intake, channel 民情微群."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wenmin.cases.models import Case, CaseEvent
from wenmin.core.models import AuditEvent
from wenmin.groups.models import GroupMessage, SourceKind
from wenmin.groups.services import group_chat_import, group_messages_open_cases
from wenmin.groups.testing import Groups
from wenmin.testing import CaseDesk

CHAT = (
    "张阿姨 2024/5/3 14:22\n村口路灯坏了\n"
    "刘师傅 2024/5/3 14:30\n三组水管漏水，没人管\n"
    "刘师傅 2024/5/3 14:31\n[图片]\n"
)


@pytest.fixture
def chat(groups: Groups) -> dict[str, GroupMessage]:
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    return {m.text: m for m in GroupMessage.objects.all()}


def test_each_selected_message_opens_its_own_case(
    groups: Groups, desk: CaseDesk, chat: dict[str, GroupMessage]
) -> None:
    lamp, pipe = chat["村口路灯坏了"], chat["三组水管漏水，没人管"]
    cases = group_messages_open_cases(
        group=groups.village_group,
        message_ids=[pipe.pk, lamp.pk],
        actor=desk.county.branch_secretary,
    )
    assert [case.content for case in cases] == ["村口路灯坏了", "三组水管漏水，没人管"]
    for case in cases:
        assert case.channel == "sentiment_group"
        assert case.region == desk.county.village_a
    lamp.refresh_from_db()
    assert lamp.case == cases[0]
    intake = CaseEvent.objects.get(case=cases[0], action="intake")
    assert intake.data["sender_nickname"] == "张阿姨"
    assert intake.data["group"] == groups.village_group.pk
    assert intake.data["group_name"] == "青石村民情微群"
    assert AuditEvent.objects.filter(action="group.case_open").count() == 2


def test_the_senders_phone_makes_them_the_requester(
    groups: Groups, desk: CaseDesk, chat: dict[str, GroupMessage]
) -> None:
    [case] = group_messages_open_cases(
        group=groups.village_group,
        message_ids=[chat["村口路灯坏了"].pk],
        actor=None,
        phone="13912345678",
    )
    assert case.requester is not None
    assert case.requester.phone == "13912345678"


def test_a_bad_phone_is_refused_and_no_case_opened(
    groups: Groups, chat: dict[str, GroupMessage]
) -> None:
    with pytest.raises(ValidationError) as refused:
        group_messages_open_cases(
            group=groups.village_group,
            message_ids=[chat["村口路灯坏了"].pk],
            actor=None,
            phone="12345",
        )
    assert "phone" in refused.value.message_dict
    assert Case.objects.count() == 0
    assert GroupMessage.objects.filter(case__isnull=False).count() == 0


def test_one_phone_for_two_senders_is_refused(
    groups: Groups, chat: dict[str, GroupMessage]
) -> None:
    with pytest.raises(ValidationError) as refused:
        group_messages_open_cases(
            group=groups.village_group,
            message_ids=[chat["村口路灯坏了"].pk, chat["三组水管漏水，没人管"].pk],
            actor=None,
            phone="13912345678",
        )
    assert "phone" in refused.value.message_dict
    assert Case.objects.count() == 0


def test_a_message_already_a_case_is_refused_with_its_number(
    groups: Groups, chat: dict[str, GroupMessage]
) -> None:
    lamp, pipe = chat["村口路灯坏了"], chat["三组水管漏水，没人管"]
    [first] = group_messages_open_cases(
        group=groups.village_group, message_ids=[lamp.pk], actor=None
    )
    with pytest.raises(ValidationError) as refused:
        group_messages_open_cases(
            group=groups.village_group, message_ids=[lamp.pk, pipe.pk], actor=None
        )
    assert first.number in refused.value.message_dict["messages"][0]
    assert Case.objects.count() == 1  # nor was the pipe's case opened


@pytest.mark.parametrize("what", ["nothing", "picture", "other group", "too many"])
def test_what_cannot_be_a_case_is_refused(
    groups: Groups, chat: dict[str, GroupMessage], what: str
) -> None:
    group_chat_import(group=groups.other_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    elsewhere = GroupMessage.objects.filter(group=groups.other_group).first()
    assert elsewhere is not None
    ids = {
        "nothing": [],
        "picture": [chat["[图片]"].pk],
        "other group": [chat["村口路灯坏了"].pk, elsewhere.pk],
        "too many": list(range(1, 60)),
    }[what]
    with pytest.raises(ValidationError) as refused:
        group_messages_open_cases(group=groups.village_group, message_ids=ids, actor=None)
    assert "messages" in refused.value.message_dict
    assert Case.objects.count() == 0
