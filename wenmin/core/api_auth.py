"""Authentication of the native API: a bearer token with scopes, or the browser's session.

A token acts as its account: the same scoping selectors decide what it sees, and its scopes can
only narrow that. The session (for the docs page of a logged-in user) keeps Django's CSRF check
for unsafe methods and is not limited by scopes.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from wenmin.core.api_support import ApiError
from wenmin.core.models import ApiToken, User
from wenmin.core.services_tokens import api_token_used, token_hash


def token_for(plain: str) -> ApiToken:
    """The live token for a plain token, or a 401 saying why not."""
    digest = token_hash(plain.strip())
    token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        raise ApiError(401, "token_unknown")
    if token.revoked_at is not None:
        raise ApiError(401, "token_revoked")
    if token.expires_at is not None and token.expires_at <= timezone.now():
        raise ApiError(401, "token_expired")
    if not token.user.is_active:
        raise ApiError(401, "account_inactive")
    return token


class BearerToken(HttpBearer):
    """`Authorization: Bearer wm_…`; a token without the operation's scope gets a 403."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_for(token)
        if self.scope not in (api_token.scopes or []):
            raise ApiError(403, "scope_missing", params={"scope": self.scope})
        api_token_used(token=api_token)
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class Session(SessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token (X-CSRFToken)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # no session: a 401, not a CSRF failure
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


SESSION = Session(csrf=True)


def auth_for(scope: str) -> list[AuthBase]:
    """The authentication of an operation that needs `scope`: a token with it, or the session."""
    return [BearerToken(scope), SESSION]
