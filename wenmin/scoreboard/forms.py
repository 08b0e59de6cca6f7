"""Forms of the scoreboard's pages: they parse input; the selectors and services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields, validators
from wenmin.scoreboard.models import AppealStatus, TreeGroup
from wenmin.scoreboard.periods import Period, PeriodError
from wenmin.scoreboard.ranking import Group

LIST_SIZES = (3, 5, 10)
DEFAULT_LIST_SIZE = 3


def this_month(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period.month(today.year, today.month)


def period_choices(current: Period, today: dt.date | None = None) -> list[tuple[str, Any]]:
    """The picker's periods: the last 12 months, 8 quarters and 3 years, and the current one."""
    month = this_month(today)
    months = [month]
    while len(months) < 12:
        months.append(months[-1].previous())
    quarters = [Period.quarter(month.start.year, (month.start.month - 1) // 3 + 1)]
    while len(quarters) < 8:
        quarters.append(quarters[-1].previous())
    years = [Period.year(month.start.year - k) for k in range(3)]
    groups: list[tuple[str, Any]] = [
        (str(_("Months")), [(p.label, p.label) for p in months]),
        (str(_("Quarters")), [(p.label, p.label) for p in quarters]),
        (str(_("Years")), [(p.label, p.label) for p in years]),
    ]
    known = {p.label for p in [*months, *quarters, *years]}
    if current.label not in known:
        groups.insert(0, (str(_("Chosen")), [(_query_value(current), current.label)]))
    return groups


def _query_value(period: Period) -> str:
    if period.kind == "custom":
        return f"{period.start.isoformat()}..{period.end.isoformat()}"
    return period.label


class ScoreboardForm(forms.Form):
    """?group=…&period=2026-11 (or 2026Q3, 2026, a..b; or from + to)&county=…&n=…"""

    group = forms.ChoiceField(label=_("Compare"), choices=Group.choices, required=False)
    period = formfields.TextField(label=_("Period"), required=False, max_length=32)
    start = formfields.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = formfields.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    county = forms.IntegerField(
        label=_("County"), required=False, min_value=1, max_value=validators.ID_MAX
    )
    n = forms.TypedChoiceField(
        label=_("How many at the top and bottom"),
        choices=[(n, n) for n in LIST_SIZES],
        coerce=int,
        required=False,
    )

    def __init__(self, *args: Any, default_period: Period | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_period = default_period or this_month()

    def clean_period(self) -> Period | None:
        text = self.cleaned_data.get("period") or ""
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodError as error:
            raise forms.ValidationError(error.messages) from None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                data["period"] = Period.custom(start, end)
            except PeriodError as error:
                self.add_error("end", error.messages)
        return data

    def announce(self, request: HttpRequest) -> int:
        """For a page without the picker: the refusals among the page's messages; the status."""
        for name, found in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for message in found:
                messages.error(request, f"{label}: {message}" if label else str(message))
        return self.status

    @property
    def status(self) -> int:
        """The page's HTTP status: 400 when a parameter was refused (the page still shows, with
        the refused value left out and its error next to it)."""
        return 400 if self.errors else 200

    def _value(self, name: str, default: Any) -> Any:
        data = getattr(self, "cleaned_data", {})
        if name in self.errors:
            return default
        return data.get(name) or default

    @property
    def chosen_group(self) -> str:
        return str(self._value("group", Group.TOWNSHIP))

    @property
    def chosen_period(self) -> Period:
        period: Period = self._value("period", self.default_period)
        return period

    @property
    def chosen_county(self) -> int | None:
        county: int | None = self._value("county", None)
        return county

    @property
    def chosen_size(self) -> int:
        return int(self._value("n", DEFAULT_LIST_SIZE))


def query_value(period: Period) -> str:
    """The `period` query value that gives this period back."""
    return _query_value(period)


class AppealForm(forms.Form):
    reason = formfields.TextField(
        label=_("Why the case should not count against your unit"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        multiline=True,
    )
    evidence = forms.FileField(
        label=_("Evidence (a photo, PDF or document, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: the case no longer counts against the unit")),
            ("reject", _("Reject: the case still counts")),
        ],
        widget=forms.RadioSelect,
    )
    note = formfields.TextField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        multiline=True,
    )


class AppealFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AppealStatus.choices],
    )


class OverallForm(ScoreboardForm):
    """The comparison across all the work: the same query, with party members as a group."""

    group = forms.ChoiceField(label=_("Compare"), choices=TreeGroup.choices, required=False)


class EvidenceForm(forms.Form):
    """?group=…&subject=…&measure=…&period=…: the records behind one indicator of a subject."""

    group = forms.ChoiceField(choices=TreeGroup.choices)
    subject = forms.IntegerField(min_value=1, max_value=validators.ID_MAX)
    measure = formfields.TextField(max_length=64)
    period = formfields.TextField(required=False, max_length=32)

    def clean_period(self) -> Period:
        text = self.cleaned_data.get("period") or ""
        if not text:
            return this_month()
        try:
            return Period.parse(text)
        except PeriodError as error:
            raise forms.ValidationError(error.messages) from None


class TreeVersionForm(forms.Form):
    """A new version of a group's indicator tree: the month it is in force from, the sample
    rules and a note; the indicators come as rows named weight_<i>, half_<i>, direction_<i>."""

    valid_from = formfields.TextField(label=_("In force from (month)"), max_length=7)
    minimum_sample = forms.IntegerField(label=_("Minimum sample"), min_value=1, max_value=1000)
    prior_weight = forms.IntegerField(label=_("Prior weight"), min_value=0, max_value=1000)
    note = formfields.TextField(
        label=_("Why it changes"), required=False, max_length=2000, multiline=True
    )

    def clean_valid_from(self) -> dt.date:
        text = (self.cleaned_data.get("valid_from") or "").strip()
        try:
            period = Period.parse(text)
        except PeriodError as error:
            raise forms.ValidationError(error.messages) from None
        if period.kind != "month":
            raise forms.ValidationError(_("Write a month, such as 2027-01."))
        return period.start
