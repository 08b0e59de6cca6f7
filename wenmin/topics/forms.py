"""The topics' forms: every input parsed with core's fields; junk is a 400, never a 500."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Category
from wenmin.cases.workflow import State
from wenmin.core import formfields, validators

ID_MAX = 2**62
PERIODS = [
    (7, _("Last 7 days")),
    (30, _("Last 30 days")),
    (90, _("Last 90 days")),
    (365, _("Last 12 months")),
]
STATE_CHOICES = [("", _("Any state")), ("open", _("Open")), ("closed", _("Closed")), *State.choices]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> dt.date:
    """YYYY-MM as the month's first day, within the validators' date range."""
    match = _MONTH.match((value or "").strip())
    if not match:
        raise ValidationError(_("Enter a month as YYYY-MM."), code="month")
    try:
        day = dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValidationError(_("Enter a month as YYYY-MM."), code="month") from None
    return validators.check_date(day)


class MonthField(forms.Field):
    """A month as YYYY-MM (an <input type=month>); empty is None."""

    def to_python(self, value: Any) -> dt.date | None:
        text = value.strip() if isinstance(value, str) else ""
        return parse_month(text) if text else None


class MapFilter(forms.Form):
    """The map's filters: period, kind, topic (category) and state."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=PERIODS,
        coerce=int,
        required=False,
        empty_value=30,  # type: ignore[arg-type]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Kind.choices], required=False
    )
    category = forms.IntegerField(label=_("Topic"), min_value=1, max_value=ID_MAX, required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The categories are a short list (tens): a select of them, not a picker.
        topics = Category.objects.filter(is_active=True).order_by("order", "code")
        self.fields["category"].widget = forms.Select(
            choices=[("", _("Any topic")), *topics.values_list("pk", "name")]
        )

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        if pk is None:
            return None
        category = Category.objects.filter(pk=pk).first()
        if category is None:
            raise ValidationError(_("Choose a topic from the list."), code="category")
        return category


class MonthForm(forms.Form):
    month = MonthField(required=False)


class PickForm(forms.Form):
    candidate = forms.IntegerField(min_value=1, max_value=ID_MAX)
    title = formfields.TextField(label=_("Title"), max_length=120, required=False)
    note = formfields.TextField(label=_("Note"), max_length=2000, multiline=True, required=False)


class LinkForm(forms.Form):
    number = formfields.TextField(label=_("Case number"), max_length=32)


class UnlinkForm(forms.Form):
    case = forms.IntegerField(min_value=1, max_value=ID_MAX)


class ProjectForm(forms.Form):
    project = forms.IntegerField(
        label=_("Project number"), min_value=1, max_value=ID_MAX, required=False
    )


class CaseStateFilter(forms.Form):
    state = forms.ChoiceField(
        choices=[("", ""), ("open", "open"), ("closed", "closed")], required=False
    )
