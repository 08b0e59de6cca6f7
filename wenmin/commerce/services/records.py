"""A branch's farmers, produce, outlets and sales: each write checked whole, audited, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.commerce import access, rules
from wenmin.commerce.models import BranchContact, Farmer, Outlet, OutletKind, Produce, Sale
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Person, RegionLevel, Unit, UnitKind


def _allowed(actor: User | None, branch: Unit) -> None:
    if branch.kind != UnitKind.PARTY_BRANCH:
        raise ValidationError({"branch": [_("Choose a party branch.")]})
    if actor is not None and not access.may_write(actor, branch):
        raise PermissionDenied(_("Only the branch, its township or the administrator record this."))


def _text(value: Any, *, field: str, limit: int, required: bool) -> str:
    text = validators.text_field_check(value, field=field, max_length=limit).strip()
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    return text


def contact_set(
    *, actor: User | None, branch: Unit, office_phone: str, intro: str = ""
) -> BranchContact:
    """The branch's office number buyers call (never a mobile) and a line about it."""
    _allowed(actor, branch)
    phone = rules.office_phone(_text(office_phone, field="office_phone", limit=20, required=True))
    text = _text(intro, field="intro", limit=200, required=False)
    with transaction.atomic():
        contact, _created = BranchContact.objects.update_or_create(
            branch=branch, defaults={"office_phone": phone, "intro": text}
        )
        audit_record(actor=actor, action="commerce.contact_set", target=contact)
    return contact


def farmer_add(*, actor: User | None, branch: Unit, person: Person, since: dt.date) -> Farmer:
    """A resident the branch helps sell; living in the branch's village (or its groups)."""
    _allowed(actor, branch)
    region = person.region
    if region is None or not person.is_resident:
        raise ValidationError({"person": [_("Choose a resident whose village is known.")]})
    village = region.parent if region.level == RegionLevel.GROUP and region.parent else region
    if branch.region.level in (
        RegionLevel.VILLAGE,
        RegionLevel.GROUP,
    ) and not region.path.startswith(branch.region.path):
        raise ValidationError(
            {"person": [_("This resident does not live in the branch's village.")]}
        )
    if since > timezone.localdate():
        raise ValidationError({"since": [_("The date is in the future.")]})
    try:
        with transaction.atomic():
            farmer = Farmer.objects.create(
                branch=branch,
                person=person,
                village=village,
                township=village.township,
                since=since,
            )
            audit_record(actor=actor, action="commerce.farmer_add", target=farmer)
    except IntegrityError:
        raise ValidationError({"person": [_("The branch already helps this farmer.")]}) from None
    return farmer


def produce_record(
    *,
    actor: User | None,
    farmer: Farmer,
    name: str,
    unit: str,
    quantity: Any,
    price: Any,
    season_from: Any,
    season_to: Any,
    recorded_on: dt.date | None = None,
) -> Produce:
    """A farmer's produce for sale; quantities above 0, prices not negative, months 1–12."""
    _allowed(actor, farmer.branch)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    checks = {
        "name": lambda: _text(name, field="name", limit=64, required=True),
        "unit": lambda: _text(unit, field="unit", limit=16, required=True),
        "quantity": lambda: rules.amount(quantity, field="quantity", positive=True),
        "price": lambda: rules.amount(price, field="price", positive=False),
        "season_from": lambda: rules.season_month(season_from, field="season_from"),
        "season_to": lambda: rules.season_month(season_to, field="season_to"),
    }
    for field, check in checks.items():
        try:
            values[field] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    day = recorded_on or timezone.localdate()
    if day > timezone.localdate():
        errors["recorded_on"] = [_("The date is in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        produce = Produce.objects.create(
            farmer=farmer, branch=farmer.branch, township=farmer.township, recorded_on=day, **values
        )
        audit_record(actor=actor, action="commerce.produce_record", target=produce)
    return produce


def outlet_add(*, actor: User | None, branch: Unit, kind: str, name: str, url: str = "") -> Outlet:
    """Where the branch sells: a shop (its web address checked), a market, a buyer."""
    _allowed(actor, branch)
    errors: dict[str, list[str]] = {}
    if kind not in OutletKind.values:
        errors["kind"] = [_("Say where it is sold: a shop, a market or a buyer.")]
    clean: dict[str, str] = {}
    for field, check in {
        "name": lambda: _text(name, field="name", limit=100, required=True),
        "url": lambda: rules.shop_url(url, required=kind == OutletKind.SHOP),
    }.items():
        try:
            clean[field] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        outlet = Outlet.objects.create(
            branch=branch, kind=kind, name=clean["name"], url=clean["url"]
        )
        audit_record(actor=actor, action="commerce.outlet_add", target=outlet)
    return outlet


def sale_record(
    *,
    actor: User | None,
    produce: Produce,
    outlet: Outlet,
    month: dt.date,
    quantity: Any,
    income: Any,
) -> Sale:
    """A month's sale of a produce through an outlet of the same branch; not before the produce
    was recorded, not in a month to come; quantity above 0, income not negative."""
    _allowed(actor, produce.branch)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, positive, value in (("quantity", True, quantity), ("income", False, income)):
        try:
            values[field] = rules.amount(value, field=field, positive=positive)
        except ValidationError as error:
            errors.update(error.message_dict)
    first = rules.first_of_month(month)
    if first < rules.first_of_month(produce.recorded_on):
        errors["month"] = [
            _("A sale cannot come before its produce was recorded (%(month)s).")
            % {"month": f"{produce.recorded_on:%Y-%m}"}
        ]
    elif first > timezone.localdate():
        errors["month"] = [_("The month is still to come.")]
    if outlet.branch_id != produce.branch_id:
        errors["outlet"] = [_("Choose where this branch sells.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sale = Sale.objects.create(
            produce=produce,
            outlet=outlet,
            branch=produce.branch,
            township=produce.township,
            month=first,
            recorded_by=actor if actor is not None and actor.pk else None,
            **values,
        )
        audit_record(
            actor=actor,
            action="commerce.sale_record",
            target=sale,
            changes={"quantity": str(values["quantity"]), "income": str(values["income"])},
        )
    return sale
