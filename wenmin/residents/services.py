"""Writes of residents' verification: a one-time code sent to a phone, the code checked, the
proof it leaves (VerifiedPhone) and, for a resident, the account they sign in with."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wenmin.core import crypto
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.notify import Notification, notify
from wenmin.core.ratelimit import rate_count
from wenmin.core.roles import Role
from wenmin.organisation.services import resident_find_or_create
from wenmin.organisation.validation import normalise_phone
from wenmin.residents import rules
from wenmin.residents.models import OneTimeCode, VerifiedPhone

KEEP_CODES_DAYS = 31  # the codes of the last 30 days are counted (stats), older ones deleted


class SendLimited(ValidationError):
    """Too many codes asked for this phone or from this address; `retry_after` in seconds."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__({"phone": [_wait_message(retry_after)]}, code="rate_limited")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Verified:
    """What entering the right code did: the account proved, whether the view must sign it in,
    whether the account was made just now."""

    user: User
    sign_in: bool
    account_created: bool


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        wait = ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return _("Too many codes were asked for. Please wait %(wait)s and try again.") % {"wait": wait}


def _phone_checked(phone: str) -> str:
    try:
        number = normalise_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    if not number:
        raise ValidationError({"phone": [_("Enter your mobile phone number.")]})
    return number


def _code_checked(code: str) -> str:
    entered = "".join((code or "").split())
    if len(entered) != rules.CODE_LENGTH or not entered.isdigit() or not entered.isascii():
        raise ValidationError(
            {
                "code": [
                    _("Enter the %(n)s-digit code from the text message.")
                    % {"n": rules.CODE_LENGTH}
                ]
            }
        )
    return entered


def _code_new() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(rules.CODE_LENGTH))


