"""A callback request, from WeChat's envelope to the reply: check it, open it, receive the message
once, and seal the reply the way the request came (plaintext or safe mode).

Every refusal is a Refused with the HTTP status and a short reason for the one log line; nothing
is written before the request has passed every check.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenmin.core import validators
from wenmin.core.crypto import digest
from wenmin.wechat import protocol
from wenmin.wechat.handling import handle
from wenmin.wechat.models import InboundMessage, MessageMode, OfficialAccount
from wenmin.wechat.selectors import message_by_key
from wenmin.wechat.services import county_language, follower_touch

MAX_BODY = 64 * 1024  # WeChat's messages are a few kilobytes
_ENVELOPE = frozenset({"ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId", "Event"})
DEFAULT_MAX_AGE = 300  # seconds a timestamp may differ from our clock (WENMIN_WECHAT_MAX_AGE)


class Refused(Exception):
    """The request is refused with `status`; `reason` goes to the log, never to the caller."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Opened:
    fields: dict[str, str]
    encrypted: bool  # the reply goes back in the request's mode


def _query(query: Mapping[str, str], name: str) -> str:
    value = query.get(name, "") or ""
    return value if len(value) <= 128 and validators.text_problem(value) is None else ""


def _max_age() -> int:
    return int(getattr(settings, "WENMIN_WECHAT_MAX_AGE", DEFAULT_MAX_AGE))


def envelope_check(*, account: OfficialAccount, query: Mapping[str, str], now: float) -> None:
    """`signature` over token, timestamp and nonce, and a timestamp within the allowed age."""
    timestamp, nonce = _query(query, "timestamp"), _query(query, "nonce")
    if not (timestamp.isascii() and timestamp.isdecimal()) or not nonce:
        raise Refused(403, "timestamp or nonce missing")
    try:
        protocol.signature_check(
            token=account.token,
            timestamp=timestamp,
            nonce=nonce,
            signature=_query(query, "signature"),
        )
    except protocol.BadSignature as error:
        raise Refused(403, error.reason) from None
    if abs(now - int(timestamp[:12])) > _max_age():
        raise Refused(403, "stale timestamp")


def verify(*, account: OfficialAccount, query: Mapping[str, str], now: float | None = None) -> str:
    """WeChat's URL check (GET): the `echostr` to echo once the signature is right."""
    envelope_check(account=account, query=query, now=time.time() if now is None else now)
    echostr = _query(query, "echostr")
    if not echostr:
        raise Refused(400, "echostr missing")
    return echostr


def open_message(
    *, account: OfficialAccount, query: Mapping[str, str], body: bytes, now: float | None = None
) -> Opened:
    """The message's fields, checked and (in safe mode) decrypted, or Refused."""
    if len(body) > MAX_BODY:
        raise Refused(413, "body too large")
    envelope_check(account=account, query=query, now=time.time() if now is None else now)
    try:
        outer = protocol.parse_xml(body)
    except protocol.BadXml as error:
        raise Refused(400, error.reason) from None
    encrypted = _query(query, "encrypt_type").lower() == "aes"
    if account.mode == MessageMode.SAFE and not encrypted:
        raise Refused(400, "plaintext message to a safe-mode account")
    if account.mode == MessageMode.PLAINTEXT and encrypted:
        raise Refused(400, "encrypted message to a plaintext account")
    if not encrypted:
        return Opened(fields=_message_fields(outer), encrypted=False)
    sealed = outer.get("Encrypt", "")
    if not sealed:
        raise Refused(400, "Encrypt missing")
    try:
        protocol.msg_signature_check(
            token=account.token,
            timestamp=_query(query, "timestamp"),
            nonce=_query(query, "nonce"),
            encrypt=sealed,
            msg_signature=_query(query, "msg_signature"),
        )
        inner = protocol.decrypt(
            encrypted=sealed, encoding_aes_key=account.aes_key, app_id=account.app_id
        )
        fields = protocol.parse_xml(inner.encode("utf-8"))
    except protocol.BadSignature as error:
        raise Refused(403, error.reason) from None
    except protocol.BadAppId as error:
        raise Refused(403, error.reason) from None
    except (protocol.ProtocolError, ValueError) as error:
        raise Refused(400, getattr(error, "reason", "cannot decrypt")) from None
    return Opened(fields=_message_fields(fields), encrypted=True)


