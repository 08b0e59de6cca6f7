"""`{% dashboard_tiles %}`: the figures other apps registered for the staff's home page."""

from __future__ import annotations

from typing import Any

from django import template

from wenmin.core import dashboard

register = template.Library()


@register.inclusion_tag("core/_dashboard_tiles.html", takes_context=True)
def dashboard_tiles(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    return {"tiles": dashboard.tiles_for(request.user) if request is not None else []}
