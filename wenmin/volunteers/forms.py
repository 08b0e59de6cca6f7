"""The volunteers' forms: every field parsed by the core validators' form fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenmin.core import formfields
from wenmin.organisation.pickers import PickerField
from wenmin.volunteers.models import Availability, Skill

MAX_ID = 2**62


class RegisterForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that my volunteer service is recorded, and that my certificates show my "
            "masked ID number."
        ),
        required=False,
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are available"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ActivityForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, choices=())
    title = formfields.TextField(label=_("What"), max_length=120)
    place = formfields.TextField(label=_("Where"), max_length=120)
    region = PickerField("village", label=_("Village or community"), required=False, help_text="")
    starts_at = formfields.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = formfields.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("How many volunteers"), min_value=1, max_value=10_000)
    skills = formfields.TextField(label=_("Skills wanted"), max_length=200, required=False)
    description = formfields.TextField(
        label=_("Description"), max_length=2000, multiline=True, required=False
    )
    need = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    case = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )


class LocationForm(forms.Form):
    action = forms.ChoiceField(choices=[("in", "in"), ("out", "out")])
    latitude = formfields.CoordinateField(axis="latitude", required=False)
    longitude = formfields.CoordinateField(axis="longitude", required=False)


class CorrectForm(forms.Form):
    hours = formfields.NumberField(label=_("Hours"))
    reason = formfields.TextField(label=_("Reason"), max_length=1000, multiline=True)


class RevokeForm(forms.Form):
    reason = formfields.TextField(label=_("Reason"), max_length=1000, multiline=True)


class CertificateForm(forms.Form):
    team = forms.IntegerField(min_value=1, max_value=MAX_ID)


class VerifyForm(forms.Form):
    number = formfields.TextField(label=_("Certificate number"), max_length=32)


class MemberRegisterForm(forms.Form):
    """An organiser registers a person into the team (the mobile number finds them)."""

    name = formfields.TextField(label=_("Name"), max_length=64)
    phone = formfields.TextField(label=_("Mobile number"), max_length=32)
    consent = forms.BooleanField(
        label=_(
            "The person agreed that their volunteer service is recorded, and that their "
            "certificates show their masked ID number."
        ),
        required=False,
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When they are available"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    post = formfields.TextField(label=_("Post in the team"), max_length=64, required=False)
