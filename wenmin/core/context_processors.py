from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wenmin.core import roles


def wenmin(request: HttpRequest) -> dict[str, Any]:
    """What every page's navigation needs to know about the viewer."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    return {
        "viewer_is_staff": roles.can_use_staff_pages(role),
        "viewer_is_administrator": roles.can_manage_reference_data(role),
        "viewer_can_export": roles.can_export(role),
    }
