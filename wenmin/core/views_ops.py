"""For load balancers and monitoring: /healthz, /readyz and /metrics.

No login, no CSRF, no rate limit, no session; exempt from the HTTPS redirect
(SECURE_REDIRECT_EXEMPT) and from the database-outage answer, so a load balancer speaking plain
HTTP to the application server gets the truth.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from wenmin.core import health, metrics, outage
from wenmin.core.middleware import client_ip


@csrf_exempt
@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answering; touches nothing else."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when this server can do its work (perhaps with warnings), 503 with what is wrong."""
    report = health.readiness()
    if not report.ready:
        outage.mark_reported(request)  # no "Service Unavailable" log line at every poll
    return JsonResponse(
        report.as_dict(),
        status=200 if report.ready else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def metrics_allowed(request: HttpRequest) -> bool:
    """From an address of WENMIN_METRICS_ALLOW, or with the bearer token WENMIN_METRICS_TOKEN."""
    token = str(getattr(settings, "WENMIN_METRICS_TOKEN", ""))
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").strip().encode(), token.encode())
    address = client_ip(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.WENMIN_METRICS_ALLOW_NETWORKS)


@csrf_exempt
@require_safe
@never_cache
def prometheus_metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format; to anyone else, nothing here (404)."""
    if not metrics_allowed(request):
        return HttpResponseNotFound("", content_type="text/plain")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
