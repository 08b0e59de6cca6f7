"""The input forms: they parse what was typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wenmin.branchlife.models import AttendanceStatus, Frequency, MeetingType
from wenmin.branchlife.outcomes import outcome_kinds
from wenmin.core import formfields

MAX_COUNT = 10000


class Mode:
    HOLD = "hold"
    PLAN = "plan"
    RECORD = "record"


MODES = (
    (Mode.HOLD, _("Hold it now (members sign in)")),
    (Mode.PLAN, _("Plan it (members may ask for leave)")),
    (Mode.RECORD, _("Record a past meeting (typed attendance)")),
)


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=MAX_COUNT)


class MeetingForm(forms.Form):
    mode = forms.ChoiceField(
        label=pgettext_lazy("meeting record", "What"), choices=MODES, initial=Mode.HOLD
    )
    meeting_type = forms.ModelChoiceField(
        label=_("Type"), queryset=MeetingType.objects.all(), empty_label=None
    )
    held_on = formfields.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    also_counts_as = formfields.ModelMultipleChoiceField(
        label=_("Also counts as (a life day held with other meetings)"),
        queryset=MeetingType.objects.filter(counts_as_others=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = formfields.TextField(label=_("Place"), max_length=120, required=False)
    host = formfields.TextField(label=_("Host"), max_length=64, required=False)
    recorder = formfields.TextField(label=_("Recorder"), max_length=64, required=False)
    agenda = formfields.TextField(
        label=_("Agenda"), max_length=2000, required=False, multiline=True
    )
    expected = _count(_("Expected (应到)"))
    present = _count(_("Present (实到)"))
    online = _count(_("Online (流动党员)"))
    on_leave = _count(_("On leave (请假)"))


class RecordForm(forms.Form):
    place = formfields.TextField(label=_("Place"), max_length=120, required=False)
    host = formfields.TextField(label=_("Host"), max_length=64, required=False)
    recorder = formfields.TextField(label=_("Recorder"), max_length=64, required=False)
    agenda = formfields.TextField(
        label=_("Agenda"), max_length=2000, required=False, multiline=True
    )
    minutes = formfields.TextField(
        label=_("Minutes"),
        max_length=20000,
        required=False,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    resolutions = formfields.TextField(
        label=_("Resolutions"), max_length=20000, required=False, multiline=True
    )
    reason = formfields.TextField(
        label=_("Reason for the change (the record is closed)"), max_length=200, required=False
    )


class TickForm(forms.Form):
    member = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)


class LeaveForm(forms.Form):
    reason = formfields.TextField(label=_("Reason"), max_length=200)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", _("Approve")), ("refuse", _("Refuse"))))


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Opens"), choices=())
    title = formfields.TextField(label=_("Title"), max_length=120)
    text = formfields.TextField(label=_("What was decided"), max_length=2000, multiline=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared above)
        field.choices = [(kind.code, kind.label) for kind in outcome_kinds()]


class PhotoForm(forms.Form):
    photos = forms.FileField(label=_("Photos"))


class TypeForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    due_working_day = forms.IntegerField(
        label=_("Due by working day of the period (empty: by its last day)"),
        required=False,
        min_value=1,
        max_value=20,
    )
    required = forms.BooleanField(label=_("Required"), required=False)


class ThemeForm(forms.Form):
    month = formfields.DateField(
        label=_("Month (any day in it)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    title = formfields.TextField(label=_("Title"), max_length=120)
    text = formfields.TextField(label=_("Text"), max_length=5000, required=False, multiline=True)
    materials = forms.FileField(label=_("Materials"), required=False)


class LifeDayForm(forms.Form):
    day = forms.IntegerField(
        label=_("Life day: day of the month (1-28; empty: the county's rule)"),
        required=False,
        min_value=1,
        max_value=28,
    )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AwayRecordForm(forms.Form):
    """A member of the branch working away: the members to choose from are the branch's."""

    member = forms.ChoiceField(label=_("Member"), choices=())
    whereabouts = formfields.TextField(
        label=_("Working in (province, city)"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 广东省东莞市")}),
    )
    work_note = formfields.TextField(
        label=_("Work or contact note (no phone number)"), max_length=200, required=False
    )
    left_on = formfields.DateField(label=_("Away since"), widget=_date_input())
    expected_back = formfields.DateField(
        label=_("Expected back (if known)"), required=False, widget=_date_input()
    )

    def __init__(self, *args: Any, members: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared above)
        field.choices = [("", "—"), *((str(m.pk), m.person.name) for m in members)]


class AwayEndForm(forms.Form):
    returned_on = formfields.DateField(label=_("Came back on"), widget=_date_input())
