from __future__ import annotations

from django.contrib import admin

from wenmin.surveys.models import NeedKind


@admin.register(NeedKind)
class NeedKindAdmin(admin.ModelAdmin[NeedKind]):
    """The county's short list of need types, kept by the administrator."""

    list_display = ("code", "name", "order", "is_active")
    list_editable = ("order", "is_active")
