from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wenmin.core import formfields, roles
from wenmin.core.models import AuditEvent


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The append-only audit log, newest first, for the administrator."""
    if not roles.can_view_audit_log(request.user.role):  # type: ignore[union-attr]
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    action, status = formfields.search_text(request, "action", max_length=64)
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({"action": action}) if action else ""
    context = {"page": page, "action": action, "query": query}
    return render(request, "core/audit_log.html", context, status=status)


def root(request: HttpRequest) -> HttpResponse:
    """Staff start at their workbench; everyone else at the resident portal."""
    from django.shortcuts import redirect

    role = getattr(request.user, "role", "")
    if request.user.is_authenticated and roles.can_use_staff_pages(role):
        return redirect("cases:workbench")
    return redirect("portal:submit")