def _message_fields(fields: dict[str, str]) -> dict[str, str]:
    """The fields every message has, checked: a sender, a time, a type; no control characters."""
    for name, value in fields.items():
        if validators.text_problem(value, multiline=name not in _ENVELOPE) is not None:
            raise Refused(400, f"control character in {name[:40]}")
    openid, created = fields.get("FromUserName", ""), fields.get("CreateTime", "")
    if not openid or len(openid) > 64 or not openid.isascii():
        raise Refused(400, "FromUserName")
    if not (created.isascii() and created.isdecimal()) or len(created) > 12:
        raise Refused(400, "CreateTime")
    msg_type = fields.get("MsgType", "")
    if not msg_type or len(msg_type) > 16:
        raise Refused(400, "MsgType")
    msg_id = fields.get("MsgId", "")
    if msg_id and (not (msg_id.isascii() and msg_id.isdecimal()) or len(msg_id) > 32):
        raise Refused(400, "MsgId")
    return fields


def dedupe_key(fields: dict[str, str]) -> str:
    """MsgId for messages; for events the sender and CreateTime, as WeChat advises."""
    if fields.get("MsgId"):
        return f"m:{fields['MsgId']}"
    sender = digest(f"wechat-openid:{fields['FromUserName']}")[:40]
    return f"e:{sender}:{fields['CreateTime']}"


def message_receive(*, account: OfficialAccount, fields: dict[str, str]) -> str:
    """Receive a message once and return its reply's text ('' when there is nothing to say).
    A retry (same key) gets the first reply; two copies at once meet at the unique key."""
    key = dedupe_key(fields)
    seen = message_by_key(account=account, dedupe_key=key)
    if seen is not None:
        return seen.reply
    now = timezone.now()
    try:
        with transaction.atomic(), county_language():
            follower = follower_touch(account=account, openid=fields["FromUserName"], now=now)
            with transaction.atomic():
                # Claimed first: a concurrent copy waits on this key, then finds it taken.
                message = InboundMessage.objects.create(
                    account=account,
                    follower=follower,
                    dedupe_key=key,
                    msg_type=fields["MsgType"].lower()[:16],
                    event=fields.get("Event", "")[:32],
                    created_time=int(fields["CreateTime"]),
                    received_at=now,
                    outcome="other",
                )
            handled = handle(account=account, follower=follower, fields=fields)
            message.outcome, message.case = handled.outcome, handled.case
            message.content, message.data = handled.content[:4000], handled.data
            message.reply = handled.reply
            message.save(update_fields=["outcome", "case", "content", "data", "reply"])
    except IntegrityError:
        seen = message_by_key(account=account, dedupe_key=key)
        if seen is None:
            raise
        return seen.reply
    return handled.reply


def reply_body(
    *,
    account: OfficialAccount,
    opened: Opened,
    text: str,
    query: Mapping[str, str],
    now: float | None = None,
) -> tuple[str, str]:
    """The response body and its content type: "success" when there is nothing to say, else the
    text reply, sealed when the request was."""
    if not text:
        return "success", "text/plain; charset=utf-8"
    moment = int(time.time() if now is None else now)
    xml = protocol.text_reply_xml(
        to_user=opened.fields["FromUserName"],
        from_user=opened.fields.get("ToUserName", ""),
        content=text,
        create_time=moment,
    )
    if opened.encrypted:
        xml = protocol.encrypted_reply_xml(
            reply_xml=xml,
            token=account.token,
            encoding_aes_key=account.aes_key,
            app_id=account.app_id,
            timestamp=str(moment),
            nonce=_query(query, "nonce"),
        )
    return xml, "application/xml; charset=utf-8"
