"""While the database cannot be reached: 503 with Retry-After, one log line per outage.

Each interface answers in its own shape: Open311 its error list (XML or JSON), the native API
its error JSON, people a page in the site's layout (503.html) drawn without the database, the
session or the account. The log says once when an outage starts (in this process) and once when
it ends, with how many requests it refused; no traceback per request.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("wenmin.database")

RETRY_AFTER_SECONDS = 10
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# Paths that answer without the database, or report it themselves.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/favicon.ico"})


class _OutageState:
    """This process's view: since when the database has been unreachable, and how many requests
    were refused since."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since: float | None = None
        self.refused = 0

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self.refused += 1
            if self.since is not None:
                return
            self.since = time.monotonic()
        logger.error(
            "database unreachable (%s): answering 503 with Retry-After until it is back",
            _describe(error),
        )

    def succeeded(self) -> None:
        if self.since is None:  # the usual case: no lock taken
            return
        with self._lock:
            if self.since is None:
                return
            seconds, refused = time.monotonic() - self.since, self.refused
            self.since, self.refused = None, 0
        logger.warning(
            "database reachable again after %.1f s; %d requests were answered 503",
            seconds,
            refused,
        )


state = _OutageState()
_ANSWERED = "wenmin.reported_503"  # in request.META: this 503 is reported elsewhere


def mark_reported(request: HttpRequest) -> None:
    """This request's 503 needs no line of Django's: an outage is logged once, and /readyz's
    answer is read by the monitor that asked."""
    request.META[_ANSWERED] = True


def marked_reported(request: object) -> bool:
    """Whether this request's 503 was marked as reported (mark_reported)."""
    meta = getattr(request, "META", None)
    return bool(isinstance(meta, dict) and meta.get(_ANSWERED))


def _describe(error: BaseException) -> str:
    """The error's class and first line (psycopg's name the host and port, never a password)."""
    cause = error.__cause__ or error
    first_line = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"{type(cause).__module__}.{type(cause).__name__}: {first_line}"


def is_outage(error: BaseException, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a database error means the database cannot be reached: no connection could be
    opened, or the one in use was lost (psycopg marks it broken or closed). A locked SQLite
    file, a deadlock or a bad query is not an outage: it is left to fail as before."""
    if not isinstance(error, OUTAGE_ERRORS):
        return False
    raw = connections[alias].connection
    if raw is None:
        return True
    return bool(getattr(raw, "broken", False) or getattr(raw, "closed", False))


def database_reachable(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Open the connection this request will use (a no-op when it is open); note the outage's
    start or end."""
    try:
        connections[alias].ensure_connection()
    except OUTAGE_ERRORS as error:
        state.failed(error)
        return False
    state.succeeded()
    return True


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, in the shape of the interface asked."""
    mark_reported(request)
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/open311/"):
            response = _open311(request)
        elif request.path.startswith("/api/"):
            response = _api()
        else:
            response = _page()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _open311(request: HttpRequest) -> HttpResponse:
    from wenmin.channels.open311.serializers import JSON, XML, render_errors

    fmt = JSON if request.path.endswith(".json") else XML
    message = _("The service is briefly unavailable; try again in %(seconds)s seconds.") % {
        "seconds": RETRY_AFTER_SECONDS
    }
    return render_errors(fmt, 503, [message])


def _api() -> HttpResponse:
    from wenmin.core.api_support import error_body

    return JsonResponse(
        error_body("unavailable"), status=503, json_dumps_params={"ensure_ascii": False}
    )


def _page() -> HttpResponse:
    # No request in the context: no context processor runs, so nothing reads the session, the
    # account or the menu (all in the database).
    context = {"status": 503, "home": "/", "retry_after": RETRY_AFTER_SECONDS}
    return HttpResponse(render_to_string("503.html", context), status=503)


def response_for(request: HttpRequest, error: BaseException) -> HttpResponse | None:
    """The 503 for an outage error raised while answering (noted once), else None."""
    if not is_outage(error):
        return None
    state.failed(error)
    return outage_response(request)


def response_for_current_exception(request: HttpRequest) -> HttpResponse | None:
    """The same, for the exception being handled (the 500 handler's last resort)."""
    error = sys.exc_info()[1]
    return response_for(request, error) if error is not None else None


class DatabaseOutageMiddleware:
    """Before the session, the account and the view touch the database: is it there? And a view
    that loses it half-way answers 503 too (process_exception)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in EXEMPT_PATHS and not database_reachable():
            return outage_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return response_for(request, exception)
