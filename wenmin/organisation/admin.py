"""Admin for the reference data: every write goes through organisation.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from wenmin.core import crypto, roles
from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt, changed
from wenmin.core.crypto import EncryptedTextField
from wenmin.organisation import services as org
from wenmin.organisation.models import Cadre, PartyMember, Person, Position, Region, Unit, Volunteer
from wenmin.organisation.validation import normalise_id_number, normalise_phone

# What each service accepts on create, and what its update may change.
REGION_FIELDS = ("code", "name", "level", "kind", "parent", "population", "latitude", "longitude")
REGION_EDITABLE = ("name", "kind", "population", "latitude", "longitude")
UNIT_FIELDS = ("code", "name", "kind", "region", "parent", "member_count")
UNIT_EDITABLE = ("name", "region", "parent", "member_count")
PERSON_FIELDS = ("name", "gender", "birth_year", "phone", "id_number", "region", "is_resident")
PERSONAL_DATA = ("phone", "id_number")


def _values(form: forms.ModelForm, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in names}


# Regions ------------------------------------------------------------------------------------


class RegionForm(ServiceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            self.check(lambda: org.region_build(**_values(self, REGION_FIELDS)))
        else:
            fields = changed(self, REGION_EDITABLE)
            self.dry_run(
                lambda: org.region_update(actor=self.actor, region=self.instance, **fields)
            )
        return cleaned

    def validate_unique(self) -> None:
        """region_build checks the code, with a clearer message."""


@admin.register(Region)
class RegionAdmin(ServiceAdmin[Region]):
    form = RegionForm
    fields = REGION_FIELDS
    list_display = ("code", "name", "level", "kind", "parent", "population")
    list_filter = ("level", "kind")
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "level", "parent") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if not change:
            adopt(obj, org.region_create(actor=actor, **_values(form, REGION_FIELDS)))
        elif fields := changed(form, REGION_EDITABLE):
            adopt(obj, org.region_update(actor=actor, region=obj, **fields))


# Units --------------------------------------------------------------------------------------


class UnitForm(ServiceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            self.check(lambda: org.unit_build(**_values(self, UNIT_FIELDS)))
        else:
            fields = changed(self, UNIT_EDITABLE)
            self.dry_run(lambda: org.unit_update(actor=self.actor, unit=self.instance, **fields))
        return cleaned

    def validate_unique(self) -> None:
        """unit_build checks the code, with a clearer message."""


@admin.register(Unit)
class UnitAdmin(ServiceAdmin[Unit]):
    form = UnitForm
    fields = UNIT_FIELDS
    list_display = ("code", "name", "kind", "region", "parent", "member_count")
    list_filter = ("kind",)
    list_select_related = ("region", "parent")
    search_fields = ("code", "name")
    autocomplete_fields = ("region", "parent")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "kind") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if not change:
            adopt(obj, org.unit_create(actor=actor, **_values(form, UNIT_FIELDS)))
        elif fields := changed(form, UNIT_EDITABLE):
            adopt(obj, org.unit_update(actor=actor, unit=obj, **fields))


# People -------------------------------------------------------------------------------------


class PersonForm(ServiceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            self.check(lambda: org.person_build(**_values(self, PERSON_FIELDS)))
        else:
            fields = changed(self, PERSON_FIELDS)
            self.dry_run(
                lambda: org.person_update(actor=self.actor, person=self.instance, **fields)
            )
        return cleaned


@admin.register(Person)
class PersonAdmin(ServiceAdmin[Person]):
    """Lists show phone and ID masked; the change form shows them to roles that may reveal, logged."""

    form = PersonForm
    list_display = (
        "name",
        "gender",
        "birth_year",
        "masked_phone",
        "masked_id_number",
        "region",
        "is_resident",
    )
    list_filter = ("gender", "is_resident")
    list_select_related = ("region",)
    search_fields = ("name",)
    autocomplete_fields = ("region",)
    formfield_overrides = {EncryptedTextField: {"widget": forms.TextInput}}

    @admin.display(description=_("phone"))
    def masked_phone(self, person: Person) -> str:
        return person.phone_masked

    @admin.display(description=_("ID number"))
    def masked_id_number(self, person: Person) -> str:
        return person.id_number_masked

    def _may_reveal(self, request: HttpRequest) -> bool:
        return roles.can_reveal_personal_data(getattr(request.user, "role", ""))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if self._may_reveal(request):
            return PERSON_FIELDS
        hidden = tuple(name for name in PERSON_FIELDS if name not in PERSONAL_DATA)
        return (*hidden, "masked_phone", "masked_id_number")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return () if self._may_reveal(request) else ("masked_phone", "masked_id_number")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        """Names by substring; a full phone or ID number through its keyed digest."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        by_digest = Q()
        for normalise, column in (
            (normalise_phone, "phone_digest"),
            (normalise_id_number, "id_digest"),
        ):
            try:
                value = normalise(term)
            except ValidationError:
                continue  # not a phone, or not an ID number: nothing to match by digest
            if value:
                by_digest |= Q(**{column: crypto.digest(value)})
        if by_digest:
            found = found | queryset.filter(by_digest)
        return found, may_have_duplicates

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET" and self._may_reveal(request):
            person = self.get_object(request, unquote(object_id))
            if person is not None:
                for field in PERSONAL_DATA:
                    if getattr(person, field):
                        org.personal_data_reveal(
                            actor=actor_of(request), person=person, field=field
                        )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if not change:
            adopt(obj, org.person_create(actor=actor, **_values(form, PERSON_FIELDS)))
        elif fields := changed(form, PERSON_FIELDS):
            adopt(obj, org.person_update(actor=actor, person=obj, **fields))


