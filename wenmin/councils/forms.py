"""Forms of the councils' pages: they parse input; every rule is the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wenmin.cases.forms_portal import MultipleFileField
from wenmin.core.formfields import CoordinateField, DateField, TextField
from wenmin.councils.models import MemberKind
from wenmin.councils.procedure import MEETING_STAGES, Stage
from wenmin.councils.services.common import (
    LOCATION_MAX,
    NOTE_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from wenmin.councils.services.proposals import COMMENT_MAX
from wenmin.organisation.models import Person, Region

COUNT_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric"})


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{parent} · {obj.name}" if parent else str(obj.name)


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: by field where it names one, else on the form."""
    if hasattr(error, "error_dict"):
        for name, found in error.error_dict.items():
            field = name if name in form.fields else None
            for found_error in found:
                form.add_error(field, found_error)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ProposalForm(forms.Form):
    region = RegionChoiceField(label=_("Village or group"), queryset=Region.objects.none())
    title = TextField(label=_("Title"), max_length=TITLE_MAX)
    description = TextField(label=_("What and why"), max_length=TEXT_MAX, multiline=True)
    location = TextField(label=_("Where"), max_length=LOCATION_MAX, required=False)
    latitude = CoordinateField(axis="latitude", label=_("Latitude"), required=False)
    longitude = CoordinateField(axis="longitude", label=_("Longitude"), required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.select_related("parent").order_by("path")  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    text = TextField(label=_("Your comment"), max_length=COMMENT_MAX, multiline=True)


class ObjectionForm(forms.Form):
    text = TextField(label=_("Your objection"), max_length=2000, multiline=True)


class CouncilForm(forms.Form):
    region = RegionChoiceField(label=_("Village or group"), queryset=Region.objects.none())
    name = TextField(label=_("Council name"), max_length=100)
    term_start = DateField(label=_("Term from"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = DateField(
        label=_("Term until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.select_related("parent").order_by("path")  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Villager"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=MemberKind.choices)
    start_date = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    chair = forms.BooleanField(label=_("Chair of the council"), required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("name", "id")  # type: ignore[attr-defined]


class MemberEndForm(forms.Form):
    end_date = DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class MeetingForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[(s, Stage(s).label) for s in MEETING_STAGES]
    )
    held_on = DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = TextField(label=_("Place"), max_length=PLACE_MAX)
    expected = forms.IntegerField(label=_("Members expected (应到)"), widget=COUNT_WIDGET)
    present = forms.IntegerField(label=_("Members present (实到)"), widget=COUNT_WIDGET)
    votes_for = forms.IntegerField(label=_("In favour"), widget=COUNT_WIDGET)
    votes_against = forms.IntegerField(label=_("Against"), widget=COUNT_WIDGET)
    abstentions = forms.IntegerField(label=_("Abstentions"), widget=COUNT_WIDGET)
    minutes = TextField(label=_("Minutes"), max_length=TEXT_MAX, multiline=True)

    def __init__(self, *args: Any, stages: tuple[str, ...] = MEETING_STAGES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in stages]  # type: ignore[attr-defined]


class AdjournForm(MeetingForm):
    """The same form, sent with "record as adjourned" (流会): there was no vote to record."""

    VOTES = ("votes_for", "votes_against", "abstentions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.VOTES:
            self.fields[name].required = False


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("publish", _("Publish")), ("hide", _("Hide"))]
    )
    text = TextField(
        label=_("Text shown (edit to remove personal data)"),
        max_length=COMMENT_MAX,
        multiline=True,
        required=False,
    )
    note = TextField(label=_("Moderation note"), max_length=NOTE_MAX, required=False)


class ObjectionAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("dismiss", _("Decision stands")),
            ("uphold", _("Uphold: set the decision aside")),
        ],
    )
    note = TextField(label=_("Answer to the objection"), max_length=TEXT_MAX, multiline=True)


class ResultForm(forms.Form):
    result = TextField(label=_("Result of carrying it out"), max_length=TEXT_MAX, multiline=True)


class PromoteForm(forms.Form):
    case = forms.IntegerField(label=_("Case"), widget=forms.HiddenInput, min_value=1)
