"""Writing regions, units and people to a workbook, streamed from the database in chunks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from wenmin.core.audit import audit_record
from wenmin.core.crypto import mask_id_number, mask_phone, personal_data_viewed
from wenmin.core.excel import StreamedWorkbook
from wenmin.core.models import User
from wenmin.organisation import selectors
from wenmin.organisation.excel import (
    GENDER_WORDS,
    LEVEL_WORDS,
    NO,
    RANK_WORDS,
    REGION_KIND_WORDS,
    STATUS_WORDS,
    UNIT_KIND_WORDS,
    YES,
    Sheet,
    word,
)
from wenmin.organisation.models import Person, Region, Unit

CHUNK_SIZE = 2000


def _regions(viewer: User | None) -> QuerySet[Region]:
    regions = Region.objects.all() if viewer is None else selectors.regions_visible_to(viewer)
    # By path, so every parent comes before its children and the file imports as it is.
    return regions.select_related("parent").order_by("path")


def _units(viewer: User | None) -> QuerySet[Unit]:
    units = Unit.objects.all() if viewer is None else selectors.units_visible_to(viewer)
    return units.select_related("region", "parent").order_by("path")


def _people(viewer: User | None) -> QuerySet[Person]:
    people = Person.objects.all() if viewer is None else selectors.people_visible_to(viewer)
    return people.select_related(
        "region", "party_membership__branch", "cadre__unit", "volunteer__team"
    ).order_by("id")


def _region_cells(region: Region, unmasked: bool) -> list[Any]:
    return [
        region.code,
        region.name,
        word(LEVEL_WORDS, region.level),
        word(REGION_KIND_WORDS, region.kind),
        region.parent.code if region.parent else "",
        region.population,
        region.latitude,
        region.longitude,
    ]


def _unit_cells(unit: Unit, unmasked: bool) -> list[Any]:
    return [
        unit.code,
        unit.name,
        word(UNIT_KIND_WORDS, unit.kind),
        unit.region.code,
        unit.parent.code if unit.parent else "",
        unit.member_count,
    ]


def _role(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def _person_cells(person: Person, unmasked: bool) -> list[Any]:
    member, cadre, volunteer = (
        _role(person, name) for name in ("party_membership", "cadre", "volunteer")
    )
    return [
        person.name,
        word(GENDER_WORDS, person.gender),
        person.birth_year,
        person.phone if unmasked else mask_phone(person.phone),
        person.id_number if unmasked else mask_id_number(person.id_number),
        person.region.code if person.region else "",
        YES if person.is_resident else NO,
        member.branch.code if member else "",
        member.joined_on if member else None,
        word(STATUS_WORDS, member.status) if member else "",
        cadre.unit.code if cadre else "",
        cadre.position if cadre else "",
        word(RANK_WORDS, cadre.rank) if cadre else "",
        volunteer.post if volunteer else "",
        volunteer.team.code if volunteer and volunteer.team else "",
    ]


_SOURCES: dict[
    str, tuple[Callable[[User | None], QuerySet[Any]], Callable[[Any, bool], list[Any]]]
] = {
    "regions": (_regions, _region_cells),
    "units": (_units, _unit_cells),
    "people": (_people, _person_cells),
}


def _rows(
    sheet: Sheet, viewer: User | None, unmasked: bool, actor_label: str = ""
) -> Iterator[list[Any]]:
    queryset, cells = _SOURCES[sheet.key]
    record: Model
    shown: list[int] = []  # people whose phone and ID number went out in clear, per chunk
    for record in queryset(viewer).iterator(chunk_size=CHUNK_SIZE):
        yield cells(record, unmasked)
        if unmasked and sheet.key == "people":
            shown.append(record.pk)
            if len(shown) >= CHUNK_SIZE:
                _log_unmasked(viewer, actor_label, shown)
                shown = []
    _log_unmasked(viewer, actor_label, shown)


def _log_unmasked(viewer: User | None, actor_label: str, people: list[int]) -> None:
    personal_data_viewed(
        viewer=viewer,
        viewer_label=actor_label,
        person_ids=people,
        fields=["phone", "id_number"],
        reason="person.export_unmasked",
    )


def write_template(*, sheet: Sheet, target: IO[bytes]) -> None:
    """An empty workbook with the sheet's headers, to fill in and import."""
    workbook = StreamedWorkbook()
    workbook.sheet(sheet.title, headers=sheet.headers)
    workbook.save(target)


def export_workbook(
    *,
    viewer: User | None,
    sheet: Sheet,
    target: IO[bytes],
    unmasked: bool = False,
    actor_label: str = "",
) -> int:
    """Write what the viewer may see (everything for a command) and log it; returns the row count.

    Phones and ID numbers stay masked unless `unmasked`; the caller decides who may have that.
    """
    workbook = StreamedWorkbook()
    worksheet = workbook.sheet(sheet.title, headers=sheet.headers)
    for cells in _rows(sheet, viewer, unmasked, actor_label):
        worksheet.append(cells)
    workbook.save(target)
    count = worksheet.rows
    personal = sheet.key == "people"
    audit_record(
        actor=viewer,
        actor_label=actor_label,
        action="person.export_unmasked" if personal and unmasked else "excel.export",
        changes={"sheet": sheet.key, "rows": count, "masked": personal and not unmasked},
    )
    return count
