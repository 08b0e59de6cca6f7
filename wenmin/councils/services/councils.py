"""Councils, their members and a county's procedure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import roles, validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.councils.models import CouncilMember, MemberKind, ProcedureConfig, VillagersCouncil
from wenmin.councils.procedure import NOTICE_DAYS_MAX, fraction_problem, stages_problem
from wenmin.councils.selectors import COUNCIL_LEVELS
from wenmin.councils.services.common import refuse, require_manager, text
from wenmin.organisation.models import Person, Region, RegionLevel

NAME_MAX = 100


def _date(value: dt.date, field: str) -> dt.date:
    try:
        return validators.check_date(value)
    except Exception:  # noqa: BLE001  (the validator's message, under the field)
        refuse(field, _("Enter a valid date."))


def council_create(
    *,
    actor: User | None,
    region: Region,
    name: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
) -> VillagersCouncil:
    """A villagers' council for a village or a natural village (villagers' group)."""
    if region.level not in COUNCIL_LEVELS:
        refuse("region", _("A council serves a village or a villagers' group."))
    require_manager(actor, region)
    name = text(name, field="name", max_length=NAME_MAX, required=True)
    term_start = _date(term_start, "term_start")
    if term_end is not None and _date(term_end, "term_end") <= term_start:
        refuse("term_end", _("The term must end after it starts."))
    with transaction.atomic():
        council = VillagersCouncil.objects.create(
            region=region, name=name, term_start=term_start, term_end=term_end
        )
        audit_record(
            actor=actor,
            action="councils.council_create",
            target=council,
            changes={"region": region.code, "name": name},
        )
    return council


def _village_of(region: Region) -> Region:
    return region.parent if region.level == RegionLevel.GROUP and region.parent else region


def council_member_add(
    *,
    actor: User | None,
    council: VillagersCouncil,
    person: Person,
    kind: str,
    start_date: dt.date,
    chair: bool = False,
) -> CouncilMember:
    """A member of the council (a villager of its village), optionally its chair."""
    require_manager(actor, council.region)
    if kind not in MemberKind.values:
        refuse("kind", _("Choose the kind of member."))
    start_date = _date(start_date, "start_date")
    village = _village_of(council.region)
    if person.region is None or not person.region.path.startswith(village.path):
        refuse(
            "person",
            _("%(name)s does not live in %(village)s.")
            % {"name": person.name, "village": village.name},
        )
    with transaction.atomic():
        locked = VillagersCouncil.objects.select_for_update().get(pk=council.pk)
        if locked.members.filter(person=person, end_date__isnull=True).exists():
            refuse("person", _("%(name)s is already a member.") % {"name": person.name})
        member = CouncilMember.objects.create(
            council=locked, person=person, kind=kind, start_date=start_date
        )
        if chair:
            locked.chair = person
            locked.save(update_fields=["chair"])
        audit_record(
            actor=actor,
            action="councils.member_add",
            target=locked,
            changes={"person": person.pk, "kind": kind, "chair": chair},
        )
    return member


def procedure_set(
    *,
    actor: User | None,
    county: Region,
    stages: list[str],
    quorum: tuple[int, int],
    majority: tuple[int, int],
    notice_working_days: int,
) -> ProcedureConfig:
    """A county's procedure (the administrator's): its meetings, quorum, majority, notice."""
    if actor is not None and not roles.administrator_user(actor):
        raise PermissionDenied(_("Only the administrator sets the decision procedure."))
    if county.level != RegionLevel.COUNTY:
        refuse("county", _("A procedure is set for a county."))
    if stages_problem(stages):
        refuse(
            "stages",
            _(
                "Choose meetings in the order of the procedure, ending with the villagers' "
                "representatives' resolution."
            ),
        )
    for field, (numerator, denominator) in (("quorum", quorum), ("majority", majority)):
        if fraction_problem(numerator, denominator):
            refuse(field, _("Enter a share of at least 0 and less than 1, such as 1/2."))
    if not 1 <= notice_working_days <= NOTICE_DAYS_MAX:
        refuse(
            "notice_working_days",
            _("The notice period is 1 to %(max)s working days.") % {"max": NOTICE_DAYS_MAX},
        )
    with transaction.atomic():
        config, _created = ProcedureConfig.objects.update_or_create(
            county=county,
            defaults={
                "stages": list(stages),
                "quorum_numerator": quorum[0],
                "quorum_denominator": quorum[1],
                "majority_numerator": majority[0],
                "majority_denominator": majority[1],
                "notice_working_days": notice_working_days,
            },
        )
        audit_record(
            actor=actor,
            action="councils.procedure_set",
            target=config,
            changes={
                "stages": list(stages),
                "quorum": list(quorum),
                "majority": list(majority),
                "notice_working_days": notice_working_days,
                "at": timezone.now().isoformat(),
            },
        )
    return config


def council_member_end(
    *, actor: User | None, member: CouncilMember, end_date: dt.date
) -> CouncilMember:
    """A member leaves the council (the row stays, with its dates, for the record)."""
    require_manager(actor, member.council.region)
    end_date = _date(end_date, "end_date")
    with transaction.atomic():
        locked = CouncilMember.objects.select_for_update().get(pk=member.pk)
        if locked.end_date is not None:
            refuse("end_date", _("This membership has already ended."))
        if end_date < locked.start_date:
            refuse("end_date", _("A membership cannot end before it starts."))
        locked.end_date = end_date
        locked.save(update_fields=["end_date"])
        council = locked.council
        if council.chair_id == locked.person_id:
            council.chair = None
            council.save(update_fields=["chair"])
        audit_record(
            actor=actor,
            action="councils.member_end",
            target=council,
            changes={"person": locked.person_id, "end_date": end_date.isoformat()},
        )
    return locked
