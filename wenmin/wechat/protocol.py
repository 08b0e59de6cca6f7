"""WeChat's server protocol for official accounts, pure: no database, no settings, no I/O.

From WeChat's own description (消息加解密接入指引):
- the URL check and every POST carry `signature` = SHA-1 of the token, timestamp and nonce,
  sorted as strings and joined;
- in safe mode the message is `Encrypt`: Base64 of AES-256-CBC over 16 random bytes, the
  message's length (4 bytes, network order), the message and the AppID, padded with PKCS#7 to a
  multiple of 32 bytes; the key is Base64 of the 43-character EncodingAESKey plus "=", the IV its
  first 16 bytes; `msg_signature` = SHA-1 of the sorted token, timestamp, nonce and Encrypt;
- a reply is the XML of a message, or in safe mode the XML of its Encrypt, MsgSignature,
  TimeStamp and Nonce.

XML is parsed with defusedxml: no DTD, no entity, no external reference is ever expanded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import struct
from xml.etree.ElementTree import Element, ParseError  # noqa: S405  (types; defusedxml parses)

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16
AES_KEY_LENGTH = 43
MAX_FIELDS = 64  # a message has about ten; more is not WeChat
MAX_FIELD = 16_384  # characters of one field (a text message holds at most 2,048)
_AES_KEY = re.compile(r"^[A-Za-z0-9+/]{43}$")


class ProtocolError(Exception):
    """The request does not follow the protocol; `reason` says how, for the one log line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadSignature(ProtocolError):
    """A signature does not match: someone without the token, or a changed message."""


class BadAppId(ProtocolError):
    """The decrypted message names another AppID."""


class BadXml(ProtocolError):
    """Not a WeChat XML document (malformed, with a DTD or entities, too many fields)."""


def sha1_signature(*parts: str) -> str:
    """SHA-1 of the parts sorted as strings and joined (the `signature` and `msg_signature`)."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()  # noqa: S324


def signature_check(*, token: str, timestamp: str, nonce: str, signature: str) -> None:
    """The URL's `signature` over token, timestamp and nonce, or BadSignature."""
    expected = sha1_signature(token, timestamp, nonce)
    if not hmac.compare_digest(expected.encode(), (signature or "").lower().encode()):
        raise BadSignature("signature")


def msg_signature_check(
    *, token: str, timestamp: str, nonce: str, encrypt: str, msg_signature: str
) -> None:
    """The URL's `msg_signature` over token, timestamp, nonce and Encrypt, or BadSignature."""
    expected = sha1_signature(token, timestamp, nonce, encrypt)
    if not hmac.compare_digest(expected.encode(), (msg_signature or "").lower().encode()):
        raise BadSignature("msg_signature")


def aes_key_valid(encoding_aes_key: str) -> bool:
    """An EncodingAESKey is 43 Base64 characters that decode (with "=") to 32 bytes."""
    if not _AES_KEY.match(encoding_aes_key or ""):
        return False
    try:
        return len(base64.b64decode(encoding_aes_key + "=")) == BLOCK
    except (binascii.Error, ValueError):
        return False


