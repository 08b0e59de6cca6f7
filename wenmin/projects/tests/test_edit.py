"""Editing a registered project: one door (project_update), exactly the fields given, one audit
event, all-or-nothing refusals, the edit page for the owner's staff with its patron, 404 outside
the viewer's scope, and the public page showing the new name but never the internal note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.organisation import services as org
from wenmin.projects.models import Funding, Project
from wenmin.projects.services import project_update

from .conftest import World, client_for


def _snapshot(project_id: int) -> tuple[dict[str, object], list[tuple[str, Decimal]]]:
    fields = {
        f.attname: getattr(Project.objects.get(pk=project_id), f.attname)
        for f in Project._meta.concrete_fields
    }
    fundings = sorted(Funding.objects.filter(project_id=project_id).values_list("source", "amount"))
    return fields, fundings


def test_an_edit_changes_exactly_the_fields_given_and_writes_one_audit_event(
    world: World,
) -> None:
    c = world.desk.county
    before, fundings_before = _snapshot(world.project.pk)
    events = AuditEvent.objects.count()
    project_update(
        actor=c.department_clerk,
        project=world.project,
        name="青石村道路硬化及亮化工程",
        budget="2800000",
        planned_finish=world.project.planned_finish + dt.timedelta(days=30),
    )
    after, fundings_after = _snapshot(world.project.pk)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"name", "budget", "planned_finish"}
    assert after["name"] == "青石村道路硬化及亮化工程" and after["budget"] == Decimal("2800000")
    assert fundings_after == fundings_before
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.get(action="projects.update")
    assert sorted(event.changes) == ["budget", "name", "planned_finish"]
    assert event.changes["name"] == ["青石村道路硬化工程", "青石村道路硬化及亮化工程"]
    # the same values again change nothing and write nothing
    project_update(actor=c.department_clerk, project=world.project, budget="2800000.00")
    assert AuditEvent.objects.filter(action="projects.update").count() == 1
    # funding sources are replaced as a whole
    project_update(
        actor=c.department_clerk, project=world.project, fundings=[("county", "2800000")]
    )
    assert _snapshot(world.project.pk)[1] == [("county", Decimal("2800000"))]


@pytest.mark.parametrize(
    "changes",
    [
        {"planned_start": "2030-01-02", "planned_finish": "2030-01-01"},
        {"planned_finish": "2000-01-01"},
        {"budget": "-1"},
        {"category": "casino"},
        {"name": "新名字", "budget": "-5"},
        {"fundings": [("lottery", "1")]},
        {"name": "   "},
        {"origin_kind": "case"},
    ],
)
def test_a_bad_edit_is_refused_with_nothing_saved(world: World, changes: dict) -> None:  # type: ignore[type-arg]
    before = _snapshot(world.project.pk)
    with pytest.raises(ValidationError):
        project_update(actor=world.desk.county.department_clerk, project=world.project, **changes)
    assert _snapshot(world.project.pk) == before
    assert not AuditEvent.objects.filter(action="projects.update").exists()


def _post(world: World, **over: str) -> dict[str, str]:
    c = world.desk.county
    p = world.project
    data = {
        "name": p.name,
        "category": p.category,
        "description": p.description,
        "internal_note": p.internal_note,
        "township": c.township_a.code,
        "village": c.village_a.code,
        "owner": c.department.code,
        "responsible": str(p.responsible_id or ""),
        "patron": str(p.patron_id or ""),
        "budget": str(p.budget),
        "planned_start": p.planned_start.isoformat(),
        "planned_finish": p.planned_finish.isoformat(),
        "fund_county": "1600000",
        "fund_province": "1000000",
    }
    data.update(over)
    return data


def test_the_owner_edits_on_the_page_and_the_public_page_shows_the_new_name_only(
    world: World,
) -> None:
    c = world.desk.county
    staff = client_for(c.department_clerk)
    detail = staff.get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    edit_url = reverse("projects:edit", args=[world.project.pk])
    assert edit_url in detail
    page = staff.get(edit_url)
    assert page.status_code == 200 and "青石村道路硬化工程" in page.content.decode()
    answer = staff.post(
        edit_url,
        _post(world, name="青石村道路提升工程", internal_note="内部：新的施工方已核实"),
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    project = Project.objects.get(pk=world.project.pk)
    assert (project.name, project.internal_note) == ("青石村道路提升工程", "内部：新的施工方已核实")
    event = AuditEvent.objects.get(action="projects.update")
    assert sorted(event.changes) == ["internal_note", "name"]
    public = client_for(c.resident).get(reverse("projects:public", args=[project.pk]))
    text = public.content.decode()
    assert "青石村道路提升工程" in text
    assert "新的施工方已核实" not in text and "施工方资质待复核" not in text


def test_a_bad_edit_on_the_page_is_refused_and_nothing_is_saved(world: World) -> None:
    staff = client_for(world.desk.county.department_clerk)
    edit_url = reverse("projects:edit", args=[world.project.pk])
    before = _snapshot(world.project.pk)
    for over in (
        {"name": "改名", "planned_start": "2030-06-01", "planned_finish": "2030-05-01"},
        {"name": "改名", "budget": "-3"},
        {"name": "改名", "category": "casino"},
        {"name": "改名", "owner": "NOPE"},
        {"name": "改名", "budget": "一百万"},
    ):
        answer = staff.post(edit_url, _post(world, **over))
        assert answer.status_code == 400, over
    assert _snapshot(world.project.pk) == before
    assert not AuditEvent.objects.filter(action="projects.update").exists()


def test_the_patron_is_set_or_changed_on_the_edit_page(world: World) -> None:
    c = world.desk.county
    other = org.person_create(actor=None, name="李副县长", gender="male", birth_year=1972)
    org.position_start(
        actor=None,
        person=other,
        kind="county_leader_liaison",
        region=c.township_a,
        start_date=dt.date(2020, 1, 1),
    )
    staff = client_for(c.department_clerk)
    answer = staff.post(
        reverse("projects:edit", args=[world.project.pk]), _post(world, patron=str(other.pk))
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    project = Project.objects.get(pk=world.project.pk)
    assert project.patron == other
    assert project.patron_position is not None and project.patron_position.person == other
    event = AuditEvent.objects.get(action="projects.patron_set")
    assert event.changes == {"patron": [world.patron.pk, other.pk]}
    assert not AuditEvent.objects.filter(action="projects.update").exists()


def test_who_may_open_the_edit_page(world: World) -> None:
    c = world.desk.county
    url = reverse("projects:edit", args=[world.project.pk])
    assert client_for(c.other_township_clerk).get(url).status_code == 404
    assert client_for(c.other_township_clerk).post(url, _post(world, name="x")).status_code == 404
    assert client_for(c.leader).get(url).status_code == 403
    assert client_for(c.resident).get(url).status_code == 403
    assert client_for(c.administrator).get(url).status_code == 200
    assert (
        client_for(c.department_clerk).get(reverse("projects:edit", args=[999999])).status_code
        == 404
    )
    assert Project.objects.get(pk=world.project.pk).name == "青石村道路硬化工程"
