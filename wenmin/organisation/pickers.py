"""Pickers of units, regions and people: scoped to the viewer, searched as one types.

A province holds 21,000 units; a page never lists a whole table. A picker is a text field of
the code (or a person's number) that works without JavaScript; with htmx, typing fills its
datalist with at most PICK_LIMIT matches from the `organisation:pick` endpoint, which answers
from the viewer's scope only. The chosen value is shown with its name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenmin.core import validators
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Person, PositionKind, Region, RegionLevel, Unit, UnitKind
from wenmin.organisation.selectors import (
    people_visible_to,
    regions_visible_to,
    scope_for,
    units_visible_to,
)

PICK_LIMIT = 20
QUERY_MAX = 64

# Units a case can be dispatched to, shared with, or filtered by as its lead unit.
HANDLING_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.TOWNSHIP_GOVERNMENT,
    UnitKind.PARTY_COMMITTEE,
    UnitKind.SERVICE_CENTRE,
    UnitKind.WORK_STATION,
)


def viewer_county_path(user: User) -> str | None:
    """The path of the county of the viewer's own unit ("369901/": the first code of its region's
    path, a county being the root of the region tree); None for a viewer without a unit."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return None
    path = unit.region.path
    return path[: path.index("/") + 1] if "/" in path else path


def handling_units_for(user: User) -> QuerySet[Unit]:
    """Handling units the viewer may pick: those of their own county; a county-wide role without
    a unit (the administrator) picks among all; anyone else among none."""
    units = Unit.objects.filter(kind__in=HANDLING_KINDS)
    county = viewer_county_path(user)
    if county is not None:
        return units.filter(region__path__startswith=county)
    return units if scope_for(user).everything else units.none()


def townships_for(user: User) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level=RegionLevel.TOWNSHIP)


def villages_for(user: User) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level=RegionLevel.VILLAGE)


def leaders_for(user: User) -> QuerySet[Person]:
    """People who can coordinate a case as county leaders, of the viewer's county."""
    today = timezone.localdate()
    liaison = Q(
        positions__kind=PositionKind.COUNTY_LEADER_LIAISON, positions__start_date__lte=today
    ) & (Q(positions__end_date__isnull=True) | Q(positions__end_date__gte=today))
    leaders = Person.objects.filter(
        Q(account__role=Role.COUNTY_LEADER)
        | liaison
        | Q(cadre__unit__kind=UnitKind.LEADERSHIP_BODY)
    )
    county = viewer_county_path(user)
    if county is not None:
        leaders = leaders.filter(
            Q(cadre__unit__region__path__startswith=county)
            | Q(account__unit__region__path__startswith=county)
            | Q(region__path__startswith=county)
            # a leader tied to no unit or place belongs to no other county either
            | Q(cadre__isnull=True, account__unit__isnull=True, region__isnull=True)
        )
    elif not scope_for(user).everything:
        return leaders.none()
    # Only ids here: joins through positions repeat a person; the caller selects by id.
    return Person.objects.filter(pk__in=leaders.values("pk"))


def branches_for(user: User) -> QuerySet[Unit]:
    """Party branches of the viewer's scope (a branch secretary: their own)."""
    return units_visible_to(user).filter(kind=UnitKind.PARTY_BRANCH)


def volunteer_teams_for(user: User) -> QuerySet[Unit]:
    """Volunteer teams of the viewer's county (a team serves beyond its own unit's tree)."""
    teams = Unit.objects.filter(kind=UnitKind.VOLUNTEER_TEAM)
    county = viewer_county_path(user)
    if county is not None:
        return teams.filter(region__path__startswith=county)
    return teams if scope_for(user).everything else teams.none()


def party_members_for(user: User) -> QuerySet[Person]:
    return people_visible_to(user).filter(party_membership__isnull=False)


def residents_for(user: User) -> QuerySet[Person]:
    """Residents living in the viewer's regions (a branch secretary: their village)."""
    return Person.objects.filter(is_resident=True, region__in=regions_visible_to(user))


def cadres_for(user: User) -> QuerySet[Person]:
    """Cadres of the viewer's county (of a unit in it); a county-wide role without a unit picks
    among all; anyone else among none."""
    cadres = Person.objects.filter(cadre__isnull=False)
    county = viewer_county_path(user)
    if county is not None:
        return cadres.filter(cadre__unit__region__path__startswith=county)
    return cadres if scope_for(user).everything else cadres.none()


def _unit_label(unit: Unit) -> str:
    return gettext("%(name)s (%(code)s)") % {"name": unit.name, "code": unit.code}


def _region_label(region: Region) -> str:
    return gettext("%(name)s (%(code)s)") % {"name": region.name, "code": region.code}


def _person_label(person: Person) -> str:
    cadre = getattr(person, "cadre", None)
    if cadre is None:
        return str(person.name)
    return gettext("%(name)s (%(position)s · %(unit)s)") % {
        "name": person.name,
        "position": cadre.position,
        "unit": cadre.unit.name,
    }


@dataclass(frozen=True)
class Kind:
    """One kind of picker: its scoped rows, how a typed text matches, its value and label."""

    rows: Callable[[User], QuerySet[Any]]
    match: Callable[[str], Q]
    value: Callable[[Any], str]
    label: Callable[[Any], str]
    order: tuple[str, ...]
    lookup: Callable[[str], Q]


def _code_or_name(text: str) -> Q:
    return Q(code__startswith=text) | Q(name__contains=text)


def _person_match(text: str) -> Q:
    return Q(pk=int(text)) if text.isdecimal() and len(text) < 10 else Q(name__contains=text)


def _person_lookup(text: str) -> Q:
    return Q(pk=int(text)) if text.isdecimal() and len(text) < 10 else Q(name=text)


