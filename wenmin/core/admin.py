"""Admin for accounts and the audit log, and the base every reference-data admin builds on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as StockUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from wenmin.core.audit import audit_record
from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.core.sites import is_administrator
from wenmin.core.validators import ID_MAX

M = TypeVar("M", bound=models.Model)

# Roles replace Django's groups; a second way to grant access would only confuse.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class _DryRun(Exception):
    """Raised inside a savepoint to undo a service call made only to validate."""


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields it names, the rest on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        if field in form.fields:
            if field not in form.errors:  # the form already said what is wrong with it
                form.add_error(field, messages)
        else:
            form.add_error(None, messages)


class ServiceForm(forms.ModelForm):
    """A ModelForm that asks the services, not the model, whether the input is acceptable."""

    actor: User | None = None

    def check(self, build: Callable[[], object]) -> None:
        """Call a pure *_build function; its ValidationError becomes form errors."""
        try:
            build()
        except ValidationError as error:
            add_service_errors(self, error)

    def dry_run(self, call: Callable[[], object]) -> None:
        """Call a service in a savepoint that is always rolled back; show its ValidationError."""
        try:
            with transaction.atomic():
                call()
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            add_service_errors(self, error)


def adopt(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved instance the row a service saved, for its messages and redirect."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


Groups = list[tuple[str | None, list[dict[str, Any]], int | None]]


def _held_values(field: Any, value: Sequence[str]) -> list[str]:
    """The values the target field can hold. Django's autocomplete widget looks up whatever
    value it is handed (a junk initial value from the query string, a refused POST) and fails
    on one its field cannot hold."""
    target = field.target_field
    held = []
    for item in value:
        try:
            prepared = target.get_prep_value(target.to_python(item))
        except (ValidationError, ValueError, TypeError, OverflowError):
            continue
        if not isinstance(prepared, int) or -ID_MAX - 1 <= prepared <= ID_MAX:
            held.append(item)
    return held


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> Groups:
        return super().optgroups(name, _held_values(self.field, value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> Groups:
        return super().optgroups(name, _held_values(self.field, value), attr)


class SafeAutocompleteMixin:
    """Autocomplete widgets that survive junk values (see _held_values)."""

    admin_site: admin.AdminSite

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ServiceAdmin(SafeAutocompleteMixin, admin.ModelAdmin, Generic[M]):
    """Administrator only; writes go through the services; nothing is deleted here."""

    refuse_delete_message = _(
        "Reference data is not deleted: other records point at it. End or move it instead."
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        raise PermissionDenied(self.refuse_delete_message)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        raise PermissionDenied(self.refuse_delete_message)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]  # a fresh class per request
        return form


def actor_of(request: HttpRequest) -> User:
    """The signed-in administrator making the change (the site admits no one else)."""
    return cast(User, request.user)


def changed(form: forms.ModelForm, names: tuple[str, ...]) -> dict[str, Any]:
    """The cleaned values of the named fields the user changed."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


@admin.register(User)
class UserAdmin(SafeAutocompleteMixin, StockUserAdmin):
    """Accounts with their role, home unit and person; staff status follows the role."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Role"), {"fields": ("role", "unit", "person")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Role"), {"fields": ("role", "unit", "person")}),
    )
    list_display = ("username", "role", "unit", "person", "is_active", "last_login")
    list_filter = ("role", "is_active")
    list_select_related = ("unit", "person")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    autocomplete_fields = ("unit", "person")
    readonly_fields = ("last_login", "date_joined")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the audit log points at accounts: deactivate instead

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        obj.is_staff = obj.role == Role.ADMINISTRATOR
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            secret = {"password", "password1", "password2", "usable_password"}
            audit_record(
                actor=actor_of(request),
                action="account.update" if change else "account.create",
                target=obj,
                changes={"fields": sorted(set(form.changed_data) - secret), "role": obj.role},
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response: HttpResponse = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account = self.get_object(request, id)
            audit_record(actor=actor_of(request), action="account.password", target=account)
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read only: it can be searched but never added to, changed or pruned here."""

    list_display = (
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_label",
        "ip_address",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "actor__username", "target_label", "target_id", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = (
        "created_at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
        "ip_address",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
