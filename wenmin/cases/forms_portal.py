"""The resident portal's forms: they parse input; the services decide what is acceptable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Category
from wenmin.cases.purposes import Purpose, purposes_default
from wenmin.cases.services.attachments import MAX_FILES
from wenmin.cases.services.intake import MAX_ANSWER, MAX_CONTENT
from wenmin.core import formfields

EXTRA_PREFIX = "extra."  # the service names its errors "extra.<code>", so do the form fields

# The kinds in the words a resident would use.
KIND_CHOICES = [
    (Kind.CONSULT.value, _("Ask a question")),
    (Kind.HELP.value, _("Ask for help with a problem")),
    (Kind.COMPLAINT.value, _("Make a complaint")),
    (Kind.SUGGESTION.value, _("Make a suggestion")),
    (Kind.REPORT.value, _("Report wrongdoing")),
    (Kind.PRAISE.value, _("Say thank you")),
    (Kind.OTHER.value, _("Something else")),
]
SATISFACTION_CHOICES = [
    (5, _("5 — very satisfied")),
    (4, _("4 — satisfied")),
    (3, _("3 — neither satisfied nor dissatisfied")),
    (2, _("2 — dissatisfied")),
    (1, _("1 — very dissatisfied")),
]


@dataclass(frozen=True)
class CategoryMenu:
    """The active categories as grouped select choices, and each by id."""

    choices: list[tuple[Any, Any]]
    by_id: dict[int, Category]


def category_menu() -> CategoryMenu:
    """Active categories grouped under their top category (one query)."""
    active = list(Category.objects.filter(is_active=True).order_by("order", "code"))
    by_id = {c.pk: c for c in active}
    children: dict[int | None, list[Category]] = {}
    for category in active:
        parent = category.parent_id if category.parent_id in by_id else None
        children.setdefault(parent, []).append(category)

    def below(category: Category, trail: str) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        for child in children.get(category.pk, []):
            label = f"{trail} › {child.name}" if trail else child.name
            rows.append((str(child.pk), label))
            rows.extend(below(child, label))
        return rows

    choices: list[tuple[Any, Any]] = [("", _("Not sure — let the staff choose"))]
    for root in children.get(None, []):
        nested = below(root, "")
        if nested:
            general = gettext("%(name)s — in general") % {"name": root.name}
            choices.append((root.name, [(str(root.pk), general), *nested]))
        else:
            choices.append((str(root.pk), root.name))
    return CategoryMenu(choices=choices, by_id=by_id)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their type, content and size are checked by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _extra_field(spec: Mapping[str, Any]) -> forms.Field:
    """A form field for one of a category's extra questions (required-ness is the service's)."""
    label = spec.get("label") or spec["code"]
    if spec.get("required"):
        label = gettext("%(label)s (required)") % {"label": label}
    options = [(str(o["key"]), o.get("name") or o["key"]) for o in spec.get("values", [])]
    common: dict[str, Any] = {
        "label": label,
        "required": False,
        "help_text": spec.get("description", ""),
    }
    datatype = spec.get("datatype")
    if datatype == "singlevaluelist" and options:
        return forms.ChoiceField(choices=[("", _("Choose…")), *options], **common)
    if datatype == "multivaluelist" and options:
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if datatype == "number":
        return formfields.NumberField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    return formfields.TextField(max_length=MAX_ANSWER, multiline=datatype == "text", **common)


class SubmitForm(forms.Form):
    """A resident's report. Content, phone, extra answers and photos are judged by case_intake."""

    content = formfields.TextField(
        label=_("What is the matter?"),
        required=False,
        max_length=MAX_CONTENT,
        multiline=True,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_CONTENT, "required": True}),
    )
    kind = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=KIND_CHOICES,
        initial=Kind.HELP.value,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("Topic"), required=False)
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
    )
    address = formfields.TextField(
        label=_("Address or place"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = formfields.CoordinateField(axis="latitude", required=False, widget=forms.HiddenInput)
    longitude = formfields.CoordinateField(
        axis="longitude", required=False, widget=forms.HiddenInput
    )
    requester_name = formfields.TextField(
        label=_("Your name (optional)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    requester_phone = formfields.TextField(
        label=_("Mobile phone (optional)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_(
            "So the unit can call you back. Only the staff handling your case see the number; "
            "everywhere else it is masked."
        ),
    )
    urgent = forms.BooleanField(label=_("Urgent (danger to life or property)"), required=False)
    callback = forms.BooleanField(
        label=_("You may call me back to ask whether the problem was solved"),
        required=False,
        initial=True,
        help_text=_(
            "Only with a phone number. Without it, rate the reply with your tracking code."
        ),
    )
    notice_read = forms.BooleanField(
        label=_("I have read the privacy notice above and agree to my data being used as it says"),
        error_messages={"required": _("Please read the privacy notice and tick the box.")},
    )

    def __init__(
        self, *args: Any, menu: CategoryMenu, on_behalf: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.menu = menu
        if on_behalf:  # a volunteer reporting what a resident told them
            self.fields["notice_read"].label = _(
                "I have told the resident what the privacy notice says and they agree"
            )
        self.fields["category"].choices = menu.choices  # type: ignore[attr-defined]
        self.fields["content"].help_text = gettext(
            "What happened, where and since when. At most %(n)s characters."
        ) % {"n": MAX_CONTENT}
        self.fields["photos"].help_text = gettext("Up to %(n)s photos, 10 MB each.") % {
            "n": MAX_FILES
        }
        self.chosen_category = self._category_from_input()
        for spec in self.chosen_category.extra_fields if self.chosen_category else []:
            self.fields[EXTRA_PREFIX + spec["code"]] = _extra_field(spec)

    def _category_from_input(self) -> Category | None:
        raw = self.data.get("category") if self.is_bound else self.initial.get("category")
        try:
            return self.menu.by_id.get(int(raw)) if raw else None
        except (TypeError, ValueError):
            return None

    def clean_category(self) -> Category | None:
        return self.chosen_category

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        """The chosen category's questions, in order."""
        return [self[name] for name in self.fields if name.startswith(EXTRA_PREFIX)]

    def extra_answers(self) -> dict[str, Any]:
        """The answers to the category's questions, keyed by their code."""
        return {
            name.removeprefix(EXTRA_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(EXTRA_PREFIX)
        }

    def add_service_errors(self, message_dict: Mapping[str, Iterable[str]]) -> None:
        """Put each of case_intake's errors next to its field; unknown keys go on top."""
        places = {
            "files": "photos",
            "urgency": "urgent",
            "requester": "requester_phone",
            "purposes": "callback",
        }
        for key, messages in message_dict.items():
            name = places.get(key, key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def purposes(self) -> list[str]:
        """What the resident agreed their data is used for: the portal's set, and callback if
        they allowed it."""
        chosen = purposes_default("web")
        if self.cleaned_data.get("callback"):
            chosen.append(Purpose.CALLBACK.value)
        return chosen

    @property
    def location_errors(self) -> Sequence[str]:
        """Errors about the hidden coordinates, shown by the location button."""
        return [*self.errors.get("latitude", []), *self.errors.get("longitude", [])]


class LookupForm(forms.Form):
    code = formfields.TextField(
        label=_("Tracking code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the tracking code you were given.")},
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).upper()


class RateForm(forms.Form):
    """The requester's verdict on the reply, and (unless they are logged in as the requester or
    came by the one-time link) the last four digits of the phone given with the case."""

    resolved = forms.TypedChoiceField(
        label=_("Has the problem been solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the problem has been solved.")},
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5.")},
    )
    comment = formfields.TextField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone_last4 = forms.CharField(
        label=_("Last four digits of your phone number"),
        help_text=_("Of the number you gave with this case: it shows the rating is yours."),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        ),
        error_messages={"required": _("Enter the last four digits of your phone number.")},
    )
    link = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, ask_last4: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_last4:
            del self.fields["phone_last4"]

    def add_service_errors(self, message_dict: Mapping[str, Iterable[str]]) -> None:
        """Put the callback service's errors next to their fields."""
        for key, messages in message_dict.items():
            name = {"note": "comment"}.get(key, key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
