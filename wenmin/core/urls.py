from __future__ import annotations

from django.urls import path

from wenmin.core import views

app_name = "core"
urlpatterns = [
    path("", views.audit_log, name="audit_log"),
]
