"""Every refusal: the right status, nothing stored, one log line without a traceback."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from wenmin.cases.models import Case
from wenmin.wechat.models import Follower, InboundMessage, OfficialAccount
from wenmin.wechat.tests import wire
from wenmin.wechat.tests.test_protocol import BOMB, EXTERNAL

OPENID = "oRESIDENT0001abcd"


def _nothing_stored_and_logged_once(caplog) -> None:  # type: ignore[no-untyped-def]
    assert Case.objects.count() == 0
    assert Follower.objects.count() == 0
    assert InboundMessage.objects.count() == 0
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].name == "wenmin.wechat"
    assert warnings[0].exc_info is None
    assert wire.TOKEN not in warnings[0].getMessage()


@pytest.fixture
def message():
    return wire.text_message(OPENID, "路灯坏了", 3001)


def test_a_wrong_signature_is_forbidden(wechat, message, caplog):
    wechat.token = "notthetoken"
    response = wechat.post_safe(message)
    assert response.status_code == 403
    _nothing_stored_and_logged_once(caplog)


def test_a_wrong_msg_signature_is_forbidden(wechat, message, caplog):
    sealed = wire.seal(wire.xml_of(message))
    query = {**wechat.query(), "encrypt_type": "aes", "msg_signature": "f" * 40}
    response = wechat.post_raw(wire.xml_of({"ToUserName": "gh", "Encrypt": sealed}), query)
    assert response.status_code == 403
    _nothing_stored_and_logged_once(caplog)


def test_a_message_sealed_for_another_app_id_is_forbidden(wechat, message, caplog):
    response = wechat.post_safe(message, app_id="wxanotheraccount01")
    assert response.status_code == 403
    _nothing_stored_and_logged_once(caplog)


def test_a_stale_timestamp_is_forbidden(wechat, message, caplog):
    response = wechat.post_safe(message, timestamp=int(time.time()) - 301)
    assert response.status_code == 403
    _nothing_stored_and_logged_once(caplog)


def test_a_timestamp_within_five_minutes_is_accepted(wechat, message):
    assert wechat.post_safe(message, timestamp=int(time.time()) - 240).status_code == 200
    assert Case.objects.count() == 1


def test_the_allowed_age_is_a_setting(wechat, message, settings, caplog):
    settings.WENMIN_WECHAT_MAX_AGE = 60
    assert wechat.post_safe(message, timestamp=int(time.time()) - 120).status_code == 403
    _nothing_stored_and_logged_once(caplog)


def test_an_unknown_account_is_not_found(account, message, caplog):
    path = reverse("wechat:callback", kwargs={"callback_key": "nosuchaccountkey"})
    response = wire.WeChat(client=Client(), path=path).post_safe(message)
    assert response.status_code == 404
    _nothing_stored_and_logged_once(caplog)


def test_an_inactive_account_is_not_found(wechat, account, message, caplog):
    OfficialAccount.objects.filter(pk=account.pk).update(is_active=False)
    assert wechat.post_safe(message).status_code == 404
    assert wechat.verify().status_code == 404
    assert Case.objects.count() == 0


def test_an_oversized_body_is_refused(plain_wechat, caplog):
    big = wire.text_message(OPENID, "长" * 30_000, 3002)
    response = plain_wechat.post_plain(big)
    assert response.status_code == 413
    _nothing_stored_and_logged_once(caplog)


@pytest.mark.parametrize(
    "body",
    [BOMB, EXTERNAL, "<!DOCTYPE xml><xml><MsgType>text</MsgType></xml>", "<xml><Content>", "{}"],
    ids=["entity-expansion", "external-entity", "dtd", "malformed", "not-xml"],
)
def test_unsafe_or_malformed_xml_is_refused_in_plaintext(plain_wechat, body, caplog):
    response = plain_wechat.post_raw(body, plain_wechat.query())
    assert response.status_code == 400
    _nothing_stored_and_logged_once(caplog)


@pytest.mark.parametrize(
    "inner", [BOMB, EXTERNAL, "<xml><Content>"], ids=["bomb", "external", "malformed"]
)
def test_unsafe_xml_inside_the_encryption_is_refused(wechat, inner, caplog):
    sealed = wire.seal(inner)
    q = wechat.query()
    q.update(
        encrypt_type="aes",
        msg_signature=wire.sha1_sorted(wire.TOKEN, q["timestamp"], q["nonce"], sealed),
    )
    response = wechat.post_raw(wire.xml_of({"ToUserName": "gh", "Encrypt": sealed}), q)
    assert response.status_code == 400
    _nothing_stored_and_logged_once(caplog)


def test_a_plaintext_message_to_a_safe_mode_account_is_refused(wechat, message, caplog):
    response = wechat.post_plain(message)
    assert response.status_code == 400
    _nothing_stored_and_logged_once(caplog)


@pytest.mark.parametrize("missing", ["FromUserName", "CreateTime", "MsgType"])
def test_a_message_without_its_envelope_fields_is_refused(wechat, message, missing, caplog):
    del message[missing]
    assert wechat.post_safe(message).status_code == 400
    _nothing_stored_and_logged_once(caplog)


def test_other_methods_are_not_allowed(wechat, caplog):
    response = wechat.client.put(wechat.path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    _nothing_stored_and_logged_once(caplog)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: f"<xml>{t}</xml>"),
    query=st.dictionaries(
        st.sampled_from(
            ["signature", "timestamp", "nonce", "encrypt_type", "msg_signature", "echostr"]
        ),
        st.text(max_size=60),
    ),
)
def test_junk_is_always_refused_with_a_4xx_and_stores_nothing(wechat, body, query):
    response = wechat.client.post(
        wechat.path + "?" + urlencode(query), data=body, content_type="text/xml"
    )
    assert 400 <= response.status_code < 500
    assert InboundMessage.objects.count() == 0


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(inner=st.binary(max_size=600))
def test_junk_sealed_and_signed_correctly_is_still_refused_with_a_4xx(wechat, inner):
    sealed = wire.seal(inner.decode("utf-8", "replace"))
    q = wechat.query()
    q.update(
        encrypt_type="aes",
        msg_signature=wire.sha1_sorted(wire.TOKEN, q["timestamp"], q["nonce"], sealed),
    )
    response = wechat.post_raw(wire.xml_of({"ToUserName": "gh", "Encrypt": sealed}), q)
    assert 400 <= response.status_code < 500
    assert Case.objects.count() == 0


def test_a_control_character_in_a_message_is_refused(wechat, caplog):
    # XML 1.0 cannot carry most control characters; a character reference can (&#1; is refused
    # by the parser) and a TAB or a newline in the sender cannot be an openid.
    response = wechat.post_safe(wire.text_message("oRESIDENT\t0001", "路灯", 3100))
    assert response.status_code == 400
    _nothing_stored_and_logged_once(caplog)
