"""The only door for writes to the organisation: each checks, saves and audits.

`*_build` functions check and return unsaved objects (shared by single writes, the admin and
Excel imports); `*_create`, `*_update`, `*_set`, `position_*` save in one transaction with an
audit event.
"""

from __future__ import annotations

from wenmin.organisation.services.common import require_administrator
from wenmin.organisation.services.imports import (
    ImportOutcome,
    ImportRefused,
    ImportRow,
    people_import,
    regions_import,
    units_import,
)
from wenmin.organisation.services.people import (
    cadre_build,
    cadre_set,
    party_member_build,
    party_member_set,
    person_build,
    person_create,
    person_update,
    personal_data_reveal,
    position_end,
    position_start,
    resident_find_or_create,
    volunteer_build,
    volunteer_set,
)
from wenmin.organisation.services.regions import (
    region_build,
    region_create,
    region_insert,
    region_update,
)
from wenmin.organisation.services.units import unit_build, unit_create, unit_update

__all__ = [
    "ImportOutcome",
    "ImportRefused",
    "ImportRow",
    "cadre_build",
    "cadre_set",
    "party_member_build",
    "party_member_set",
    "people_import",
    "person_build",
    "person_create",
    "person_update",
    "personal_data_reveal",
    "position_end",
    "position_start",
    "region_build",
    "region_create",
    "region_insert",
    "region_update",
    "regions_import",
    "require_administrator",
    "resident_find_or_create",
    "unit_build",
    "unit_create",
    "unit_update",
    "units_import",
    "volunteer_build",
    "volunteer_set",
]