def aes_key_bytes(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of an EncodingAESKey (ValueError when it is not one)."""
    if not aes_key_valid(encoding_aes_key):
        raise ValueError("an EncodingAESKey is 43 Base64 characters")
    return base64.b64decode(encoding_aes_key + "=")


def pkcs7_pad(data: bytes, block: int = BLOCK) -> bytes:
    """PKCS#7 to a multiple of `block` (always at least one byte of padding)."""
    amount = block - len(data) % block
    return data + bytes([amount]) * amount


def pkcs7_unpad(data: bytes, block: int = BLOCK) -> bytes:
    """Remove PKCS#7 padding of 1…block bytes, or ProtocolError."""
    if not data:
        raise ProtocolError("empty ciphertext")
    amount = data[-1]
    if not 1 <= amount <= block or data[-amount:] != bytes([amount]) * amount:
        raise ProtocolError("padding")
    return data[:-amount]


def _cipher(key: bytes) -> Cipher[modes.CBC]:
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt(
    *, plaintext: str, encoding_aes_key: str, app_id: str, random: bytes | None = None
) -> str:
    """The `Encrypt` of a message: Base64(AES-CBC(16 random bytes + length + message + AppID))."""
    key = aes_key_bytes(encoding_aes_key)
    message = plaintext.encode("utf-8")
    prefix = random if random is not None else os.urandom(16)
    if len(prefix) != 16:
        raise ValueError("16 random bytes")
    body = prefix + struct.pack(">I", len(message)) + message + app_id.encode("utf-8")
    encryptor = _cipher(key).encryptor()
    sealed = encryptor.update(pkcs7_pad(body)) + encryptor.finalize()
    return base64.b64encode(sealed).decode("ascii")


def decrypt(*, encrypted: str, encoding_aes_key: str, app_id: str) -> str:
    """The message inside an `Encrypt`; ProtocolError when it does not decrypt, BadAppId when
    the AppID inside is not this account's."""
    key = aes_key_bytes(encoding_aes_key)
    try:
        sealed = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError("Encrypt is not Base64") from None
    if not sealed or len(sealed) % 16:
        raise ProtocolError("Encrypt is not whole AES blocks")
    decryptor = _cipher(key).decryptor()
    body = pkcs7_unpad(decryptor.update(sealed) + decryptor.finalize())
    if len(body) < 20:
        raise ProtocolError("decrypted message too short")
    (length,) = struct.unpack(">I", body[16:20])
    message, tail = body[20 : 20 + length], body[20 + length :]
    if len(message) != length:
        raise ProtocolError("decrypted length")
    if not hmac.compare_digest(tail, app_id.encode("utf-8")):
        raise BadAppId("AppID")
    try:
        return message.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("decrypted message is not UTF-8") from None


def parse_xml(body: bytes | str) -> dict[str, str]:
    """A WeChat XML document's top-level fields as text; BadXml for anything else (malformed,
    a DTD, entities, external references, nested structure beyond one level of fields)."""
    try:
        root: Element = fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BadXml(f"xml: {type(error).__name__}") from None
    if root.tag != "xml":
        raise BadXml("xml: root is not <xml>")
    children = list(root)
    if len(children) > MAX_FIELDS:
        raise BadXml("xml: too many fields")
    fields: dict[str, str] = {}
    for child in children:
        if len(child):
            # ArticleCount/Articles and the like are WeChat's replies, not its messages;
            # events such as SendPicsInfo nest, and are kept as "present".
            fields[child.tag] = ""
            continue
        text = (child.text or "").strip()
        if len(text) > MAX_FIELD:
            raise BadXml(f"xml: field {child.tag[:40]} too long")
        fields[child.tag] = text
    return fields


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply_xml(*, to_user: str, from_user: str, content: str, create_time: int) -> str:
    """A passive text reply (被动回复文本消息)."""
    return (
        "<xml>"
        f"<ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time)}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{_cdata(content)}</Content>"
        "</xml>"
    )


def encrypted_reply_xml(
    *,
    reply_xml: str,
    token: str,
    encoding_aes_key: str,
    app_id: str,
    timestamp: str,
    nonce: str,
    random: bytes | None = None,
) -> str:
    """A reply in safe mode: the reply's XML encrypted, signed with msg_signature."""
    sealed = encrypt(
        plaintext=reply_xml, encoding_aes_key=encoding_aes_key, app_id=app_id, random=random
    )
    signature = sha1_signature(token, timestamp, nonce, sealed)
    return (
        "<xml>"
        f"<Encrypt>{_cdata(sealed)}</Encrypt>"
        f"<MsgSignature>{_cdata(signature)}</MsgSignature>"
        f"<TimeStamp>{_cdata(timestamp)}</TimeStamp>"
        f"<Nonce>{_cdata(nonce)}</Nonce>"
        "</xml>"
    )
