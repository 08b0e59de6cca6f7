from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from wenmin.deeds.models import Deed
from wenmin.deeds.tally_source import deeds_changed


@admin.register(Deed)
class DeedAdmin(admin.ModelAdmin[Deed]):
    list_display = ("done_on", "title", "village", "doer_kind", "state", "source_kind")
    list_filter = ("state", "doer_kind", "source_kind")
    raw_id_fields = (
        "household", "village", "township", "branch", "team", "person", "author", "confirmed_by"
    )  # fmt: skip

    # The admin writes past the services: the daily counts follow its edits and deletions.
    def save_model(self, request: HttpRequest, obj: Deed, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            deeds_changed(obj.pk)

    def delete_model(self, request: HttpRequest, obj: Deed) -> None:
        pk = obj.pk
        with transaction.atomic():
            super().delete_model(request, obj)
            deeds_changed(pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Deed]) -> None:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True))
            super().delete_queryset(request, queryset)
            deeds_changed(*ids)
