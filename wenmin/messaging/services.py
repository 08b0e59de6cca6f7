"""Writes of the message channels: a case's follower, WeChat messages and menus going out.

Each WeChat call goes through `wenmin.wechat.outbound` when WENMIN_WECHAT_OUTBOUND is "send";
in "record" (development) it is only written to the log of WeChat messages, so a developer sees
what a resident would have received without an account of their own.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, Channel
from wenmin.core.audit import audit_record
from wenmin.core.crypto import digest
from wenmin.core.models import User
from wenmin.messaging.models import (
    AccountOutbound,
    CaseFollower,
    OutboundKind,
    OutboundStatus,
    SmsGateway,
    WechatOutbound,
)
from wenmin.wechat.menus import menu_check, menu_default
from wenmin.wechat.models import OfficialAccount
from wenmin.wechat.outbound import WechatApi, WechatApiError

logger = logging.getLogger("wenmin.messaging")
MAX_TEMPLATE_VALUE = 200  # characters of one field of a template message
# What Wenmin tells about a case, and the fields of a classic template that show it.
TEMPLATE_VALUES = ("subject", "number", "state", "time", "text")
CLASSIC_FIELDS = {
    "subject": "first",
    "number": "keyword1",
    "state": "keyword2",
    "time": "keyword3",
    "text": "remark",
}
# WeChat's typed template fields take at most this many characters (longer: errcode 47003).
FIELD_LIMITS = {"thing": 20, "phrase": 5, "character_string": 32, "car_number": 8, "name": 10}


def outbound_sends() -> bool:
    """Whether WeChat messages really go out (else they are only recorded)."""
    return getattr(settings, "WENMIN_WECHAT_OUTBOUND", "record") == "send"


def case_follower_add(
    *, case: Case, channel: str, account: OfficialAccount | None = None, openid: str = ""
) -> CaseFollower:
    """Record where the requester follows the case (once per channel; a later message on the
    same channel updates the account and openid)."""
    follower, _created = CaseFollower.objects.update_or_create(
        case=case, channel=channel, defaults={"account": account, "openid": openid}
    )
    return follower


def wechat_case_opened(*, case: Case, account: OfficialAccount, openid: str) -> None:
    """A WeChat message opened the case: its answers go back to that follower on that account."""
    case_follower_add(case=case, channel=Channel.WECHAT, account=account, openid=openid)


def case_followers_forget(case: Case) -> None:
    """The requester's openid goes with the rest of a case's personal data (privacy)."""
    CaseFollower.objects.filter(case=case).update(openid="", openid_digest="")


def account_outbound(account: OfficialAccount) -> AccountOutbound:
    """The account's outbound settings, created empty on first use."""
    outbound, _created = AccountOutbound.objects.get_or_create(account=account)
    return outbound


def _limit(field: str, value: str) -> str:
    kind = field.rstrip("0123456789")
    limit = FIELD_LIMITS.get(kind, MAX_TEMPLATE_VALUE)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def template_data(outbound: AccountOutbound, values: dict[str, str]) -> dict[str, str]:
    """The template's fields filled from what Wenmin tells (subject, number, state, time, text),
    as the administrator mapped them, each cut to what WeChat takes in that kind of field."""
    mapping = outbound.template_fields or CLASSIC_FIELDS
    return {
        field: _limit(field, str(values.get(name, "")))
        for name, field in mapping.items()
        if name in TEMPLATE_VALUES and isinstance(field, str) and field
    }


def template_fields_check(value: Any) -> dict[str, str]:
    """A mapping of Wenmin's values to the template's fields, or a ValidationError."""
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict) or not all(
        name in TEMPLATE_VALUES and isinstance(field, str) and field.isidentifier()
        for name, field in value.items()
    ):
        raise ValidationError(
            {
                "template_fields": [
                    _("Map subject, number, state, time or text to a field name of the template.")
                ]
            }
        )
    return value


def wechat_template_send(
    *,
    account: OfficialAccount,
    openid: str,
    data: dict[str, str],
    url: str = "",
    case_id: int | None = None,
) -> WechatOutbound:
    """Send (or record) the account's case-update template message to one follower; `data`
    holds Wenmin's values (subject, number, state, time, text), put in the template's fields as
    mapped. The log row says what happened. Raises WechatApiError when WeChat refused it (the
    row says failed)."""
    outbound = account_outbound(account)
    values = template_data(outbound, data)
    row = WechatOutbound(
        account=account,
        kind=OutboundKind.TEMPLATE,
        status=OutboundStatus.RECORDED,
        openid_digest=digest(openid),
        case_id=case_id,
        payload={"template_id": outbound.template_id, "data": values, "url": url},
    )
    if not outbound_sends():
        row.save()
        logger.info(
            "WeChat message NOT SENT (WENMIN_WECHAT_OUTBOUND=record), account %s, case %s",
            account.app_id,
            case_id or "-",
        )
        return row
    try:
        row.msgid = WechatApi(account).template_send(
            openid=openid, template_id=outbound.template_id, data=values, url=url
        )
        row.status = OutboundStatus.SENT
    except WechatApiError as error:
        row.status, row.errcode = OutboundStatus.FAILED, error.errcode
        row.save()
        raise
    row.save()
    return row


def account_menu_save(
    *, account: OfficialAccount, buttons: Any, actor: User | None
) -> AccountOutbound:
    """Keep the account's menu after WeChat's checks (not pushed yet)."""
    checked = menu_check(buttons)
    with transaction.atomic():
        outbound = account_outbound(account)
        outbound.menu = checked
        outbound.save(update_fields=["menu"])
        audit_record(
            actor=actor, action="wechat.menu_save", target=account, changes={"menu": checked}
        )
    return outbound


def account_menu_push(*, account: OfficialAccount, actor: User | None) -> WechatOutbound:
    """Push the account's menu (Wenmin's default when none was set) to WeChat, or record it."""
    outbound = account_outbound(account)
    buttons = menu_check(outbound.menu or menu_default(site_url=settings.WENMIN_SITE_URL))
    row = WechatOutbound(
        account=account,
        kind=OutboundKind.MENU,
        status=OutboundStatus.RECORDED,
        payload={"button": buttons},
    )
    if outbound_sends():
        try:
            WechatApi(account).menu_create(buttons=buttons)
            row.status = OutboundStatus.SENT
        except WechatApiError as error:
            row.status, row.errcode = OutboundStatus.FAILED, error.errcode
    with transaction.atomic():
        row.save()
        if row.status != OutboundStatus.FAILED:
            outbound.menu, outbound.menu_pushed_at = buttons, timezone.now()
            outbound.save(update_fields=["menu", "menu_pushed_at"])
        audit_record(
            actor=actor,
            action="wechat.menu_push",
            target=account,
            changes={"status": row.status, "errcode": row.errcode},
        )
    return row


def notifications_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the account's notifications read, or all of them; how many changed."""
    from wenmin.core.models import InAppNotification

    rows = InAppNotification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


def sms_gateway_save(
    *, actor: User | None, gateway: SmsGateway, fields: dict[str, Any]
) -> SmsGateway:
    """Create or change an SMS gateway; the audit names what changed, never the secret."""
    for name, value in fields.items():
        setattr(gateway, name, value)
    gateway.full_clean()
    with transaction.atomic():
        creating = gateway.pk is None
        gateway.save()
        audit_record(
            actor=actor,
            action="messaging.sms_gateway_create" if creating else "messaging.sms_gateway_change",
            target=gateway,
            changes={
                name: ("(secret)" if name == "secret" else value) for name, value in fields.items()
            },
        )
    return gateway
