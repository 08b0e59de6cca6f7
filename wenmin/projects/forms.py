"""The projects' forms: input parsed with core's validators and the organisation's pickers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from wenmin.cases.forms_staff import MultipleFileField
from wenmin.core import formfields
from wenmin.core.models import User
from wenmin.organisation.pickers import PickerField, scope_pickers
from wenmin.projects.models import Category, FundSource, OriginKind, QuantityUnit, WorkKind
from wenmin.projects.services.plans import ItemInput
from wenmin.projects.workflow import Status

DATE = forms.DateInput(attrs={"type": "date"})


def _any(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class RegisterFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(_("Any status"), Status.choices)
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_any(_("Any category"), Category.choices)
    )
    township = PickerField("township", label=_("Township"), required=False, help_text="")
    lag = forms.ChoiceField(
        label=_("Against plan"),
        required=False,
        choices=[("", _("Any")), ("behind", _("Behind plan")), ("on_time", _("On time"))],
    )
    origin = forms.ChoiceField(
        label=_("Origin"), required=False, choices=_any(_("Any origin"), OriginKind.choices)
    )
    q = formfields.TextField(label=_("Name"), required=False, max_length=64)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)


class ProjectForm(forms.Form):
    name = formfields.TextField(label=_("Name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = formfields.TextField(
        label=_("What is built (public)"), max_length=4000, multiline=True, required=False
    )
    internal_note = formfields.TextField(
        label=_("Internal notes (never public)"), max_length=4000, multiline=True, required=False
    )
    township = PickerField("township", label=_("Township"))
    village = PickerField("village", label=_("Village or community"), required=False)
    latitude = formfields.CoordinateField(label=_("Latitude"), required=False, axis="latitude")
    longitude = formfields.CoordinateField(label=_("Longitude"), required=False, axis="longitude")
    owner = PickerField("unit", label=_("Owner unit"))
    patron = PickerField("leader", label=_("Patron (包联领导)"), required=False)
    responsible = PickerField("cadre", label=_("Responsible cadre"), required=False)
    budget = formfields.NumberField(label=_("Budget (yuan)"))
    planned_start = formfields.DateField(label=_("Planned start"), widget=DATE)
    planned_finish = formfields.DateField(label=_("Planned finish"), widget=DATE)
    origin_kind = forms.ChoiceField(label=_("Origin"), choices=OriginKind.choices)
    origin_id = forms.CharField(
        label=_("Number of the decision, case or meeting"), required=False, max_length=20
    )
    origin_label = formfields.TextField(label=_("Origin (as told)"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)
        for source, label in FundSource.choices:
            self.fields[f"fund_{source}"] = formfields.NumberField(
                label=_("Funds: %(source)s (yuan)") % {"source": label}, required=False
            )

    def fundings(self) -> list[tuple[str, Any]]:
        return [
            (source, self.cleaned_data[f"fund_{source}"])
            for source in FundSource.values
            if self.cleaned_data.get(f"fund_{source}") not in (None, "")
        ]


class ProjectEditForm(ProjectForm):
    """A registered project's fields (its origin stays as registered)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for field in ("origin_kind", "origin_id", "origin_label"):
            del self.fields[field]


class ReportForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Task"), coerce=int)
    reported_on = formfields.DateField(label=_("Date"), widget=DATE)
    started_on = formfields.DateField(
        label=_("Started on (first report, if not as planned)"), required=False, widget=DATE
    )
    percent = formfields.NumberField(label=_("Done (%)"), required=False)
    quantity_done = formfields.NumberField(label=_("Quantity done in all"), required=False)
    unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=_any(_("(no quantity)"), QuantityUnit.choices)
    )
    invested = formfields.NumberField(
        label=_("Invested since the last report (yuan)"), required=False
    )
    problems = formfields.TextField(
        label=_("Problems met"), max_length=4000, multiline=True, required=False
    )
    raise_case = forms.BooleanField(label=_("Raise the problem as a case"), required=False)
    internal_note = formfields.TextField(
        label=_("Internal notes"), max_length=4000, multiline=True, required=False
    )
    photos = MultipleFileField(label=_("Photos"))

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = tasks  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


LEVELS = ("milestone", "task", "top")
PLAN_ROWS_MAX = 200


def plan_rows(data: QueryDict) -> list[dict[str, str]]:
    """The plan editor's rows as posted (a row without a name is left out)."""
    names = data.getlist("name")[:PLAN_ROWS_MAX]
    fields = (
        "level",
        "weight",
        "planned_start",
        "planned_finish",
        "work_kind",
        "normal_days",
        "normal_source",
        "quantity",
        "unit",
    )
    columns = {field: data.getlist(field) for field in fields}
    rows = []
    for index, name in enumerate(names):
        row = {"name": name}
        for field in fields:
            values = columns[field]
            row[field] = values[index] if index < len(values) else ""
        if name.strip():
            rows.append(row)
    return rows


def plan_inputs(rows: list[dict[str, str]]) -> list[ItemInput]:
    """Rows into the tree: a task belongs to the milestone above it; "top" is a task of its own."""
    kinds = {str(kind.pk): kind for kind in WorkKind.objects.all()}
    top: list[ItemInput] = []
    milestone: ItemInput | None = None
    for row in rows:
        item = ItemInput(
            name=row["name"],
            weight=row["weight"],
            planned_start=row["planned_start"],
            planned_finish=row["planned_finish"],
            work_kind=kinds.get(row["work_kind"]),
            normal_days=row["normal_days"],
            normal_source=row["normal_source"],
            quantity=row["quantity"],
            unit=row["unit"],
        )
        level = row["level"] if row["level"] in LEVELS else "top"
        if level == "task" and milestone is not None:
            milestone.children.append(item)
            continue
        top.append(item)
        milestone = item if level == "milestone" else None
    return top
