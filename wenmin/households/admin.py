"""Admin of the care categories the county keeps; every write goes through households.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt, changed
from wenmin.households import services
from wenmin.households.models import CareCategory

FIELDS = ("code", "name", "must_visit", "order", "active")


class CareCategoryForm(ServiceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            values: dict[str, Any] = {name: cleaned.get(name) for name in FIELDS}
            self.dry_run(
                lambda: services.care_category_save(actor=self.actor, category=None, **values)
            )
        return cleaned

    def validate_unique(self) -> None:
        """care_category_save checks the code, with a clearer message."""


@admin.register(CareCategory)
class CareCategoryAdmin(ServiceAdmin[CareCategory]):
    form = CareCategoryForm
    fields = FIELDS
    list_display = ("code", "name", "must_visit", "order", "active")
    list_filter = ("must_visit", "active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: CareCategory, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if not change:
            values = {name: form.cleaned_data.get(name) for name in FIELDS}
            adopt(obj, services.care_category_save(actor=actor, category=None, **values))
        elif fields := changed(form, services.CATEGORY_FIELDS):
            adopt(obj, services.care_category_save(actor=actor, category=obj, **fields))
