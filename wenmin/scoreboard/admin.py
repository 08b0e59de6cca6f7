"""Admin for the score's weights (each change a new row, through the service) and a read-only
list of appeals (they are decided on the scoreboard's appeal pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt
from wenmin.core.sites import is_administrator
from wenmin.scoreboard.models import Appeal, ScoreSettings
from wenmin.scoreboard.ranking import Weights
from wenmin.scoreboard.services import score_settings_save

SETTINGS_FIELDS = (
    "response_weight",
    "resolution_weight",
    "satisfaction_weight",
    "prior_weight",
    "minimum_sample",
)


class ScoreSettingsForm(ServiceForm):
    """Asks score_settings_save, in a rolled-back savepoint, whether the weights are acceptable."""

    def save_through(self, actor: Any) -> ScoreSettings:
        data = self.cleaned_data
        return score_settings_save(
            actor=actor,
            response=float(data["response_weight"]),
            resolution=float(data["resolution_weight"]),
            satisfaction=float(data["satisfaction_weight"]),
            prior=int(data["prior_weight"]),
            minimum_sample=int(data["minimum_sample"]),
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors:
            self.dry_run(lambda: self.save_through(self.actor))
        return cleaned

    class Meta:
        model = ScoreSettings
        fields = SETTINGS_FIELDS


@admin.register(ScoreSettings)
class ScoreSettingsAdmin(ServiceAdmin[ScoreSettings]):
    """New weights are added as a new row; the rows before are the history, read-only."""

    form = ScoreSettingsForm
    fields = SETTINGS_FIELDS
    list_display = (
        "updated_at",
        "response_weight",
        "resolution_weight",
        "satisfaction_weight",
        "prior_weight",
        "minimum_sample",
    )
    ordering = ("-id",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        current = Weights.current()
        return {
            "response_weight": current.response,
            "resolution_weight": current.resolution,
            "satisfaction_weight": current.satisfaction,
            "prior_weight": current.prior,
            "minimum_sample": current.minimum_sample,
        }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        adopt(obj, form.save_through(actor_of(request)))


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Read-only: appeals are submitted and decided on the scoreboard's pages, with an audit."""

    list_display = ("case", "unit", "status", "submitted_at", "reviewer", "decided_at")
    list_filter = ("status",)
    list_select_related = ("case", "unit", "reviewer")
    search_fields = ("case__number", "unit__name", "reason")
    readonly_fields = (
        "case",
        "unit",
        "reason",
        "evidence",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewer",
        "decided_at",
        "decision_note",
    )
    ordering = ("-submitted_at",)

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
