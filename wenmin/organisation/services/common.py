"""What every organisation write checks first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from wenmin.core import roles
from wenmin.core.models import User


def require_administrator(actor: User | None) -> None:
    """Reference data is edited by the county administrator only (None: a system command)."""
    if actor is not None and not roles.can_manage_reference_data(actor.role):
        raise PermissionDenied(_("Only the county administrator may change reference data."))
