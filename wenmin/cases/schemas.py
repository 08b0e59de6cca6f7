"""The shapes of the cases API: what it reads and what it answers. Parsing only; the services
decide. Codes (category, unit, region) and case numbers identify things, never database ids."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from wenmin.cases.deadlines import Kind, Urgency
from wenmin.cases.models import Channel, RejectionReason
from wenmin.cases.purposes import Purpose
from wenmin.cases.workflow import State
from wenmin.core.schematypes import AwareDateTime, Date, Id, Latitude, Line, Longitude, Paragraph

# Staff register what they heard at a counter, station, meeting, by phone or through the three
# asks; an integration registers with channel "api". The portal's "web" is the residents' own.
IntakeChannel = Literal[
    "counter",
    "work_station",
    "phone",
    "wechat",
    "sms",
    "governance_inquiry",
    "idea_solicitation",
    "needs_survey",
    "meeting",
    "api",
]
ApiAction = Literal[
    "classify",
    "merge",
    "reject",
    "dispatch",
    "sign-for",
    "return",
    "plan",
    "notes",
    "supervise",
    "reply",
    "callback",
]


def _note() -> Any:
    return Field("", max_length=4000)  # of a Paragraph


# A case number, or a category, unit or region code.
Code = Line


class CaseFilters(Schema):
    state: State | None = None
    kind: Kind | None = None
    category: Code | None = Field(None, max_length=32, description="A category code.")
    channel: Channel | None = None
    urgency: Urgency | None = None
    lead_unit: Code | None = Field(None, max_length=32, description="A unit code.")
    region: Code | None = Field(
        None, max_length=15, description="A region code: cases in it or below it."
    )
    received_from: Date | None = Field(None, description="Received on or after this day.")
    received_to: Date | None = Field(None, description="Received on or before this day.")
    q: Line | None = Field(
        None, max_length=64, description="Part of the number, title or content; a tracking code."
    )
    cursor: Line | None = Field(None, max_length=200, description="`next_cursor` of the last page.")
    limit: int = Field(50, ge=1, le=200)


class CaseRow(Schema):
    number: str
    title: str
    kind: str
    category: str | None
    channel: str
    urgency: str
    state: str
    step: str
    received_at: dt.datetime
    region: str | None
    lead_unit: str | None
    result_due: dt.datetime | None
    escalated: bool


class CasePage(Schema):
    items: list[CaseRow]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


class RequesterOut(Schema):
    name: str
    phone: str = Field(description="Masked unless you are the case's dispatcher or lead unit.")
    phone_clear: bool


class CaseOut(CaseRow):
    """A case as staff see it (never its tracking code: that is the requester's alone)."""

    content: str
    extra: dict[str, Any]
    address: str
    latitude: float | None
    longitude: float | None
    requester: RequesterOut | None
    co_units: list[str]
    dispatched_at: dt.datetime | None
    sign_for_due: dt.datetime | None
    signed_at: dt.datetime | None
    plan: str
    planned_due: dt.datetime | None
    replied_at: dt.datetime | None
    reply: str
    callback_due: dt.datetime | None
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    escalated_to: str | None
    return_count: int
    rework_count: int
    rejection_reason: str
    merged_into: str | None
    resolved: bool | None
    satisfaction: int | None
    allowed_actions: list[ApiAction] = Field(description="The steps you may take now.")


class CaseForRequesterOut(Schema):
    """A case as its requester sees it: what the portal shows, and no more (no internal notes,
    plan, staff names or other people's data)."""

    number: str
    tracking_code: str
    title: str
    kind: str
    category: str | None
    category_name: str | None
    urgency: str
    state: str
    state_label: str = Field(description="The state in the resident's words.")
    step: str
    received_at: dt.datetime
    result_due: dt.datetime | None = Field(
        description="While the case is being handled: when the responsible unit is to give a "
        "result."
    )
    lead_unit_name: str | None
    replied_at: dt.datetime | None
    reply: str
    closed_at: dt.datetime | None
    rejection_reason: str
    merged_into: str | None
    resolved: bool | None
    satisfaction: int | None
    allowed_actions: list[ApiAction] = Field(description="The steps you may take now.")


# Staff get a case's every field, its requester only what the portal shows.
CaseAnswer = CaseOut | CaseForRequesterOut


class EventOut(Schema):
    id: int
    action: str
    label: str
    at: dt.datetime
    actor: str | None
    unit: str | None
    state_before: str
    state_after: str
    note: str
    public_note: str
    data: dict[str, Any]
    attachments: list[int]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    event: int | None
    url: str = Field(description="The download address (a staff page of the same site).")


class CaseIn(Schema):
    channel: IntakeChannel
    content: Paragraph = Field(min_length=1, max_length=4000)
    kind: Kind = Kind.CONSULT
    urgency: Urgency = Urgency.NORMAL
    title: Line = Field("", max_length=120)
    category: Code | None = Field(None, max_length=32, description="A category code.")
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Answers to the category's extra fields, by code."
    )
    requester_name: Line = Field("", max_length=64)
    requester_phone: Line = Field("", max_length=20, description="Empty: an anonymous case.")
    address: Line = Field("", max_length=255)
    region: Code | None = Field(None, max_length=15, description="A village or community code.")
    latitude: Latitude | None = Field(None, ge=-90, le=90, description="WGS-84 degrees.")
    longitude: Longitude | None = Field(None, ge=-180, le=180, description="WGS-84 degrees.")
    purposes: list[Purpose] | None = Field(
        None,
        max_length=len(Purpose.values),
        description=(
            "Why the requester's data is processed, as they were told: handling is always "
            "recorded. Null: the channel's default set."
        ),
    )


