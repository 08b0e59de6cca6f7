"""The deeds ledger in the shared daily counts: a confirmed deed counts one deed on the day it was
done for who did it, its branch, its department and its township; a pending one counts nothing;
the counts follow the admin's edits and deletions and always equal a rebuild from the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from wenmin.deeds.models import Deed
from wenmin.deeds.services import deed_confirm
from wenmin.deeds.tally_source import DEEDS, SOURCE
from wenmin.tallies import readers
from wenmin.tallies.models import Entry
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, REGION, UNIT, measures

from .conftest import DeedWorld, a_deed

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 30)


def _count(
    subject_type: str, subject_id: int, start: dt.date = MARCH, end: dt.date = APRIL
) -> float:
    found = readers.totals(SOURCE, subject_type, [subject_id], start, end, [DEEDS])
    return found.get(subject_id, {}).get(DEEDS, 0.0)


def _history(world: DeedWorld) -> dict[str, Deed]:
    """Six deeds of March and April, five of them confirmed."""
    c = world.county
    deeds = {
        "branch": a_deed(world, day=dt.date(2026, 3, 2)),
        "member": a_deed(
            world, day=dt.date(2026, 3, 9), doer_kind="member", person=c.member_a, branch=None
        ),
        "cadre": a_deed(
            world,
            actor=c.administrator,
            day=dt.date(2026, 4, 10),
            doer_kind="cadre",
            person=c.cadre_department,
            branch=None,
        ),
        "team": a_deed(
            world,
            actor=c.township_clerk,
            day=dt.date(2026, 4, 9),
            doer_kind="team",
            team=c.team_a,
            branch=None,
        ),
        "department": a_deed(
            world,
            actor=c.department_clerk,
            day=dt.date(2026, 4, 20),
            household=world.other_household,
            branch=c.branch_b,
        ),
        "pending": a_deed(world, day=dt.date(2026, 4, 21), title="尚未确认"),
    }
    for name, deed in deeds.items():
        if name == "department":
            deed_confirm(deed=deed, actor=c.other_township_clerk, confirmer_kind="village")
        elif name != "pending":
            deed_confirm(deed=deed, actor=world.village_clerk, confirmer_kind="village")
    return deeds


def test_the_measure_keeps_the_counter_the_points_read() -> None:
    measure = measures()["deeds.count"]
    assert (measure.counter, measure.subjects["cadre"], measure.subjects["township"]) == (
        "deeds",
        PERSON,
        REGION,
    )


def test_confirmed_deeds_count_for_who_did_them_on_the_day_they_were_done(
    world: DeedWorld,
) -> None:
    c = world.county
    pending = a_deed(world, day=dt.date(2026, 3, 2))
    assert _count(REGION, c.township_a.pk) == 0  # recorded, not yet confirmed
    deeds = _history(world)
    assert _count(REGION, c.township_a.pk) == 4  # branch, member, cadre, team
    assert _count(REGION, c.township_b.pk) == 1
    assert _count(REGION, c.township_a.pk, MARCH, dt.date(2026, 3, 31)) == 2
    assert _count(UNIT, c.branch_a.pk) == 2  # its own and its member's; not the team's
    assert _count(UNIT, c.branch_b.pk) == 1
    assert _count(PERSON, c.member_a.pk) == 1
    assert _count(PERSON, c.cadre_department.pk) == 1
    # The department's own: done by its cadre, and recorded by its staff.
    assert _count(UNIT, c.department.pk) == 2
    assert _count(UNIT, c.team_a.pk) == 0  # a team is no group's subject
    responsible = set(
        Entry.objects.filter(source=SOURCE, record=deeds["cadre"].pk).values_list(
            "for_unit", flat=True
        )
    )
    assert responsible == {c.department.pk}
    rows, total = readers.evidence(SOURCE, UNIT, c.branch_a.pk, MARCH, APRIL, [DEEDS])
    assert total == 2 and [row.record for row in rows] == [deeds["member"].pk, deeds["branch"].pk]
    assert rows[0].described.url == f"/deeds/{deeds['member'].pk}/"
    assert rows[0].described.label.startswith("2026-03-09 ")
    assert pending.pk not in {row.record for row in rows}


def test_a_mixed_history_with_admin_edits_equals_a_rebuild(world: DeedWorld) -> None:
    c = world.county
    deeds = _history(world)
    deed_admin = admin.site._registry[Deed]
    request = RequestFactory().post("/admin/")
    moved = Deed.objects.get(pk=deeds["member"].pk)
    moved.done_on = dt.date(2026, 4, 2)  # a typo in the date, put right in the admin
    deed_admin.save_model(request, moved, None, True)
    deed_admin.delete_model(request, deeds["team"])
    deed_admin.delete_queryset(request, Deed.objects.filter(pk=deeds["department"].pk))
    assert _count(REGION, c.township_a.pk, MARCH, dt.date(2026, 3, 31)) == 1
    assert _count(REGION, c.township_a.pk) == 3
    assert _count(REGION, c.township_b.pk) == 0
    assert _count(UNIT, c.department.pk) == 1
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    assert report.records == 3
