from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from wenmin.core import formfields, nav, roles
from wenmin.core.forms import LoginForm
from wenmin.core.models import AuditEvent
from wenmin.core.outage import response_for_current_exception

logger = logging.getLogger("wenmin")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The append-only audit log, newest first, for the administrator."""
    if not roles.can_view_audit_log(request.user.role):  # type: ignore[union-attr]
        raise PermissionDenied
    events = (
        AuditEvent.objects.select_related("actor__person")
        .defer("actor__person__phone", "actor__person__id_number")  # only the name is shown
        .order_by("-created_at", "-id")
    )
    action, status = formfields.search_text(request, "action", max_length=64)
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({"action": action}) if action else ""
    context = {"page": page, "action": action, "query": query}
    return render(request, "core/audit_log.html", context, status=status)


class LoginView(auth_views.LoginView):
    """The stock login; afterwards each role goes straight to its own home (or to `next`)."""

    template_name = "core/login.html"
    authentication_form = LoginForm

    def get_default_redirect_url(self) -> str:
        return reverse(nav.landing_for(self.request.user))


def root(request: HttpRequest) -> HttpResponse:
    """Each role's home: staff their workbench, residents their reports, volunteers their page;
    visitors the portal (nav.landing_for, from what the apps registered)."""
    return redirect(nav.landing_for(request.user))


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says. The address is looked up when asked:
    in production it names the collected file by its content, known only after collectstatic."""
    return redirect(staticfiles_storage.url("wenmin/favicon.svg"), permanent=True)


# Error pages: in the site's layout and the viewer's language, with the menu and a way back.


def _error_context(request: HttpRequest, status: int) -> dict[str, object]:
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    back = referer if same_site and referer != request.build_absolute_uri() else ""
    return {"status": status, "home": reverse(nav.landing_for(request.user)), "back": back}


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, f"{status}.html", _error_context(request, status), status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale form (the page was open too long, or cookies are off): say so, in the layout."""
    context = {**_error_context(request, 403), "csrf": True}
    return render(request, "403.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The layout if it can be drawn (the database may be the cause); plain text otherwise. An
    unreachable database found after the outage middleware looked (a session saved on the way
    out) answers 503, as it does everywhere else."""
    outage = response_for_current_exception(request)
    if outage is not None:
        return outage
    try:
        return _error_page(request, 500)
    except Exception:
        logger.exception("the error page itself failed")
        return HttpResponse(
            "500 服务器内部错误 / Internal server error", status=500, content_type="text/plain"
        )
