"""The village indicators' forms: filters of the roll-ups, a month's report, a year's targets,
an Excel upload. Fields parse with core's validators; pickers choose villages and townships."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.core import validators
from wenmin.core.formfields import NumberField, TextField
from wenmin.core.models import User
from wenmin.organisation.pickers import PickerField, scope_pickers
from wenmin.villages.models import Indicator
from wenmin.villages.services.common import FIRST_YEAR

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
YEAR_MAX = 2100


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type=month> sends), cleaned to (year, month)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def to_python(self, value: Any) -> tuple[int, int] | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        found = _MONTH.fullmatch(text)
        if found is None or not 1 <= int(found.group(2)) <= 12:
            raise ValidationError(_("Enter a month such as 2026-03."), code="month")
        year = int(found.group(1))
        if not FIRST_YEAR <= year <= YEAR_MAX:
            raise ValidationError(_("Enter a month such as 2026-03."), code="month")
        return year, int(found.group(2))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, tuple):
            return f"{value[0]}-{value[1]:02d}"
        return value


def this_year() -> int:
    return timezone.localdate().year


class FigureFilter(forms.Form):
    """Which year, up to which month, where, and (for the records) which indicator."""

    year = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=YEAR_MAX)
    up_to = forms.IntegerField(required=False, min_value=1, max_value=12)
    area = forms.IntegerField(required=False, min_value=1, max_value=validators.ID_MAX)
    indicator = forms.IntegerField(required=False, min_value=1, max_value=validators.ID_MAX)
    village = forms.CharField(required=False, max_length=15)

    def clean_year(self) -> int:
        from wenmin.villages.selectors import default_year

        return self.cleaned_data.get("year") or default_year()

    def clean_up_to(self) -> int:
        return self.cleaned_data.get("up_to") or 12


def _plain(value: Any) -> Any:
    """A stored quantity as typed: 2, 0.1, not 2.00 and 0.10."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return value


def _quantity_fields(form: forms.Form, indicators: list[Indicator], values: dict[int, Any]) -> None:
    for indicator in indicators:
        form.fields[f"q_{indicator.code}"] = NumberField(
            label=f"{indicator.name}（{indicator.unit}）",
            required=False,
            initial=_plain(values.get(indicator.pk)),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )


class ReportForm(forms.Form):
    """A village's figures for a month, a note and photos (the photos come from request.FILES)."""

    village = PickerField("village", label=_("Village"))
    month = MonthField(label=_("Month"))
    note = TextField(label=_("Note"), max_length=1000, multiline=True, required=False)

    def __init__(
        self,
        *args: Any,
        user: User,
        indicators: list[Indicator],
        values: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        _quantity_fields(self, indicators, values or {})
        scope_pickers(self, user)

    def figures(self) -> dict[Indicator, Any]:
        return {
            indicator: self.cleaned_data.get(f"q_{indicator.code}") for indicator in self.indicators
        }

    def quantity_fields(self) -> list[Any]:
        return [self[f"q_{indicator.code}"] for indicator in self.indicators]


class TargetsForm(forms.Form):
    """A village's targets for a year, one per indicator."""

    village = PickerField("village", label=_("Village"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=YEAR_MAX)

    def __init__(
        self,
        *args: Any,
        user: User,
        indicators: list[Indicator],
        values: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        _quantity_fields(self, indicators, values or {})
        scope_pickers(self, user)

    def figures(self) -> dict[Indicator, Any]:
        return {
            indicator: self.cleaned_data.get(f"q_{indicator.code}") for indicator in self.indicators
        }

    def quantity_fields(self) -> list[Any]:
        return [self[f"q_{indicator.code}"] for indicator in self.indicators]


class ImportForm(forms.Form):
    """The file and the township (or village) it reports for."""

    area_code = forms.CharField(label=_("Township or village (code)"), max_length=15)
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class TemplateForm(forms.Form):
    area_code = forms.CharField(required=False, max_length=15)
    month = MonthField(required=False)
