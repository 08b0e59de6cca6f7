"""The outbound adapter against a local fake of WeChat's API: the access token fetched once and
shared through the cache, refreshed once when WeChat says it is invalid, template messages and
the menu sent as WeChat expects them, server errors retried, secrets kept out of the logs."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache

from wenmin.wechat.models import OfficialAccount
from wenmin.wechat.outbound import WechatApi, WechatApiError, token_cache_key
from wenmin.wechat.tests.outbound_fixtures import (
    APP_ID,
    APP_SECRET,
    _account_fixture,  # noqa: F401
    _fake_wechat_fixture,  # noqa: F401
)

OPENID = "oABCD1234567890openidxyz"
TOKEN = "/cgi-bin/token"
TEMPLATE = "/cgi-bin/message/template/send"


def _send(account: OfficialAccount) -> int:
    return WechatApi(account).template_send(
        openid=OPENID, template_id="TPL-1", data={"first": "您的诉求已答复"}, url="https://x/y"
    )


def test_the_token_is_fetched_with_the_appid_and_secret_and_cached(fake_wechat, account):
    _send(account)
    _send(account)
    tokens = fake_wechat.calls_to(TOKEN)
    assert len(tokens) == 1  # the second message used the cached token
    assert tokens[0].query == {
        "grant_type": "client_credential",
        "appid": APP_ID,
        "secret": APP_SECRET,
    }
    cached = cache.get(token_cache_key(APP_ID))
    assert cached and fake_wechat.calls_to(TEMPLATE)[1].query["access_token"] == cached


def test_the_token_is_kept_until_shortly_before_it_expires(fake_wechat, account, monkeypatch):
    seen: dict[str, object] = {}
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):  # type: ignore[no-untyped-def]
        seen[key] = timeout
        return real_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    WechatApi(account).access_token()
    assert seen[token_cache_key(APP_ID)] == 7200 - 300


def test_a_token_another_server_cached_is_used_without_asking_wechat(fake_wechat, account):
    WechatApi(account).access_token()  # "server one"
    other = OfficialAccount.objects.get(pk=account.pk)  # "server two": a fresh object
    _send(other)
    assert len(fake_wechat.calls_to(TOKEN)) == 1


def test_an_invalid_token_is_refreshed_once_and_the_message_still_goes(fake_wechat, account):
    _send(account)
    old = cache.get(token_cache_key(APP_ID))
    fake_wechat.revoke_tokens()  # another client fetched a new token: ours answers 40001
    msgid = _send(account)
    assert msgid > 0
    assert len(fake_wechat.calls_to(TOKEN)) == 2
    sends = fake_wechat.calls_to(TEMPLATE)
    assert [call.query["access_token"] == old for call in sends] == [True, True, False]
    assert cache.get(token_cache_key(APP_ID)) != old


def test_a_refusal_after_the_refresh_is_raised_not_retried_forever(fake_wechat, account):
    api = WechatApi(account)
    with pytest.raises(WechatApiError) as refused:
        api.template_send(openid="", template_id="TPL-1", data={})
    assert refused.value.errcode == 40003
    assert len(fake_wechat.calls_to(TEMPLATE)) == 1


def test_the_template_message_is_sent_as_wechat_expects_it(fake_wechat, account):
    WechatApi(account).template_send(
        openid=OPENID,
        template_id="TPL-1",
        data={"first": "您的诉求已答复", "keyword1": "3699012026120400001"},
        url="https://wenmin.example/portal/rate/abc/",
    )
    (call,) = fake_wechat.calls_to(TEMPLATE)
    assert call.body == {
        "touser": OPENID,
        "template_id": "TPL-1",
        "url": "https://wenmin.example/portal/rate/abc/",
        "data": {
            "first": {"value": "您的诉求已答复"},
            "keyword1": {"value": "3699012026120400001"},
        },
    }


def test_the_menu_is_pushed(fake_wechat, account):
    buttons = [{"type": "click", "name": "查询进度", "key": "WENMIN_QUERY"}]
    WechatApi(account).menu_create(buttons=buttons)
    assert fake_wechat.state.menus[APP_ID] == buttons
    assert fake_wechat.calls_to("/cgi-bin/menu/create")[0].body == {"button": buttons}


def test_a_menu_wechat_refuses_raises_its_error(fake_wechat, account):
    with pytest.raises(WechatApiError) as refused:
        WechatApi(account).menu_create(buttons=[])
    assert refused.value.errcode == 40016


def test_a_wrong_secret_is_refused_with_wechats_error(fake_wechat, account):
    account.app_secret = "wrong"  # noqa: S105
    with pytest.raises(WechatApiError) as refused:
        _send(account)
    assert refused.value.errcode == 40125
    assert cache.get(token_cache_key(APP_ID)) is None


def test_server_errors_are_retried_then_succeed(fake_wechat, account):
    fake_wechat.fail_next(502, 503)
    assert WechatApi(account).access_token()
    assert len(fake_wechat.calls_to(TOKEN)) == 3


def test_server_errors_past_the_retries_fail_without_secrets_in_the_log(
    fake_wechat, account, caplog
):
    fake_wechat.fail_next(500, 500, 500)
    with (
        caplog.at_level(logging.WARNING, logger="wenmin.wechat.outbound"),
        pytest.raises(WechatApiError),
    ):
        WechatApi(account).access_token()
    assert len(fake_wechat.calls_to(TOKEN)) == 3  # one try and two retries
    assert "HTTP 500" in caplog.text
    assert APP_SECRET not in caplog.text


def test_a_client_error_is_not_retried(fake_wechat, account):
    fake_wechat.fail_next(404)
    with pytest.raises(WechatApiError):
        WechatApi(account).access_token()
    assert len(fake_wechat.calls_to(TOKEN)) == 1


def test_an_unreachable_server_fails_after_the_retries(settings, account):
    settings.WENMIN_WECHAT_API_BASE = "http://127.0.0.1:9"  # the discard port: nobody listens
    settings.WENMIN_WECHAT_API_BACKOFF = 0
    with pytest.raises(WechatApiError) as failed:
        WechatApi(account).access_token()
    assert failed.value.errcode == -1


def test_a_server_waits_for_the_token_another_server_is_fetching(fake_wechat, account):
    import threading

    key = token_cache_key(APP_ID)
    cache.add(f"{key}:fetching", "1", timeout=30)  # "server one" is fetching
    threading.Timer(0.3, lambda: cache.set(key, "token-of-server-one", 60)).start()
    assert WechatApi(account).access_token() == "token-of-server-one"
    assert fake_wechat.calls_to(TOKEN) == []


def test_a_server_fetches_itself_when_the_other_never_delivers(fake_wechat, account, monkeypatch):
    from wenmin.wechat import outbound

    monkeypatch.setattr(outbound, "TOKEN_WAIT", 0.2)
    cache.add(f"{token_cache_key(APP_ID)}:fetching", "1", timeout=30)  # a server that died
    assert WechatApi(account).access_token()
    assert len(fake_wechat.calls_to(TOKEN)) == 1
