"""WeChat's side of the wire, written from the protocol's description (消息加解密接入指引), not
from wenmin.wechat.protocol: the tests send what WeChat would and read what it would read."""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml.ElementTree import fromstring
from django.test import Client

TOKEN = "wenmintoken2026"  # noqa: S105  (test secrets)
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
APP_ID = "wx1234567890abcdef"
ORIGINAL_ID = "gh_0123456789ab"


def sha1_sorted(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324


def aes_key(encoding_aes_key: str = AES_KEY) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def seal(plaintext: str, *, app_id: str = APP_ID, key: str = AES_KEY) -> str:
    """16 random bytes, 4-byte network-order length, message, AppID; PKCS#7 to 32; AES-256-CBC
    with IV = the key's first 16 bytes; Base64."""
    k = aes_key(key)
    msg = plaintext.encode()
    body = os.urandom(16) + struct.pack("!I", len(msg)) + msg + app_id.encode()
    pad = 32 - len(body) % 32
    body += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(k), modes.CBC(k[:16])).encryptor()
    return base64.b64encode(enc.update(body) + enc.finalize()).decode()


def unseal(sealed: str, *, key: str = AES_KEY) -> tuple[str, str]:
    """(message, AppID) from an Encrypt."""
    k = aes_key(key)
    dec = Cipher(algorithms.AES(k), modes.CBC(k[:16])).decryptor()
    body = dec.update(base64.b64decode(sealed)) + dec.finalize()
    body = body[: -body[-1]]
    (length,) = struct.unpack("!I", body[16:20])
    return body[20 : 20 + length].decode(), body[20 + length :].decode()


def xml_of(fields: dict[str, Any]) -> str:
    inner = "".join(
        f"<{name}>{value}</{name}>"
        if isinstance(value, int)
        else f"<{name}><![CDATA[{value}]]></{name}>"
        for name, value in fields.items()
    )
    return f"<xml>{inner}</xml>"


def fields_of(xml: str | bytes) -> dict[str, str]:
    return {child.tag: (child.text or "") for child in fromstring(xml)}


def text_message(openid: str, content: str, msg_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "ToUserName": ORIGINAL_ID,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        "MsgType": "text",
        "Content": content,
        "MsgId": msg_id,
        **extra,
    }


def event_message(openid: str, event: str, create_time: int | None = None, **extra: Any) -> dict:
    return {
        "ToUserName": ORIGINAL_ID,
        "FromUserName": openid,
        "CreateTime": create_time or int(time.time()),
        "MsgType": "event",
        "Event": event,
        **extra,
    }


@dataclass
class WeChat:
    """WeChat calling one account's server URL."""

    client: Client
    path: str
    token: str = TOKEN
    aes_key: str = AES_KEY
    app_id: str = APP_ID

    def query(self, *, timestamp: int | None = None, nonce: str = "n0nce", **extra: str) -> dict:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        return {
            "timestamp": ts,
            "nonce": nonce,
            "signature": sha1_sorted(self.token, ts, nonce),
            **extra,
        }

    def verify(self, echostr: str = "echo-12345", **query: Any) -> Any:
        return self.client.get(self.path, {**self.query(**query), "echostr": echostr})

    def post_raw(self, body: str | bytes, query: dict) -> Any:
        return self.client.post(
            f"{self.path}?{urlencode(query)}", data=body, content_type="text/xml"
        )

    def post_plain(self, fields: dict[str, Any], **query: Any) -> Any:
        return self.post_raw(
            xml_of(fields), {**self.query(**query), "openid": fields.get("FromUserName", "")}
        )

    def post_safe(
        self,
        fields: dict[str, Any],
        *,
        compatible: bool = False,
        app_id: str | None = None,
        **query: Any,
    ) -> Any:
        plaintext = xml_of(fields)
        sealed = seal(plaintext, app_id=app_id or self.app_id, key=self.aes_key)
        q = self.query(**query)
        q.update(
            encrypt_type="aes",
            msg_signature=sha1_sorted(self.token, q["timestamp"], q["nonce"], sealed),
            openid=str(fields.get("FromUserName", "")),
        )
        outer = {"ToUserName": fields.get("ToUserName", ORIGINAL_ID), "Encrypt": sealed}
        if compatible:
            outer = {**fields, "Encrypt": sealed}
        return self.post_raw(xml_of(outer), q)

    def open_reply(self, response: Any) -> dict[str, str]:
        """The reply's fields, checking its msg_signature and AppID the way WeChat does."""
        outer = fields_of(response.content)
        if "Encrypt" not in outer:
            return outer
        signature = sha1_sorted(self.token, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
        assert signature == outer["MsgSignature"], "the reply's msg_signature is wrong"
        message, app_id = unseal(outer["Encrypt"], key=self.aes_key)
        assert app_id == self.app_id, "the reply names another AppID"
        return fields_of(message)
