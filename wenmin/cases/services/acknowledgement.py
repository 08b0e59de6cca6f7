"""The printed acknowledgement (受理回执) of a case registered for a requester no SMS can reach.

Staff never see tracking codes: a requester with a phone gets theirs by SMS. One without a phone
gets a printed slip at the counter, as service centres do; only the clerk who registered the case
may print it, only while the requester is still at the counter, and every printing is audited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case
from wenmin.core.audit import audit_record
from wenmin.core.models import User

PRINTABLE_FOR = dt.timedelta(minutes=30)


def requester_texted(case: Case) -> bool:
    """Whether the intake SMS with the tracking code reaches the requester: a phone on file and
    the SMS backend configured."""
    phone = case.requester.phone if case.requester is not None else ""
    return bool(phone) and "sms" in getattr(settings, "WENMIN_NOTIFY_BACKENDS", [])


def acknowledgement_printable(*, case: Case, viewer: User, now: dt.datetime | None = None) -> bool:
    """The registering clerk, within PRINTABLE_FOR of registering a case no SMS reaches."""
    return (
        case.registered_by_id is not None
        and case.registered_by_id == viewer.pk
        and (now or timezone.now()) <= case.received_at + PRINTABLE_FOR
        and not requester_texted(case)
    )


def acknowledgement_case(*, viewer: User, case_id: int) -> Case | None:
    """The case whose acknowledgement the viewer may print now, or None (the registering clerk may
    be outside the case's scope: a counter registers for the whole county)."""
    case = (
        Case.objects.select_related("requester", "region", "category")
        .filter(pk=case_id, registered_by=viewer)
        .first()
    )
    return (
        case if case is not None and acknowledgement_printable(case=case, viewer=viewer) else None
    )


def case_acknowledgement_print(*, case: Case, actor: User) -> str:
    """The tracking code for the printed acknowledgement; each printing is audited."""
    if not acknowledgement_printable(case=case, viewer=actor):
        raise PermissionDenied(
            _("Only the clerk who registered the case can print its acknowledgement, right after.")
        )
    audit_record(actor=actor, action="case.acknowledgement_printed", target=case)
    return case.tracking_code
