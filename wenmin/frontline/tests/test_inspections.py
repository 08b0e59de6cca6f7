"""Field inspections (一线考察): recorded over HTTP by the organisation department and shown in the
cadre's dossier; refused when dated in the future, placed nowhere or too short; changed only
with a reason, kept with what it said before; counted for the cadre in the daily counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.frontline.models import FieldInspection, InspectionChange
from wenmin.frontline.services import inspection_add, inspection_edit
from wenmin.tallies import readers
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON
from wenmin.testing import CaseDesk

from .conftest import client_for

NEW = reverse("frontline:inspection_new")
SEEN = "在村道施工现场协调征迁，群众反映良好。"


def test_the_department_records_an_inspection_and_the_dossier_shows_it(desk: CaseDesk) -> None:
    c = desk.county
    client = client_for(c.leader)
    form = client.get(NEW, {"cadre": c.cadre_department.pk})
    assert form.status_code == 200 and "张伟" in form.content.decode()
    today = timezone.localdate()
    sent = client.post(
        NEW,
        {
            "cadre": str(c.cadre_department.pk),
            "inspected_on": today.isoformat(),
            "village": c.village_a.code,
            "observed": SEEN,
            "rating": "good",
        },
    )
    inspection = FieldInspection.objects.get()
    assert sent.status_code == 302 and sent["Location"].startswith(
        reverse("frontline:cadre", args=[c.cadre_department.pk])
    )
    assert (inspection.region, inspection.rating, inspection.inspector) == (
        c.village_a,
        "good",
        c.leader,
    )
    assert AuditEvent.objects.filter(action="frontline.inspection_add").count() == 1
    page = client.get(sent["Location"]).content.decode()
    assert SEEN in page and reverse("frontline:inspection", args=[inspection.pk]) in page
    listed = client.get(reverse("frontline:home")).content.decode()
    assert f'data-inspection="{inspection.pk}"' in listed


def test_an_inspection_is_refused_in_the_future_placed_nowhere_or_said_in_a_word(
    desk: CaseDesk,
) -> None:
    c = desk.county
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        inspection_add(
            actor=c.leader,
            cadre=c.cadre_department,
            inspected_on=tomorrow,
            observed="好",
            rating="excellent",
        )
    assert set(refused.value.message_dict) == {"inspected_on", "region", "observed", "rating"}
    with pytest.raises(ValidationError) as not_a_cadre:
        inspection_add(
            actor=c.leader,
            cadre=c.member_a,
            inspected_on=timezone.localdate(),
            region=c.village_a,
            observed=SEEN,
            rating="good",
        )
    assert "cadre" in not_a_cadre.value.message_dict
    with pytest.raises(PermissionDenied):
        inspection_add(
            actor=c.township_clerk,
            cadre=c.cadre_department,
            inspected_on=timezone.localdate(),
            region=c.village_a,
            observed=SEEN,
            rating="good",
        )
    over_http = client_for(c.leader).post(
        NEW,
        {
            "cadre": str(c.cadre_department.pk),
            "inspected_on": tomorrow.isoformat(),
            "observed": SEEN,
            "rating": "good",
        },
    )
    assert over_http.status_code == 400
    assert not FieldInspection.objects.exists()
    for user in (c.township_clerk, c.branch_secretary, c.resident):
        assert client_for(user).get(NEW).status_code == 403, user.role


def test_a_change_needs_a_reason_which_is_kept_with_what_it_said_before(desk: CaseDesk) -> None:
    c = desk.county
    today = timezone.localdate()
    inspection = inspection_add(
        actor=c.leader,
        cadre=c.cadre_department,
        inspected_on=today,
        region=c.village_a,
        observed=SEEN,
        rating="fair",
    )
    url = reverse("frontline:inspection_edit", args=[inspection.pk])
    client = client_for(c.administrator)
    values = {
        "inspected_on": today.isoformat(),
        "village": c.village_a.code,
        "observed": SEEN,
        "rating": "good",
    }
    without = client.post(url, values)
    assert without.status_code == 400 and "reason" in without.context["form"].errors
    assert FieldInspection.objects.get().rating == "fair"
    with pytest.raises(ValidationError):
        inspection_edit(
            actor=c.administrator,
            inspection=inspection,
            reason="核实后无变化",
            inspected_on=today,
            region=c.village_a,
            observed=SEEN,
            rating="fair",
        )  # nothing changed: nothing to keep
    sent = client.post(url, {**values, "reason": "复核现场后更正评价"})
    assert sent.status_code == 302
    inspection.refresh_from_db()
    change = InspectionChange.objects.get()
    assert inspection.rating == "good" and inspection.updated_at is not None
    assert change.reason == "复核现场后更正评价" and change.before["rating"] == "fair"
    event = AuditEvent.objects.get(action="frontline.inspection_edit")
    assert event.changes["rating"] == ["fair", "good"]
    page = client.get(reverse("frontline:inspection", args=[inspection.pk])).content.decode()
    assert "复核现场后更正评价" in page
    assert client_for(c.township_clerk).get(url).status_code == 403


def test_inspections_keep_the_daily_counts_equal_to_a_rebuild(desk: CaseDesk) -> None:
    c = desk.county
    today = timezone.localdate()
    made = [
        inspection_add(
            actor=c.leader,
            cadre=c.cadre_department,
            inspected_on=today - dt.timedelta(days=n),
            region=c.village_a,
            observed=SEEN,
            rating=rating,
        )
        for n, rating in enumerate(("good", "poor", "fairly_good"))
    ]
    inspection_edit(
        actor=c.administrator,
        inspection=made[1],
        reason="复核后更正",
        inspected_on=today - dt.timedelta(days=1),
        region=c.village_a,
        observed=SEEN,
        rating="fair",
    )
    report = tallies_rebuild(sources=["frontline"], dry_run=True)
    assert [r.difference_count for r in report] == [0]
    totals = readers.totals(
        "frontline",
        PERSON,
        [c.cadre_department.pk],
        today - dt.timedelta(days=10),
        today,
        ["inspections", "points", "good"],
    )
    # good 4 + fair 2 (changed from poor) + fairly good 3; two of three rated good or fairly good
    assert totals[c.cadre_department.pk] == {"inspections": 3.0, "points": 9.0, "good": 2.0}
    listed, total = readers.evidence(
        "frontline", PERSON, c.cadre_department.pk, today - dt.timedelta(days=10), today, ["good"]
    )
    assert total == 2 and listed[0].described.url == reverse(
        "frontline:inspection", args=[made[0].pk]
    )
