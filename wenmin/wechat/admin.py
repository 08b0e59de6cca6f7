"""Official accounts in the admin: secrets are written, never shown back; followers and messages
are read-only records with the openid masked and no tracking code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt
from wenmin.wechat.models import Follower, InboundMessage, OfficialAccount
from wenmin.wechat.services import ACCOUNT_FIELDS, SECRET_FIELDS, account_create, account_update

KEEP = _("Leave empty to keep the one stored; it is never shown.")


def _secret(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        max_length=64,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=KEEP,
    )


class OfficialAccountForm(ServiceForm):
    token = _secret(_("token"))
    aes_key = _secret(_("EncodingAESKey"))
    app_secret = _secret(_("AppSecret"))

    class Meta:
        model = OfficialAccount
        fields = ("name", "app_id", "mode", "unit", "region", "welcome", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            self.dry_run(lambda: account_create(actor=self.actor, **_create_values(self)))
        else:
            self.dry_run(
                lambda: account_update(
                    actor=self.actor, account=self.instance, changes=_update_values(self)
                )
            )
        return cleaned


def _create_values(form: forms.ModelForm) -> dict[str, Any]:
    names = ("name", "app_id", "mode", "unit", "region", *SECRET_FIELDS)
    return {
        name: form.cleaned_data.get(name) or ("" if name not in ("unit", "region") else None)
        for name in names
    }


def _update_values(form: forms.ModelForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in (*ACCOUNT_FIELDS, *SECRET_FIELDS)}


@admin.register(OfficialAccount)
class OfficialAccountAdmin(ServiceAdmin[OfficialAccount]):
    form = OfficialAccountForm
    list_display = ("name", "app_id", "mode", "unit", "region", "is_active", "callback_path")
    list_select_related = ("unit", "region")
    list_filter = ("mode", "is_active")
    search_fields = ("name", "app_id")
    autocomplete_fields = ("unit", "region")
    readonly_fields = ("callback_path", "created_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = ("name", "app_id", *SECRET_FIELDS, "mode", "unit", "region", "welcome")
        return fields if obj is None else (*fields, "is_active", "callback_path", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (
            ("callback_path", "created_at")
            if obj is None
            else ("app_id", "callback_path", "created_at")
        )

    @admin.display(description=_("callback URL path"))
    def callback_path(self, obj: OfficialAccount) -> str:
        if not obj.pk:
            return ""
        return reverse("wechat:callback", kwargs={"callback_key": obj.callback_key})

    def save_model(
        self, request: HttpRequest, obj: OfficialAccount, form: Any, change: bool
    ) -> None:
        if change:
            saved = account_update(
                actor=actor_of(request), account=obj, changes=_update_values(form)
            )
        else:
            saved = account_create(actor=actor_of(request), **_create_values(form))
        adopt(obj, saved)


class _ReadOnly(ServiceAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Follower)
class FollowerAdmin(_ReadOnly):
    """The openid masked; the phone being verified and its code never shown."""

    list_display = (
        "openid_masked",
        "account",
        "subscribed",
        "linked_at",
        "first_seen_at",
        "last_seen_at",
    )
    list_select_related = ("account",)
    list_filter = ("account", "subscribed")
    fields = (
        "openid_masked",
        "account",
        "person",
        "subscribed",
        "linked_at",
        "first_seen_at",
        "last_seen_at",
    )
    readonly_fields = fields

    @admin.display(description=_("openid"))
    def openid_masked(self, obj: Follower) -> str:
        return obj.openid_masked


@admin.register(InboundMessage)
class InboundMessageAdmin(_ReadOnly):
    """What came in and what it did; not the reply (it holds the tracking code)."""

    list_display = ("received_at", "account", "msg_type", "event", "outcome", "case")
    list_select_related = ("account", "case")
    list_filter = ("account", "msg_type", "outcome")
    fields = (
        "received_at",
        "account",
        "follower_masked",
        "msg_type",
        "event",
        "outcome",
        "case",
        "content",
        "data",
    )
    readonly_fields = fields

    @admin.display(description=_("follower"))
    def follower_masked(self, obj: InboundMessage) -> str:
        return obj.follower.openid_masked
