"""Texts posted in by an SMS gateway: a text opens a case and the tracking code is texted back;
"补充" adds to the sender's open case; "查询" texts back the state of their cases. A wrong
signature, a stale time, a replay, an unknown gateway or junk is refused with nothing stored."""

from __future__ import annotations

import json
import logging
import time

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.core.crypto import digest
from wenmin.messaging.models import CaseFollower, SmsGateway, SmsInbound
from wenmin.messaging.sms import SmsPost, sms_signature

SECRET = "gateway-shared-secret-0001"  # noqa: S105
SENDER = "13900001111"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def gateway(county, settings) -> SmsGateway:  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "sms"]
    return SmsGateway.objects.create(name="县短信平台", slug="county-sms", secret=SECRET)


_ids = iter(range(1, 10_000))


def _post(
    text: str,
    *,
    sender: str = SENDER,
    at: int | None = None,
    message_id: str | None = None,
    secret: str = SECRET,
    slug: str = "county-sms",
    as_json: bool = False,
    **changes: str,
):  # type: ignore[no-untyped-def]
    post = SmsPost(
        sender=sender,
        text=text,
        time=str(at if at is not None else int(time.time())),
        message_id=message_id or f"m-{next(_ids)}",
        signature="",
    )
    fields = {
        "sender": post.sender,
        "text": post.text,
        "time": post.time,
        "message_id": post.message_id,
        "signature": sms_signature(secret=secret, gateway=slug, post=post),
        **changes,
    }
    url = reverse("messaging:sms_inbound", args=[slug])
    if as_json:
        return Client().post(url, json.dumps(fields), content_type="application/json")
    return Client().post(url, fields)


def _nothing_stored() -> bool:
    return not SmsInbound.objects.exists() and not Case.objects.exists()


def test_a_text_opens_a_case_and_the_tracking_code_is_texted_back(
    gateway, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="wenmin.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = _post("村口路灯坏了一个月了")
    assert answer.status_code == 200 and answer.json() == {"ok": True, "action": "opened"}
    case = Case.objects.select_related("requester").get()
    assert case.requester is not None
    assert (case.channel, case.content, case.requester.phone) == (
        Channel.SMS,
        "村口路灯坏了一个月了",
        SENDER,
    )
    assert CaseFollower.objects.filter(case=case, channel=Channel.SMS).exists()
    inbound = SmsInbound.objects.get()
    assert (inbound.case, inbound.action, inbound.sender_digest) == (case, "opened", digest(SENDER))
    # The intake notification goes to the sender through the SMS backend, the code masked.
    assert "139****1111" in caplog.text and case.number in caplog.text
    assert case.tracking_code not in caplog.text


def test_a_json_post_is_taken_the_same_way(gateway):
    assert _post("村口路灯坏了", as_json=True).status_code == 200
    assert Case.objects.count() == 1


def test_a_supplement_adds_to_the_senders_open_case(
    gateway, caplog, django_capture_on_commit_callbacks
):
    _post("村口路灯坏了一个月了")
    case = Case.objects.get()
    with (
        caplog.at_level(logging.INFO, logger="wenmin.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = _post("补充：晚上八点以后完全不亮")
    assert answer.json()["action"] == "added"
    assert Case.objects.count() == 1
    # the requester's addition, as from WeChat: a note for the staff, not the public timeline
    event = CaseEvent.objects.get(case=case, action="requester_addition")
    assert event.note == "晚上八点以后完全不亮" and event.data["channel"] == "sms"
    assert "补充内容已收到" in caplog.text


def test_a_supplement_without_an_open_case_opens_one(gateway):
    answer = _post("补充：晚上八点以后完全不亮")
    assert answer.json()["action"] == "opened"
    assert Case.objects.get().content == "补充：晚上八点以后完全不亮"


def test_a_supplement_never_reaches_another_senders_case(gateway):
    _post("村口路灯坏了", sender="13900002222")
    assert _post("补充：还有一盏").json()["action"] == "opened"
    assert Case.objects.count() == 2


def test_a_query_texts_back_the_state_of_the_senders_cases(
    gateway, caplog, django_capture_on_commit_callbacks
):
    _post("村口路灯坏了")
    case = Case.objects.get()
    with (
        caplog.at_level(logging.INFO, logger="wenmin.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = _post("查询")
    assert answer.json()["action"] == "query"
    assert case.number in caplog.text and "已受理" in caplog.text
    assert Case.objects.count() == 1


def test_a_query_from_a_number_without_cases_says_how_to_report(
    gateway, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="wenmin.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _post("查询")
    assert "没有查到" in caplog.text


# Refusals: 4xx, nothing stored, logged once ----------------------------------------------------


@pytest.mark.parametrize(
    ("post", "status", "reason"),
    [
        (lambda: _post("路灯坏了", secret="wrong"), 403, "bad signature"),
        (lambda: _post("路灯坏了", signature="00" * 32), 403, "bad signature"),
        (lambda: _post("路灯坏了", at=int(time.time()) - 3600), 403, "stale"),
        (lambda: _post("路灯坏了", at=int(time.time()) + 3600), 403, "stale"),
        (lambda: _post("路灯坏了", sender="12345"), 400, "junk"),
        (lambda: _post("   "), 400, "junk"),
        (lambda: _post("路灯\x00坏了"), 400, "junk"),
        (lambda: _post("路灯坏了", message_id="x" * 65), 400, "bad message id"),
        (lambda: _post("路灯坏了", slug="nobody"), 404, "unknown gateway"),
    ],
)
def test_a_bad_post_is_refused_with_nothing_stored(gateway, caplog, post, status, reason):
    with caplog.at_level(logging.WARNING):
        answer = post()
    assert answer.status_code == status
    assert answer.json() == {"ok": False, "error": reason}
    assert _nothing_stored()
    refusals = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in refusals] == ["wenmin.messaging.sms"]
    assert SENDER not in caplog.text


def test_a_replayed_message_is_refused_and_opens_nothing_more(gateway):
    assert _post("路灯坏了", message_id="gw-77").status_code == 200
    assert _post("路灯坏了", message_id="gw-77").status_code == 409
    assert Case.objects.count() == 1 and SmsInbound.objects.count() == 1


def test_the_same_message_id_from_another_gateway_is_its_own(gateway):
    SmsGateway.objects.create(name="云短信", slug="cloud", secret="other-secret")  # noqa: S106
    assert _post("路灯坏了", message_id="gw-77").status_code == 200
    assert (
        _post("路灯坏了", message_id="gw-77", slug="cloud", secret="other-secret").status_code
        == 200
    )


def test_a_switched_off_gateway_is_refused(gateway):
    gateway.is_active = False
    gateway.save()
    assert _post("路灯坏了").status_code == 404
    assert _nothing_stored()


def test_a_get_is_refused(gateway):
    answer = Client().get(reverse("messaging:sms_inbound", args=["county-sms"]))
    assert answer.status_code == 405


def test_an_oversized_or_malformed_body_is_refused(gateway):
    url = reverse("messaging:sms_inbound", args=["county-sms"])
    assert Client().post(url, "{not json", content_type="application/json").status_code == 400
    assert Client().post(url, "[1, 2]", content_type="application/json").status_code == 400
    big = json.dumps({"text": "x" * 20_000})
    assert Client().post(url, big, content_type="application/json").status_code == 413
    assert _nothing_stored()


def test_the_gateways_secret_is_encrypted_at_rest(gateway):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM messaging_smsgateway WHERE id = %s", [gateway.pk])
        (stored,) = cursor.fetchone()
    assert SECRET not in stored
