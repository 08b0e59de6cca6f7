"""The case configuration, read-only: the category tree with its extra fields, the dispatch
catalogue and the time limits in force with the working-day calendar's coverage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from wenmin.cases.checks import calendar_gaps, calendar_warning
from wenmin.cases.deadlines import DEFAULT_CALLBACK, DEFAULT_SIGN_FOR, REMINDER_SHARE, Kind, Urgency
from wenmin.cases.models import Category, DispatchRule, WorkdayOverride
from wenmin.cases.schemas import CategoryOut, DeadlinesOut, DispatchRuleOut
from wenmin.cases.services.policy import policy_current
from wenmin.core.api_auth import auth_for
from wenmin.core.api_support import errors, require_staff, viewer
from wenmin.core.models import ApiScope

router = Router(tags=["configuration"])
CONFIG = auth_for(ApiScope.CONFIG_READ)


def _extra_field(field: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": str(field.get("code", "")),
        "label": str(field.get("label", "")),
        "datatype": str(field.get("datatype", "string")),
        "required": bool(field.get("required", False)),
        "values": [
            {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
            for v in field.get("values", [])
        ],
        "order": field.get("order") if isinstance(field.get("order"), int) else None,
        "description": str(field.get("description", "")),
    }


@router.get(
    "/categories",
    response={200: list[CategoryOut], **errors(401, 403)},
    auth=CONFIG,
    summary="The category tree",
)
def category_tree(request: HttpRequest) -> list[dict[str, Any]]:
    """Every category with its extra fields (the questions asked of its cases), as a tree."""
    categories = list(Category.objects.order_by("order", "code"))
    nodes: dict[int, dict[str, Any]] = {
        c.pk: {
            "code": c.code,
            "name": c.name,
            "description": c.description,
            "keywords": c.keywords,
            "is_active": c.is_active,
            "order": c.order,
            "extra_fields": [_extra_field(f) for f in c.extra_fields or [] if isinstance(f, dict)],
            "children": [],
        }
        for c in categories
    }
    roots: list[dict[str, Any]] = []
    for c in categories:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        siblings: list[dict[str, Any]] = parent["children"] if parent is not None else roots
        siblings.append(nodes[c.pk])
    return roots


@router.get(
    "/dispatch-rules",
    response={200: list[DispatchRuleOut], **errors(401, 403)},
    auth=CONFIG,
    summary="The dispatch catalogue",
)
def dispatch_rules(request: HttpRequest) -> list[dict[str, Any]]:
    """Which unit a category (in a region) is proposed to; the most specific rule wins. Staff."""
    require_staff(viewer(request))
    rules = DispatchRule.objects.select_related("category", "region", "unit").order_by(
        "category__code", F("region__code").asc(nulls_first=True), "id"
    )
    return [
        {
            "category": rule.category.code,
            "region": rule.region.code if rule.region else None,
            "unit": rule.unit.code,
            "unit_name": rule.unit.name,
        }
        for rule in rules
    ]


@router.get(
    "/deadlines",
    response={200: DeadlinesOut, **errors(401, 403)},
    auth=CONFIG,
    summary="The time limits in force",
)
def deadlines(request: HttpRequest) -> dict[str, Any]:
    """Defaults with the administrator's overrides, and whether the holiday calendar covers this
    year and the next. Staff."""
    require_staff(viewer(request))
    policy = policy_current()
    result_overrides = policy.result_overrides or {}
    sign_for_overrides = policy.sign_for_overrides or {}
    result = []
    for kind in Kind.values:
        for urgency in Urgency.values:
            limit = policy.result_limit(kind, urgency)
            overridden = (kind, urgency) in result_overrides
            result.append(_limit(limit, overridden) | {"kind": kind, "urgency": urgency})
    sign_for = [
        _limit(sign_for_overrides.get(u) or DEFAULT_SIGN_FOR[u], u in sign_for_overrides)
        | {"urgency": u}
        for u in Urgency.values
    ]
    callback = policy.callback_override
    gaps = calendar_gaps()
    missing = [gap.year for gap in gaps if gap.missing]
    start = dt.date(timezone.localdate().year, 1, 1)
    overrides = WorkdayOverride.objects.filter(date__gte=start).order_by("date")
    return {
        "result": result,
        "sign_for": sign_for,
        "callback": _limit(callback or DEFAULT_CALLBACK, callback is not None),
        "reminder_share": REMINDER_SHARE,
        "calendar": {
            "uncovered_years": [gap.year for gap in gaps],
            "warning": calendar_warning(missing) if missing else None,
            "overrides": [
                {"date": o.date, "is_working_day": o.is_working_day, "note": o.note}
                for o in overrides
            ],
        },
    }


def _limit(limit: Any, overridden: bool) -> dict[str, Any]:
    return {"amount": limit.amount, "unit": str(limit.unit), "overridden": overridden}
