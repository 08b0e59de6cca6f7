"""Forms of 问政's pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.services.intake import MAX_CONTENT, MAX_TITLE
from wenmin.core import formfields, validators
from wenmin.core.models import User
from wenmin.inquiry import rules
from wenmin.inquiry.models import Booking
from wenmin.inquiry.rules import VisitKind
from wenmin.organisation.models import Person
from wenmin.organisation.pickers import PickerField, scope_pickers

MATTER_FIELDS = ("matter_1", "matter_2", "matter_3")


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: under its field when the form has it."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, found in error.error_dict.items():
        field = name if name in form.fields else None
        for item in found:
            form.add_error(field, item.messages[0] if field is None else item)


class LeaderChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        cadre = getattr(obj, "cadre", None)
        return f"{obj.name} · {cadre.position}" if cadre is not None else obj.name

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            try:
                validators.check_id(str(value))  # no id the database cannot hold
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().to_python(value)


def _matters() -> dict[str, forms.Field]:
    return {
        name: formfields.TextField(
            label=_("Matter %(n)s") % {"n": index},
            max_length=MAX_CONTENT,
            multiline=True,
            required=False,
        )
        for index, name in enumerate(MATTER_FIELDS, start=1)
    }


class BookForm(forms.Form):
    topic = formfields.TextField(
        label=_("What it is about"),
        max_length=120,
        help_text=_("A few words, e.g. “the road to our village school”."),
    )


class LetterForm(forms.Form):
    title = formfields.TextField(label=_("Subject"), max_length=MAX_TITLE, required=False)
    content = formfields.TextField(label=_("Your message"), max_length=MAX_CONTENT, multiline=True)


class DayForm(forms.Form):
    leader = LeaderChoiceField(label=_("Leader"), queryset=Person.objects.none())
    date = formfields.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = formfields.TextField(label=_("Place"), max_length=120)
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(
        label=_("Minutes per slot"),
        min_value=rules.SLOT_MINUTES_MIN,
        max_value=rules.SLOT_MINUTES_MAX,
        initial=30,
    )
    capacity = forms.IntegerField(
        label=_("Residents per slot"),
        min_value=rules.CAPACITY_MIN,
        max_value=rules.CAPACITY_MAX,
        initial=2,
    )
    note = formfields.TextField(label=_("Note for residents"), max_length=255, required=False)
    publish = forms.BooleanField(label=_("Publish on the portal now"), required=False)

    def __init__(self, *args: Any, leaders: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]


class ReceptionForm(forms.Form):
    booking = forms.TypedChoiceField(
        label=_("Booked resident"), coerce=int, required=False, empty_value=None
    )
    visitor_name = formfields.TextField(
        label=_("Walk-in visitor's name"), max_length=64, required=False
    )
    visitor_phone = formfields.TextField(
        label=_("Walk-in visitor's mobile number"), max_length=32, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.CONSULT)
    note = formfields.TextField(
        label=_("Note of the conversation"), max_length=MAX_CONTENT, multiline=True, required=False
    )

    def __init__(self, *args: Any, bookings: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_matters())
        self.fields["booking"].choices = [  # type: ignore[attr-defined]
            ("", _("— a walk-in visitor —")),
            *[(b.pk, f"{b.slot} {b.resident.name} · {b.topic}") for b in bookings],
        ]

    def matters(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in MATTER_FIELDS]


class VisitForm(forms.Form):
    leader = LeaderChoiceField(label=_("Leader"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    date = formfields.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = formfields.TextField(label=_("Where"), max_length=120)
    region = PickerField("village", label=_("Village or community"), required=False)
    met = formfields.TextField(label=_("Whom the leader met"), max_length=255)
    note = formfields.TextField(
        label=_("Note"), max_length=MAX_CONTENT, multiline=True, required=False
    )

    def __init__(self, *args: Any, leaders: QuerySet[Person], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields.update(_matters())
        scope_pickers(self, user)

    def matters(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in MATTER_FIELDS]


class MailboxForm(forms.Form):
    title = formfields.TextField(label=_("Public title"), max_length=64)
    is_open = forms.BooleanField(label=_("Open for letters"), required=False)
