"""`{% serves unit as x %}`: whether the viewer works at a centre or station, so that pages show
the counter, visitor log, roster and errands links only to those they open for."""

from __future__ import annotations

from typing import Any

from django import template

from wenmin.platforms import access

register = template.Library()


@register.simple_tag(takes_context=True)
def serves(context: Any, unit: Any) -> bool:
    request = context.get("request")
    return request is not None and access.may_serve(request.user, unit)
