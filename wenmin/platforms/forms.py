"""The platforms' input forms: they parse what was typed; the services check the rules."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wenmin.cases.deadlines import Kind
from wenmin.core import formfields, validators
from wenmin.core.months import month_end
from wenmin.organisation.models import Cadre, Unit
from wenmin.platforms.models import (
    SERVICE_RESULTS,
    ErrandStep,
    QueueTicket,
    Result,
    ServiceItem,
    VisitOutcome,
)

_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def parse_month(value: str, default: dt.date) -> dt.date:
    """A month written 2026-11 as its first day; empty is `default`'s month."""
    text = (value or "").strip()
    if not text:
        return default.replace(day=1)
    if not _MONTH.fullmatch(text):
        raise ValidationError(_("Enter a month such as 2026-11."))
    return validators.parse_date(f"{text}-01")


class ResidentFields(forms.Form):
    resident_name = formfields.TextField(label=_("Resident's name"), max_length=64)
    resident_phone = formfields.TextField(
        label=_("Resident's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class ServiceRecordForm(ResidentFields):
    item = forms.ModelChoiceField(
        label=pgettext_lazy("centre catalogue", "Service"), queryset=ServiceItem.objects.none()
    )
    started_at = formfields.DateTimeField(label=_("Started"), widget=_LOCAL)
    ended_at = formfields.DateTimeField(label=_("Ended"), widget=_LOCAL)
    result = forms.ChoiceField(
        label=_("Result"), choices=[(r.value, r.label) for r in Result if r in SERVICE_RESULTS]
    )
    note = formfields.TextField(label=_("Note"), max_length=500, required=False)
    ticket = forms.ModelChoiceField(
        label=_("Queue ticket"), queryset=QueueTicket.objects.none(), required=False
    )

    def __init__(self, *args: Any, unit: Unit, tickets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["item"].queryset = ServiceItem.objects.filter(unit=unit, active=True)
        fields["ticket"].queryset = tickets


class WalkinCaseForm(ResidentFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.HELP)
    content = formfields.TextField(label=_("The problem"), max_length=4000, multiline=True)
    started_at = formfields.DateTimeField(label=_("Started"), widget=_LOCAL)
    ended_at = formfields.DateTimeField(label=_("Ended"), widget=_LOCAL)
    ticket = forms.ModelChoiceField(
        label=_("Queue ticket"), queryset=QueueTicket.objects.none(), required=False
    )

    def __init__(self, *args: Any, tickets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["ticket"].queryset = tickets


class ItemForm(forms.Form):
    name = formfields.TextField(label=_("Name"), max_length=100)
    documents = formfields.TextField(
        label=_("Documents required"), max_length=2000, required=False, multiline=True
    )
    time_limit_days = forms.IntegerField(
        label=_("Time limit (working days)"), min_value=0, max_value=365, initial=0
    )
    fee = formfields.NumberField(label=_("Fee (yuan)"), required=False)
    errand_allowed = forms.BooleanField(
        label=_("May be done on the resident's behalf (代办)"), required=False
    )


class HoursForm(forms.Form):
    hours = formfields.TextField(label=_("Opening hours"), max_length=200)


class ErrandForm(ResidentFields):
    item = forms.ModelChoiceField(
        label=pgettext_lazy("centre catalogue", "Service"), queryset=ServiceItem.objects.none()
    )
    request = formfields.TextField(label=_("What is asked"), max_length=500)
    office = formfields.TextField(label=_("Office it goes to"), max_length=100)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["item"].queryset = ServiceItem.objects.filter(
            unit=unit, active=True, errand_allowed=True
        )


class HandoverForm(forms.Form):
    step = forms.ChoiceField(label=_("Hand-over"), choices=ErrandStep.choices)
    counterpart = formfields.TextField(label=_("Handed to or received from"), max_length=100)
    at = formfields.DateTimeField(label=_("When"), widget=_LOCAL)
    note = formfields.TextField(label=_("Note"), max_length=300, required=False)


class DutyForm(forms.Form):
    day = formfields.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Cadre.objects.none())

    def __init__(self, *args: Any, cadres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["cadre"].queryset = cadres
        fields["cadre"].label_from_instance = lambda c: f"{c.person.name} · {c.unit.name}"


class StationVisitForm(forms.Form):
    visitor_name = formfields.TextField(label=_("Visitor's name"), max_length=64)
    visitor_phone = formfields.TextField(
        label=_("Visitor's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    arrived_at = formfields.DateTimeField(label=_("Arrived"), widget=_LOCAL)
    matter = formfields.TextField(label=_("Matter raised"), max_length=1000, multiline=True)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VisitOutcome.choices)
    answer = formfields.TextField(
        label=_("Answer given"), max_length=1000, required=False, multiline=True
    )
    kind = forms.ChoiceField(label=_("Kind (for a case)"), choices=Kind.choices, initial=Kind.HELP)


class RatingForm(forms.Form):
    code = formfields.TextField(label=_("Code on your slip"), max_length=12)
    score = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")],
        widget=forms.RadioSelect,
    )
    comment = formfields.TextField(label=_("Comment"), max_length=300, required=False)


class RecordExportForm(forms.Form):
    """The service records ledger's filters: a month (this one by default) or a span of days,
    and a result."""

    month = formfields.TextField(
        label=_("Month"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    date_from = formfields.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = formfields.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(
        label=pgettext_lazy("records ledger", "Result"),
        choices=[("", _("Every result")), *Result.choices],
        required=False,
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_month(self) -> dt.date:
        return parse_month(self.cleaned_data.get("month") or "", self.today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if (first is None) != (last is None) and not self.errors:
            raise ValidationError(_("Give both days of the span, or a month."))
        if first is not None and last is not None and last < first:
            self.add_error("date_to", _("The span cannot end before it starts."))
        return data

    def span(self) -> tuple[dt.date, dt.date]:
        """The first and last day exported (both included): the days given, else the month."""
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to"):
            return data["date_from"], data["date_to"]
        first: dt.date = data["month"]
        return first, month_end(first) - dt.timedelta(days=1)