KINDS: dict[str, Kind] = {
    "unit": Kind(
        rows=handling_units_for,
        match=_code_or_name,
        value=lambda unit: unit.code,
        label=_unit_label,
        order=("code",),
        lookup=lambda text: Q(code=text),
    ),
    "township": Kind(
        rows=townships_for,
        match=_code_or_name,
        value=lambda region: region.code,
        label=_region_label,
        order=("code",),
        lookup=lambda text: Q(code=text),
    ),
    "village": Kind(
        rows=villages_for,
        match=_code_or_name,
        value=lambda region: region.code,
        label=_region_label,
        order=("path",),
        lookup=lambda text: Q(code=text),
    ),
    "branch": Kind(
        rows=branches_for,
        match=_code_or_name,
        value=lambda unit: unit.code,
        label=_unit_label,
        order=("code",),
        lookup=lambda text: Q(code=text),
    ),
    "team": Kind(
        rows=volunteer_teams_for,
        match=_code_or_name,
        value=lambda unit: unit.code,
        label=_unit_label,
        order=("code",),
        lookup=lambda text: Q(code=text),
    ),
    "member": Kind(
        rows=lambda user: party_members_for(user).defer("phone", "id_number"),
        match=_person_match,
        value=lambda person: str(person.pk),
        label=lambda person: str(person.name),
        order=("name", "id"),
        lookup=_person_lookup,
    ),
    "resident": Kind(
        rows=lambda user: residents_for(user).defer("phone", "id_number"),
        match=_person_match,
        value=lambda person: str(person.pk),
        label=lambda person: str(person.name),
        order=("name", "id"),
        lookup=_person_lookup,
    ),
    "cadre": Kind(
        rows=lambda user: (
            cadres_for(user).select_related("cadre__unit").defer("phone", "id_number")
        ),
        match=_person_match,
        value=lambda person: str(person.pk),
        label=_person_label,
        order=("name", "id"),
        lookup=_person_lookup,
    ),
    "leader": Kind(
        rows=lambda user: (
            leaders_for(user).select_related("cadre__unit").defer("phone", "id_number")
        ),
        match=_person_match,
        value=lambda person: str(person.pk),
        label=_person_label,
        order=("name", "id"),
        lookup=_person_lookup,
    ),
}


def pick_search(*, user: User, kind: str, text: str) -> list[tuple[str, str]]:
    """(value, label) of at most PICK_LIMIT rows of the viewer's scope matching the text."""
    picker = KINDS[kind]
    text = text.strip()[:QUERY_MAX]
    if validators.text_problem(text) is not None:
        return []
    rows = picker.rows(user)
    if text:
        rows = rows.filter(picker.match(text))
    return [
        (picker.value(row), picker.label(row)) for row in rows.order_by(*picker.order)[:PICK_LIMIT]
    ]


class PickerInput(forms.TextInput):
    """A text field of the code; htmx fills its datalist with matches as one types."""

    template_name = "organisation/widgets/picker.html"

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.chosen: list[tuple[str, str]] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-choices"
        widget["attrs"].update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": f"{reverse('organisation:pick', args=[self.kind])}?field={name}",
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        widget["list_id"] = list_id
        widget["chosen"] = self.chosen
        return context

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Model):
            return KINDS[self.kind].value(value)
        if isinstance(value, list | tuple):
            return ", ".join(self.format_value(v) or "" for v in value)
        return super().format_value(value)


class PickerField(forms.Field):
    """One row (or with multiple, several, separated by commas) of a picker kind, by its code,
    looked up among the rows the form's viewer may pick (set with `scope_to(user)`)."""

    def __init__(self, kind: str, *, multiple: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerInput(kind))
        kwargs.setdefault(
            "help_text",
            _("Type a code or part of a name.")
            if not multiple
            else _("Codes separated by commas; type part of a name to search."),
        )
        super().__init__(**kwargs)
        self.kind, self.multiple = kind, multiple
        self.user: User | None = None

    def scope_to(self, user: User) -> None:
        self.user = user

    def _find(self, text: str) -> Any:
        if self.user is None or validators.text_problem(text) is not None or len(text) > 64:
            raise forms.ValidationError(_("Choose from the list."), code="invalid_choice")
        picker = KINDS[self.kind]
        found = list(picker.rows(self.user).filter(picker.lookup(text))[:2])
        if len(found) != 1:
            raise forms.ValidationError(
                _("%(value)s is not among your choices.") % {"value": text[:32]},
                code="invalid_choice",
            )
        return found[0]

    def to_python(self, value: Any) -> Any:
        text = str(value or "").strip()
        if not self.multiple:
            return self._find(text) if text else None
        return [self._find(part.strip()) for part in text.split(",") if part.strip()][:50]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data

    def prepare_chosen(self, value: Any) -> None:
        """Show the chosen rows' names next to the field."""
        rows: Iterable[Any] = value if isinstance(value, list | tuple) else [value]
        picker = KINDS[self.kind]
        chosen = []
        for row in rows:
            if isinstance(row, Model):
                chosen.append((picker.value(row), picker.label(row)))
        self.widget.chosen = chosen  # type: ignore[attr-defined]


def scope_pickers(form: forms.Form, user: User) -> None:
    """Scope every picker of a form to its viewer and show the names of the values it holds."""
    for name, field in form.fields.items():
        if not isinstance(field, PickerField):
            continue
        field.scope_to(user)
        field.widget = PickerInput(field.kind, attrs=field.widget.attrs)
        value: Any = None
        if form.is_bound:
            raw = form.data.get(form.add_prefix(name), "")
            try:
                value = field.to_python(raw)
            except forms.ValidationError:
                value = None
        else:
            value = form.initial.get(name, field.initial)
        field.prepare_chosen(value)
