"""The forms of insight's pages: applying a suggestion and which figure's list to show."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind
from wenmin.core.formfields import TextField
from wenmin.insight.selectors import FIELDS


class ApplyForm(forms.Form):
    """The kind, category and unit to apply: the suggestion's, or an alternative picked."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = TextField(label=_("Category"), max_length=32)
    unit = TextField(label=_("Lead unit"), max_length=32, required=False)


class ListedForm(forms.Form):
    field = forms.ChoiceField(
        choices=[(name, name) for name in FIELDS], required=False, initial="kind"
    )
    outcome = forms.ChoiceField(
        choices=[("right", "right"), ("wrong", "wrong"), ("all", "all")],
        required=False,
        initial="all",
    )
