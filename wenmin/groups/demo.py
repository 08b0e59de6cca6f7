"""The demo county's groups: who runs each, and a few villages' conversations brought in."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.groups import services
from wenmin.groups.models import GroupMessage, GroupProfile, SourceKind
from wenmin.groups.selectors import GROUP_KINDS
from wenmin.organisation.models import Cadre, Position, PositionKind, Unit, UnitKind

DEMO_CHATS = 4  # villages whose 民情微群 conversation is brought in
_CHAT = (
    ("张阿姨", "大家好，村口那盏路灯坏了一个多星期了，晚上黑乎乎的，希望尽快修一下"),
    ("老王", "收到"),
    ("李家小儿子", "请问今年的医保什么时候开始交？在哪里交？"),
    ("刘师傅", "[图片]"),
    ("刘师傅", "三组那边的水管漏水，路面都是积水，没人管"),
    ("村委会小陈", "好的，我们记下了，明天去看看"),
    ("赵大姐", "垃圾桶好几天没人清了，臭得很，能不能安排一下"),
    ("老王", "👍"),
)


def _cadres() -> tuple[dict[int, int], dict[int, int]]:
    """A branch's current secretary, and a unit's first cadre, each by unit id."""
    secretaries: dict[int, int] = {}
    for unit_id, person_id in (
        Position.objects.filter(
            kind=PositionKind.BRANCH_SECRETARY, end_date__isnull=True, unit__isnull=False
        )
        .order_by("start_date", "id")
        .values_list("unit_id", "person_id")
    ):
        secretaries.setdefault(unit_id, person_id)
    cadres: dict[int, int] = {}
    for unit_id, person_id in Cadre.objects.order_by("id").values_list("unit_id", "person_id"):
        cadres.setdefault(unit_id, person_id)
    return secretaries, cadres


def _paste(rng: random.Random, day: dt.date) -> str:
    lines = []
    minute = rng.randint(8 * 60, 11 * 60)
    for sender, text in _CHAT:
        minute += rng.randint(1, 25)
        lines.append(f"{sender} {day:%Y/%m/%d} {minute // 60}:{minute % 60:02d}")
        lines.append(text)
    lines.insert(6, "村委会小陈邀请王大爷加入了群聊")
    return "\n".join(lines) + "\n"


def _chosen(rng: random.Random, profiles: list[GroupProfile]) -> list[Unit]:
    """The villages whose chat comes in: first those a demo login runs (so the demo shows one),
    then a few at random."""
    logins = set(
        User.objects.filter(role=Role.BRANCH_SECRETARY, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    first = [p.unit for p in profiles if p.cadre_id in logins][:2]
    rest = [p.unit for p in profiles if p.unit not in first]
    return first + rng.sample(rest, min(DEMO_CHATS - len(first), len(rest)))


def demo_groups(*, seed: int, now: dt.datetime) -> list[str]:
    """A profile for every group with its cadre; a few villages' chats with cases opened."""
    if GroupProfile.objects.exists():
        return []
    rng = random.Random(seed + 11)  # noqa: S311  (demo data, not secrets)
    secretaries, cadres = _cadres()
    groups = list(Unit.objects.filter(kind__in=GROUP_KINDS).order_by("code"))
    profiles = []
    for group in groups:
        owner = group.parent_id
        cadre = secretaries.get(owner or 0) or cadres.get(owner or 0)
        profiles.append(GroupProfile(unit=group, cadre_id=cadre, region_id=group.region_id))
    with transaction.atomic():
        GroupProfile.objects.bulk_create(profiles, batch_size=500)
    chosen = _chosen(rng, [p for p in profiles if p.unit.kind == UnitKind.SENTIMENT_GROUP])
    day = (now - dt.timedelta(days=2)).date()
    for group in chosen:
        services.group_chat_import(
            group=group, actor=None, source=SourceKind.PASTE, text=_paste(rng, day), now=now
        )
        marked = list(
            GroupMessage.objects.filter(group=group, looks_like_request=True).order_by("sent_at")[
                :2
            ]
        )
        if not marked:
            continue
        # The cadre brought the chat in an hour or three after it was written, two days ago:
        # its cases sit behind today's calls in the dispatcher's queue.
        services.group_messages_open_cases(
            group=group,
            message_ids=[message.pk for message in marked],
            actor=None,
            received_at=max(message.sent_at for message in marked)
            + dt.timedelta(hours=rng.randint(1, 3)),
        )
    return [
        _("WeChat groups: %(groups)s groups with their cadres, %(chats)s conversations brought in.")
        % {"groups": len(profiles), "chats": len(chosen)}
    ]
