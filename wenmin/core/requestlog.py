"""One log line per request (logger `wenmin.request`), its request id, and its count and time
for /metrics.

The line holds the method, the path, the route, the status, the duration, the request id and the
account's id: never the query string (a search by phone number or name is personal data), never
an address, and the secret parts of a path (tracking codes, one-time links) are masked, as are
digit runs as long as a phone or ID number. settings.LOGGING decides where it goes (JSON through
python-json-logger); WENMIN_REQUEST_LOG switches it on (the default in production).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import LazyObject, empty

from wenmin.core import metrics

logger = logging.getLogger("wenmin.request")

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from a proxy or client is kept when it looks like one (a UUID, a hex or base64url
# token, nginx's $request_id); anything else is replaced, so the log cannot be forged or flooded.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")
# Path parameters that are secrets of their own: a tracking code, a one-time rating link.
SECRET_PARAMETERS = frozenset({"code", "token"})
# Eleven digits or more: a mobile phone (11) or an ID number (18, perhaps ending in X).
_LONG_NUMBER = re.compile(r"\d{11,}[Xx]?")
MAX_LOGGED_PATH = 200


def request_id_of(request: HttpRequest) -> str:
    """The caller's X-Request-ID when it is a sane token, else a new one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if given and _SANE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def loggable_path(request: HttpRequest) -> str:
    """The path without its query string, secret parameters and long numbers."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    secrets = {
        value: f"<{name}>"
        for name, value in (match.kwargs.items() if match is not None else ())
        if name in SECRET_PARAMETERS and isinstance(value, str) and value
    }
    if secrets:
        # Whole segments only (`tokens/<token>.json` too), never a substring elsewhere.
        segments = []
        for segment in path.split("/"):
            stem, dot, suffix = segment.partition(".")
            if segment in secrets:
                segment = secrets[segment]
            elif stem in secrets:
                segment = secrets[stem] + dot + suffix
            segments.append(segment)
        path = "/".join(segments)
    path = _LONG_NUMBER.sub("<number>", path)
    return path[:MAX_LOGGED_PATH]


def known_user_id(request: HttpRequest) -> int | None:
    """The id of the account the request acted as, if the request already looked it up: the log
    line never costs a session query of its own (nor fails when the database is down)."""
    auth = getattr(request, "auth", None)  # the native API's bearer token's account
    auth_id = getattr(auth, "pk", None)
    if isinstance(auth_id, int):
        return auth_id
    user: Any = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, LazyObject) and user._wrapped is empty:  # type: ignore[attr-defined]
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    user_id = getattr(user, "pk", None)
    return user_id if isinstance(user_id, int) else None


class RequestLogMiddleware:
    """The outermost middleware: it sees every answer, static files and redirects included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + str(settings.STATIC_URL).lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_of(request)
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        route = metrics.route_of(request, static_prefix=self.static_prefix)
        metrics.observe(
            method=request.method or "", route=route, status=response.status_code, seconds=seconds
        )
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": loggable_path(request),
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "request_id": request_id,
                    "user_id": known_user_id(request),
                },
            )
        return response
