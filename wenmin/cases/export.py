"""The workbench's filtered case list as an Excel workbook, streamed from the database in chunks.

Rows are read with `.iterator(chunk_size=…)` and written by the one Excel writer
(`wenmin.core.excel`), which puts each row on disk as it is appended and keeps residents' text
from becoming formulas. Phones are always masked; every export is audited with its row count
and filters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation

from wenmin.cases.deadlines import Kind, Urgency
from wenmin.cases.forms_staff import WorkbenchFilterForm
from wenmin.cases.models import Case, Channel
from wenmin.cases.queues import viewer_for, workbench_cases
from wenmin.cases.workflow import State
from wenmin.core.audit import audit_record
from wenmin.core.crypto import mask_phone
from wenmin.core.excel import StreamedWorkbook
from wenmin.core.models import User
from wenmin.organisation.excel import NO, YES

CHUNK_SIZE = 2000
SHEET_TITLE = "诉求"  # fixed Chinese, like the organisation workbooks' titles and headers
HEADERS = [
    "编号",
    "受理时间",
    "渠道",
    "类型",
    "类别",
    "紧急程度",
    "标题",
    "内容",
    "地址",
    "区划",
    "诉求人",
    "联系电话",
    "承办单位",
    "状态",
    "是否超期",
    "签收期限",
    "办理期限",
    "回复时间",
    "办结时间",
    "提级督办时间",
    "退单次数",
    "重办次数",
    "是否解决",
    "满意度",
]
COLUMNS = (
    "number",
    "received_at",
    "channel",
    "kind",
    "urgency",
    "title",
    "content",
    "address",
    "state",
    "sign_for_due",
    "result_due",
    "replied_at",
    "closed_at",
    "escalated_at",
    "return_count",
    "rework_count",
    "resolved",
    "satisfaction",
    "category__name",
    "region__name",
    "lead_unit__name",
    "requester__name",
    "requester__phone",
    "category",
    "region",
    "lead_unit",
    "requester",
)
FILTER_PARAMS = (
    "queue",
    "q",
    "kind",
    "category",
    "state",
    "channel",
    "urgency",
    "township",
    "lead_unit",
    "received_from",
    "received_to",
    "sort",
)


def filename() -> str:
    """诉求_20261126.xlsx."""
    return f"{SHEET_TITLE}_{timezone.localdate():%Y%m%d}.xlsx"


def cases_filtered(user: User, params: Mapping[str, Any]) -> QuerySet[Case]:
    """The cases of the workbench tab and filters in `params`, within the viewer's scope."""
    viewer = viewer_for(user)
    queue = params.get("queue") or ""
    if queue not in viewer.queues:
        queue = viewer.queues[0]
    # The workbench's own form reads the filters, so the export lists what the page lists.
    form = WorkbenchFilterForm(params, user=user)
    form.is_valid()
    cases = workbench_cases(viewer=viewer, queue=queue, filters=form.filters(), now=timezone.now())
    return cases.select_related("requester").only(*COLUMNS)


class _Words:
    """The county's words for the coded values, looked up once per export."""

    def __init__(self) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self.channel = {value: str(label) for value, label in Channel.choices}
            self.kind = {value: str(label) for value, label in Kind.choices}
            self.urgency = {value: str(label) for value, label in Urgency.choices}
            self.state = {value: str(label) for value, label in State.choices}


def _cells(case: Case, words: _Words) -> list[Any]:
    requester = case.requester
    return [
        case.number,
        case.received_at,
        words.channel.get(case.channel, case.channel),
        words.kind.get(case.kind, case.kind),
        case.category.name if case.category else "",
        words.urgency.get(case.urgency, case.urgency),
        case.title,
        case.content,
        case.address,
        case.region.name if case.region else "",
        requester.name if requester else "",
        mask_phone(requester.phone) if requester else "",
        case.lead_unit.name if case.lead_unit else "",
        words.state.get(case.state, case.state),
        YES if getattr(case, "due_flag", "") == "overdue" else "",
        case.sign_for_due,
        case.result_due,
        case.replied_at,
        case.closed_at,
        case.escalated_at,
        case.return_count,
        case.rework_count,
        "" if case.resolved is None else (YES if case.resolved else NO),
        case.satisfaction,
    ]


def _rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    words = _Words()
    for case in cases.iterator(chunk_size=CHUNK_SIZE):
        yield _cells(case, words)


def cases_workbook(*, viewer: User, params: Mapping[str, Any], target: IO[bytes]) -> int:
    """Write the viewer's filtered cases to `target` and audit the export; the row count."""
    workbook = StreamedWorkbook()
    sheet = workbook.sheet(SHEET_TITLE, headers=HEADERS)
    for cells in _rows(cases_filtered(viewer, params)):
        sheet.append(cells)
    workbook.save(target)
    count = sheet.rows
    audit_record(
        actor=viewer,
        action="case.export",
        changes={
            "rows": count,
            "filters": {name: params.get(name) for name in FILTER_PARAMS if params.get(name)},
        },
    )
    return count
