from __future__ import annotations

from django.contrib import admin

from wenmin.commerce.models import Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin[Outlet]):
    list_display = ("name", "kind", "branch", "url")
    list_filter = ("kind",)
    raw_id_fields = ("branch",)
