"""Pickers of units, regions and people: scoped to the viewer, at most PICK_LIMIT matches, and a
page that stays small however many units the province holds."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wenmin.organisation import services as org
from wenmin.organisation.models import Region, Unit
from wenmin.organisation.pickers import PICK_LIMIT

WORKBENCH = reverse("cases:workbench")


@pytest.fixture
def other_county(county):  # type: ignore[no-untyped-def]
    """A second county with a township, a village, a department and 2,000 work stations."""
    second = org.region_create(
        actor=None, code="369902000000", name="远山县", level="county", kind="county", parent=None
    )
    township = org.region_create(
        actor=None, code="369902101000", name="远山镇", level="township", kind="town", parent=second
    )
    village = org.region_create(
        actor=None,
        code="369902101201",
        name="远山村",
        level="village",
        kind="village",
        parent=township,
    )
    department = org.unit_create(
        actor=None, code="Y-ZJ", name="远山县住房和城乡建设局", kind="department", region=second
    )
    Unit.objects.bulk_create(
        Unit(
            code=f"Y-WS{n:04d}",
            name=f"远山县工作站{n:04d}",
            kind="work_station",
            region=village,
            path=f"Y-WS{n:04d}/",
        )
        for n in range(2000)
    )
    return {"county": second, "township": township, "village": village, "department": department}


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', html)


def _pick(client, kind: str, text: str = "", field: str = "q"):  # type: ignore[no-untyped-def]
    response = client.get(reverse("organisation:pick", args=[kind]), {"field": field, field: text})
    assert response.status_code == 200
    return _options(response.content.decode())


def test_a_township_clerks_workbench_holds_no_unit_of_another_county(client, county, other_county):
    client.force_login(county.township_clerk)
    page = client.get(WORKBENCH).content.decode()
    assert "远山" not in page and "Y-WS" not in page
    assert len(_options(page)) < 60  # kinds, states, channels…: never a table of units


def test_the_dispatchers_page_stays_small_however_many_units_there_are(client, desk, other_county):
    from wenmin.cases import services as cases

    cases.case_intake(
        channel="phone", content="路灯坏了", kind="help", region=desk.county.village_a
    )
    client.force_login(desk.dispatcher)
    page = client.get(WORKBENCH, {"queue": "all"}).content.decode()
    assert Unit.objects.count() > 2000
    assert len(_options(page)) < 60
    assert "Y-WS" not in page and 'name="unit"' in page  # the bulk dispatch picker


def test_the_unit_picker_answers_from_the_viewers_county_only(client, county, other_county):
    client.force_login(county.township_clerk)
    assert _pick(client, "unit", "局") == ["D-SL", "D-ZJ"]  # the home county's departments
    assert _pick(client, "unit", "远山") == []
    assert _pick(client, "unit", "Y-") == []
    found = _pick(client, "unit")
    assert "T1-GOV" in found and not any(code.startswith("Y-") for code in found)


def test_a_viewer_of_the_other_county_gets_at_most_the_limit(client, county, other_county):
    from wenmin.core.models import User
    from wenmin.core.roles import Role

    clerk = User.objects.create_user(
        "yuanshan", role=Role.DEPARTMENT_STAFF, unit=other_county["department"]
    )
    client.force_login(clerk)
    found = _pick(client, "unit", "工作站")
    assert len(found) == PICK_LIMIT and all(code.startswith("Y-WS") for code in found)
    assert _pick(client, "unit", "青石") == []


def test_region_pickers_follow_the_regions_the_viewer_sees(client, county, other_county):
    client.force_login(county.township_clerk)
    assert _pick(client, "village") == [county.village_a.code]
    assert _pick(client, "township") == [county.township_a.code]
    client.force_login(county.administrator)
    villages = _pick(client, "village", "村")
    assert set(villages) == set(
        Region.objects.filter(level="village").values_list("code", flat=True)
    )


def test_a_multiple_picker_keeps_the_codes_already_typed(client, county):
    client.force_login(county.township_clerk)
    found = _pick(client, "unit", "D-SL, 住房", field="co_units")
    assert found == ["D-SL, D-ZJ"]


def test_pickers_refuse_the_public_and_unknown_kinds(client, county):
    url = reverse("organisation:pick", args=["unit"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(county.township_clerk)
    assert client.get(reverse("organisation:pick", args=["user"])).status_code == 404
    assert client.get(url, {"field": "q", "q": "\x00局"}).status_code == 200


def test_a_unit_outside_the_county_cannot_be_chosen_by_its_code(client, desk, other_county):
    from wenmin.cases import services as cases
    from wenmin.cases.models import Case

    case = cases.case_intake(
        channel="phone", content="路灯坏了", kind="help", region=desk.county.village_a
    )
    client.force_login(desk.dispatcher)
    url = reverse("cases:case_act", args=[case.pk, "dispatch"])
    response = client.post(url, {"unit": "Y-ZJ"})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).lead_unit_id is None
    response = client.post(url, {"unit": "D-ZJ"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).lead_unit == desk.county.department
