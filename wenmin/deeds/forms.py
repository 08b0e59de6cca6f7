"""The deeds' forms: parse only (the services judge)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields, months
from wenmin.core.models import User
from wenmin.deeds import selectors
from wenmin.deeds.models import BeneficiaryKind, ConfirmerKind, DeedState, DoerKind
from wenmin.deeds.services import DeedInput
from wenmin.organisation.pickers import PickerField, scope_pickers

ID_MAX = 2**62


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DeedForm(forms.Form):
    title = formfields.TextField(label=_("What was done"), max_length=200)
    details = formfields.TextField(
        label=_("Details"), max_length=2000, multiline=True, required=False
    )
    done_on = formfields.DateField(
        label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    beneficiary_kind = forms.ChoiceField(
        label=_("For whom"), choices=BeneficiaryKind.choices, widget=forms.RadioSelect
    )
    household = formfields.TextField(label=_("Household number"), max_length=32, required=False)
    group_text = formfields.TextField(
        label=_("The group (how many, who; no names)"), max_length=200, required=False
    )
    village = PickerField("village", label=_("Village of the group"), required=False)
    doer_kind = forms.ChoiceField(
        label=_("Done by"), choices=DoerKind.choices, widget=forms.RadioSelect
    )
    branch = PickerField("branch", label=_("Party branch"), required=False)
    team = PickerField("team", label=_("Volunteer team"), required=False)
    member = PickerField("member", label=_("Party member"), required=False)
    cadre = PickerField("cadre", label=_("Cadre"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scope_pickers(self, user)

    def clean_household(self) -> Any:
        code = self.cleaned_data.get("household", "").strip()
        if not code:
            return None
        household = selectors.household_for(self.user, code)
        if household is None:
            raise forms.ValidationError(
                _("No household %(code)s in your part of the county.") % {"code": code[:32]}
            )
        return household

    def deed_input(self, photos: list[Any]) -> DeedInput:
        data = self.cleaned_data
        kind = data["doer_kind"]
        return DeedInput(
            title=data["title"],
            details=data.get("details", ""),
            done_on=data["done_on"],
            beneficiary_kind=data["beneficiary_kind"],
            household=data.get("household"),
            group_text=data.get("group_text", ""),
            village=data.get("village"),
            doer_kind=kind,
            branch=data.get("branch"),
            team=data.get("team"),
            person=data.get("member") if kind == DoerKind.MEMBER else data.get("cadre"),
            photos=photos,
        )


class ConfirmForm(forms.Form):
    confirmer_kind = forms.ChoiceField(choices=ConfirmerKind.choices, widget=forms.HiddenInput)
    note = formfields.TextField(label=_("Note"), max_length=200, required=False)


class DeedFilterForm(forms.Form):
    township = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    village = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    branch = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    team = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    person = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    month = forms.CharField(required=False, max_length=7)
    state = forms.ChoiceField(required=False, choices=[("", ""), *DeedState.choices])
    doer_kind = forms.ChoiceField(required=False, choices=[("", ""), *DoerKind.choices])

    def clean_month(self) -> Any:
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        month = months.parse_month(text)
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return month

    def deed_filter(self) -> selectors.DeedFilter:
        data = self.cleaned_data
        return selectors.DeedFilter(
            township=data.get("township"),
            village=data.get("village"),
            branch=data.get("branch"),
            team=data.get("team"),
            person=data.get("person"),
            month=data.get("month"),
            state=data.get("state") or "",
            doer_kind=data.get("doer_kind") or "",
        )
