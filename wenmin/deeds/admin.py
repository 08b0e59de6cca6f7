from __future__ import annotations

from django.contrib import admin

from wenmin.deeds.models import Deed


@admin.register(Deed)
class DeedAdmin(admin.ModelAdmin[Deed]):
    list_display = ("done_on", "title", "village", "doer_kind", "state", "source_kind")
    list_filter = ("state", "doer_kind", "source_kind")
    raw_id_fields = (
        "household", "village", "township", "branch", "team", "person", "author", "confirmed_by"
    )  # fmt: skip
