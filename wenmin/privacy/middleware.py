"""The page a request asked for (for the access log), and the second factor for the roles
that must give one before any other page."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

current_path: ContextVar[str | None] = ContextVar("wenmin_current_path", default=None)

# What an account that still owes its second factor may open: the second-factor pages, logging
# out, the language switch, files, and the load balancer's and monitoring's endpoints.
_OPEN_PREFIXES = (
    "/privacy/2fa/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/favicon.ico",
    "/healthz",
    "/readyz",
    "/metrics",
)
_API_PREFIXES = ("/api/", "/open311/")


def second_factor_required(user: object) -> bool:
    """Whether this account's role must give a second factor (WENMIN_REQUIRE_2FA)."""
    required = getattr(settings, "WENMIN_REQUIRE_2FA", [])
    return bool(
        required
        and getattr(user, "is_authenticated", False)
        and getattr(user, "role", "") in required
    )


def second_factor_missing(request: HttpRequest) -> bool:
    """A logged-in account of a role that needs a second factor, not yet verified this session."""
    user = request.user
    if not second_factor_required(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


class PrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_path.set(request.path[:255])
        try:
            refusal = self._second_factor(request)
            if refusal is not None:
                return refusal
            return self.get_response(request)
        finally:
            current_path.reset(token)

    @staticmethod
    def _second_factor(request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(_OPEN_PREFIXES) or not second_factor_missing(request):
            return None
        if request.path.startswith(_API_PREFIXES):
            return JsonResponse(
                {"detail": _("Give your second factor on the site first.")}, status=403
            )
        target = reverse("privacy:second_factor_verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
