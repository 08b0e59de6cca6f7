"""The SMS gateways' webhook and the staff's in-app notifications page."""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenmin.core.models import User
from wenmin.messaging import selectors, services
from wenmin.messaging.models import SmsGateway
from wenmin.messaging.sms import SmsPost, SmsRefused, sms_inbound_receive
from wenmin.organisation.views import staff_page

logger = logging.getLogger("wenmin.messaging.sms")
MAX_BODY = 16_384  # bytes of a gateway's post
PAGE_SIZE = 50


def _fields(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY:
        raise SmsRefused(413, "too large")
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise SmsRefused(400, "junk") from None
        if not isinstance(data, dict):
            raise SmsRefused(400, "junk")
        return data
    return request.POST.dict()


def _post(data: dict[str, Any]) -> SmsPost:
    values = {
        name: data.get(name, "") for name in ("sender", "text", "time", "message_id", "signature")
    }
    if not all(
        isinstance(value, str | int) and not isinstance(value, bool) for value in values.values()
    ):
        raise SmsRefused(400, "junk")
    return SmsPost(**{name: str(value) for name, value in values.items()})


@csrf_exempt  # the gateway signs its posts with the shared secret instead
@require_POST
def sms_inbound(request: HttpRequest, gateway: str) -> HttpResponse:
    """A text a gateway posts in: 200 with what it did, or 4xx with nothing stored."""
    found = SmsGateway.objects.filter(slug=gateway, is_active=True).first()
    try:
        if found is None:
            raise SmsRefused(404, "unknown gateway")
        outcome = sms_inbound_receive(gateway=found, post=_post(_fields(request)))
    except SmsRefused as refusal:
        logger.warning("SMS post refused (gateway %s): %s", gateway[:40], refusal.reason)
        answer = JsonResponse({"ok": False, "error": refusal.reason}, status=refusal.status)
        answer._has_been_logged = True  # type: ignore[attr-defined]  # once: not by django.request too
        return answer
    return JsonResponse({"ok": True, "action": outcome.action})


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_page has let only logged-in staff through


@staff_page
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The viewer's notifications, newest first; unread ones marked, each linking to its case."""
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notifications_of(user=_viewer(request), unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else ""}
    return render(request, "messaging/notifications.html", context)


@staff_page
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read (only the viewer's own)."""
    services.notifications_mark_read(user=_viewer(request), notification_id=notification_id)
    return redirect("messaging:notifications")


@staff_page
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the viewer read."""
    from django.contrib import messages

    count = services.notifications_mark_read(user=_viewer(request))
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("messaging:notifications")
