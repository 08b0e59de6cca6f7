"""The case configuration through the API: the category tree, the catalogue, the time limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wenmin.cases.models import DeadlineOverride, WorkdayOverride
from wenmin.core.services_tokens import api_token_create
from wenmin.core.workdays import Calendar


def _get(client, user, path: str, scopes=("config:read",)):  # type: ignore[no-untyped-def]
    _token, plain = api_token_create(actor=None, user=user, name="test", scopes=scopes)
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {plain}"})


def test_the_category_tree_carries_the_extra_fields(client, desk):
    response = _get(client, desk.county.resident, "/categories")
    assert response.status_code == 200
    tree = response.json()
    assert [c["code"] for c in tree] == ["housing", "water"]
    (leak,) = tree[1]["children"]
    assert leak["code"] == "water.leak" and leak["children"] == []
    (where,) = leak["extra_fields"]
    assert (where["code"], where["datatype"], where["required"]) == (
        "where",
        "singlevaluelist",
        True,
    )
    assert [v["key"] for v in where["values"]] == ["street", "home"]


def test_the_dispatch_catalogue_lists_every_rule(client, desk):
    rules = _get(client, desk.dispatcher, "/dispatch-rules").json()
    assert [(r["category"], r["region"], r["unit"]) for r in rules] == [
        ("housing", None, "D-ZJ"),
        ("water", None, "D-SL"),
        ("water", desk.county.township_a.code, "T1-GOV"),
    ]


def test_the_deadlines_show_defaults_overrides_and_the_calendar(client, desk):
    DeadlineOverride.objects.create(
        clock="result", kind="complaint", urgency="normal", amount=10, unit="working_days"
    )
    DeadlineOverride.objects.create(clock="callback", amount=2, unit="working_days")
    next_year = timezone.localdate().year + 1
    WorkdayOverride.objects.create(date=dt.date(next_year, 2, 1), is_working_day=False)
    body = _get(client, desk.dispatcher, "/deadlines").json()
    result = {(r["kind"], r["urgency"]): r for r in body["result"]}
    assert len(result) == 14
    assert (
        result[("complaint", "normal")]["amount"],
        result[("complaint", "normal")]["overridden"],
    ) == (10, True)
    assert result[("consult", "normal")] | {"kind": "", "urgency": ""} == {
        "amount": 3,
        "unit": "working_days",
        "overridden": False,
        "kind": "",
        "urgency": "",
    }
    assert body["callback"] == {"amount": 2, "unit": "working_days", "overridden": True}
    assert [s["urgency"] for s in body["sign_for"]] == ["normal", "urgent"]
    assert body["reminder_share"] == 0.75
    assert body["calendar"]["overrides"] == [
        {"date": f"{next_year}-02-01", "is_working_day": False, "note": ""}
    ]


def test_the_deadlines_warn_when_the_holiday_calendar_is_unknown(client, desk, monkeypatch):
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: False))
    calendar = _get(client, desk.dispatcher, "/deadlines").json()["calendar"]
    this_year = timezone.localdate().year
    assert calendar["uncovered_years"] == [this_year, this_year + 1]
    assert str(this_year) in calendar["warning"]
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: True))
    assert _get(client, desk.dispatcher, "/deadlines").json()["calendar"]["warning"] is None


@pytest.mark.parametrize("path", ["/dispatch-rules", "/deadlines"])
def test_the_catalogue_and_time_limits_are_for_staff(client, desk, path):
    response = _get(client, desk.county.resident, path)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "staff_only"
    response = _get(client, desk.dispatcher, path, scopes=("cases:read",))
    assert response.json()["error"]["code"] == "scope_missing"
