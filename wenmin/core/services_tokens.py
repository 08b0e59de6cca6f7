"""The only door for writes to API tokens: issue, revoke, note their use. Issuing and revoking
are audited; the plain token is shown once and only its SHA-256 hash is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import roles
from wenmin.core.audit import audit_record
from wenmin.core.models import ApiScope, ApiToken, User

TOKEN_PREFIX = "wm_"  # noqa: S105  (the public start of every token, not a secret)
USE_RECORDED_EVERY = dt.timedelta(minutes=1)
_ATTEMPTS = 5


def token_hash(plain: str) -> str:
    """The stored form of a token: a token is 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(plain.encode()).hexdigest()


def _may_manage(actor: User | None, user: User) -> bool:
    if actor is None:  # a system command
        return True
    return actor.role == roles.Role.ADMINISTRATOR or actor.pk == user.pk


def scopes_clean(scopes: Sequence[str]) -> list[str]:
    """Known scopes, each once, in a fixed order; at least one."""
    wanted = {s.strip() for s in scopes if s.strip()}
    if not wanted:
        raise ValidationError({"scopes": [_("Give at least one scope.")]})
    if unknown := wanted - set(ApiScope.values):
        raise ValidationError(
            {
                "scopes": [
                    _("Unknown scopes: %(scopes)s (known: %(known)s).")
                    % {"scopes": ", ".join(sorted(unknown)), "known": ", ".join(ApiScope.values)}
                ]
            }
        )
    return [s for s in ApiScope.values if s in wanted]


def api_token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    scopes: Sequence[str],
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for an account; returns it with the plain token, which is never stored."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("Only the administrator may issue tokens for other accounts."))
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors["name"] = [_("A name of 1 to 100 characters.")]
    try:
        clean = scopes_clean(scopes)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not user.is_active:
        errors["user"] = [_("The account is inactive.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    for _attempt in range(_ATTEMPTS):
        prefix = secrets.token_hex(4)
        plain = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    token_hash=token_hash(plain),
                    scopes=clean,
                    expires_at=expires_at,
                )
                audit_record(
                    actor=actor,
                    action="api_token.created",
                    target=token,
                    changes={"user": user.get_username(), "name": name, "scopes": clean},
                )
        except IntegrityError:  # the 32-bit prefix collided with an older token's: draw again
            continue
        return token, plain
    raise RuntimeError("no free token prefix after several attempts")


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking twice changes nothing."""
    if not _may_manage(actor, token.user):
        raise PermissionDenied(_("Only the administrator may revoke other accounts' tokens."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="api_token.revoked",
                target=locked,
                changes={"user": locked.user.get_username(), "name": locked.name},
            )
    return locked


def api_token_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Note the time of use, at most once a minute, so a busy client does not write each time."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USE_RECORDED_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now
