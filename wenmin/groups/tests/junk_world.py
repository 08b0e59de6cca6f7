"""The groups' objects for the junk tests (tests/robustness): a group with a conversation."""

from __future__ import annotations

from typing import Any

from wenmin.groups.models import GroupMessage, SourceKind
from wenmin.groups.services import group_chat_import
from wenmin.groups.testing import build_groups
from wenmin.testing import CaseDesk

CHAT = "张阿姨 2024/5/3 14:22\n村口路灯坏了\n老王 2024/5/3 14:25\n三组水管漏水，没人管\n"


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    groups = build_groups(desk)
    group_chat_import(group=groups.village_group, actor=None, source=SourceKind.PASTE, text=CHAT)
    message = GroupMessage.objects.filter(group=groups.village_group).order_by("id").first()
    return {
        "paths": {"group_id": groups.village_group.pk},
        "form": {
            "text": "赵大姐 2024/5/3 15:00\n垃圾没人清，能不能安排一下\n",
            "message": message.pk if message else 1,
            "show": "all",
        },
    }
