"""The residents' demo data: the demo `resident` login proved its phone."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.residents.services import verified_phone_set

DEMO_RESIDENT = "resident"  # the demo login of organisation.seed.logins


def residents_seed(*, now: dt.datetime) -> list[str]:
    """Mark the demo resident's phone verified, as entering a code would have."""
    user = User.objects.select_related("person").filter(username=DEMO_RESIDENT).first()
    if user is None or user.person is None or not user.person.phone_digest:
        return []
    verified_phone_set(
        user=user,
        phone_digest=user.person.phone_digest,
        actor=None,
        changes={"via": "demo"},
        at=now,
    )
    return [_("Residents: the demo login %(login)s has a verified phone.") % {"login": user}]
