from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.wechat.models import MessageMode, OfficialAccount
from wenmin.wechat.services import account_create
from wenmin.wechat.tests.wire import AES_KEY, APP_ID, TOKEN, WeChat


@pytest.fixture
def account(desk) -> OfficialAccount:  # type: ignore[no-untyped-def]
    """青石镇's official account, in safe mode, serving its township government."""
    c = desk.county
    return account_create(
        actor=None,
        name="青石发布",
        app_id=APP_ID,
        token=TOKEN,
        aes_key=AES_KEY,
        app_secret="s3cretAppSecret",
        mode=MessageMode.SAFE,
        unit=c.government_a,
        region=c.township_a,
    )


def wechat_for(account: OfficialAccount) -> WeChat:
    path = reverse("wechat:callback", kwargs={"callback_key": account.callback_key})
    return WeChat(client=Client(), path=path)


@pytest.fixture
def wechat(account: OfficialAccount) -> WeChat:
    return wechat_for(account)


@pytest.fixture
def plain_wechat(account: OfficialAccount) -> WeChat:
    OfficialAccount.objects.filter(pk=account.pk).update(mode=MessageMode.PLAINTEXT)
    return wechat_for(account)


@pytest.fixture
def compatible_wechat(account: OfficialAccount) -> WeChat:
    OfficialAccount.objects.filter(pk=account.pk).update(mode=MessageMode.COMPATIBLE)
    return wechat_for(account)
