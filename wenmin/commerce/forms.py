"""The e-commerce forms: parse only (the services judge amounts, months and addresses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.commerce.models import Outlet, OutletKind
from wenmin.core import formfields, months
from wenmin.core.models import User
from wenmin.organisation.pickers import PickerField, scope_pickers

ID_MAX = 2**62


class _Scoped(forms.Form):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scope_pickers(self, user)


class ContactForm(_Scoped):
    branch = PickerField("branch", label=_("Party branch"))
    office_phone = formfields.TextField(label=_("Office number"), max_length=20)
    intro = formfields.TextField(label=_("Introduction"), max_length=200, required=False)


class FarmerForm(_Scoped):
    branch = PickerField("branch", label=_("Party branch"))
    person = PickerField("resident", label=_("Resident"))
    since = formfields.DateField(
        label=_("Helped since"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ProduceForm(forms.Form):
    name = formfields.TextField(label=_("Produce"), max_length=64)
    unit = formfields.TextField(label=_("Unit (jin, kg, box…)"), max_length=16)
    quantity = formfields.TextField(label=_("Quantity"), max_length=32)
    price = formfields.TextField(label=_("Price per unit (yuan)"), max_length=32)
    season_from = formfields.TextField(label=_("Season from (month)"), max_length=4)
    season_to = formfields.TextField(label=_("Season to (month)"), max_length=4)


class OutletForm(_Scoped):
    branch = PickerField("branch", label=_("Party branch"))
    kind = forms.ChoiceField(label=_("Kind"), choices=OutletKind.choices)
    name = formfields.TextField(label=_("Name"), max_length=100)
    url = formfields.TextField(label=_("Web address of the shop"), max_length=300, required=False)


class SaleForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Sold through"), queryset=Outlet.objects.none())
    month = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7)
    quantity = formfields.TextField(label=_("Quantity"), max_length=32)
    income = formfields.TextField(label=_("Income (yuan)"), max_length=32)

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outlet = self.fields["outlet"]
        assert isinstance(outlet, forms.ModelChoiceField)  # noqa: S101
        outlet.queryset = Outlet.objects.filter(branch_id=branch_id)

    def clean_outlet(self) -> Any:
        return self.cleaned_data["outlet"]

    def clean_month(self) -> Any:
        month = months.parse_month(self.cleaned_data.get("month") or "")
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return month


class CommerceFilterForm(forms.Form):
    branch = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    township = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
