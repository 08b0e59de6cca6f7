from __future__ import annotations

from django.contrib import admin

from wenmin.projects.models import WorkKind


@admin.register(WorkKind)
class WorkKindAdmin(admin.ModelAdmin[WorkKind]):
    """The county's kinds of work and their normal durations (with where each comes from)."""

    list_display = ("code", "name", "normal_days", "unit", "source")
    list_editable = ("normal_days",)
    search_fields = ("code", "name")
