"""The only door for writes of households: each checks its rules, saves in one transaction and
writes an audit event. A refusal is a ValidationError by field, with nothing saved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.households import rules, selectors
from wenmin.households.models import (
    CareCategory,
    Household,
    HouseholdCare,
    HouseholdMember,
    MemberRelation,
)
from wenmin.organisation.models import Person, Region

ADDRESS_MAX = 200
NOTE_MAX = 2000
_EDITABLE = ("code", "region", "address", "note")


def _require_editor(actor: User | None, region: Region) -> None:
    """The administrator, or township staff of the region's township (None: a system command)."""
    if actor is None:
        return
    if not rules.can_edit_households(actor.role):
        raise PermissionDenied(_("Your role does not allow changing households."))
    if not selectors.regions_editable_by(actor).filter(pk=region.pk).exists():
        raise PermissionDenied(_("You may change the households of your own township only."))


def _code_problem(code: str, *, household_id: int | None = None) -> str | None:
    if not code:
        return _("A household number is required.")
    if len(code) > rules.CODE_MAX:
        return _("A household number has at most %(n)s characters.") % {"n": rules.CODE_MAX}
    if not all(ch.isalnum() or ch in "-_" for ch in code) or not code.isascii():
        return _("A household number has only letters, digits, - and _.")
    taken = Household.objects.filter(code=code)
    if household_id is not None:
        taken = taken.exclude(pk=household_id)
    if taken.exists():
        return _("Household number %(code)s is already in use.") % {"code": code}
    return None


def _region_problem(region: Region | None) -> str | None:
    if region is None:
        return _("Choose the village or villagers' group.")
    if region.level not in rules.HOUSEHOLD_LEVELS:
        return _("%(name)s is not a village or villagers' group: a household belongs to one.") % {
            "name": region.name
        }
    return None


def _text_problem(text: str, *, limit: int, what: str, multiline: bool = False) -> str | None:
    if len(text) > limit:
        return _("%(what)s has at most %(n)s characters.") % {"what": what, "n": limit}
    if validators.text_problem(text, multiline=multiline) is not None:
        return _("%(what)s contains characters that cannot be stored.") % {"what": what}
    return None


def _person_problem(person: Person) -> str | None:
    membership = HouseholdMember.objects.filter(person=person).select_related("household").first()
    if membership is not None:
        return _("%(name)s is already a member of household %(code)s.") % {
            "name": person.name,
            "code": membership.household.code,
        }
    return None


def _check(fields: dict[str, Any], *, household_id: int | None = None) -> None:
    errors: dict[str, list[str]] = {}
    problems = {
        "code": _code_problem(fields["code"], household_id=household_id),
        "region": _region_problem(fields["region"]),
        "address": _text_problem(fields["address"], limit=ADDRESS_MAX, what=_("The address")),
        "note": _text_problem(fields["note"], limit=NOTE_MAX, what=_("The note"), multiline=True),
    }
    for field, problem in problems.items():
        if problem:
            errors[field] = [problem]
    if errors:
        raise ValidationError(errors)


def household_create(
    *,
    actor: User | None,
    code: str,
    region: Region,
    address: str = "",
    note: str = "",
    head: Person | None = None,
) -> Household:
    """Register a household, with its head as its first member when given."""
    fields = {
        "code": (code or "").strip(),
        "region": region,
        "address": (address or "").strip(),
        "note": (note or "").strip(),
    }
    _check(fields)
    _require_editor(actor, region)
    if head is not None and (problem := _person_problem(head)):
        raise ValidationError({"head": [problem]})
    try:
        with transaction.atomic():
            household = Household.objects.create(**fields, head=head)
            if head is not None:
                HouseholdMember.objects.create(
                    household=household, person=head, relation=MemberRelation.HEAD
                )
            audit_record(
                actor=actor,
                action="household.create",
                target=household,
                changes={"region": region.pk, "head": head.pk if head else None},
            )
    except IntegrityError:  # another request took the number or the person meanwhile
        raise ValidationError(
            {"code": [_("The household number or the head was taken meanwhile; try again.")]}
        ) from None
    return household


