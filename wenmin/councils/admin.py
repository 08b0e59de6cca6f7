"""The administrator sets each county's decision procedure here (through procedure_set); the
councils and proposals themselves are kept on the councils' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt
from wenmin.councils.models import ProcedureConfig
from wenmin.councils.procedure import MEETING_STAGES, Stage
from wenmin.councils.services import procedure_set
from wenmin.organisation.models import Region, RegionLevel

FIELDS = (
    "county",
    "stages",
    "quorum_numerator",
    "quorum_denominator",
    "majority_numerator",
    "majority_denominator",
    "notice_working_days",
)


class ProcedureConfigForm(ServiceForm):
    """Asks procedure_set, in a rolled-back savepoint, whether the procedure holds together."""

    county = forms.ModelChoiceField(
        label=_("county"), queryset=Region.objects.filter(level=RegionLevel.COUNTY)
    )
    stages = forms.MultipleChoiceField(
        label=_("meetings, in order"),
        choices=[(s, Stage(s).label) for s in MEETING_STAGES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Meeting stages held before the decision is made public, in their order."),
    )

    def save_through(self, actor: Any) -> ProcedureConfig:
        data = self.cleaned_data
        chosen = set(data["stages"])
        return procedure_set(
            actor=actor,
            county=data["county"],
            stages=[s for s in MEETING_STAGES if s in chosen],
            quorum=(data["quorum_numerator"], data["quorum_denominator"]),
            majority=(data["majority_numerator"], data["majority_denominator"]),
            notice_working_days=data["notice_working_days"],
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors:
            self.dry_run(lambda: self.save_through(self.actor))
        return cleaned

    class Meta:
        model = ProcedureConfig
        fields = FIELDS


@admin.register(ProcedureConfig)
class ProcedureConfigAdmin(ServiceAdmin[ProcedureConfig]):
    """A county without a row decides by the defaults: 四议两公开, more than half, 5 days."""

    form = ProcedureConfigForm
    fields = FIELDS
    list_display = ("county", "notice_working_days")
    list_select_related = ("county",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        adopt(obj, form.save_through(actor_of(request)))
