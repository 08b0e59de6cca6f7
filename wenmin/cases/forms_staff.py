"""Forms of the staff pages: they parse input into service arguments; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind, Urgency
from wenmin.cases.models import Case, Category, Channel, RejectionReason, ResponseTemplate
from wenmin.cases.purposes import DEFAULT_STAFF, REQUIRED, Purpose
from wenmin.cases.queues import CaseFilter, Sort, case_find_by_number
from wenmin.cases.workflow import State
from wenmin.core import formfields
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Person, PositionKind, Unit, UnitKind
from wenmin.organisation.pickers import HANDLING_KINDS, PickerField, scope_pickers

# The resident portal has the web channel and machines have the API; staff register the rest.
# The web and the API register their own cases; so do a leader's reception days, visits and
# mailbox (the inquiry app records the leader with each matter), and a WeChat group's messages
# (brought in by the group's cadre with the group and the sender).
NOT_STAFF_CHANNELS = frozenset({"web", "api", "reception", "visit", "mailbox", "sentiment_group"})
STAFF_CHANNELS = [
    (value, label) for value, label in Channel.choices if value not in NOT_STAFF_CHANNELS
]
OFFICE_CLOSING = dt.time(17, 30)
ACCEPT = "image/*,.pdf,.docx,.xlsx"


def handling_units() -> QuerySet[Unit]:
    """Units a case can be dispatched to or shared with."""
    return Unit.objects.filter(kind__in=HANDLING_KINDS).order_by("kind", "code")


def county_leaders() -> QuerySet[Person]:
    """People who can coordinate a case as county leaders."""
    today = timezone.localdate()
    liaison = Q(
        positions__kind=PositionKind.COUNTY_LEADER_LIAISON, positions__start_date__lte=today
    ) & (Q(positions__end_date__isnull=True) | Q(positions__end_date__gte=today))
    return (
        Person.objects.filter(
            Q(account__role=Role.COUNTY_LEADER)
            | liaison
            | Q(cadre__unit__kind=UnitKind.LEADERSHIP_BODY)
        )
        .distinct()
        .select_related("cadre__unit")
        .defer("phone", "id_number")  # a picker shows names and posts only
        .order_by("cadre__unit__code", "name", "id")
    )


def response_templates_for(user: User) -> list[ResponseTemplate]:
    """The viewer's unit's response templates and the county-wide ones."""
    mine = Q(unit__isnull=True)
    if user.unit_id:
        mine |= Q(unit_id=user.unit_id)
    return list(ResponseTemplate.objects.filter(mine).order_by("title"))


def _any(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or documents; the service checks their type, content and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


def _with_files(data: dict[str, Any]) -> dict[str, Any]:
    """The services call uploads `files`; a form cannot have a field of that name."""
    arguments = dict(data)
    arguments["files"] = arguments.pop("photos", [])
    return arguments


MAX_TEXT = 4000  # characters of a note, reason, plan or reply, as the services allow


def _text(label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("max_length", MAX_TEXT)
    return formfields.TextField(
        label=label,
        required=required,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _line(label: Any, *, max_length: int, **kwargs: Any) -> forms.CharField:
    return formfields.TextField(label=label, max_length=max_length, **kwargs)


class WorkbenchFilterForm(forms.Form):
    q = _line(_("Search"), required=False, max_length=64)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.order_by("order", "code")
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    township = PickerField("township", label=_("Township"), required=False, help_text="")
    lead_unit = PickerField("unit", label=_("Lead unit"), required=False, help_text="")
    received_from = formfields.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = formfields.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=Sort.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = self.fields
        choices["kind"].choices = _any(_("Any kind"), Kind.choices)  # type: ignore[attr-defined]
        choices["state"].choices = _any(_("Any state"), State.choices)  # type: ignore[attr-defined]
        choices["channel"].choices = _any(_("Any channel"), Channel.choices)  # type: ignore[attr-defined]
        choices["urgency"].choices = _any(_("Any urgency"), Urgency.choices)  # type: ignore[attr-defined]
        choices["category"].empty_label = _("Any category")  # type: ignore[attr-defined]
        scope_pickers(self, user)

    def filters(self) -> CaseFilter:
        """The valid filters (an invalid one is left out and shown with its error)."""
        data = getattr(self, "cleaned_data", {})
        category, lead_unit = data.get("category"), data.get("lead_unit")
        return CaseFilter(
            text=data.get("q") or "",
            kind=data.get("kind") or "",
            category_id=category.pk if category else None,
            state=data.get("state") or "",
            channel=data.get("channel") or "",
            urgency=data.get("urgency") or "",
            township=data.get("township"),
            lead_unit_id=lead_unit.pk if lead_unit else None,
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            sort=data.get("sort") or Sort.RECEIVED_NEWEST,
        )


class CaseNewForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS, initial=Channel.PHONE)
    requester_name = _line(_("Requester's name"), required=False, max_length=64)
    requester_phone = _line(
        _("Requester's phone"),
        required=False,
        max_length=20,
        help_text=_("Leave both empty for an anonymous case."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.filter(is_active=True).order_by("order", "code"),
        empty_label=_("Not classified yet"),
        # app.js shows the chosen category's extra questions only.
        widget=forms.Select(attrs={"data-extra-questions": ""}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    title = _line(
        _("Title"),
        required=False,
        max_length=120,
        help_text=_("Empty: the first words of the content."),
    )
    content = _text(_("Content"), required=True, rows=6)
    address = _line(_("Address"), required=False, max_length=255)
    region = PickerField("village", label=_("Village or community"), required=False)
    latitude = formfields.CoordinateField(label=_("Latitude"), required=False, axis="latitude")
    longitude = formfields.CoordinateField(label=_("Longitude"), required=False, axis="longitude")
    photos = MultipleFileField(label=_("Photos and documents"))
    purposes = forms.MultipleChoiceField(
        label=_("The requester agrees to their data being used for"),
        required=False,
        choices=[(value, label) for value, label in Purpose.choices if value not in REQUIRED],
        initial=[p for p in DEFAULT_STAFF if p not in REQUIRED],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Handling the matter is always recorded. Tell the requester what the others mean "
            "and tick only what they agree to."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments for case_intake, besides actor and extra answers."""
        arguments = _with_files(self.cleaned_data)
        arguments["purposes"] = [*REQUIRED, *arguments.get("purposes", [])]
        return arguments


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.filter(is_active=True).order_by("order", "code"),
        empty_label=_("Not classified yet"),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    note = _text(_("Note"), rows=2)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MergeForm(forms.Form):
    primary = _line(
        _("Number of the primary case"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = _text(_("Note"), rows=2)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_primary(self) -> Case:
        primary = case_find_by_number(user=self.user, number=self.cleaned_data["primary"])
        if primary is None:
            raise forms.ValidationError(_("No case with this number in your scope."))
        return primary

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = _text(_("Explanation for the requester"), required=True)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DispatchForm(forms.Form):
    unit = PickerField("unit", label=_("Lead unit"))
    co_units = PickerField("unit", multiple=True, label=_("Co-handling units"), required=False)
    note = _text(_("Note"), rows=2)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)

    def arguments(self) -> dict[str, Any]:
        return {**self.cleaned_data, "co_units": list(self.cleaned_data["co_units"])}


class SignForForm(forms.Form):
    note = _text(_("Note"), rows=2)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ReturnForm(forms.Form):
    reason = _text(_("Why the case is not for your unit"), required=True)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PlanForm(forms.Form):
    plan = _text(_("Intended solution"), required=True, rows=4)
    planned_due = formfields.DateField(
        label=_("Our own due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    co_units = PickerField(
        "unit", multiple=True, label=_("Invite co-handling units"), required=False
    )
    coordinator = PickerField(
        "leader",
        label=_("Ask a county leader to coordinate"),
        required=False,
        help_text=_("Type part of a name; empty: no one."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)

    def arguments(self) -> dict[str, Any]:
        day: dt.date | None = self.cleaned_data["planned_due"]
        return {
            **self.cleaned_data,
            # A due day means the close of office that day, county time.
            "planned_due": dt.datetime.combine(day, OFFICE_CLOSING, tzinfo=SHANGHAI)
            if day
            else None,
            "co_units": list(self.cleaned_data["co_units"]),
        }


class NoteForm(forms.Form):
    note = _text(_("Progress note"))
    photos = MultipleFileField(label=_("Photos"))

    def arguments(self) -> dict[str, Any]:
        return _with_files(self.cleaned_data)


class SuperviseForm(forms.Form):
    new_due = formfields.DateTimeField(
        label=_("New deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = _text(_("Supervision order"), required=True)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ReplyForm(forms.Form):
    template = forms.ChoiceField(label=_("Start from a template"), required=False)
    reply = _text(
        _("Reply to the requester"),
        rows=5,
        help_text=_("Empty with a template chosen: the template's text is sent."),
    )
    photos = MultipleFileField(label=_("Photos"))

    def __init__(self, *args: Any, templates: list[ResponseTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = _any(  # type: ignore[attr-defined]
            _("No template"), [(str(t.pk), t.title) for t in templates]
        )

    def arguments(self) -> dict[str, Any]:
        reply = self.cleaned_data["reply"]
        template = self.templates.get(self.cleaned_data.get("template") or "")
        if not reply.strip() and template is not None:
            reply = template.text
        return {"reply": reply, "files": self.cleaned_data["photos"]}


class CallbackForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Is the problem resolved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "5 very satisfied … 1 very unsatisfied; 1 or 2 sends the case back for rework."
        ),
    )
    note = _text(_("Note"), rows=2)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class BulkForm(forms.Form):
    """A bulk action on the ticked cases (`case`, read by the view as a list of ids)."""

    op = forms.ChoiceField(choices=[("sign_for", _("Sign for")), ("dispatch", _("Dispatch"))])
    unit = PickerField("unit", label=_("Lead unit"), required=False, help_text="")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("op") == "dispatch" and not data.get("unit"):
            self.add_error("unit", _("Choose the lead unit to dispatch to."))
        return data
