"""The only door for writes to API keys: issue, revoke, note their use. Every one is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.channels.models import DEFAULT_RATE_LIMIT_PER_MINUTE, ApiKey
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Unit
from wenmin.organisation.services import require_administrator

KEY_LENGTH = 40  # letters and digits: about 238 bits
PREFIX_LENGTH = 8
# last_used_at is written at most this often, so a busy client does not write on every call.
TOUCH_EVERY = dt.timedelta(minutes=1)
_ALPHABET = string.ascii_letters + string.digits


def apikey_digest(plain: str) -> str:
    """The SHA-256 of a key, as stored: the key itself is never kept."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def _new_plain_key() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(KEY_LENGTH))


def apikey_create(
    *,
    actor: User | None,
    name: str,
    owner_unit: Unit | None = None,
    jurisdiction: str = "",
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE,
) -> tuple[ApiKey, str]:
    """Issue a key; returns the row and the plain key, which is shown once and never stored."""
    require_administrator(actor)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the system that will use the key.")]
    elif len(name) > 100:
        errors["name"] = [_("At most %(n)s characters.") % {"n": 100}]
    if not isinstance(rate_limit_per_minute, int) or not 1 <= rate_limit_per_minute <= 100_000:
        errors["rate_limit_per_minute"] = [_("Between 1 and 100,000 requests a minute.")]
    if len(jurisdiction or "") > 64:
        errors["jurisdiction"] = [_("At most %(n)s characters.") % {"n": 64}]
    if errors:
        raise ValidationError(errors)
    for _attempt in range(5):
        plain = _new_plain_key()
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    name=name,
                    owner_unit=owner_unit,
                    prefix=plain[:PREFIX_LENGTH],
                    key_hash=apikey_digest(plain),
                    jurisdiction=(jurisdiction or "").strip(),
                    rate_limit_per_minute=rate_limit_per_minute,
                    created_by=actor if actor is not None and actor.pk else None,
                )
                audit_record(
                    actor=actor,
                    actor_label="" if actor is not None else "apikey",
                    action="apikey.create",
                    target=key,
                    changes={
                        "name": name,
                        "prefix": key.prefix,
                        "owner_unit": owner_unit.code if owner_unit else "",
                        "jurisdiction": key.jurisdiction,
                        "rate_limit_per_minute": rate_limit_per_minute,
                    },
                )
            return key, plain
        except IntegrityError:
            continue  # two keys shared a prefix: draw again
    raise RuntimeError("could not draw a key with a free prefix")  # pragma: no cover


def apikey_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    """Revoke a key at once; revoking a revoked key changes nothing."""
    require_administrator(actor)
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            actor_label="" if actor is not None else "apikey",
            action="apikey.revoke",
            target=locked,
            changes={"prefix": locked.prefix},
        )
    return locked


def apikey_touch(*, key: ApiKey, now: dt.datetime | None = None) -> bool:
    """Note that the key was used (at most once a minute); True when it was written."""
    now = now or timezone.now()
    if key.last_used_at is not None and key.last_used_at >= now - TOUCH_EVERY:
        # The row was read during this call: the conditional UPDATE below could match nothing.
        return False
    written = (
        ApiKey.objects.filter(pk=key.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY))
        .update(last_used_at=now)
    )
    if not written:
        return False
    key.last_used_at = now
    audit_record(
        actor=None,
        actor_label=f"apikey:{key.prefix}",
        action="apikey.use",
        target=key,
        changes={"prefix": key.prefix},
    )
    return True
