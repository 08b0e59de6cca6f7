"""/healthz, /readyz and /metrics, at the site's root where load balancers look for them."""

from __future__ import annotations

from django.urls import path

from wenmin.core import views_ops

urlpatterns = [
    path("healthz", views_ops.healthz, name="healthz"),
    path("readyz", views_ops.readyz, name="readyz"),
    path("metrics", views_ops.prometheus_metrics, name="metrics"),
]
