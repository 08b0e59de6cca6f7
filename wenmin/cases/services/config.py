"""Writes to the case configuration: categories, the dispatch catalogue, time limits, working-day
overrides and response templates. Administrator only; each write is checked and audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Clock
from wenmin.cases.models import (
    Category,
    DeadlineOverride,
    DispatchRule,
    ResponseTemplate,
    WorkdayOverride,
)
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation.services import require_administrator

M = TypeVar("M", bound=models.Model)

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_DATATYPES = ("singlevaluelist", "multivaluelist")
_FIELD_KEYS = {"code", "label", "datatype", "required", "values", "order", "description"}
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _values_clean(values: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(values, list) or not values:
        raise ValidationError(
            _("%(where)s: a list field needs a list of values.") % {"where": where}
        )
    clean: list[dict[str, str]] = []
    for option in values:
        if (
            not isinstance(option, dict)
            or set(option) != {"key", "name"}
            or not str(option["key"]).strip()
            or not isinstance(option["name"], str)
            or not option["name"].strip()
        ):
            raise ValidationError(
                _('%(where)s: each value is {"key": …, "name": …}.') % {"where": where}
            )
        clean.append({"key": str(option["key"]).strip(), "name": option["name"].strip()})
    if len({option["key"] for option in clean}) != len(clean):
        raise ValidationError(_("%(where)s: value keys must differ.") % {"where": where})
    return clean


def _field_clean(field: Any, where: str) -> dict[str, Any]:
    if not isinstance(field, dict):
        raise ValidationError(_("%(where)s: not an object.") % {"where": where})
    if unknown := set(field) - _FIELD_KEYS:
        raise ValidationError(
            _("%(where)s: unknown keys %(keys)s.")
            % {"where": where, "keys": ", ".join(sorted(unknown))}
        )
    code, label, datatype = field.get("code"), field.get("label"), field.get("datatype")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValidationError(
            _("%(where)s: the code is lower-case letters, digits and “_”, starting with a letter.")
            % {"where": where}
        )
    if not isinstance(label, str) or not label.strip() or len(label) > 64:
        raise ValidationError(_("%(where)s: a label of at most 64 characters.") % {"where": where})
    if datatype not in DATATYPES:
        raise ValidationError(
            _("%(where)s: the datatype is one of %(types)s.")
            % {"where": where, "types": ", ".join(DATATYPES)}
        )
    if not isinstance(field.get("required", False), bool):
        raise ValidationError(_("%(where)s: “required” is true or false.") % {"where": where})
    clean: dict[str, Any] = {
        "code": code,
        "label": label.strip(),
        "datatype": datatype,
        "required": field.get("required", False),
    }
    if datatype in LIST_DATATYPES:
        clean["values"] = _values_clean(field.get("values"), where)
    elif field.get("values"):
        raise ValidationError(_("%(where)s: only list fields have values.") % {"where": where})
    if "order" in field:
        if not isinstance(field["order"], int) or isinstance(field["order"], bool):
            raise ValidationError(_("%(where)s: “order” is a whole number.") % {"where": where})
        clean["order"] = field["order"]
    if "description" in field:
        clean["description"] = str(field["description"])[:255]
    return clean


def extra_fields_clean(value: Any) -> list[dict[str, Any]]:
    """A category's extra fields, checked and normalised: a list of field objects."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError(_("The extra fields are a JSON list of objects."))
    fields = [
        _field_clean(field, _("Extra field %(n)s") % {"n": number})
        for number, field in enumerate(value, start=1)
    ]
    codes = [field["code"] for field in fields]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Two extra fields have the same code."))
    return fields


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    """A new row's values as the audit log keeps them (a related row by its id)."""
    return {
        name: str(value.pk)
        if isinstance(value, models.Model)
        else value
        if value is None or isinstance(value, str | int | float | bool | list)
        else str(value)
        for name, value in fields.items()
    }


def _save(
    *,
    actor: User | None,
    model: type[M],
    instance: M | None,
    fields: dict[str, Any],
    action: str,
    check: Callable[[M], None] | None = None,
) -> M:
    require_administrator(actor)
    with transaction.atomic():
        existing = instance is not None and instance.pk is not None
        current = (
            model._default_manager.select_for_update().get(pk=instance.pk)  # type: ignore[union-attr]
            if existing
            else model()
        )
        changes = field_changes(current, fields) if existing else _values(fields)
        for name, value in fields.items():
            setattr(current, name, value)
        if check is not None:
            check(current)
        current.full_clean()
        current.save()
        audit_record(
            actor=actor,
            action=f"{action}.{'update' if existing else 'create'}",
            target=current,
            changes=changes,
        )
    return current


