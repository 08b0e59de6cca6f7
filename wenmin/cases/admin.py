"""Admin for the case configuration (every write through services.config) and a read-only case list.

Cases themselves change only through the workflow's services, so their admin only shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenmin.cases.checks import calendar_gaps, calendar_warning
from wenmin.cases.models import (
    Case,
    CaseEvent,
    Category,
    DeadlineOverride,
    DispatchRule,
    ResponseTemplate,
    WorkdayOverride,
)
from wenmin.cases.services import config
from wenmin.core.admin import ServiceAdmin, ServiceForm, actor_of, adopt
from wenmin.core.sites import is_administrator

EXTRA_FIELDS_HELP = _(
    'A JSON list, e.g. [{"code": "where", "label": "Where", "datatype": "singlevaluelist", '
    '"required": true, "values": [{"key": "street", "name": "Street"}]}]. Datatypes: string, '
    "number, datetime, text, singlevaluelist, multivaluelist; list types need values."
)


class ConfigForm(ServiceForm):
    """Asks the config service, in a savepoint that is rolled back, whether the input is acceptable."""

    service_fields: tuple[str, ...] = ()

    def save_through(self, actor: Any) -> Any:
        """Call the model's save service with the form's values."""
        raise NotImplementedError

    def current(self) -> Any:
        """The row being changed, or None when adding."""
        return self.instance if self.instance.pk is not None else None

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.service_fields}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors:
            self.dry_run(lambda: self.save_through(self.actor))
        return cleaned

    def validate_unique(self) -> None:
        """The service's full_clean checks uniqueness and constraints, once."""


class ConfigAdmin(ServiceAdmin[Any]):
    """Saves and deletes through one config service each; deleting is allowed here."""

    delete_service: Callable[..., None]
    instance_arg = ""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        adopt(obj, form.save_through(actor_of(request)))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        type(self).delete_service(actor=actor_of(request), **{self.instance_arg: obj})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


# Categories -------------------------------------------------------------------------------------

CATEGORY_FIELDS = (
    "code",
    "name",
    "parent",
    "description",
    "keywords",
    "extra_fields",
    "is_active",
    "order",
)


class CategoryForm(ConfigForm):
    service_fields = CATEGORY_FIELDS

    def save_through(self, actor: Any) -> Category:
        return config.category_save(actor=actor, category=self.current(), **self.values())

    class Meta:
        model = Category
        fields = CATEGORY_FIELDS
        widgets = {"extra_fields": forms.Textarea(attrs={"rows": 10, "cols": 90})}
        help_texts = {"extra_fields": EXTRA_FIELDS_HELP}


@admin.register(Category)
class CategoryAdmin(ConfigAdmin):
    form = CategoryForm
    fields = CATEGORY_FIELDS
    list_display = ("code", "name", "parent", "extra_field_count", "is_active", "order")
    list_filter = ("is_active",)
    list_select_related = ("parent",)
    search_fields = ("code", "name", "keywords")
    autocomplete_fields = ("parent",)
    ordering = ("code",)
    delete_service = config.category_delete
    instance_arg = "category"

    @admin.display(description=_("extra fields"))
    def extra_field_count(self, category: Category) -> int:
        return len(category.extra_fields or [])


# The dispatch catalogue -------------------------------------------------------------------------

RULE_FIELDS = ("category", "region", "unit")


class DispatchRuleForm(ConfigForm):
    service_fields = RULE_FIELDS

    def save_through(self, actor: Any) -> DispatchRule:
        return config.dispatch_rule_save(actor=actor, rule=self.current(), **self.values())

    class Meta:
        model = DispatchRule
        fields = RULE_FIELDS


@admin.register(DispatchRule)
class DispatchRuleAdmin(ConfigAdmin):
    form = DispatchRuleForm
    fields = RULE_FIELDS
    list_display = ("category", "region", "unit")
    list_select_related = ("category", "region", "unit")
    search_fields = ("category__name", "category__code", "region__name", "unit__name")
    autocomplete_fields = ("category", "region", "unit")
    ordering = ("category__code", "region__code")
    delete_service = config.dispatch_rule_delete
    instance_arg = "rule"


