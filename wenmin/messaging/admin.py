"""Admin: the SMS gateways (their secret shared with the administrator), each official
account's template and menu (pushed to WeChat from here), and the log of WeChat messages."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt, changed
from wenmin.core.sites import is_administrator
from wenmin.messaging import services
from wenmin.messaging.models import AccountOutbound, OutboundStatus, SmsGateway, WechatOutbound
from wenmin.wechat.menus import menu_check

GATEWAY_FIELDS = ("name", "slug", "secret", "is_active")


class SmsGatewayForm(ServiceForm):
    def save_through(self, actor: Any) -> SmsGateway:
        return services.sms_gateway_save(
            actor=actor, gateway=self.instance, fields=changed(self, GATEWAY_FIELDS)
        )

    class Meta:
        model = SmsGateway
        fields = GATEWAY_FIELDS


@admin.register(SmsGateway)
class SmsGatewayAdmin(ServiceAdmin[SmsGateway]):
    form = SmsGatewayForm
    fields = GATEWAY_FIELDS
    list_display = ("name", "slug", "is_active", "created_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        adopt(obj, form.save_through(actor_of(request)))


class AccountOutboundForm(ServiceForm):
    menu = forms.CharField(
        label=_("account menu"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_("WeChat's menu JSON (the list of buttons). Empty: Wenmin's default menu."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.menu:
            self.initial["menu"] = json.dumps(self.instance.menu, ensure_ascii=False, indent=2)

    def clean_menu(self) -> list[Any]:
        text = self.cleaned_data.get("menu") or ""
        if not text.strip():
            return []
        try:
            return menu_check(json.loads(text))
        except ValueError:
            raise ValidationError(_("The menu is not valid JSON.")) from None
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("menu", error.messages)) from None

    def clean_template_fields(self) -> dict[str, str]:
        try:
            return services.template_fields_check(self.cleaned_data.get("template_fields"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["template_fields"]) from None

    class Meta:
        model = AccountOutbound
        fields = ("account", "template_id", "template_fields", "menu")


@admin.register(AccountOutbound)
class AccountOutboundAdmin(ServiceAdmin[AccountOutbound]):
    form = AccountOutboundForm
    fields = ("account", "template_id", "template_fields", "menu", "menu_pushed_at")
    readonly_fields = ("menu_pushed_at",)
    list_display = ("account", "template_id", "menu_pushed_at")
    list_select_related = ("account",)
    actions = ("push_menu",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.save()
        if form.cleaned_data.get("menu"):
            services.account_menu_save(
                account=obj.account, buttons=form.cleaned_data["menu"], actor=actor_of(request)
            )

    @admin.action(description=_("Push the menu to WeChat"))
    def push_menu(self, request: HttpRequest, queryset: QuerySet[AccountOutbound]) -> None:
        for outbound in queryset.select_related("account"):
            row = services.account_menu_push(account=outbound.account, actor=actor_of(request))
            level = messages.ERROR if row.status == OutboundStatus.FAILED else messages.SUCCESS
            self.message_user(
                request,
                _("%(account)s: %(status)s")
                % {"account": outbound.account, "status": row.get_status_display()},
                level,
            )


@admin.register(WechatOutbound)
class WechatOutboundAdmin(admin.ModelAdmin):
    """Read-only: what went out (or was recorded) through the official accounts."""

    list_display = ("created_at", "account", "kind", "status", "case", "errcode")
    list_filter = ("kind", "status")
    list_select_related = ("account", "case")
    readonly_fields = (
        "account",
        "kind",
        "status",
        "case",
        "payload",
        "errcode",
        "msgid",
        "created_at",
    )
    exclude = ("openid_digest",)

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
