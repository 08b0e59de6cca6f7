"""The protocol module against WeChat's description (tests/wire.py) and against wechatpy."""

from __future__ import annotations

import pytest
from wechatpy.crypto import WeChatCrypto

from wenmin.core.geo import gcj02_to_wgs84, wgs84_to_gcj02
from wenmin.wechat import protocol
from wenmin.wechat.tests import wire


def test_signature_is_sha1_of_the_sorted_token_timestamp_and_nonce():
    # sorted("wenmintoken2026", "1700000000", "abc") → "1700000000" "abc" "wenmintoken2026"
    import hashlib

    expected = hashlib.sha1(b"1700000000abcwenmintoken2026").hexdigest()  # noqa: S324
    assert protocol.sha1_signature(wire.TOKEN, "1700000000", "abc") == expected
    protocol.signature_check(
        token=wire.TOKEN, timestamp="1700000000", nonce="abc", signature=expected
    )
    with pytest.raises(protocol.BadSignature):
        protocol.signature_check(
            token=wire.TOKEN, timestamp="1700000001", nonce="abc", signature=expected
        )


def test_what_wechat_seals_decrypts_to_the_message():
    sealed = wire.seal("<xml><Content><![CDATA[路灯坏了]]></Content></xml>")
    assert (
        protocol.decrypt(encrypted=sealed, encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID)
        == "<xml><Content><![CDATA[路灯坏了]]></Content></xml>"
    )


def test_what_we_seal_wechat_opens_with_our_app_id_and_32_byte_padding():
    sealed = protocol.encrypt(
        plaintext="回复", encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID, random=b"r" * 16
    )
    import base64

    assert len(base64.b64decode(sealed)) % 32 == 0
    assert wire.unseal(sealed) == ("回复", wire.APP_ID)


@pytest.mark.parametrize("length", [0, 1, 11, 12, 13, 31, 32, 33, 100])
def test_every_length_round_trips(length):
    text = "x" * length
    sealed = protocol.encrypt(plaintext=text, encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID)
    assert (
        protocol.decrypt(encrypted=sealed, encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID)
        == text
    )


def test_a_message_sealed_for_another_app_id_is_refused():
    sealed = wire.seal("<xml/>", app_id="wxotheraccount0001")
    with pytest.raises(protocol.BadAppId):
        protocol.decrypt(encrypted=sealed, encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID)


@pytest.mark.parametrize("junk", ["", "not base64!", "QUJD", "A" * 44])
def test_junk_in_encrypt_is_a_protocol_error(junk):
    with pytest.raises(protocol.ProtocolError):
        protocol.decrypt(encrypted=junk, encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID)


def test_wechatpy_seals_what_we_open_and_opens_what_we_seal():
    crypto = WeChatCrypto(wire.TOKEN, wire.AES_KEY, wire.APP_ID)
    envelope = crypto.encrypt_message("<xml><Content>hi</Content></xml>", "nonce1", "1700000000")
    outer = wire.fields_of(envelope)
    protocol.msg_signature_check(
        token=wire.TOKEN,
        timestamp="1700000000",
        nonce="nonce1",
        encrypt=outer["Encrypt"],
        msg_signature=outer["MsgSignature"],
    )
    assert (
        protocol.decrypt(
            encrypted=outer["Encrypt"], encoding_aes_key=wire.AES_KEY, app_id=wire.APP_ID
        )
        == "<xml><Content>hi</Content></xml>"
    )
    ours = protocol.encrypted_reply_xml(
        reply_xml="<xml><Content>好</Content></xml>",
        token=wire.TOKEN,
        encoding_aes_key=wire.AES_KEY,
        app_id=wire.APP_ID,
        timestamp="1700000001",
        nonce="nonce2",
    )
    sig = wire.fields_of(ours)["MsgSignature"]
    assert (
        crypto.decrypt_message(ours, sig, "1700000001", "nonce2")
        == "<xml><Content>好</Content></xml>"
    )


def test_aes_key_must_be_43_base64_characters():
    assert protocol.aes_key_valid(wire.AES_KEY)
    assert not protocol.aes_key_valid(wire.AES_KEY[:-1])
    assert not protocol.aes_key_valid(wire.AES_KEY[:-1] + "!")


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>'


@pytest.mark.parametrize(
    "body",
    [
        BOMB,
        EXTERNAL,
        "<!DOCTYPE xml><xml></xml>",
        "<xml><a>",
        "<notxml/>",
        "",
        "<xml>" + "<a>1</a>" * 65 + "</xml>",
    ],
    ids=[
        "entity-expansion",
        "external-entity",
        "dtd",
        "malformed",
        "wrong-root",
        "empty",
        "too-many-fields",
    ],
)
def test_unsafe_or_malformed_xml_is_refused(body):
    with pytest.raises(protocol.BadXml):
        protocol.parse_xml(body)


def test_reply_xml_survives_a_cdata_terminator_in_the_text():
    xml = protocol.text_reply_xml(to_user="o1", from_user="gh", content="a]]>b", create_time=1)
    assert wire.fields_of(xml)["Content"] == "a]]>b"


def test_gcj02_to_wgs84_undoes_the_shift_within_a_centimetre():
    lat, lng = 28.40712, 117.60325  # 横峰县
    g_lat, g_lng = wgs84_to_gcj02(lat, lng)
    assert abs(g_lat - lat) + abs(g_lng - lng) > 0.001  # hundreds of metres
    back = gcj02_to_wgs84(g_lat, g_lng)
    assert abs(back[0] - lat) < 1e-7 and abs(back[1] - lng) < 1e-7
    assert gcj02_to_wgs84(48.85, 2.35) == (48.85, 2.35)  # outside China: no shift


@pytest.mark.parametrize("given", ["签名", "é" * 40, "\u00b2"])
def test_a_signature_with_other_than_ascii_is_refused_not_a_crash(given: str) -> None:
    """hmac.compare_digest raises TypeError on non-ASCII str: the callback answered 500 to a
    junk signature (found by the refusals' hypothesis test). Compared as bytes, it is refused."""
    with pytest.raises(protocol.BadSignature):
        protocol.signature_check(token="token", timestamp="1", nonce="n", signature=given)
    with pytest.raises(protocol.BadSignature):
        protocol.msg_signature_check(
            token="token", timestamp="1", nonce="n", encrypt="x", msg_signature=given
        )