# Roles a person holds -----------------------------------------------------------------------


class _ProfileForm(ServiceForm):
    """A party membership, cadre record or volunteer record: set by one service, keyed by person."""

    service_fields: tuple[str, ...] = ()

    def service(self, **fields: Any) -> Any:
        raise NotImplementedError

    def service_values(self) -> dict[str, Any]:
        values = _values(self, self.service_fields)
        if self.instance.pk is not None:
            values["person"] = self.instance.person  # the person is fixed once recorded
        return values

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors:
            self.dry_run(lambda: self.service(actor=self.actor, **self.service_values()))
        return cleaned


class PartyMemberForm(_ProfileForm):
    service_fields = ("person", "branch", "joined_on", "status")

    def service(self, **fields: Any) -> Any:
        return org.party_member_set(**fields)


class CadreForm(_ProfileForm):
    service_fields = ("person", "unit", "position", "rank")

    def service(self, **fields: Any) -> Any:
        return org.cadre_set(**fields)


class VolunteerForm(_ProfileForm):
    service_fields = ("person", "post", "team")

    def service(self, **fields: Any) -> Any:
        return org.volunteer_set(**fields)


class _ProfileAdmin(ServiceAdmin[Any]):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("person",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        adopt(obj, form.service(actor=actor_of(request), **form.service_values()))


@admin.register(PartyMember)
class PartyMemberAdmin(_ProfileAdmin):
    form = PartyMemberForm
    fields = PartyMemberForm.service_fields
    list_display = ("person", "branch", "joined_on", "status")
    list_filter = ("status",)
    list_select_related = ("person", "branch")
    search_fields = ("person__name", "branch__name", "branch__code")
    autocomplete_fields = ("person", "branch")


@admin.register(Cadre)
class CadreAdmin(_ProfileAdmin):
    form = CadreForm
    fields = CadreForm.service_fields
    list_display = ("person", "unit", "position", "rank")
    list_filter = ("rank",)
    list_select_related = ("person", "unit")
    search_fields = ("person__name", "unit__name", "position")
    autocomplete_fields = ("person", "unit")


@admin.register(Volunteer)
class VolunteerAdmin(_ProfileAdmin):
    form = VolunteerForm
    fields = VolunteerForm.service_fields
    list_display = ("person", "post", "team")
    list_select_related = ("person", "team")
    search_fields = ("person__name", "post", "team__name")
    autocomplete_fields = ("person", "team")


# Positions ----------------------------------------------------------------------------------

POSITION_FIELDS = ("person", "kind", "unit", "region", "subject", "start_date", "end_date")


class PositionForm(ServiceForm):
    """A new position starts (and may end at once); an open one can only be ended."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            self.dry_run(lambda: position_start_and_end(self.actor, _values(self, POSITION_FIELDS)))
        else:
            end_date = cleaned["end_date"]
            self.dry_run(
                lambda: org.position_end(
                    actor=self.actor, position=self.instance, end_date=end_date
                )
            )
        return cleaned


def position_start_and_end(actor: Any, values: dict[str, Any]) -> Position:
    """position_start, then position_end when the end date is already known."""
    end_date = values.pop("end_date", None)
    position = org.position_start(actor=actor, **values)
    if end_date is not None:
        position = org.position_end(actor=actor, position=position, end_date=end_date)
    return position


@admin.register(Position)
class PositionAdmin(ServiceAdmin[Position]):
    form = PositionForm
    fields = POSITION_FIELDS
    list_display = ("person", "kind", "unit", "region", "subject", "start_date", "end_date")
    list_filter = ("kind", ("end_date", admin.EmptyFieldListFilter))
    list_select_related = ("person", "unit", "region")
    search_fields = ("person__name", "unit__name", "region__name", "subject")
    autocomplete_fields = ("person", "unit", "region")
    date_hierarchy = "start_date"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An ended position is history: it is viewed, not edited.
        return super().has_change_permission(request, obj) and (obj is None or obj.end_date is None)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return tuple(name for name in POSITION_FIELDS if name != "end_date")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "end_date" in form.base_fields:
            form.base_fields[
                "end_date"
            ].required = True  # changing an open position means ending it
        return form

    def save_model(self, request: HttpRequest, obj: Position, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if change:
            adopt(
                obj,
                org.position_end(actor=actor, position=obj, end_date=form.cleaned_data["end_date"]),
            )
        else:
            adopt(obj, position_start_and_end(actor, _values(form, POSITION_FIELDS)))
