"""Who may read the front-line dossiers and keep the field inspections: the organisation
department (the administrator and county leaders), as the scoreboard's dossier rule says."""

from __future__ import annotations

from typing import Any

from wenmin.scoreboard.selectors import can_see_dossiers


def org_department(user: Any) -> bool:
    """The organisation department: reads every dossier, records and changes inspections."""
    return bool(getattr(user, "is_authenticated", False)) and can_see_dossiers(user)
