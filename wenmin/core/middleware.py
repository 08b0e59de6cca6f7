"""Remember who is asking and from where, for the audit log."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ipware import get_client_ip

current_ip: ContextVar[str | None] = ContextVar("wenmin_current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, the one way everywhere (audit log, portal limits, login lock-out).

    Behind WENMIN_TRUSTED_PROXIES reverse proxies, each of which appends the address it saw to
    X-Forwarded-For, the client is the entry the outermost trusted proxy appended; anything to
    its left was written by the client and is ignored (django-ipware). With no trusted proxy,
    or a header too short to hold the client, the socket's address."""
    proxies = int(getattr(settings, "WENMIN_TRUSTED_PROXIES", 0))
    if proxies:
        # ipware counts the proxies *in* the header; the last proxy is the socket's peer.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
