from __future__ import annotations

from django.contrib import admin

from wenmin.platforms.models import PlatformHours


@admin.register(PlatformHours)
class PlatformHoursAdmin(admin.ModelAdmin[PlatformHours]):
    """Each centre's and station's opening hours (also set from its catalogue page)."""

    list_display = ("unit", "hours")
    raw_id_fields = ("unit",)
