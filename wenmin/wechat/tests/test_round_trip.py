"""The whole way round: a resident writes to the official account through WeChat's callback, the
case is handled, and the answer goes back to that resident on that account through WeChat's API
(the fake server) — the inbound and the outbound halves joined by the case's follower."""

from __future__ import annotations

import pytest

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.messaging.models import AccountOutbound
from wenmin.wechat.fake_server import FakeWechatServer
from wenmin.wechat.models import OfficialAccount
from wenmin.wechat.recipients import wechat_recipient_for_case
from wenmin.wechat.tests.wire import APP_ID, WeChat, text_message

OPENID = "oRoundTrip_resident_0000001"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def fake_wechat(settings):  # type: ignore[no-untyped-def]
    with FakeWechatServer(apps={APP_ID: "s3cretAppSecret"}) as fake:
        settings.WENMIN_WECHAT_API_BASE = fake.base_url
        settings.WENMIN_WECHAT_OUTBOUND = "send"
        settings.WENMIN_WECHAT_API_BACKOFF = 0
        settings.TASKS = IMMEDIATE
        settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "sms", "wechat"]
        yield fake


def test_a_message_to_the_account_is_answered_on_that_account(
    desk, account: OfficialAccount, wechat: WeChat, fake_wechat, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    AccountOutbound.objects.create(account=account, template_id="TPL-CASE")
    with django_capture_on_commit_callbacks(execute=True):
        response = wechat.post_safe(text_message(OPENID, "青石村路口的路灯坏了一个星期了。", 9001))
    assert response.status_code == 200
    case = Case.objects.get(channel=Channel.WECHAT)
    assert wechat_recipient_for_case(case) == (account, OPENID)
    assert fake_wechat.calls_to("/cgi-bin/message/template/send") == []  # the reply said it

    clerk = desk.county.township_clerk
    with django_capture_on_commit_callbacks(execute=True):
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=desk.county.government_a)
        case = cases.case_sign_for(case=case, actor=clerk)
        case = cases.case_plan(case=case, actor=clerk, plan="安排电工更换灯泡")
        cases.case_reply(case=case, actor=clerk, reply="路灯已修好。")
    (sent,) = fake_wechat.calls_to("/cgi-bin/message/template/send")
    assert sent.body["touser"] == OPENID
    assert "路灯已修好" in str(sent.body["data"])
