"""A resident follows their case on the channel they used: a case from an official account is
answered and closed by template message on that account (recorded in development, sent through
the fake WeChat server when set to send), an SMS case by text, and the requester's own account's
e-mail when they have one."""

from __future__ import annotations

import pytest
from django.core import checks
from django.db import connection

from wenmin.cases import services as cases
from wenmin.cases.models import CaseEvent, Channel
from wenmin.cases.notifications import notifications_for
from wenmin.core.crypto import digest
from wenmin.core.models import User
from wenmin.messaging.models import AccountOutbound, CaseFollower, OutboundStatus, WechatOutbound
from wenmin.messaging.services import case_follower_add
from wenmin.wechat.recipients import wechat_recipient_for_case
from wenmin.wechat.tests.outbound_fixtures import (
    _account_fixture,  # noqa: F401
    _fake_wechat_fixture,  # noqa: F401
)

OPENID = "oWx_resident_openid_000001"
PHONE = "18600003333"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "sms", "wechat"]


def _intake(desk, *, channel=Channel.WECHAT, phone=""):  # type: ignore[no-untyped-def]
    return cases.case_intake(
        channel=channel,
        content="青石村路口水管漏水三天了，请尽快修理。",
        kind="help",
        category=desk.leaking_pipe,
        extra={"where": "street"},
        requester_phone=phone,
        region=desk.county.village_a,
    )


def _wechat_case(desk, account, *, phone=""):  # type: ignore[no-untyped-def]
    case = _intake(desk, phone=phone)
    case_follower_add(case=case, channel=Channel.WECHAT, account=account, openid=OPENID)
    return case


def _replied(desk, case):  # type: ignore[no-untyped-def]
    clerk = desk.county.township_clerk
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=desk.county.government_a)
    case = cases.case_sign_for(case=case, actor=clerk)
    case = cases.case_plan(case=case, actor=clerk, plan="安排水务站维修")
    return cases.case_reply(case=case, actor=clerk, reply="水管已修好。")


def _event(case, action):  # type: ignore[no-untyped-def]
    return CaseEvent.objects.filter(case=case, action=action).latest("pk")


# Who follows a case where ------------------------------------------------------------------


def test_the_recipient_of_a_wechat_case_is_its_account_and_openid(desk, account):
    case = _wechat_case(desk, account)
    assert wechat_recipient_for_case(case) == (account, OPENID)


def test_a_case_from_another_channel_has_no_wechat_recipient(desk, account):
    case = _intake(desk, channel=Channel.SMS, phone=PHONE)
    case_follower_add(case=case, channel=Channel.SMS)
    assert wechat_recipient_for_case(case) is None


def test_an_account_switched_off_reaches_nobody(desk, account):
    case = _wechat_case(desk, account)
    account.is_active = False
    account.save()
    assert wechat_recipient_for_case(case) is None


