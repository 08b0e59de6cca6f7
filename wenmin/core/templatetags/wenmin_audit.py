"""The audit log's words for action codes and object types."""

from __future__ import annotations

from django import template

from wenmin.core import audit_labels

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return audit_labels.action_label(code)


@register.filter
def audit_target(target_type: str) -> str:
    return audit_labels.target_label(target_type)
