"""What operations scrape at /metrics (Prometheus' text format, prometheus-client).

Requests are counted by method, route (the URL pattern's name, never the path) and status, and
timed by method and route. Under gunicorn each worker process writes its counts to files in
PROMETHEUS_MULTIPROC_DIR (wenmin/gunicorn_conf.py sets it before any worker starts) and a scrape
adds them up, whichever worker answers it. The task queue's depth and the overdue cases are
counted at scrape time, one query each.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

# Methods outside this set count as "other", so junk methods cannot multiply the series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "wenmin_http_requests",
    "HTTP requests answered, by method, route and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "wenmin_http_request_duration_seconds",
    "Time to answer an HTTP request (to the first byte of a streamed one), by method and route.",
    ["method", "route"],
)


def route_of(request: HttpRequest, *, static_prefix: str) -> str:
    """The URL pattern's name (`cases:case_detail`), or what kind of unnamed request it was."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "<unnamed>"
    if request.path.startswith(static_prefix):
        return "<static>"
    return "<unmatched>"


def observe(*, method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    method = method if method in METHODS else "other"
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    LATENCY.labels(method=method, route=route).observe(seconds)


class BacklogCollector:
    """Gauges read from the database at scrape time: the database's reachability, the task
    queue's ready tasks, and the open cases past their result deadline."""

    def describe(self) -> Iterator[Metric]:
        # Described without values, so registering it runs no query.
        yield GaugeMetricFamily("wenmin_database_up", "")
        yield GaugeMetricFamily("wenmin_task_queue_ready", "")
        yield GaugeMetricFamily("wenmin_cases_overdue", "")

    def collect(self) -> Iterator[Metric]:
        try:
            ready = ready_task_count()
            overdue = overdue_case_count()
        except DatabaseError:
            yield GaugeMetricFamily(
                "wenmin_database_up", "Whether the database answered this scrape.", value=0
            )
            return
        yield GaugeMetricFamily(
            "wenmin_database_up", "Whether the database answered this scrape.", value=1
        )
        if ready is not None:
            yield GaugeMetricFamily(
                "wenmin_task_queue_ready",
                "Background tasks ready to run now (django-tasks' database queue).",
                value=ready,
            )
        yield GaugeMetricFamily(
            "wenmin_cases_overdue",
            "Cases in handling past their result deadline (the workbench's overdue rule).",
            value=overdue,
        )


def ready_task_count() -> int | None:
    """Tasks of the database queue ready to run; None when the queue is not the database's."""
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.endswith("database.DatabaseBackend"):
        return None
    from django_tasks.backends.database.models import DBTaskResult

    return int(DBTaskResult.objects.ready().count())


def overdue_case_count() -> int:
    """Cases in handling past their result deadline, by the rule the queues and the sweep use."""
    from wenmin.cases.deadlines import overdue_condition
    from wenmin.cases.models import Case

    return Case.objects.filter(overdue_condition(timezone.now())).count()


_BACKLOG = CollectorRegistry(auto_describe=True)
_BACKLOG.register(BacklogCollector())


def exposition() -> bytes:
    """Every metric in Prometheus' text format: all worker processes' counts added up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counts = CollectorRegistry()
        MultiProcessCollector(counts)
    else:
        counts = REGISTRY
    return generate_latest(counts) + generate_latest(_BACKLOG)
