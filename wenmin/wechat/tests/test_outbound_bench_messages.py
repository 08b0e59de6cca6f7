"""The callback bench posts what WeChat would: its safe-mode messages decrypt and verify with
wechatpy, an independent client, so the bench measures the callback and not its refusals."""

from __future__ import annotations

import urllib.parse

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from bench.wechat_callback import AES_KEY, APP_ID, TOKEN, safe_mode_post


def test_the_benchs_safe_mode_messages_are_what_wechat_sends():
    query, body = safe_mode_post(42, "oBenchOpenid000042")
    params = dict(urllib.parse.parse_qsl(query))
    check_signature(TOKEN, params["signature"], params["timestamp"], params["nonce"])  # raises
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    inner = crypto.decrypt_message(
        body, params["msg_signature"], params["timestamp"], params["nonce"]
    )
    message = xmltodict.parse(inner)["xml"]
    assert message["FromUserName"] == "oBenchOpenid000042"
    assert message["MsgType"] == "text" and message["Content"].startswith("第42号")
    assert message["MsgId"] == str(7_000_000_000_000_000_000 + 42)
