"""The callback as WeChat calls it: the URL check, and messages in each mode."""

from __future__ import annotations

import time

from wechatpy.crypto import WeChatCrypto

from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.workflow import State
from wenmin.wechat.models import Follower, InboundMessage
from wenmin.wechat.tests import wire


def test_the_url_check_echoes_echostr_when_signed_with_the_token(wechat):
    response = wechat.verify(echostr="4711815069531938916")
    assert response.status_code == 200
    assert response.content == b"4711815069531938916"


def test_the_url_check_with_a_wrong_signature_is_forbidden(wechat):
    response = wechat.client.get(
        wechat.path,
        {"timestamp": str(int(time.time())), "nonce": "n", "signature": "0" * 40, "echostr": "e"},
    )
    assert response.status_code == 403
    assert b"e" not in response.content


def test_a_text_in_safe_mode_opens_a_wechat_case_and_the_reply_gives_code_and_link(wechat, account):
    response = wechat.post_safe(wire.text_message("oRESIDENT0001abcd", "青石村路灯坏了三天", 1001))
    assert response.status_code == 200
    reply = wechat.open_reply(response)
    case = Case.objects.get()
    assert case.channel == Channel.WECHAT
    assert case.content == "青石村路灯坏了三天"
    assert case.region == account.region
    assert case.state == State.COLLECTED
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert intake.data["unit_hint_id"] == account.unit_id
    assert reply["MsgType"] == "text"
    assert reply["ToUserName"] == "oRESIDENT0001abcd"
    assert reply["FromUserName"] == wire.ORIGINAL_ID
    assert case.tracking_code in reply["Content"]
    assert f"/portal/track/{case.tracking_code}/" in reply["Content"]
    assert Follower.objects.count() == 1


def test_a_plaintext_account_answers_in_plaintext(plain_wechat):
    response = plain_wechat.post_plain(wire.text_message("oRESIDENT0001abcd", "垃圾没人清运", 1002))
    assert response.status_code == 200
    reply = wire.fields_of(response.content)
    assert "Encrypt" not in reply
    assert Case.objects.get().tracking_code in reply["Content"]


def test_a_compatible_account_answers_each_request_in_its_own_mode(compatible_wechat):
    plain = compatible_wechat.post_plain(wire.text_message("oRESIDENT0001abcd", "路面塌陷", 1003))
    assert "Encrypt" not in wire.fields_of(plain.content)
    sealed = compatible_wechat.post_safe(
        wire.text_message("oRESIDENT0001abcd", "井盖丢失", 1004), compatible=True
    )
    outer = wire.fields_of(sealed.content)
    assert "Encrypt" in outer
    assert "井盖" not in sealed.content.decode()
    assert compatible_wechat.open_reply(sealed)["MsgType"] == "text"
    assert Case.objects.count() == 2


def test_wechatpy_as_a_second_client_seals_a_message_we_open_and_opens_our_reply(wechat):
    crypto = WeChatCrypto(wire.TOKEN, wire.AES_KEY, wire.APP_ID)
    timestamp, nonce = str(int(time.time())), "wechatpy1"
    plaintext = wire.xml_of(wire.text_message("oWECHATPY0000001", "桥栏杆松动", 2001))
    envelope = crypto.encrypt_message(plaintext, nonce, timestamp)
    outer = wire.fields_of(envelope)
    query = {
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": wire.sha1_sorted(wire.TOKEN, timestamp, nonce),
        "encrypt_type": "aes",
        "msg_signature": outer["MsgSignature"],
        "openid": "oWECHATPY0000001",
    }
    body = wire.xml_of({"ToUserName": wire.ORIGINAL_ID, "Encrypt": outer["Encrypt"]})
    response = wechat.post_raw(body, query)
    assert response.status_code == 200
    answer = wire.fields_of(response.content)
    reply = crypto.decrypt_message(
        response.content, answer["MsgSignature"], answer["TimeStamp"], answer["Nonce"]
    )
    case = Case.objects.get()
    assert case.content == "桥栏杆松动"
    assert case.tracking_code in wire.fields_of(reply)["Content"]


def test_the_openid_is_stored_encrypted_and_found_by_its_digest(wechat):
    wechat.post_safe(wire.text_message("oRESIDENT0001abcd", "路灯坏了", 1005))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT openid, openid_digest FROM wechat_follower")
        stored, digest = cursor.fetchone()
    assert "oRESIDENT0001abcd" not in stored
    assert "oRESIDENT0001abcd" not in digest
    assert Follower.objects.get().openid == "oRESIDENT0001abcd"
    assert InboundMessage.objects.get().outcome == "opened"
