"""Closed cases of the small county, aged as the retention rules need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.organisation.models import Person
from wenmin.testing import CaseDesk

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CONTENT = (
    "我叫孙大海，家住青石村三组。村口水管漏水三天了，请尽快修理。"
    "联系我：13911112222，或座机 0793-2345678，邮箱 sun.dahai@example.cn；"
    "身份证 36990119800101002X。编号 369901101201 的路口。"
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def case_closed(
    desk: CaseDesk,
    *,
    name: str = "孙大海",
    phone: str = "13911112222",
    requester: Person | None = None,
    kind: str = "help",
    content: str = CONTENT,
    closed_years_ago: float = 4,
    photo: bool = True,
) -> Case:
    """A case taken through every step to a satisfied callback, closed `closed_years_ago`."""
    c = desk.county
    files = [SimpleUploadedFile("leak.png", PNG, content_type="image/png")] if photo else []
    case = cases.case_intake(
        channel=Channel.WEB,
        content=content,
        kind=kind,
        category=desk.water,
        requester=requester,
        requester_name=name if requester is None else "",
        requester_phone=phone if requester is None else "",
        address="青石村三组12号",
        latitude="28.301234",
        longitude="117.702345",
        region=c.village_a,
        files=files,
    )
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    case = cases.case_plan(
        case=case, actor=c.township_clerk, plan=f"联系{name}（{phone}）后派人维修"
    )
    case = cases.case_note(
        case=case, actor=c.township_clerk, note=f"已电话联系 {phone}，{name}在家"
    )
    case = cases.case_reply(case=case, actor=c.township_clerk, reply=f"{name}您好，已修好。")
    case = cases.case_callback(
        case=case, actor=desk.dispatcher, resolved=True, satisfaction=5, note=f"{name}表示满意"
    )
    closed_at = timezone.now() - dt.timedelta(days=int(365.25 * closed_years_ago))
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    case.refresh_from_db()
    return case


@pytest.fixture
def closed(desk: CaseDesk) -> Callable[..., Case]:
    def make(**kwargs: Any) -> Case:
        return case_closed(desk, **kwargs)

    return make


def texts_of(case: Case) -> str:
    """Every free text a case and its events hold, joined."""
    case.refresh_from_db()
    parts = [case.title, case.content, case.plan, case.reply, case.address, str(case.extra)]
    for event in CaseEvent.objects.filter(case=case):
        parts += [event.note, event.public_note, str(event.data), event.actor_label]
    return "\n".join(parts)
