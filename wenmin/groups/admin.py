"""The administrator says who runs each group (through the service, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wenmin.core.admin import ServiceAdmin, actor_of
from wenmin.groups.models import GroupProfile
from wenmin.groups.services import group_profile_set


@admin.register(GroupProfile)
class GroupProfileAdmin(ServiceAdmin[GroupProfile]):
    list_display = ("unit", "cadre", "region")
    list_select_related = ("unit", "cadre", "region")
    raw_id_fields = ("unit", "cadre", "region")
    search_fields = ("unit__name", "unit__code")

    def save_model(self, request: HttpRequest, obj: GroupProfile, form: Any, change: bool) -> None:
        group_profile_set(
            group=obj.unit, cadre=obj.cadre, region=obj.region, actor=actor_of(request)
        )
