"""The administrator registers an SMS gateway (the secret never in the audit log), sets an
official account's template and menu (refused as WeChat would refuse it) and pushes the menu."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.messaging.models import AccountOutbound, SmsGateway, WechatOutbound
from wenmin.wechat.models import OfficialAccount


def _admin(county) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county.administrator)
    return client


def _account() -> OfficialAccount:
    return OfficialAccount.objects.create(name="青石镇发布", app_id="wxadmin01", token="t")  # noqa: S106


def test_the_administrator_registers_a_gateway_and_the_audit_hides_its_secret(county):
    answer = _admin(county).post(
        reverse("admin:messaging_smsgateway_add"),
        {"name": "县短信平台", "slug": "county-sms", "secret": "s3cret-shared", "is_active": "on"},
    )
    assert answer.status_code == 302
    gateway = SmsGateway.objects.get()
    assert gateway.secret == "s3cret-shared"
    event = AuditEvent.objects.get(action="messaging.sms_gateway_create")
    assert "s3cret-shared" not in json.dumps(event.changes, ensure_ascii=False)


def test_a_menu_wechat_would_refuse_is_refused_in_the_admin(county):
    account = _account()
    answer = _admin(county).post(
        reverse("admin:messaging_accountoutbound_add"),
        {"account": account.pk, "template_id": "TPL", "menu": json.dumps([{"name": "x"}] * 4)},
    )
    assert answer.status_code == 200
    assert "菜单应有一到三个一级按钮" in answer.content.decode()
    assert not AccountOutbound.objects.exists()


def test_the_administrator_sets_and_pushes_a_menu(county, settings):
    settings.WENMIN_WECHAT_OUTBOUND = "record"
    account = _account()
    client = _admin(county)
    menu = [{"type": "click", "name": "查询进度", "key": "WENMIN_QUERY"}]
    answer = client.post(
        reverse("admin:messaging_accountoutbound_add"),
        {"account": account.pk, "template_id": "TPL", "menu": json.dumps(menu, ensure_ascii=False)},
    )
    assert answer.status_code == 302
    outbound = AccountOutbound.objects.get()
    assert outbound.menu == menu
    answer = client.post(
        reverse("admin:messaging_accountoutbound_changelist"),
        {"action": "push_menu", "_selected_action": [outbound.pk]},
        follow=True,
    )
    assert answer.status_code == 200
    row = WechatOutbound.objects.get()
    assert (row.kind, row.status, row.payload) == ("menu", "recorded", {"button": menu})


def test_only_the_administrator_sees_the_messages_admin(county):
    client = Client()
    client.force_login(county.township_clerk)
    assert client.get(reverse("admin:messaging_wechatoutbound_changelist")).status_code in (
        302,
        403,
    )
