"""What the platforms' views share: the viewer's checks, errors onto forms, the QR code."""

from __future__ import annotations

from typing import cast

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse

from wenmin.core.models import User
from wenmin.organisation.models import Unit
from wenmin.platforms import access


def staff(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.platforms_user(user):
        raise PermissionDenied
    return user


def serving(request: HttpRequest, unit: Unit) -> User:
    """The viewer, who must work at this centre or station."""
    user = staff(request)
    if not access.may_serve(user, unit):
        raise PermissionDenied
    return user


def errors_to_form(form: object, error: ValidationError) -> None:
    fields = getattr(form, "fields", {})
    if not hasattr(error, "error_dict"):
        for text in error.messages:
            form.add_error(None, text)  # type: ignore[attr-defined]
        return
    for field, texts in error.message_dict.items():
        target = field if field in fields else None
        for text in texts:
            form.add_error(target, text)  # type: ignore[attr-defined]


def rating_qr(unit: Unit, code: str = "") -> str:
    """The rating form's address (with a service's code when given) as an SVG data URI."""
    url = settings.WENMIN_SITE_URL.rstrip("/") + reverse("platforms:rate", args=[unit.pk])
    if code:
        url += f"?code={code}"
    return str(segno.make(url, error="m").svg_data_uri(scale=4))


def served_unit(request: HttpRequest, unit_id: object) -> tuple[User, Unit]:
    """The viewer (staff, or 403) and a centre or station they see (or 404) and work at (or 403)."""
    from wenmin.platforms import selectors

    user = staff(request)
    unit = selectors.platform_get_for(user, unit_id)
    return serving(request, unit), unit