def test_the_openid_is_encrypted_at_rest_and_found_by_digest(desk, account):
    case = _wechat_case(desk, account)
    follower = CaseFollower.objects.get(case=case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT openid FROM messaging_casefollower WHERE id = %s", [follower.pk])
        (stored,) = cursor.fetchone()
    assert OPENID not in stored
    assert follower.openid_digest == digest(OPENID)


def test_a_second_message_on_the_same_channel_updates_the_follower(desk, account):
    case = _wechat_case(desk, account)
    case_follower_add(case=case, channel=Channel.WECHAT, account=account, openid="oOther")
    assert CaseFollower.objects.filter(case=case).count() == 1
    assert wechat_recipient_for_case(case) == (account, "oOther")


# Which channel the requester hears on --------------------------------------------------------


def test_the_reply_to_a_wechat_case_goes_to_wechat_not_to_the_phone(desk, account):
    case = _replied(desk, _wechat_case(desk, account, phone=PHONE))
    (notification,) = notifications_for(_event(case, "reply"))
    assert notification.follower and not notification.phone
    assert notification.link.startswith("http")


def test_the_receipt_of_a_wechat_case_is_not_sent_again(desk, account):
    case = _wechat_case(desk, account, phone=PHONE)
    assert notifications_for(_event(case, "intake")) == []


def test_an_sms_case_is_answered_by_sms(desk):
    case = _replied(desk, _intake(desk, channel=Channel.SMS, phone=PHONE))
    (notification,) = notifications_for(_event(case, "reply"))
    assert notification.phone == PHONE and not notification.follower


def test_a_requester_with_an_account_with_an_email_also_gets_an_email(desk):
    case = _intake(desk, channel=Channel.WEB, phone="18600007777")
    User.objects.create_user(username="chen", email="chen@example.cn", person=case.requester)
    case = _replied(desk, case)
    (notification,) = notifications_for(_event(case, "reply"))
    assert notification.email == "chen@example.cn" and notification.phone == "18600007777"


def test_a_rejected_case_tells_the_requester_why(desk):
    case = _intake(desk, channel=Channel.SMS, phone=PHONE)
    case = cases.case_reject(
        case=case, actor=desk.dispatcher, reason="outside_duty", note="请向法院起诉。"
    )
    (notification,) = notifications_for(_event(case, "reject"))
    assert "请向法院起诉。" in notification.text and notification.phone == PHONE


# Recorded in development, sent when set to send -----------------------------------------------


def test_in_development_the_reply_is_recorded_not_sent(
    desk, account, immediate, settings, django_capture_on_commit_callbacks
):
    settings.WENMIN_WECHAT_OUTBOUND = "record"
    with django_capture_on_commit_callbacks(execute=True):
        case = _replied(desk, _wechat_case(desk, account))
    (row,) = WechatOutbound.objects.all()
    assert (row.status, row.case_id, row.kind) == (OutboundStatus.RECORDED, case.pk, "template")
    assert row.openid_digest == digest(OPENID)
    assert OPENID not in str(row.payload)
    assert row.payload["data"]["keyword1"] == case.number


def test_the_reply_and_the_closure_reach_the_fake_wechat_server(
    desk, account, immediate, fake_wechat, django_capture_on_commit_callbacks
):
    AccountOutbound.objects.create(account=account, template_id="TPL-CASE")
    with django_capture_on_commit_callbacks(execute=True):
        case = _replied(desk, _wechat_case(desk, account))
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_callback(case=case, actor=desk.dispatcher, resolved=True, satisfaction=5)
    sent = fake_wechat.calls_to("/cgi-bin/message/template/send")
    assert [call.body["touser"] for call in sent] == [OPENID, OPENID]
    assert [call.body["template_id"] for call in sent] == ["TPL-CASE", "TPL-CASE"]
    reply, closure = (call.body for call in sent)
    assert "水管已修好" in reply["data"]["remark"]["value"]
    assert "/portal/" in reply["url"]  # the one-time rating link
    assert case.number in closure["data"]["remark"]["value"]
    assert list(WechatOutbound.objects.values_list("status", flat=True)) == ["sent", "sent"]


def test_an_account_without_a_template_sends_nothing_and_says_why(
    desk, account, immediate, fake_wechat, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _replied(desk, _wechat_case(desk, account))
    assert fake_wechat.calls_to("/cgi-bin/message/template/send") == []
    assert "no template of case updates" in caplog.text


def test_a_refused_message_is_logged_as_failed(
    desk, account, immediate, fake_wechat, django_capture_on_commit_callbacks
):
    AccountOutbound.objects.create(account=account, template_id="")  # WeChat answers 40037
    account.outbound.template_id = ""
    with django_capture_on_commit_callbacks(execute=True):
        case = _wechat_case(desk, account)
    from wenmin.messaging.services import wechat_template_send
    from wenmin.wechat.outbound import WechatApiError

    with pytest.raises(WechatApiError):
        wechat_template_send(account=account, openid=OPENID, data={"subject": "x"}, case_id=case.pk)
    row = WechatOutbound.objects.get()
    assert (row.status, row.errcode) == (OutboundStatus.FAILED, 40037)


def test_recording_instead_of_sending_is_announced_at_every_start(settings):
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "wechat"]
    settings.WENMIN_WECHAT_OUTBOUND = "record"
    assert "wenmin.messaging.W001" in [m.id for m in checks.run_checks()]
    settings.WENMIN_WECHAT_OUTBOUND = "send"
    assert "wenmin.messaging.W001" not in [m.id for m in checks.run_checks()]


def test_anonymising_the_case_forgets_the_openid(desk, account):
    from wenmin.privacy.services.anonymise import case_anonymise

    case = _wechat_case(desk, account)
    case_anonymise(case_id=case.pk, reason="retention", actor=desk.county.administrator)
    follower = CaseFollower.objects.get(case=case)
    assert (follower.openid, follower.openid_digest) == ("", "")
    assert wechat_recipient_for_case(case) is None


def test_a_template_with_typed_fields_gets_each_value_where_mapped_and_cut_to_fit(
    desk, account, immediate, fake_wechat, django_capture_on_commit_callbacks
):
    AccountOutbound.objects.create(
        account=account,
        template_id="TPL-NEW",
        template_fields={"number": "character_string1", "state": "phrase2", "text": "thing3"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = _replied(desk, _wechat_case(desk, account))
    (call,) = fake_wechat.calls_to("/cgi-bin/message/template/send")
    data = {key: value["value"] for key, value in call.body["data"].items()}
    assert set(data) == {"character_string1", "phrase2", "thing3"}
    assert data["character_string1"] == case.number
    assert len(data["phrase2"]) <= 5 and len(data["thing3"]) <= 20
    assert data["thing3"].endswith("…")


def test_a_mapping_to_unknown_values_is_refused():
    from django.core.exceptions import ValidationError

    from wenmin.messaging.services import template_fields_check

    assert template_fields_check({"number": "character_string1"}) == {"number": "character_string1"}
    for wrong in ({"phone": "thing1"}, {"number": "thing 1"}, ["number"]):
        with pytest.raises(ValidationError):
            template_fields_check(wrong)
