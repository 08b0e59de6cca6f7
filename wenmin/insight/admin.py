from __future__ import annotations

from django.contrib import admin

from wenmin.insight.models import KeywordRule, SuggestionModel


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ("word", "kind", "category", "weight")
    list_filter = ("kind",)
    search_fields = ("word",)


@admin.register(SuggestionModel)
class SuggestionModelAdmin(admin.ModelAdmin):
    list_display = ("id", "trained_at", "trained_on")
    exclude = ("blob",)
    readonly_fields = ("trained_at", "trained_on", "figures")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