def household_update(*, actor: User | None, household: Household, **fields: Any) -> Household:
    """Change a household's number, region, address or note."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    _require_editor(actor, household.region)
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        values = {name: getattr(locked, name) for name in _EDITABLE}
        for name, value in fields.items():
            values[name] = value.strip() if isinstance(value, str) else value
        _check(values, household_id=locked.pk)
        if values["region"] != locked.region:
            _require_editor(actor, values["region"])
        changes: dict[str, Any] = {}
        for name in fields:
            old, new = getattr(locked, name), values[name]
            if old != new:
                changes[name] = ["…", "…"] if name == "address" else [_plain(old), _plain(new)]
                setattr(locked, name, new)
        if changes:
            locked.save(update_fields=[*changes, "updated_at"])
            audit_record(actor=actor, action="household.update", target=locked, changes=changes)
    return locked


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, Region) else value


def household_member_add(
    *, actor: User | None, household: Household, person: Person, relation: str
) -> HouseholdMember:
    """Add a person to a household; the head (户主) becomes the household's head."""
    _require_editor(actor, household.region)
    if relation not in MemberRelation.values:
        raise ValidationError({"relation": [_("Choose the relation to the head of household.")]})
    try:
        with transaction.atomic():
            locked = Household.objects.select_for_update().get(pk=household.pk)
            if problem := _person_problem(person):
                raise ValidationError({"person": [problem]})
            if relation == MemberRelation.HEAD and locked.head_id is not None:
                raise ValidationError(
                    {"relation": [_("This household already has a head; remove them first.")]}
                )
            member = HouseholdMember.objects.create(
                household=locked, person=person, relation=relation
            )
            if relation == MemberRelation.HEAD:
                locked.head = person
                locked.save(update_fields=["head", "updated_at"])
            audit_record(
                actor=actor,
                action="household.member_add",
                target=locked,
                changes={"person": person.pk, "relation": relation},
            )
    except IntegrityError:  # the same person added elsewhere at the same moment
        raise ValidationError(
            {"person": [_("%(name)s was added to a household meanwhile.") % {"name": person.name}]}
        ) from None
    household.head_id = locked.head_id
    return member


def household_member_remove(*, actor: User | None, household: Household, person: Person) -> None:
    """Take a person off a household; removing the head leaves the household without one."""
    _require_editor(actor, household.region)
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        member = HouseholdMember.objects.filter(household=locked, person=person).first()
        if member is None:
            raise ValidationError(
                {
                    "person": [
                        _("%(name)s is not a member of this household.") % {"name": person.name}
                    ]
                }
            )
        member.delete()
        if locked.head_id == person.pk:
            locked.head = None
            locked.save(update_fields=["head", "updated_at"])
        audit_record(
            actor=actor,
            action="household.member_remove",
            target=locked,
            changes={"person": person.pk, "relation": member.relation},
        )
    household.head_id = locked.head_id


def household_care_set(
    *, actor: User | None, household: Household, codes: Iterable[str]
) -> list[str]:
    """Set a household's care categories (active ones, by code); an empty list clears them."""
    _require_editor(actor, household.region)
    wanted = sorted({str(code).strip() for code in codes if str(code).strip()})
    known = set(CareCategory.objects.filter(active=True).values_list("code", flat=True))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationError(
            {
                "codes": [
                    _("Unknown care category: %(codes)s.") % {"codes": ", ".join(unknown)[:100]}
                ]
            }
        )
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        before = len(rules.care_codes_split(locked.care_codes))
        locked.care_codes = rules.care_codes_join(wanted)
        locked.save(update_fields=["care_codes", "updated_at"])
        HouseholdCare.objects.filter(household=locked).delete()
        HouseholdCare.objects.bulk_create(
            [HouseholdCare(household=locked, digest=rules.care_digest(code)) for code in wanted]
        )
        # The audit log is kept for years and read by more people: counts only, never which.
        audit_record(
            actor=actor,
            action="household.care_set",
            target=locked,
            changes={"care_categories": [before, len(wanted)]},
        )
    household.care_codes = locked.care_codes
    return wanted


CATEGORY_FIELDS = ("name", "must_visit", "order", "active")


def care_category_save(
    *, actor: User | None, category: CareCategory | None, code: str = "", **fields: Any
) -> CareCategory:
    """Add a care category, or change one's name, visit rule, order or whether it is in use.
    A code never changes: the households' digests are keyed on it."""
    if actor is not None and actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied(_("Only the county administrator edits the care categories."))
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    name = str(fields.get("name", category.name if category else "")).strip()
    if not name or len(name) > 64 or validators.text_problem(name) is not None:
        errors["name"] = [_("A name of 1 to 64 characters is required.")]
    if category is None:
        code = (code or "").strip()
        if (
            not code
            or len(code) > 32
            or not all(c.isalnum() or c == "_" for c in code)
            or not code.isascii()
        ):
            errors["code"] = [_("A code of letters, digits and _ (at most 32) is required.")]
        elif CareCategory.objects.filter(code=code).exists():
            errors["code"] = [_("Care category %(code)s already exists.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if category is None:
            saved = CareCategory.objects.create(code=code, **{**fields, "name": name})
            audit_record(actor=actor, action="household.care_category_create", target=saved)
            return saved
        locked = CareCategory.objects.select_for_update().get(pk=category.pk)
        values = {**fields, "name": name} if "name" in fields else fields
        changes = {k: [getattr(locked, k), v] for k, v in values.items() if getattr(locked, k) != v}
        for key, value in values.items():
            setattr(locked, key, value)
        if changes:
            locked.save(update_fields=list(changes))
            audit_record(
                actor=actor, action="household.care_category_update", target=locked, changes=changes
            )
        return locked


def household_address_reveal(*, actor: User, household: Household) -> str:
    """Show a household's address in clear to a role that may see it; audited and logged."""
    if not rules.can_reveal_address(actor.role):
        raise PermissionDenied(_("Your role does not allow seeing personal data unmasked."))
    audit_record(
        actor=actor, action="household.reveal", target=household, changes={"field": "address"}
    )
    return selectors.household_address(household, viewer=actor, reason="household.reveal")
