"""The portal's privacy notice, acknowledged before sending; the purposes recorded with each case
on every channel."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from wenmin.cases.models import Case, CaseEvent, Category
from wenmin.cases.purposes import NOTICE_VERSION
from wenmin.cases.tests.api_client import Api
from wenmin.channels.services import apikey_create
from wenmin.privacy.models import RetentionRule

SUBMIT = reverse("portal:submit")


def _report(**overrides: str) -> dict[str, str]:
    return {
        "content": "村口路灯坏了一个月。",
        "kind": "help",
        "requester_name": "新居民",
        "requester_phone": "13511112222",
        "notice_read": "on",
        "callback": "on",
        **overrides,
    }


def test_the_portal_shows_the_notice_with_how_long_data_is_kept_in_both_languages(client, desk):
    page = client.get(SUBMIT).content.decode()
    assert "隐私声明" in page and "保存 3 年" in page and 'name="notice_read"' in page
    RetentionRule.objects.create(kind="complaint", years=5)
    client.post("/i18n/setlang/", {"language": "en", "next": SUBMIT})
    page = client.get(SUBMIT).content.decode()
    assert "Privacy notice" in page and "Complaint: 5 years" in page
    for heading in ("What we collect", "Why", "Who sees it", "How long it is kept", "Your rights"):
        assert heading in page


def test_nothing_is_sent_before_the_notice_is_acknowledged(client, desk):
    response = client.post(SUBMIT, _report(notice_read=""))
    assert response.status_code == 400 and "notice_read" in response.context["form"].errors
    assert not Case.objects.exists()
    assert client.post(SUBMIT, _report()).status_code == 302
    case = Case.objects.get()
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert intake.data["privacy_notice"] == NOTICE_VERSION


@pytest.mark.parametrize(
    ("callback", "purposes"),
    [("on", ["handling", "callback", "statistics"]), ("", ["handling", "statistics"])],
)
def test_the_portal_records_the_purposes_the_resident_agreed_to(client, desk, callback, purposes):
    client.post(SUBMIT, _report(callback=callback))
    assert Case.objects.get().purposes == purposes


def test_staff_registration_records_the_purposes_the_requester_agreed_to(client, desk):
    c = desk.county
    client.force_login(c.township_clerk)
    page = client.get(reverse("cases:case_new")).content.decode()
    assert 'name="purposes" value="callback"' in page and 'value="handling"' not in page
    fields = {
        "channel": "phone",
        "kind": "consult",
        "urgency": "normal",
        "content": "咨询住房政策",
        "requester_phone": "13511112222",
        "purposes": ["statistics"],
    }
    assert client.post(reverse("cases:case_new"), fields).status_code == 302
    assert Case.objects.get().purposes == ["handling", "statistics"]
    # The case page says what they were told.
    case = Case.objects.get()
    client.force_login(desk.dispatcher)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "统计" in page[page.index("data-purposes") :][:400]


def test_open311_records_the_channel_s_default_purposes(client, desk):
    _key, plain = apikey_create(actor=None, name="FixMyStreet")
    body = urlencode(
        {
            "api_key": plain,
            "service_code": desk.water.code,
            "description": "水管漏水",
            "lat": "28.3",
            "long": "117.7",
            "phone": "13511112222",
            "first_name": "新",
        }
    )
    response = client.post(
        "/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200, response.content
    assert Case.objects.get().purposes == ["handling", "callback", "statistics"]


def test_the_api_records_the_purposes_it_is_given_or_the_channel_s_default(client, desk):
    api = Api(client, desk.dispatcher)
    base = {"channel": "phone", "content": "咨询政策", "requester_phone": "13511112222"}
    assert api.post("/cases", {**base, "purposes": ["callback"]}).status_code == 201
    assert api.post("/cases", base).status_code == 201
    refused = api.post("/cases", {**base, "purposes": ["marketing"]})
    assert refused.status_code in (400, 422)
    assert [c.purposes for c in Case.objects.order_by("id")] == [
        ["handling", "callback"],
        ["handling", "callback", "statistics"],
    ]
    assert Category.objects.exists()


def test_a_volunteer_reporting_for_a_resident_confirms_they_told_them_the_notice(client, desk):
    client.force_login(desk.county.volunteer)
    form = client.get(SUBMIT).context["form"]
    assert "已向群众说明隐私声明" in str(form.fields["notice_read"].label)
    assert client.post(SUBMIT, _report(notice_read="")).status_code == 400
    assert client.post(SUBMIT, _report()).status_code == 302
