"""Notification backends behind one interface: masked SMS logs, no backend stops another."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from wenmin.core.models import InAppNotification
from wenmin.core.notify import Notification, notify
from wenmin.core.notify.email import EmailBackend

PHONE = "18600003333"


@pytest.fixture
def all_backends(settings):
    settings.WENMIN_NOTIFY_BACKENDS = ["email", "inapp", "sms"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_sms_stub_logs_the_message_masked_and_says_it_was_not_sent(settings, caplog):
    settings.WENMIN_NOTIFY_BACKENDS = ["sms"]
    code = "K7QX3M9P"
    note = Notification(
        subject="s",
        text=f"您的诉求已受理，查询码 {code}",
        phone=PHONE,
        case_id=7,
        secrets=(code,),
    )
    with caplog.at_level(logging.INFO, logger="wenmin.notify"):
        delivered = notify(note)
    assert delivered == []  # the stub sends nothing and does not pretend otherwise
    assert "NOT SENT" in caplog.text
    assert "186****3333" in caplog.text and "您的诉求已受理" in caplog.text
    assert PHONE not in caplog.text
    assert code not in caplog.text and "K7******" in caplog.text


def test_the_stub_is_announced_at_every_start(settings):
    from django.core import checks

    settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "sms"]
    settings.WENMIN_SMS_GATEWAY = "stub"
    assert "wenmin.W010" in [m.id for m in checks.run_checks()]
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp"]
    assert "wenmin.W010" not in [m.id for m in checks.run_checks()]


def test_a_notification_never_shows_its_phone_in_a_repr():
    notification = Notification(subject="s", text="t", phone=PHONE)
    assert PHONE not in repr(notification)
    assert notification.phone_masked == "186****3333"


def test_a_failing_backend_does_not_stop_the_others(county, all_backends, monkeypatch, caplog):
    def broken(self, notification):
        raise ConnectionError("mail server refused")

    monkeypatch.setattr(EmailBackend, "send", broken)
    clerk = county.township_clerk
    with caplog.at_level(logging.INFO, logger="wenmin.notify"):
        delivered = notify(Notification(subject="新诉求", text="t", user=clerk, phone=PHONE))
    assert delivered == ["inapp"]
    assert InAppNotification.objects.filter(user=clerk, subject="新诉求").count() == 1
    assert "backend email failed" in caplog.text


def test_each_backend_uses_only_the_address_it_understands(county, all_backends, mailoutbox):
    assert notify(Notification(subject="s", text="t", phone=PHONE)) == []  # only the SMS stub
    assert InAppNotification.objects.count() == 0 and mailoutbox == []
    clerk = county.township_clerk
    clerk.email = "qingshi@example.cn"
    clerk.save(update_fields=["email"])
    assert notify(Notification(subject="新诉求", text="t", user=clerk)) == ["email", "inapp"]
    assert [message.to for message in mailoutbox] == [["qingshi@example.cn"]]


def test_an_unknown_backend_is_refused(settings):
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "fax"]
    with pytest.raises(ImproperlyConfigured, match="fax"):
        notify(Notification(subject="s", text="t"))


def test_staff_pages_count_unread_in_app_notifications(county):
    clerk = county.township_clerk
    InAppNotification.objects.create(user=clerk, subject="a")
    InAppNotification.objects.create(user=clerk, subject="b")
    InAppNotification.objects.create(user=county.other_township_clerk, subject="c")
    client = Client()
    client.force_login(clerk)
    response = client.get(reverse("organisation:home"))
    assert response.status_code == 200
    assert response.context["unread_notifications"] == 2
    resident = Client()
    resident.force_login(county.resident)
    assert resident.get(reverse("portal:submit")).context["unread_notifications"] == 0


def test_the_reply_text_carries_the_one_time_link_masked_in_the_log(desk, settings, caplog):
    from wenmin.cases import services as cases
    from wenmin.cases.models import CaseEvent, Channel
    from wenmin.cases.notifications import notifications_for

    c = desk.county
    case = cases.case_intake(
        channel=Channel.PHONE,
        content="青石村路口水管漏水三天了，请尽快修理。",
        kind="help",
        category=desk.water,
        requester_name="陈明",
        requester_phone=PHONE,
        region=c.village_a,
    )
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    case = cases.case_plan(case=case, actor=c.township_clerk, plan="安排维修")
    cases.case_reply(case=case, actor=c.township_clerk, reply="已修复")
    reply = CaseEvent.objects.get(case=case, action="reply")
    (sms,) = notifications_for(reply)
    token = sms.text.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) > 20 and token in sms.text
    settings.WENMIN_NOTIFY_BACKENDS = ["sms"]
    with caplog.at_level(logging.INFO, logger="wenmin.notify"):
        notify(sms)
    assert token not in caplog.text and case.tracking_code not in caplog.text
