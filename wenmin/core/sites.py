"""The Django admin site, for the county administrator only."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from wenmin.core import roles


def is_administrator(request: HttpRequest) -> bool:
    """An active login whose role is the county administrator."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_active
        and roles.can_manage_reference_data(getattr(user, "role", ""))
    )


class WenminAdminSite(admin.AdminSite):
    """The stock admin, admitting the administrator role only (not merely is_staff)."""

    site_header = site_title = _("Wenmin administration")
    index_title = _("Reference data and accounts")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def refuse_other_roles(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # A signed-in resident or clerk is refused outright rather than sent to a login page.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            response: HttpResponse = inner(request, *args, **kwargs)
            return response

        return refuse_other_roles

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)
