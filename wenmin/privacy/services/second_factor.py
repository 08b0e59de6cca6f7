"""A second factor (TOTP, with one-time recovery codes) for the roles that must give one.

django-otp keeps the devices: a TOTP device per account, confirmed by a first code, and a
static device holding ten recovery codes, each usable once. Codes are throttled by django-otp
(each failure doubles the wait). Enrolment, verification, new recovery codes and an
administrator's reset are audited.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.roles import Role

RECOVERY_CODES = 10
DEVICE_NAME = "wenmin"


def totp_confirmed(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator, if it has one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_pending(user: User) -> TOTPDevice | None:
    """The authenticator being enrolled (shown as a QR code, not yet confirmed by a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_enrol_start(*, user: User) -> TOTPDevice:
    """A new secret for the account's authenticator app; any earlier unconfirmed one is void.
    An account that has a confirmed authenticator must have it reset first."""
    with transaction.atomic():
        if totp_confirmed(user) is not None:
            raise PermissionDenied
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG data URI for an <img>."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5))


def manual_key(device: TOTPDevice) -> str:
    """The secret in base 32, grouped by four, for apps that cannot scan."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _clean(token: str) -> str:
    return "".join((token or "").split())


def second_factor_enrol_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with its first code; new recovery codes come with it.
    None when the code is wrong (or there is nothing pending)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).last()
        if device is None or not device.verify_token(_clean(token)):
            audit_record(actor=user, action="account.2fa_failed", changes={"step": "enrol"})
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action="account.2fa_enrol", target=user)
    return device, codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if not code.isdigit() and code not in codes:  # all digits would pass for the app's code
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_new(*, user: User) -> list[str]:
    """Ten new recovery codes (the old ones stop working), for an enrolled account."""
    with transaction.atomic():
        if totp_confirmed(user) is None:
            raise PermissionDenied
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action="account.2fa_recovery_codes", target=user)
    return codes


def second_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts the code — the authenticator's, or a recovery code (then used
    up) — or None. Throttled by django-otp; every attempt is audited."""
    token = _clean(token)
    # Six digits are the app's code, anything else a recovery code: each kind of device is only
    # asked (and throttled) for its own kind of code.
    model: type[Device] = (
        TOTPDevice if token.isascii() and token.isdecimal() and len(token) <= 8 else StaticDevice
    )
    with transaction.atomic():
        if token:
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(token):
                    audit_record(
                        actor=user,
                        action="account.2fa_verified",
                        changes={"with": "recovery code" if model is StaticDevice else "app"},
                    )
                    return device
    audit_record(actor=user, action="account.2fa_failed", changes={"step": "login"})
    return None


def second_factor_reset(*, actor: User, account: User) -> int:
    """An administrator removes an account's authenticator and recovery codes (a lost phone):
    at its next login the account enrols again. Returns how many devices were removed."""
    if actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied
    with transaction.atomic():
        removed = (
            TOTPDevice.objects.filter(user=account).count()
            + StaticDevice.objects.filter(user=account).count()
        )
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        audit_record(
            actor=actor, action="account.2fa_reset", target=account, changes={"removed": removed}
        )
    return removed
