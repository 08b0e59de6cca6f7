from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from wenmin.core import nav, roles


def wenmin(request: HttpRequest) -> dict[str, Any]:
    """What every page's navigation needs to know about the viewer."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    is_staff = roles.can_use_staff_pages(role)
    return {
        "viewer_is_staff": is_staff,
        "viewer_is_administrator": roles.can_manage_reference_data(role),
        "viewer_can_export": roles.can_export(role),
        # Only the pages the viewer may open (the predicates their views check).
        "menu": SimpleLazyObject(lambda: nav.menu_for(user)),
        # Lazy: the COUNT runs only on pages whose template shows it, at most once per request.
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)) if is_staff else 0,
    }


def _unread(user: Any) -> int:
    from wenmin.core.notify.inapp import unread_count

    return unread_count(user_id=user.pk)