class ClassifyIn(Schema):
    kind: Kind
    category: Code | None = Field(None, max_length=32, description="A category code; null: none.")
    urgency: Urgency
    note: Paragraph = _note()


class MergeIn(Schema):
    primary: Code = Field(min_length=1, max_length=32, description="The primary case's number.")
    note: Paragraph = _note()


class RejectIn(Schema):
    reason: RejectionReason
    note: Paragraph = Field(min_length=1, max_length=4000, description="The explanation sent back.")


class DispatchIn(Schema):
    unit: Code = Field(min_length=1, max_length=32, description="The lead unit's code.")
    co_units: list[Code] = Field(default_factory=list, max_length=20)
    note: Paragraph = _note()


class SignForIn(Schema):
    note: Paragraph = _note()


class ReturnIn(Schema):
    reason: Paragraph = Field(min_length=1, max_length=4000)


class PlanIn(Schema):
    plan: Paragraph = Field(min_length=1, max_length=4000)
    planned_due: Date | None = Field(None, description="The unit's own due day (17:30 then).")
    co_units: list[Code] = Field(default_factory=list, max_length=20)
    coordinator: Id | None = Field(None, description="A county leader's person id.")


class NoteIn(Schema):
    note: Paragraph = Field(min_length=1, max_length=4000)


class SuperviseIn(Schema):
    new_due: AwareDateTime = Field(description="With its time zone, e.g. 2026-12-01T17:30+08:00.")
    note: Paragraph = Field(min_length=1, max_length=4000)


class ReplyIn(Schema):
    reply: Paragraph = Field(min_length=1, max_length=4000)


class CallbackIn(Schema):
    resolved: bool
    satisfaction: int = Field(ge=1, le=5, description="1–2 sends the case back for rework.")
    note: Paragraph = _note()


# The case configuration ---------------------------------------------------------------------


class ExtraValueOut(Schema):
    key: str
    name: str


class ExtraFieldOut(Schema):
    code: str
    label: str
    datatype: str
    required: bool
    values: list[ExtraValueOut]
    order: int | None
    description: str


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    keywords: str
    is_active: bool
    order: int
    extra_fields: list[ExtraFieldOut]
    children: list[CategoryOut]


class DispatchRuleOut(Schema):
    category: str
    region: str | None = Field(description="Null: anywhere in the county.")
    unit: str
    unit_name: str


class LimitOut(Schema):
    amount: int
    unit: str = Field(description="minutes, hours, working_hours or working_days")
    overridden: bool = Field(description="The administrator replaced the default.")


class ResultLimitOut(LimitOut):
    kind: str
    urgency: str


class SignForLimitOut(LimitOut):
    urgency: str


class WorkdayOverrideOut(Schema):
    date: dt.date
    is_working_day: bool
    note: str


class CalendarOut(Schema):
    uncovered_years: list[int] = Field(
        description="This year or the next, where the official holiday calendar is not known."
    )
    warning: str | None = Field(description="Set when such a year has no day off entered.")
    overrides: list[WorkdayOverrideOut] = Field(description="From the start of this year on.")


class DeadlinesOut(Schema):
    result: list[ResultLimitOut]
    sign_for: list[SignForLimitOut]
    callback: LimitOut
    reminder_share: float = Field(description="A reminder goes out when this share is used.")
    calendar: CalendarOut