def _code_hash(code: str, salt: str) -> str:
    # Keyed with the SECRET_KEY: a copy of the table alone cannot be searched for the codes.
    return salted_hmac("wenmin.residents.code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def _limits_check(*, digest: str, ip_address: str | None, sender: str | None) -> None:
    keyed = [(limit, digest) for limit in rules.PHONE_LIMITS]
    if sender:
        keyed += [(limit, sender) for limit in rules.SENDER_LIMITS]
    else:
        keyed += [(limit, ip_address or "unknown") for limit in rules.ADDRESS_LIMITS]
    for limit, key in keyed:
        check = rate_count(scope=limit.scope, key=key, limit=limit.limit, window=limit.window)
        if not check.allowed:
            raise SendLimited(retry_after=check.retry_after)


def _code_deliver(*, phone: str, code: str, minutes: int) -> None:
    text = _(
        "Wenmin verification code: %(code)s. It is valid for %(minutes)s minutes. Do not tell "
        "it to anyone, staff included."
    ) % {"code": code, "minutes": minutes}
    # Development: the SMS stub logs the code in clear so a developer can sign in. Production:
    # every log masks it, as it masks tracking codes and one-time links.
    hidden = (code,) if settings.PRODUCTION else ()
    notify(Notification(subject=_("Verification code"), text=text, phone=phone, secrets=hidden))


def code_send(
    *, phone: str, actor: User | None, ip_address: str | None, sender: str | None = None
) -> OneTimeCode:
    """Send a new one-time code to a mobile phone, rate-limited by phone and by the client's
    address, or by `sender` when a channel knows who asks (a WeChat follower: "wechat:<id>")."""
    number = _phone_checked(phone)
    digest = crypto.digest(number)
    _limits_check(digest=digest, ip_address=ip_address, sender=sender)
    code = _code_new()
    salt = secrets.token_hex(16)
    minutes = int(settings.WENMIN_RESIDENT_CODE_MINUTES)
    now = timezone.now()
    with transaction.atomic():
        row = OneTimeCode.objects.create(
            phone_digest=digest,
            salt=salt,
            code_hash=_code_hash(code, salt),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
        audit_record(
            actor=actor,
            action="verification_code.send",
            target=row,
            changes={
                "expires_at": row.expires_at.isoformat(),
                **({"sender": sender} if sender else {}),
            },
            ip_address=ip_address,
        )
    _code_deliver(phone=number, code=code, minutes=minutes)
    return row


_PROBLEMS: dict[rules.CodeProblem, Any] = {
    rules.CodeProblem.NONE_SENT: gettext_lazy(
        "No code was sent to this phone. Ask for a code first."
    ),
    rules.CodeProblem.USED: gettext_lazy("This code was already used. Ask for a new code."),
    rules.CodeProblem.BURNT: gettext_lazy(
        "Too many wrong tries for this code. Ask for a new code."
    ),
    rules.CodeProblem.EXPIRED: gettext_lazy("This code has expired. Ask for a new code."),
}


def _wrong_message(attempts: int) -> str:
    left = rules.attempts_left(attempts)
    if left == 0:
        return str(_PROBLEMS[rules.CodeProblem.BURNT])
    return ngettext(
        "The code is not right. You can try %(n)s more time.",
        "The code is not right. You can try %(n)s more times.",
        left,
    ) % {"n": left}


def _code_take(
    *, digest: str, entered: str, actor: User | None, ip_address: str | None
) -> tuple[OneTimeCode | None, int]:
    """Compare the entered code with the phone's latest one, in the caller's transaction: (the
    code, marked used, when right; None and the wrong tries so far when wrong). A code that can no
    longer be tried raises ValidationError."""
    now = timezone.now()
    row = (
        OneTimeCode.objects.select_for_update()
        .filter(phone_digest=digest)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        raise ValidationError({"code": [str(_PROBLEMS[rules.CodeProblem.NONE_SENT])]})
    problem = rules.code_problem(
        used_at=row.used_at, attempts=row.attempts, expires_at=row.expires_at, now=now
    )
    if problem is not None:
        raise ValidationError({"code": [str(_PROBLEMS[problem])]})
    if not constant_time_compare(_code_hash(entered, row.salt), row.code_hash):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        audit_record(
            actor=actor,
            action="verification_code.wrong",
            target=row,
            changes={"attempts": row.attempts},
            ip_address=ip_address,
        )
        return None, row.attempts
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row, row.attempts


def phone_prove(
    *, phone: str, code: str, actor: User | None, ip_address: str | None, on_proof: Any = None
) -> str:
    """Check a one-time code without signing anyone in (a WeChat follower binding their number):
    the proved number, normalised. `on_proof(number)` runs in the same transaction, so what it
    writes and the code's use stand or fall together. Wrong: ValidationError, the try counted."""
    number = _phone_checked(phone)
    entered = _code_checked(code)
    with transaction.atomic():
        row, wrong_tries = _code_take(
            digest=crypto.digest(number), entered=entered, actor=actor, ip_address=ip_address
        )
        if row is not None:
            audit_record(
                actor=actor, action="verification_code.proved", target=row, ip_address=ip_address
            )
            if on_proof is not None:
                on_proof(number)
            return number
    # Outside the transaction, so the wrong try stays counted.
    raise ValidationError({"code": [_wrong_message(wrong_tries)]})


def code_verify(*, phone: str, code: str, viewer: User | None, ip_address: str | None) -> Verified:
    """Check a one-time code; the right one proves the phone for the signed-in account, or for
    the resident account of that phone (made when there is none)."""
    number = _phone_checked(phone)
    entered = _code_checked(code)
    digest = crypto.digest(number)
    with transaction.atomic():
        row, wrong_tries = _code_take(
            digest=digest, entered=entered, actor=viewer, ip_address=ip_address
        )
        if row is not None:
            user, sign_in, created = _account_for(viewer=viewer, number=number, digest=digest)
            verified_phone_set(
                user=user,
                phone_digest=digest,
                actor=viewer or user,
                changes={"code": row.pk, "signed_in": sign_in, "account_created": created},
            )
            return Verified(user=user, sign_in=sign_in, account_created=created)
    # Outside the transaction, so the wrong try stays counted.
    raise ValidationError({"code": [_wrong_message(wrong_tries)]})


def _account_for(*, viewer: User | None, number: str, digest: str) -> tuple[User, bool, bool]:
    """The account a proved phone belongs to: (account, sign it in, made now)."""
    if viewer is not None and viewer.is_authenticated:
        person = viewer.person
        if person is None or not person.phone_digest:
            raise ValidationError(
                {
                    "phone": [
                        _(
                            "Your account has no phone on record. Ask the county administrator "
                            "to record it, then verify it here."
                        )
                    ]
                }
            )
        if person.phone_digest != digest:
            raise ValidationError(
                {
                    "phone": [
                        _(
                            "This is not the phone on record for your account. To sign in with "
                            "another phone, log out first."
                        )
                    ]
                }
            )
        return viewer, False, False
    accounts = list(User.objects.filter(person__phone_digest=digest).order_by("id"))
    if any(account.role != Role.RESIDENT for account in accounts):
        # A code never opens a staff or volunteer account: they have their own login (and
        # perhaps a second factor), and verify their phone once logged in with it.
        raise ValidationError(
            {
                "phone": [
                    _(
                        "This phone belongs to a staff or volunteer account. Log in with your "
                        "username and password, then verify your phone here."
                    )
                ]
            }
        )
    active = [account for account in accounts if account.is_active]
    if active:
        return active[0], True, False
    if accounts:
        raise ValidationError(
            {"phone": [_("The account of this phone is disabled. Ask the county administrator.")]}
        )
    person = resident_find_or_create(name=_("Resident"), phone=number, actor=None)
    return _resident_account_create(person_id=person.pk), True, True


def _resident_account_create(*, person_id: int) -> User:
    username = f"resident-{person_id}"
    suffix = 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"resident-{person_id}-{suffix}"
    user = User.objects.create_user(
        username=username, password=None, role=Role.RESIDENT, person_id=person_id
    )
    audit_record(actor=None, action="account.create", target=user, changes={"via": "phone_code"})
    return user


def verified_phone_set(
    *,
    user: User,
    phone_digest: str,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> VerifiedPhone:
    """Record that the account's phone (by its digest) was proved (now, unless `at`)."""
    proof, _created = VerifiedPhone.objects.update_or_create(
        user=user, defaults={"phone_digest": phone_digest, "verified_at": at or timezone.now()}
    )
    audit_record(actor=actor, action="verified_phone.set", target=proof, changes=changes or {})
    return proof


def codes_prune() -> int:
    """Delete the codes older than the figures count (a periodic job)."""
    cutoff = timezone.now() - dt.timedelta(days=KEEP_CODES_DAYS)
    deleted, _kinds = OneTimeCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted
