from __future__ import annotations

from django.contrib import admin

from wenmin.villages.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    """The county's catalogue of village indicators, kept by the administrator."""

    list_display = ("code", "name", "group", "unit", "cumulative", "whole", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("group", "cumulative", "is_active")
