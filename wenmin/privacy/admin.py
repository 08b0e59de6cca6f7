"""Retention periods and legal holds, through their services; the access log, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt
from wenmin.core.sites import is_administrator
from wenmin.privacy.models import AccessLogEntry, LegalHold, RetentionRule
from wenmin.privacy.services.retention import (
    legal_hold_lift,
    legal_hold_place,
    retention_delete,
    retention_set,
)


class RetentionRuleForm(ServiceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors:
            self.dry_run(
                lambda: retention_set(
                    actor=self.actor, kind=cleaned["kind"], years=int(cleaned["years"])
                )
            )
        return cleaned

    def validate_unique(self) -> None:
        """retention_set changes the kind's existing row rather than refusing a second one."""

    class Meta:
        model = RetentionRule
        fields = ("kind", "years")


@admin.register(RetentionRule)
class RetentionRuleAdmin(ServiceAdmin[RetentionRule]):
    """A kind's period replaces WENMIN_RETENTION_YEARS; removing it brings the default back."""

    form = RetentionRuleForm
    list_display = ("kind", "years")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        adopt(obj, retention_set(actor=actor_of(request), kind=data["kind"], years=data["years"]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        retention_delete(actor=actor_of(request), rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for rule in queryset:
            retention_delete(actor=actor_of(request), rule=rule)


class LegalHoldForm(ServiceForm):
    class Meta:
        model = LegalHold
        fields = ("case", "reason")


@admin.register(LegalHold)
class LegalHoldAdmin(ServiceAdmin[LegalHold]):
    """Place a hold on a case (litigation, a petition); lift it by deleting it."""

    form = LegalHoldForm
    list_display = ("case", "reason", "placed_by", "placed_at")
    list_select_related = ("case", "placed_by")
    raw_id_fields = ("case",)
    search_fields = ("case__number", "reason")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        adopt(
            obj,
            legal_hold_place(actor=actor_of(request), case=data["case"], reason=data["reason"]),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        legal_hold_lift(actor=actor_of(request), hold=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for hold in queryset.select_related("case"):
            legal_hold_lift(actor=actor_of(request), hold=hold)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only; the privacy pages filter it by person and by viewer."""

    list_display = ("at", "viewer_label", "person", "fields", "reason", "path", "ip_address")
    list_filter = ("reason",)
    list_select_related = ("person",)
    search_fields = ("viewer_label", "path")
    readonly_fields = (
        "at",
        "viewer",
        "viewer_label",
        "person",
        "fields",
        "reason",
        "case",
        "path",
        "ip_address",
    )
    ordering = ("-at", "-id")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
