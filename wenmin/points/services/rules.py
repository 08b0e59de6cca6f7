"""The county's points rules: a year's base and star thresholds, its rules, a year started from
the one before. Only the organisation department writes them; each write is audited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.points import access
from wenmin.points.models import STAR_FIELDS, PointsRule, PointsYear
from wenmin.points.selectors import YEAR_MAX, YEAR_MIN
from wenmin.points.services.common import number, refuse, text
from wenmin.tallies.registry import SOURCES

POINTS_MAX = Decimal(10000)
RULE_POINTS_MAX = Decimal(1000)
_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _require_setter(actor: User | None) -> None:
    if not access.sets_rules(actor):
        raise PermissionDenied(_("Only the organisation department sets the points rules."))


def _year_number(year: Any) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        refuse(
            "year", _("A year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return year


def _thresholds(stars: Sequence[Any]) -> list[Decimal]:
    if len(stars) != len(STAR_FIELDS):
        refuse("star_1", _("Give the totals for one to five stars."))
    checked = [
        number(value, field=name, minimum=Decimal(0), maximum=POINTS_MAX)
        for name, value in zip(STAR_FIELDS, stars, strict=True)
    ]
    for lower, higher, name in zip(checked, checked[1:], STAR_FIELDS[1:], strict=False):
        if higher <= lower:
            refuse(name, _("Each star needs more points than the one before."))
    return checked


def year_set(*, actor: User | None, year: int, base: Any, stars: Sequence[Any]) -> PointsYear:
    """Set a year's base points per member and its star thresholds (the year starts if new)."""
    _require_setter(actor)
    year = _year_number(year)
    new: dict[str, Any] = {
        "base": number(base, field="base", minimum=Decimal(0), maximum=POINTS_MAX),
        **dict(zip(STAR_FIELDS, _thresholds(stars), strict=True)),
    }
    with transaction.atomic():
        found = PointsYear.objects.select_for_update().filter(year=year).first()
        if found is None:
            found = PointsYear.objects.create(year=year, **new)
            changes: dict[str, Any] = {k: str(v) for k, v in new.items()}
            audit_record(actor=actor, action="points.year_set", target=found, changes=changes)
            return found
        changes = field_changes(found, new)
        for name, value in new.items():
            setattr(found, name, value)
        found.save(update_fields=[*new, "updated_at"])
        audit_record(actor=actor, action="points.year_set", target=found, changes=changes)
    return found


def _counter(source: str, counter: str, *, field: str, kept: tuple[str, str] | None) -> None:
    """A counter the source offers (or the one the rule already names: a source may be gone)."""
    if kept == (source, counter):
        return
    offered = SOURCES.get(source)
    if offered is None or counter not in offered.counters:
        refuse(field, _("Choose a counter that a registered source offers."))


def _rule_fields(data: dict[str, Any], rule: PointsRule | None) -> dict[str, Any]:
    source = text(data.get("source"), field="counter", max_length=24, required=True)
    counter = text(data.get("counter"), field="counter", max_length=32, required=True)
    less = text(data.get("less_counter"), field="less_counter", max_length=32)
    for value, field in ((source, "counter"), (counter, "counter"), (less, "less_counter")):
        if value and not _KEY.fullmatch(value):
            refuse(field, _("Choose a counter that a registered source offers."))
    _counter(source, counter, field="counter", kept=(rule.source, rule.counter) if rule else None)
    if less:
        if less == counter:
            refuse("less_counter", _("A counter less itself is always 0: choose another one."))
        _counter(
            source,
            less,
            field="less_counter",
            kept=(rule.source, rule.less_counter) if rule and rule.less_counter else None,
        )
    cap = data.get("cap")
    return {
        "label": text(data.get("label"), field="label", max_length=100, required=True),
        "source": source,
        "counter": counter,
        "less_counter": less,
        "per": number(data.get("per"), field="per", minimum=Decimal("0.01"), maximum=POINTS_MAX),
        "points": number(
            data.get("points"),
            field="points",
            minimum=-RULE_POINTS_MAX,
            maximum=RULE_POINTS_MAX,
            nonzero=True,
        ),
        "cap": None
        if cap in (None, "")
        else number(cap, field="cap", minimum=Decimal("0.01"), maximum=POINTS_MAX),
    }


def rule_add(*, actor: User | None, points_year: PointsYear, data: dict[str, Any]) -> PointsRule:
    """Add a rule to a year: label, source, counter, less_counter, per, points, cap."""
    _require_setter(actor)
    fields = _rule_fields(data, None)
    with transaction.atomic():
        locked = PointsYear.objects.select_for_update().get(pk=points_year.pk)
        last = locked.rules.order_by("-order").values_list("order", flat=True).first()
        rule = PointsRule.objects.create(year=locked, order=(last or 0) + 1, **fields)
        audit_record(
            actor=actor,
            action="points.rule_add",
            target=rule,
            changes={"year": locked.year, **{k: str(v) for k, v in fields.items()}},
        )
    return rule


def rule_update(*, actor: User | None, rule: PointsRule, data: dict[str, Any]) -> PointsRule:
    """Change a rule of a year (it counts again for the whole year)."""
    _require_setter(actor)
    with transaction.atomic():
        rule = PointsRule.objects.select_for_update().get(pk=rule.pk)
        fields = _rule_fields(data, rule)
        changes = field_changes(rule, fields)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save(update_fields=list(fields))
        audit_record(actor=actor, action="points.rule_update", target=rule, changes=changes)
    return rule


def rule_remove(*, actor: User | None, rule: PointsRule) -> None:
    """Take a rule away from its year."""
    _require_setter(actor)
    with transaction.atomic():
        locked = PointsRule.objects.select_for_update().filter(pk=rule.pk).first()
        if locked is None:
            raise ValidationError(_("This rule is gone already."))
        audit_record(
            actor=actor,
            action="points.rule_remove",
            target=locked,
            changes={"label": locked.label, "counter": f"{locked.source}.{locked.counter}"},
        )
        locked.delete()


def year_copy(*, actor: User | None, year: int, from_year: PointsYear) -> PointsYear:
    """Start a year with another year's base, stars and rules (to change from there)."""
    _require_setter(actor)
    year = _year_number(year)
    with transaction.atomic():
        if PointsYear.objects.select_for_update().filter(year=year).exists():
            refuse("year", _("%(year)s has its rules already.") % {"year": year})
        stars = {name: getattr(from_year, name) for name in STAR_FIELDS}
        created = PointsYear.objects.create(year=year, base=from_year.base, **stars)
        rules = [
            PointsRule(
                year=created,
                label=r.label,
                source=r.source,
                counter=r.counter,
                less_counter=r.less_counter,
                per=r.per,
                points=r.points,
                cap=r.cap,
                order=r.order,
            )
            for r in from_year.rules.all()
        ]
        PointsRule.objects.bulk_create(rules)
        audit_record(
            actor=actor,
            action="points.year_copy",
            target=created,
            changes={"from": from_year.year, "rules": len(rules)},
        )
    return created