# Time limits ------------------------------------------------------------------------------------

DEADLINE_FIELDS = ("clock", "kind", "urgency", "amount", "unit")


class DeadlineOverrideForm(ConfigForm):
    service_fields = DEADLINE_FIELDS

    def save_through(self, actor: Any) -> DeadlineOverride:
        return config.deadline_override_save(actor=actor, override=self.current(), **self.values())

    class Meta:
        model = DeadlineOverride
        fields = DEADLINE_FIELDS


@admin.register(DeadlineOverride)
class DeadlineOverrideAdmin(ConfigAdmin):
    form = DeadlineOverrideForm
    fields = DEADLINE_FIELDS
    list_display = ("clock", "kind", "urgency", "amount", "unit")
    list_filter = ("clock", "kind", "urgency")
    ordering = ("clock", "kind", "urgency")
    delete_service = config.deadline_override_delete
    instance_arg = "override"


# Working-day overrides --------------------------------------------------------------------------

WORKDAY_FIELDS = ("date", "is_working_day", "note")


class WorkdayOverrideForm(ConfigForm):
    service_fields = WORKDAY_FIELDS

    def save_through(self, actor: Any) -> WorkdayOverride:
        return config.workday_override_save(actor=actor, override=self.current(), **self.values())

    class Meta:
        model = WorkdayOverride
        fields = WORKDAY_FIELDS


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ConfigAdmin):
    """The overrides, with a warning when the official calendar does not cover a year yet."""

    form = WorkdayOverrideForm
    fields = WORKDAY_FIELDS
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"
    delete_service = config.workday_override_delete
    instance_arg = "override"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "GET":
            gaps = calendar_gaps()
            if missing := [gap.year for gap in gaps if gap.missing]:
                messages.warning(request, calendar_warning(missing))
            for gap in gaps:
                if not gap.missing:
                    messages.info(
                        request,
                        gettext(
                            "chinese-calendar does not cover %(year)s: your %(count)s days off "
                            "for %(year)s are used. Make sure they include every holiday and "
                            "every make-up working day of the State Council's notice."
                        )
                        % {"year": gap.year, "count": gap.days_off_entered},
                    )
        response: HttpResponse = super().changelist_view(request, extra_context)
        return response


# Response templates -----------------------------------------------------------------------------

TEMPLATE_FIELDS = ("unit", "title", "text")


class ResponseTemplateForm(ConfigForm):
    service_fields = TEMPLATE_FIELDS

    def save_through(self, actor: Any) -> ResponseTemplate:
        return config.response_template_save(actor=actor, template=self.current(), **self.values())

    class Meta:
        model = ResponseTemplate
        fields = TEMPLATE_FIELDS


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(ConfigAdmin):
    form = ResponseTemplateForm
    fields = TEMPLATE_FIELDS
    list_display = ("title", "unit")
    list_select_related = ("unit",)
    search_fields = ("title", "text", "unit__name")
    autocomplete_fields = ("unit",)
    delete_service = config.response_template_delete
    instance_arg = "template"


# Cases, read only -------------------------------------------------------------------------------


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ("at", "action", "actor_label", "unit", "state_before", "state_after", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseEvent]:
        return super().get_queryset(request).select_related("unit")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases to look at: the workflow is the only way to change them."""

    list_display = (
        "number",
        "received_at",
        "channel",
        "kind",
        "urgency",
        "state",
        "category",
        "lead_unit",
        "result_due",
        "escalated_at",
    )
    list_filter = (
        "state",
        "kind",
        "channel",
        "urgency",
        ("escalated_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("category", "lead_unit")
    search_fields = ("=number", "=tracking_code", "title")
    # The person and their phone are shown to handlers, not here; the tracking code is the
    # resident's proof when they rate the case, so no member of staff ever sees it.
    exclude = ("requester", "tracking_code")
    inlines = (CaseEventInline,)
    show_full_result_count = False  # no second COUNT over a million rows
    list_per_page = 50

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
