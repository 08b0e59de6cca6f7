"""`{% may_open "app:page" as shown %}`: the same rule as the page's view and the menu."""

from __future__ import annotations

from typing import Any

from django import template

from wenmin.core import nav

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: dict[str, Any], url_name: str) -> bool:
    request = context.get("request")
    return request is not None and nav.may_open(request.user, url_name)