def _delete(*, actor: User | None, instance: models.Model, action: str) -> None:
    require_administrator(actor)
    with transaction.atomic():
        audit_record(actor=actor, action=f"{action}.delete", target=instance)
        try:
            instance.delete()
        except models.ProtectedError:
            raise ValidationError(
                _("“%(name)s” is in use and cannot be deleted.") % {"name": instance}
            ) from None


def _category_check(category: Category) -> None:
    errors: dict[str, list[str]] = {}
    try:
        category.extra_fields = extra_fields_clean(category.extra_fields)
    except ValidationError as error:
        errors["extra_fields"] = error.messages
    ancestor, seen = category.parent, 0
    while ancestor is not None and seen < 100:
        if category.pk is not None and ancestor.pk == category.pk:
            errors["parent"] = [_("A category cannot sit under itself or its own subcategory.")]
            break
        ancestor, seen = ancestor.parent, seen + 1
    if errors:
        raise ValidationError(errors)


def category_save(
    *, actor: User | None, category: Category | None = None, **fields: Any
) -> Category:
    """Add a category, or change the given one; its extra fields are checked for shape."""
    return _save(
        actor=actor,
        model=Category,
        instance=category,
        fields=fields,
        action="category",
        check=_category_check,
    )


def category_delete(*, actor: User | None, category: Category) -> None:
    """Delete a category no case or subcategory uses (otherwise: make it inactive)."""
    _delete(actor=actor, instance=category, action="category")


def dispatch_rule_save(
    *, actor: User | None, rule: DispatchRule | None = None, **fields: Any
) -> DispatchRule:
    """Add or change an entry of the dispatch catalogue (category × region → lead unit)."""
    return _save(
        actor=actor, model=DispatchRule, instance=rule, fields=fields, action="dispatch_rule"
    )


def dispatch_rule_delete(*, actor: User | None, rule: DispatchRule) -> None:
    """Remove an entry of the dispatch catalogue."""
    _delete(actor=actor, instance=rule, action="dispatch_rule")


def _deadline_override_check(override: DeadlineOverride) -> None:
    errors: dict[str, list[str]] = {}
    if override.clock == Clock.RESULT and not (override.kind and override.urgency):
        errors["kind"] = [_("A result time limit is for one kind and one urgency.")]
    if override.clock == Clock.SIGN_FOR and override.kind:
        errors["kind"] = [_("The sign-for time limit depends on the urgency only.")]
    if override.clock == Clock.CALLBACK and (override.kind or override.urgency):
        errors["kind"] = [_("The callback time limit is the same for every case.")]
    if not override.amount:
        errors["amount"] = [_("A time limit is at least 1.")]
    if errors:
        raise ValidationError(errors)


def deadline_override_save(
    *, actor: User | None, override: DeadlineOverride | None = None, **fields: Any
) -> DeadlineOverride:
    """Replace a default time limit (it applies to deadlines set from now on)."""
    return _save(
        actor=actor,
        model=DeadlineOverride,
        instance=override,
        fields=fields,
        action="deadline_override",
        check=_deadline_override_check,
    )


def deadline_override_delete(*, actor: User | None, override: DeadlineOverride) -> None:
    """Go back to the default time limit."""
    _delete(actor=actor, instance=override, action="deadline_override")


def workday_override_save(
    *, actor: User | None, override: WorkdayOverride | None = None, **fields: Any
) -> WorkdayOverride:
    """Declare a day a working day or a day off, over the official calendar."""
    return _save(
        actor=actor,
        model=WorkdayOverride,
        instance=override,
        fields=fields,
        action="workday_override",
    )


def workday_override_delete(*, actor: User | None, override: WorkdayOverride) -> None:
    """Let the official calendar decide that day again."""
    _delete(actor=actor, instance=override, action="workday_override")


def response_template_save(
    *, actor: User | None, template: ResponseTemplate | None = None, **fields: Any
) -> ResponseTemplate:
    """Add or change a reusable reply text, for one unit or county-wide."""
    return _save(
        actor=actor,
        model=ResponseTemplate,
        instance=template,
        fields=fields,
        action="response_template",
    )


def response_template_delete(*, actor: User | None, template: ResponseTemplate) -> None:
    """Remove a reply text."""
    _delete(actor=actor, instance=template, action="response_template")
