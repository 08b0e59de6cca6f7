"""API keys in the admin: issued and revoked by the administrator, through channels.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wenmin.channels.models import ApiKey
from wenmin.channels.services import apikey_create, apikey_revoke
from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt

ISSUE_FIELDS = ("name", "owner_unit", "jurisdiction", "rate_limit_per_minute")
RECORD_FIELDS = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")


def _values(form: ServiceForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in ISSUE_FIELDS}


class ApiKeyForm(ServiceForm):
    class Meta:
        model = ApiKey
        fields = ISSUE_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors and self.instance.pk is None:
            values = _values(self)
            values["jurisdiction"] = values["jurisdiction"] or ""
            self.dry_run(lambda: apikey_create(actor=self.actor, **values))
        return cleaned


@admin.register(ApiKey)
class ApiKeyAdmin(ServiceAdmin[ApiKey]):
    """A key is shown in full once, when issued; afterwards only its prefix. Revoke, never edit."""

    form = ApiKeyForm
    list_display = (
        "name",
        "prefix",
        "owner_unit",
        "jurisdiction",
        "rate_limit_per_minute",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("owner_unit",)
    search_fields = ("name", "prefix")
    autocomplete_fields = ("owner_unit",)
    actions = ["revoke_keys"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ISSUE_FIELDS if obj is None else (*ISSUE_FIELDS, *RECORD_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return () if obj is None else (*ISSUE_FIELDS, *RECORD_FIELDS)

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return  # nothing of an issued key can be changed; revoke it instead
        values = _values(form)
        values["jurisdiction"] = values["jurisdiction"] or ""
        key, plain = apikey_create(actor=actor_of(request), **values)
        adopt(obj, key)
        messages.warning(
            request,
            _("Copy the new key now: it is shown only this once. %(key)s") % {"key": plain},
        )

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        actor = actor_of(request)
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            apikey_revoke(actor=actor, key=key)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)s key revoked.", "%(count)s keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
