"""The cases admin: configuration written through services.config with audit, cases read only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import (
    Category,
    DeadlineOverride,
    DispatchRule,
    WorkdayOverride,
)
from wenmin.cases.services import config
from wenmin.core.models import AuditEvent
from wenmin.core.workdays import Calendar

LEAK_FIELDS = [
    {
        "code": "where",
        "label": "漏水位置",
        "datatype": "singlevaluelist",
        "required": True,
        "values": [{"key": "street", "name": "路面"}, {"key": "home", "name": "户内"}],
    },
    {"code": "since", "label": "开始时间", "datatype": "datetime"},
]


@pytest.fixture
def admin_client_(desk) -> Client:
    client = Client()
    client.force_login(desk.county.administrator)
    return client


def _category_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "road.light",
        "name": "路灯",
        "parent": "",
        "description": "",
        "keywords": "路灯 照明",
        "extra_fields": json.dumps(LEAK_FIELDS, ensure_ascii=False),
        "is_active": "on",
        "order": "0",
        "_save": "1",
    }
    return {**data, **overrides}


def _errors(response: Any) -> str:
    return str(response.context["adminform"].form.errors)


def test_adding_a_category_goes_through_the_service_and_is_audited(desk, admin_client_):
    response = admin_client_.post(reverse("admin:cases_category_add"), _category_form())
    assert response.status_code == 302, _errors(response)
    category = Category.objects.get(code="road.light")
    assert [field["code"] for field in category.extra_fields] == ["where", "since"]
    assert category.extra_fields[1]["required"] is False  # normalised
    event = AuditEvent.objects.get(action="category.create", target_id=str(category.pk))
    assert event.actor == desk.county.administrator and event.ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    "extra_fields",
    [
        {"code": "where"},  # not a list
        [{"code": "where", "label": "位置", "datatype": "colour"}],
        [{"code": "where", "label": "位置", "datatype": "singlevaluelist"}],  # no values
        [{"code": "where", "label": "位置", "datatype": "string", "values": [{"key": "a"}]}],
        [{"code": "Where!", "label": "位置", "datatype": "string"}],
        [{"code": "where", "label": "", "datatype": "string"}],
        [
            {"code": "a", "label": "甲", "datatype": "text"},
            {"code": "a", "label": "乙", "datatype": "text"},
        ],
        [{"code": "a", "label": "甲", "datatype": "text", "colour": "red"}],
    ],
)
def test_extra_fields_of_the_wrong_shape_are_refused_and_nothing_is_saved(
    desk, admin_client_, extra_fields
):
    form = _category_form(extra_fields=json.dumps(extra_fields, ensure_ascii=False))
    response = admin_client_.post(reverse("admin:cases_category_add"), form)
    assert response.status_code == 200
    assert "extra_fields" in response.context["adminform"].form.errors
    assert not Category.objects.filter(code="road.light").exists()
    assert not AuditEvent.objects.filter(action="category.create").exists()


def test_a_category_cannot_sit_under_its_own_subcategory(desk, admin_client_):
    water, leak = desk.water, desk.leaking_pipe
    form = _category_form(code=water.code, name=water.name, parent=leak.pk, extra_fields="[]")
    response = admin_client_.post(reverse("admin:cases_category_change", args=[water.pk]), form)
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    assert Category.objects.get(pk=water.pk).parent is None


def test_changing_a_dispatch_rule_is_audited_with_what_changed(desk, admin_client_):
    c = desk.county
    rule = DispatchRule.objects.get(category=desk.housing)
    response = admin_client_.post(
        reverse("admin:cases_dispatchrule_change", args=[rule.pk]),
        {"category": desk.housing.pk, "region": "", "unit": c.other_department.pk, "_save": "1"},
    )
    assert response.status_code == 302, _errors(response)
    assert DispatchRule.objects.get(pk=rule.pk).unit == c.other_department
    event = AuditEvent.objects.get(action="dispatch_rule.update")
    assert event.changes == {"unit": [str(c.department.pk), str(c.other_department.pk)]}


def test_a_second_county_wide_rule_for_a_category_is_refused(desk, admin_client_):
    response = admin_client_.post(
        reverse("admin:cases_dispatchrule_add"),
        {"category": desk.housing.pk, "region": "", "unit": desk.county.government_a.pk},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert DispatchRule.objects.filter(category=desk.housing).count() == 1


def test_a_result_time_limit_needs_a_kind_and_an_urgency(desk, admin_client_):
    url = reverse("admin:cases_deadlineoverride_add")
    data = {
        "clock": "result",
        "kind": "",
        "urgency": "normal",
        "amount": "5",
        "unit": "working_days",
    }
    assert "kind" in admin_client_.post(url, data).context["adminform"].form.errors
    response = admin_client_.post(url, {**data, "kind": "consult"})
    assert response.status_code == 302
    assert DeadlineOverride.objects.get().amount == 5
    assert AuditEvent.objects.filter(action="deadline_override.create").exists()


def test_deleting_a_working_day_override_goes_through_the_service(desk, admin_client_):
    override = WorkdayOverride.objects.create(date=dt.date(2027, 2, 6), is_working_day=True)
    response = admin_client_.post(
        reverse("admin:cases_workdayoverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not WorkdayOverride.objects.exists()
    assert AuditEvent.objects.get(action="workday_override.delete").target_id == str(override.pk)


def test_a_category_in_use_is_not_deleted(desk):
    cases.case_intake(channel="phone", content="房屋漏雨", category=desk.housing)
    with pytest.raises(ValidationError):
        config.category_delete(actor=desk.county.administrator, category=desk.housing)
    assert Category.objects.filter(pk=desk.housing.pk).exists()
    assert not AuditEvent.objects.filter(action="category.delete").exists()


def test_only_the_administrator_may_change_the_configuration(desk):
    with pytest.raises(PermissionDenied):
        config.workday_override_save(
            actor=desk.county.leader, date=dt.date(2027, 1, 1), is_working_day=False
        )
    client = Client()
    client.force_login(desk.county.leader)
    assert client.get(reverse("admin:cases_category_changelist")).status_code == 403


def _messages(response) -> list[tuple[int, str]]:
    return [(message.level, str(message)) for message in response.context["messages"]]


def test_the_working_day_overrides_warn_when_the_official_calendar_is_unknown(
    desk, admin_client_, monkeypatch
):
    next_year = timezone.localdate().year + 1
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: year < next_year))
    url = reverse("admin:cases_workdayoverride_changelist")
    [(level, text)] = _messages(admin_client_.get(url))
    assert level == messages.WARNING and str(next_year) in text
    WorkdayOverride.objects.create(date=dt.date(next_year, 2, 8), is_working_day=False)
    [(level, text)] = _messages(admin_client_.get(url))
    assert level == messages.INFO and str(next_year) in text
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: True))
    assert _messages(admin_client_.get(url)) == []


def test_cases_are_read_only_in_the_admin(desk, admin_client_):
    case = cases.case_intake(
        channel="phone", content="房屋漏雨", requester_name="陈明", requester_phone="18600003333"
    )
    assert admin_client_.get(reverse("admin:cases_case_changelist")).status_code == 200
    page = admin_client_.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert page.status_code == 200 and case.number in page.content.decode()
    assert "18600003333" not in page.content.decode()
    assert admin_client_.get(reverse("admin:cases_case_add")).status_code == 403
    change = admin_client_.post(reverse("admin:cases_case_change", args=[case.pk]), {"title": "x"})
    assert change.status_code == 403
    delete = admin_client_.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert delete.status_code == 403
