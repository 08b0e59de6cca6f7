"""志愿服务记录证明: the team that recorded the hours certifies them (谁记录谁证明). A certificate
covers only confirmed hours; its number carries check characters; a revoked one fails
verification."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.volunteers import access, rules
from wenmin.volunteers.models import Certificate, Participation, Profile, Team


def certificate_issue(
    *,
    actor: User | None,
    profile: Profile,
    team: Team,
    participation_ids: list[int] | None = None,
) -> Certificate:
    """Issue a certificate of the hours this team confirmed for a volunteer (all of them, or the
    participations named); refused for any unconfirmed hours and when there are none."""
    own = actor is not None and actor.person_id == profile.volunteer.person_id
    if actor is not None and not own and not access.may_organise(actor, team):
        raise PermissionDenied(_("A certificate goes to its volunteer or the team's organisers."))
    with transaction.atomic():
        rows = Participation.objects.filter(profile=profile, activity__team=team).select_related(
            "activity"
        )
        if participation_ids is not None:
            rows = rows.filter(pk__in=participation_ids)
            found = list(rows)
            if len(found) != len(set(participation_ids)):
                raise ValidationError(_("These records are not this volunteer's with this team."))
            if any(row.confirmed_at is None for row in found):
                raise ValidationError(
                    _("A certificate certifies confirmed hours only: some of these are not.")
                )
        else:
            found = [row for row in rows if row.confirmed_at is not None]
        found = [row for row in found if row.hours]
        if not found:
            raise ValidationError(
                _("There are no confirmed hours to certify yet: the organiser confirms them first.")
            )
        found.sort(key=lambda row: (row.activity.starts_at, row.pk))
        now = timezone.now()
        certificate = Certificate.objects.create(
            number=f"pending-{uuid.uuid4().hex[:16]}",
            profile=profile,
            team=team,
            hours=sum((row.hours or 0 for row in found), start=rules.HOURS_STEP * 0),
            services=[
                {
                    "title": row.activity.title,
                    "date": timezone.localtime(row.activity.starts_at).date().isoformat(),
                    "place": row.activity.place,
                    "hours": str(row.hours),
                }
                for row in found
            ],
            issued_at=now,
            issued_by=actor,
        )
        certificate.number = rules.certificate_number(
            year=timezone.localtime(now).year, serial=certificate.pk, key=settings.SECRET_KEY
        )
        certificate.save(update_fields=["number"])
        audit_record(
            actor=actor,
            action="volunteers.certificate_issue",
            target=certificate,
            changes={"hours": str(certificate.hours), "records": len(found)},
        )
    return certificate


def certificate_revoke(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (it then fails verification), with the reason."""
    if actor is not None and not access.may_organise(actor, certificate.team):
        raise PermissionDenied(_("Only the issuing team's organisers revoke its certificates."))
    text = validators.text_field_check(reason, field="reason", max_length=1000, multiline=True)
    if not text.strip():
        raise ValidationError({"reason": [_("Say why the certificate is revoked.")]})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("This certificate is revoked already."))
        locked.revoked_at = timezone.now()
        locked.revoke_reason = text.strip()
        locked.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor,
            action="volunteers.certificate_revoke",
            target=locked,
            changes={"reason": locked.revoke_reason},
        )
    return locked
