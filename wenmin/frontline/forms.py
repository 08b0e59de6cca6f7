"""The front line's forms: parse only (the services judge)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields
from wenmin.core.models import User
from wenmin.frontline.models import Rating
from wenmin.frontline.selectors import EARLIEST_YEAR
from wenmin.frontline.services import OBSERVED_MAX, REASON_MAX
from wenmin.organisation.pickers import PickerField, scope_pickers
from wenmin.projects.models import Project
from wenmin.projects.selectors import projects_visible_to


class YearForm(forms.Form):
    """The year a page covers (this year when not given)."""

    year = forms.IntegerField(label=_("Year"), required=False)

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year")
        this = timezone.localdate().year
        if year is None:
            return this
        if not EARLIEST_YEAR <= year <= this:
            raise forms.ValidationError(
                _("Choose a year between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": this}
            )
        return int(year)

    def chosen(self) -> int:
        """The valid year asked, or this year."""
        if self.is_valid():
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class InspectionForm(forms.Form):
    cadre = PickerField("cadre", label=_("Cadre inspected"))
    inspected_on = formfields.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    township = PickerField("township", label=_("Township"), required=False)
    village = PickerField("village", label=_("Village or community"), required=False)
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    observed = formfields.TextField(
        label=_("What was observed"),
        max_length=OBSERVED_MAX,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project_field = self.fields["project"]
        assert isinstance(project_field, forms.ModelChoiceField)  # noqa: S101  (narrowing)
        project_field.queryset = projects_visible_to(user).order_by("name", "pk")
        if editing:
            del self.fields["cadre"]
            self.fields["reason"] = formfields.TextField(
                label=_("Why it is changed"),
                max_length=REASON_MAX,
                multiline=True,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        scope_pickers(self, user)

    def place(self) -> Any:
        """The village if given, else the township (either may be empty)."""
        return self.cleaned_data.get("village") or self.cleaned_data.get("township")
