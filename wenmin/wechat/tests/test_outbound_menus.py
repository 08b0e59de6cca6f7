"""An account's menu: refused as WeChat would refuse it, with a message; pushed through the
adapter (recorded in development), the default 反映问题 / 查询进度 / 问需调查 when none is set."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wenmin.core.models import AuditEvent
from wenmin.messaging.models import AccountOutbound, OutboundStatus, WechatOutbound
from wenmin.messaging.services import account_menu_push, account_menu_save
from wenmin.wechat.menus import MENU_KEY_QUERY, menu_check, menu_default
from wenmin.wechat.tests.outbound_fixtures import (
    APP_ID,
    _account_fixture,  # noqa: F401
    _fake_wechat_fixture,  # noqa: F401
)

QUERY = {"type": "click", "name": "查询进度", "key": MENU_KEY_QUERY}


def test_the_default_menu_passes_wechats_rules():
    buttons = menu_default(site_url="https://wenmin.example")
    assert [b["name"] for b in buttons] == ["反映问题", "查询进度", "问需调查"]
    assert menu_check(buttons) == buttons


@pytest.mark.parametrize(
    ("buttons", "says"),
    [
        ([], "一到三个"),
        ([QUERY] * 4, "一到三个"),
        ([{"type": "click", "name": "", "key": "K"}], "没有名称"),
        ([{"type": "click", "name": "反映群众关心的问题", "key": "K"}], "过长"),
        ([{"type": "view", "name": "调查", "url": "javascript:alert(1)"}], "网址"),
        ([{"type": "click", "name": "查询"}], "键"),
        ([{"type": "miniprogram?", "name": "查询", "key": "K"}], "类型"),
        ([{"name": "更多", "sub_button": [QUERY] * 6}], "一到五个"),
        ("not a list", "一到三个"),
    ],
)
def test_a_menu_wechat_would_refuse_is_refused_with_a_reason(buttons, says):
    with pytest.raises(ValidationError) as refused:
        menu_check(buttons)
    assert says in " ".join(refused.value.message_dict["menu"])


def test_a_menu_with_sub_buttons_is_accepted():
    buttons = [
        {
            "name": "办事",
            "sub_button": [QUERY, {"type": "view", "name": "问需", "url": "https://x/s/"}],
        }
    ]
    assert menu_check(buttons) == buttons


def test_saving_a_refused_menu_keeps_nothing(account, county):
    with pytest.raises(ValidationError):
        account_menu_save(account=account, buttons=[QUERY] * 4, actor=county.administrator)
    assert AccountOutbound.objects.filter(account=account).values_list(
        "menu", flat=True
    ).first() in (None, [])
    assert not AuditEvent.objects.filter(action="wechat.menu_save").exists()


def test_in_development_the_push_is_recorded(account, county, settings):
    settings.WENMIN_WECHAT_OUTBOUND = "record"
    row = account_menu_push(account=account, actor=county.administrator)
    assert row.status == OutboundStatus.RECORDED
    assert [b["name"] for b in row.payload["button"]] == ["反映问题", "查询进度", "问需调查"]
    assert AccountOutbound.objects.get(account=account).menu_pushed_at is not None


def test_the_saved_menu_is_pushed_to_wechat(account, county, fake_wechat):
    account_menu_save(account=account, buttons=[QUERY], actor=county.administrator)
    row = account_menu_push(account=account, actor=county.administrator)
    assert row.status == OutboundStatus.SENT
    assert fake_wechat.state.menus[APP_ID] == [QUERY]
    assert AuditEvent.objects.filter(action="wechat.menu_push", target_id=str(account.pk)).exists()


def test_a_push_wechat_refuses_is_logged_and_leaves_the_push_time(account, county, fake_wechat):
    account.app_secret = "wrong"  # noqa: S105
    row = account_menu_push(account=account, actor=county.administrator)
    assert (row.status, row.errcode) == (OutboundStatus.FAILED, 40125)
    assert AccountOutbound.objects.get(account=account).menu_pushed_at is None
    assert WechatOutbound.objects.filter(status="failed").count() == 1
