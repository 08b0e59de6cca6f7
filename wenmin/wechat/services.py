"""The only door for writes to official accounts and their followers. Every one is audited;
no secret and no openid ever reaches the audit log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.crypto import mask_phone
from wenmin.core.models import User
from wenmin.organisation.models import Person, Region, Unit
from wenmin.organisation.services import require_administrator, resident_find_or_create
from wenmin.organisation.validation import normalise_phone
from wenmin.residents.services import SendLimited, code_send, phone_prove
from wenmin.wechat.models import Follower, MessageMode, OfficialAccount
from wenmin.wechat.protocol import aes_key_valid
from wenmin.wechat.selectors import follower_by_openid, openid_digest

_APP_ID = re.compile(r"^[A-Za-z0-9_-]{4,32}$")
_TOKEN = re.compile(r"^[A-Za-z0-9]{3,32}$")  # WeChat: 3–32 letters or digits


def account_create(
    *,
    actor: User | None,
    name: str,
    app_id: str,
    token: str,
    aes_key: str = "",
    app_secret: str = "",
    mode: str = MessageMode.SAFE,
    unit: Unit | None = None,
    region: Region | None = None,
) -> OfficialAccount:
    """Register an official account; its callback URL is /wechat/callback/<callback_key>/."""
    require_administrator(actor)
    name, app_id, token = (name or "").strip(), (app_id or "").strip(), (token or "").strip()
    aes_key, app_secret = (aes_key or "").strip(), (app_secret or "").strip()
    errors = account_problems(
        name=name, app_id=app_id, token=token, aes_key=aes_key, app_secret=app_secret, mode=mode
    )
    if not errors.get("app_id") and OfficialAccount.objects.filter(app_id=app_id).exists():
        errors["app_id"] = [_("An account with this AppID is registered already.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            account = OfficialAccount.objects.create(
                name=name,
                app_id=app_id,
                token=token,
                aes_key=aes_key,
                app_secret=app_secret,
                mode=mode,
                unit=unit,
                region=region if region is not None else (unit.region if unit else None),
            )
            audit_record(
                actor=actor,
                actor_label="" if actor is not None else "command",
                action="wechat.account_create",
                target=account,
                changes={
                    "name": name,
                    "app_id": app_id,
                    "mode": mode,
                    "unit": unit.code if unit else "",
                },
            )
    except IntegrityError:
        raise ValidationError(
            {"app_id": [_("An account with this AppID is registered already.")]}
        ) from None
    return account


def account_problems(
    *, name: str, app_id: str, token: str, aes_key: str, app_secret: str, mode: str
) -> dict[str, list[str]]:
    """What is wrong with an account's settings, by field (the admin's form asks the same)."""
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the account.")]
    elif len(name) > 100:
        errors["name"] = [_("At most %(n)s characters.") % {"n": 100}]
    if not _APP_ID.match(app_id):
        errors["app_id"] = [_("An AppID is 4–32 letters, digits, “_” or “-” (e.g. wx…).")]
    if not _TOKEN.match(token):
        errors["token"] = [_("A token is 3–32 letters or digits, as set in WeChat's console.")]
    if mode not in MessageMode.values:
        errors["mode"] = [_("The mode is plaintext, compatible or safe.")]
    elif mode != MessageMode.PLAINTEXT and not aes_key_valid(aes_key):
        errors["aes_key"] = [
            _("Compatible and safe modes need the EncodingAESKey: 43 letters and digits.")
        ]
    elif aes_key and not aes_key_valid(aes_key):
        errors["aes_key"] = [_("An EncodingAESKey is 43 letters and digits.")]
    if len(app_secret) > 64 or (app_secret and not app_secret.isalnum()):
        errors["app_secret"] = [_("An AppSecret is at most 64 letters and digits.")]
    return errors


def follower_touch(*, account: OfficialAccount, openid: str, now: dt.datetime) -> Follower:
    """The follower who sent a message, created on their first; their last message noted."""
    follower = follower_by_openid(account=account, openid=openid)
    if follower is None:
        try:
            with transaction.atomic():
                follower = Follower.objects.create(
                    account=account,
                    openid=openid,
                    openid_digest=openid_digest(openid=openid),
                    first_seen_at=now,
                    last_seen_at=now,
                )
            return follower
        except IntegrityError:  # the same resident's other message made it first
            follower = follower_by_openid(account=account, openid=openid)
            if follower is None:  # pragma: no cover  (the row that won is committed)
                raise
    Follower.objects.filter(pk=follower.pk).update(last_seen_at=now)
    follower.last_seen_at = now
    return follower


def follower_subscribed(*, follower: Follower, subscribed: bool) -> None:
    """Note a follow or an unfollow."""
    if follower.subscribed != subscribed:
        Follower.objects.filter(pk=follower.pk).update(subscribed=subscribed)
        follower.subscribed = subscribed


def follower_phone_link_start(*, follower: Follower, phone: str) -> str:
    """Send a one-time code to the phone the follower names (the residents' code service, with
    its limits: per phone, and per follower instead of per address); the reply to show them."""
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        phone = ""
    if not phone:
        return _("Send “绑定” and your 11-digit mobile number, e.g. 绑定 13800138000.")
    try:
        code_send(phone=phone, actor=None, ip_address=None, sender=f"wechat:{follower.pk}")
    except SendLimited:
        return _("Too many codes were asked for; try again later.")
    minutes = int(settings.WENMIN_RESIDENT_CODE_MINUTES)
    with transaction.atomic():
        locked = Follower.objects.select_for_update().get(pk=follower.pk)
        locked.link_phone = phone
        locked.link_expires_at = timezone.now() + dt.timedelta(minutes=minutes)
        locked.save(update_fields=["link_phone", "link_expires_at"])
        audit_record(
            actor=None,
            actor_label="wechat",
            action="wechat.link_start",
            target=locked,
            changes={"account": locked.account_id, "phone": mask_phone(phone)},
        )
    return _("A code was sent to %(phone)s. Reply with the 6 digits within %(n)s minutes.") % {
        "phone": mask_phone(phone),
        "n": minutes,
    }


def follower_phone_link_pending(*, follower: Follower) -> bool:
    """Whether the follower is waiting to enter a code."""
    return bool(
        follower.link_phone
        and follower.link_expires_at is not None
        and follower.link_expires_at > timezone.now()
    )


def follower_phone_link_finish(*, follower: Follower, code: str) -> tuple[bool, str]:
    """Check the code the follower sent (the residents' code service: its expiry, its five
    tries); on success link them to the person with that phone (found or created).
    (linked, the reply to show them)."""
    locked = Follower.objects.get(pk=follower.pk)
    if not follower_phone_link_pending(follower=locked):
        return False, _("The code has expired. Send “绑定” and your number again.")
    linked: dict[str, Any] = {}

    def link(number: str) -> None:
        row = Follower.objects.select_for_update().get(pk=follower.pk)
        person = resident_find_or_create(name=_("Resident"), phone=number)
        row.person, row.linked_at = person, timezone.now()
        row.link_phone, row.link_expires_at = "", None
        row.save(update_fields=["person", "linked_at", "link_phone", "link_expires_at"])
        audit_record(
            actor=None,
            actor_label="wechat",
            action="wechat.link_finish",
            target=row,
            changes={"account": row.account_id, "person": person.pk},
        )
        linked["row"] = row

    try:
        phone_prove(phone=locked.link_phone, code=code, actor=None, ip_address=None, on_proof=link)
    except ValidationError as error:
        messages = error.message_dict.get("code") or error.messages
        return False, str(messages[0])
    row = linked["row"]
    follower.person, follower.linked_at = row.person, row.linked_at
    return True, _("Your phone is verified: your cases now follow you here.")


def followers_unlink(person: Person) -> int:
    """Unlink the person's followers (their phone proof ends with the person's data); the
    privacy app calls this, in its transaction, when it anonymises the person."""
    return Follower.objects.filter(person=person).update(
        person=None, linked_at=None, link_phone="", link_expires_at=None
    )


def county_language() -> Any:
    """Replies go out in the county's language, whatever the request's."""
    return translation.override(settings.LANGUAGE_CODE)


ACCOUNT_FIELDS = ("name", "mode", "unit", "region", "welcome", "is_active")
SECRET_FIELDS = ("token", "aes_key", "app_secret")


def account_update(
    *, actor: User | None, account: OfficialAccount, changes: dict[str, Any]
) -> OfficialAccount:
    """Change an account's settings; a secret given empty keeps the one stored."""
    require_administrator(actor)
    unknown = set(changes) - set(ACCOUNT_FIELDS) - set(SECRET_FIELDS)
    if unknown:
        raise ValueError(f"not changeable here: {', '.join(sorted(unknown))}")
    changes = {
        name: (value.strip() if isinstance(value, str) and name != "welcome" else value)
        for name, value in changes.items()
        if not (name in SECRET_FIELDS and not value)
    }
    with transaction.atomic():
        locked = OfficialAccount.objects.select_for_update().get(pk=account.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        errors = account_problems(
            name=locked.name,
            app_id=locked.app_id,
            token=locked.token,
            aes_key=locked.aes_key,
            app_secret=locked.app_secret,
            mode=locked.mode,
        )
        if len(locked.welcome or "") > 600:
            errors["welcome"] = [_("At most %(n)s characters.") % {"n": 600}]
        if errors:
            raise ValidationError(errors)
        locked.save(update_fields=list(changes) or None)
        audit_record(
            actor=actor,
            actor_label="" if actor is not None else "command",
            action="wechat.account_update",
            target=locked,
            changes={
                name: ("(changed)" if name in SECRET_FIELDS else str(getattr(value, "pk", value)))
                for name, value in changes.items()
            },
        )
    return locked
