"""Bringing a group's conversation in: split, deduplicated, marked; refused whole when unreadable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wenmin.core.models import AuditEvent
from wenmin.groups.models import GroupImport, GroupMessage, SourceKind
from wenmin.groups.services import group_chat_import
from wenmin.groups.testing import Groups
from wenmin.testing import CaseDesk

FIRST = "张阿姨 2024/5/3 14:22\n村口路灯坏了\n老王 2024/5/3 14:25\n收到\n"
LATER = "老王 2024/5/3 14:25\n收到\n赵大姐 2024/5/3 15:00\n垃圾没人清，能不能安排一下\n"


def bring_in(groups: Groups, desk: CaseDesk, text: str) -> GroupImport:
    return group_chat_import(
        group=groups.village_group,
        actor=desk.county.branch_secretary,
        source=SourceKind.PASTE,
        text=text,
    )


def test_a_paste_brings_in_its_messages_marked(groups: Groups, desk: CaseDesk) -> None:
    imported = bring_in(groups, desk, FIRST)
    assert (imported.read_count, imported.new_count, imported.skipped_count) == (2, 2, 0)
    assert imported.marked_count == 1
    lamp = GroupMessage.objects.get(sender="张阿姨")
    assert lamp.looks_like_request and lamp.request_rule == "keywords"
    assert lamp.request_words == "坏了、路灯"
    assert (
        AuditEvent.objects.filter(
            action="group.import", target_id=str(groups.village_group.pk)
        ).count()
        == 1
    )


def test_the_same_export_twice_adds_nothing(groups: Groups, desk: CaseDesk) -> None:
    bring_in(groups, desk, FIRST)
    again = bring_in(groups, desk, FIRST)
    assert (again.read_count, again.new_count, again.skipped_count) == (2, 0, 2)
    assert GroupMessage.objects.count() == 2


def test_overlapping_exports_add_only_the_new(groups: Groups, desk: CaseDesk) -> None:
    bring_in(groups, desk, FIRST)
    later = bring_in(groups, desk, LATER)
    assert (later.new_count, later.skipped_count) == (1, 1)
    assert list(GroupMessage.objects.order_by("sent_at").values_list("sender", flat=True)) == [
        "张阿姨",
        "老王",
        "赵大姐",
    ]


def test_a_paste_and_an_export_of_the_same_messages_are_the_same(
    groups: Groups, desk: CaseDesk
) -> None:
    bring_in(groups, desk, FIRST)
    # An export gives seconds and full-width spaces where the copy gave neither.
    data = "昵称,时间,内容\n张阿姨,2024-05-03 14:22:41,村口路灯坏了　\n".encode("gb18030")
    imported = group_chat_import(
        group=groups.village_group, actor=None, source=SourceKind.CSV, data=data
    )
    assert (imported.new_count, imported.skipped_count) == (0, 1)


def test_the_same_message_in_another_group_is_another_message(
    groups: Groups, desk: CaseDesk
) -> None:
    bring_in(groups, desk, FIRST)
    group_chat_import(group=groups.other_group, actor=None, source=SourceKind.PASTE, text=FIRST)
    assert GroupMessage.objects.count() == 4


def test_a_malformed_paste_is_refused_with_its_line_and_nothing_saved(
    groups: Groups, desk: CaseDesk
) -> None:
    with pytest.raises(ValidationError) as refused:
        bring_in(groups, desk, FIRST + "老王 2024/13/3 14:25\n收到\n")
    assert "5" in refused.value.message_dict["text"][0]
    assert GroupImport.objects.count() == 0
    assert GroupMessage.objects.count() == 0
    assert not AuditEvent.objects.filter(action="group.import").exists()


def test_a_text_export_is_read_like_a_paste(groups: Groups, desk: CaseDesk) -> None:
    imported = group_chat_import(
        group=groups.village_group,
        actor=None,
        source=SourceKind.TXT,
        data=("\ufeff" + FIRST).encode("utf-8"),
        file_name="chat.txt",
    )
    assert (imported.new_count, imported.source, imported.file_name) == (2, "txt", "chat.txt")


def test_an_unknown_source_is_refused(groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        group_chat_import(group=groups.village_group, actor=None, source="fax", text=FIRST)
    assert "source" in refused.value.message_dict


def test_a_unit_that_is_no_group_takes_no_conversation(desk: CaseDesk) -> None:
    with pytest.raises(ValidationError) as refused:
        group_chat_import(
            group=desk.county.government_a, actor=None, source=SourceKind.PASTE, text=FIRST
        )
    assert "group" in refused.value.message_dict


def test_exports_in_overlapping_windows_add_up_to_the_conversation(
    groups: Groups, desk: CaseDesk
) -> None:
    blocks = [f"居民{n % 3} 2024/5/3 10:{n:02d}\n第{n}条消息\n" for n in range(10)]
    counts = [
        (imported.new_count, imported.skipped_count)
        for imported in (
            bring_in(groups, desk, "".join(blocks[start:end]))
            for start, end in ((0, 4), (2, 7), (5, 10), (0, 10))
        )
    ]
    assert counts == [(4, 0), (3, 2), (3, 2), (0, 10)]
    assert sorted(GroupMessage.objects.values_list("text", flat=True)) == sorted(
        f"第{n}条消息" for n in range(10)
    )
