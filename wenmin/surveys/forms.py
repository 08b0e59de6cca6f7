"""The staff's input forms: they parse what was typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields
from wenmin.core.models import User
from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind
from wenmin.organisation.selectors import regions_visible_to
from wenmin.surveys import access
from wenmin.surveys.models import QuestionKind, SurveyForm, SurveyVersion, VisitSource
from wenmin.surveys.selectors import volunteer_teams_for

OWNER_KINDS = (
    UnitKind.PARTY_COMMITTEE,
    UnitKind.DEPARTMENT,
    UnitKind.TOWNSHIP_GOVERNMENT,
    UnitKind.LEADERSHIP_BODY,
)


def owners_for(user: User) -> QuerySet[Unit]:
    """The units whose forms the viewer may build: any for the administrator, else their own."""
    units = Unit.objects.filter(kind__in=OWNER_KINDS).select_related("region")
    if access.sees_whole_county(user):
        return units.filter(region__level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP])
    return units.filter(pk=user.unit_id) if user.unit_id else units.none()


class SurveyFormForm(forms.Form):
    title = formfields.TextField(label=_("Title"), max_length=120)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["owner"].queryset = owners_for(user)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = formfields.TextField(label=_("Question"), max_length=300)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = formfields.TextField(
        label=_("Choices (one a line)"),
        max_length=2000,
        required=False,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    min_value = formfields.NumberField(label=_("Smallest number"), required=False)
    max_value = formfields.NumberField(label=_("Largest number"), required=False)


class PlanForm(forms.Form):
    name = formfields.TextField(label=_("Name of the round"), max_length=120)
    version = forms.ModelChoiceField(label=_("Version"), queryset=SurveyVersion.objects.none())
    starts_on = formfields.DateField(
        label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = formfields.DateField(
        label=_("Visits due by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    regions = formfields.ModelMultipleChoiceField(
        label=_("Townships and villages to visit"),
        queryset=Region.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    teams = formfields.ModelMultipleChoiceField(
        label=_("Volunteer teams"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, user: User, form: SurveyForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["version"].queryset = open_versions = form.versions.filter(
            published_at__isnull=False, retired_at__isnull=True
        ).order_by("-number")
        fields["version"].initial = open_versions.values_list("pk", flat=True).first()
        # Villages under their township, as the tree lists them.
        fields["regions"].label_from_instance = lambda region: (
            f"　· {region.name}" if region.level == RegionLevel.VILLAGE else region.name
        )
        fields["regions"].queryset = (
            regions_visible_to(user)
            .filter(Q(level=RegionLevel.TOWNSHIP) | Q(level=RegionLevel.VILLAGE))
            .order_by("path")
        )
        fields["teams"].queryset = volunteer_teams_for(user)


class CoverageFilter(forms.Form):
    """The filters of the lists behind the results' numbers (junk is a 400, not a 500)."""

    village = forms.IntegerField(required=False, min_value=0, max_value=2**62)  # 0: not known
    team = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    kind = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    question = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    value = formfields.TextField(required=False, max_length=60)
    visited = forms.ChoiceField(required=False, choices=[("", ""), ("yes", "yes"), ("no", "no")])
    resolution = forms.CharField(required=False, max_length=24)
    source = forms.ChoiceField(required=False, choices=[("", ""), *VisitSource.choices])
    located = forms.ChoiceField(required=False, choices=[("", ""), ("yes", "yes")])
