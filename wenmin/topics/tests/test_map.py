"""The map's data: each viewer's own cases only, the filters, hotspots for the supervisors,
GCJ-02 where the tiles want it, and the tiles' host allowed only when configured."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.workflow import State
from wenmin.core.geo import distance_km, outside_china, wgs84_to_gcj02
from wenmin.topics.map_layers import layer_register, layers_for
from wenmin.topics.services import hotspots_detect
from wenmin.topics.tests.conftest import BAISHA, QINGSHI, History, client_for

pytestmark = pytest.mark.django_db

# (WGS-84 lat, lng) → (GCJ-02 lat, lng), published test points of the conversion (eviltransform,
# coordtransform).
KNOWN = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
    ((39.915, 116.404), (39.91640428150164, 116.41024449916938)),  # Beijing, coordtransform
]


@pytest.mark.parametrize(("wgs", "gcj"), KNOWN)
def test_wgs84_to_gcj02_matches_the_published_points(wgs, gcj) -> None:  # type: ignore[no-untyped-def]
    lat, lng = wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-7) and lng == pytest.approx(gcj[1], abs=1e-7)
    # The shift is hundreds of metres, as the providers' maps show.
    assert 0.1 < distance_km(wgs, (lat, lng)) < 1.0


def test_outside_china_nothing_is_shifted() -> None:
    assert outside_china(48.8566, 2.3522)
    assert wgs84_to_gcj02(48.8566, 2.3522) == (48.8566, 2.3522)
    assert distance_km((39.9042, 116.4074), (31.2304, 121.4737)) == pytest.approx(1067, abs=5)


def _world(history: History) -> dict[str, int]:
    d = history.desk
    c = d.county
    now = timezone.now()
    ids = {
        "a_open": history.case(
            category=d.water, region=c.village_a, at=QINGSHI, when=now - dt.timedelta(days=2)
        ).pk,
        "a_closed": history.case(
            category=d.housing,
            region=c.village_a,
            when=now - dt.timedelta(days=3),
            state=State.CLOSED,
            kind="complaint",
        ).pk,
        "a_old": history.case(
            category=d.water, region=c.village_a, at=QINGSHI, when=now - dt.timedelta(days=60)
        ).pk,
        "b_open": history.case(
            category=d.water, region=c.village_b, at=BAISHA, when=now - dt.timedelta(days=1)
        ).pk,
    }
    return ids


def _points(client, query: str = "") -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("topics:map_data") + query)
    assert response.status_code == 200, response.content
    return {layer["key"]: layer["points"] for layer in response.json()["layers"]}


def _case_ids(points: list[dict]) -> set[int]:  # type: ignore[type-arg]
    return {int(p["url"].rstrip("/").rsplit("/", 1)[1]) for p in points}


def test_each_viewer_sees_only_their_own_cases_on_the_map(history: History) -> None:
    ids = _world(history)
    c = history.desk.county
    leader = _points(client_for(c.leader))
    assert _case_ids(leader["cases"]) == {ids["a_open"], ids["a_closed"], ids["b_open"]}
    assert "hotspots" in leader
    clerk = _points(client_for(c.township_clerk))
    assert _case_ids(clerk["cases"]) == {ids["a_open"], ids["a_closed"]}
    assert "hotspots" not in clerk  # the county's hotspots are the supervisors'
    other = _points(client_for(c.other_township_clerk))
    assert _case_ids(other["cases"]) == {ids["b_open"]}
    # A case without its own location is drawn at its village.
    closed = next(p for p in clerk["cases"] if _case_ids([p]) == {ids["a_closed"]})
    assert (closed["lat"], closed["lng"]) == (float(QINGSHI[0]), float(QINGSHI[1]))
    for anonymous_or_resident in (client_for(c.resident), client_for(c.volunteer)):
        assert anonymous_or_resident.get(reverse("topics:map_data")).status_code == 403
        assert anonymous_or_resident.get(reverse("topics:map")).status_code == 403


def test_the_filters_narrow_the_points_and_junk_is_refused(history: History) -> None:
    ids = _world(history)
    d = history.desk
    leader = client_for(d.county.leader)
    assert _case_ids(_points(leader, "?days=90")["cases"]) == set(ids.values())
    assert _case_ids(_points(leader, "?state=closed")["cases"]) == {ids["a_closed"]}
    assert _case_ids(_points(leader, "?state=open")["cases"]) == {ids["a_open"], ids["b_open"]}
    assert _case_ids(_points(leader, "?kind=complaint")["cases"]) == {ids["a_closed"]}
    assert _case_ids(_points(leader, f"?category={d.water.pk}")["cases"]) == {
        ids["a_open"],
        ids["b_open"],
    }
    for junk in (
        "?days=5",
        "?category=0",
        f"?category={2**70}",
        "?category=99999",
        "?state=lost",
        "?kind=%00",
        "?days=NaN",
    ):
        assert leader.get(reverse("topics:map_data") + junk).status_code == 400, junk
        assert leader.get(reverse("topics:map") + junk).status_code == 400, junk


def test_hotspots_are_on_the_supervisors_map(history: History) -> None:
    d = history.desk
    now = timezone.now()
    for i in range(4):
        history.case(
            category=d.leaking_pipe,
            region=d.county.village_a,
            at=QINGSHI,
            text="小区门口水管爆裂水流一地",
            when=now - dt.timedelta(days=i + 1),
        )
    hotspots_detect(now=now, notify_new=False)
    spots = _points(client_for(d.county.leader))["hotspots"]
    assert (
        len(spots) == 1
        and spots[0]["value"] == 4
        and spots[0]["url"].startswith("/topics/hotspots/")
    )


def test_points_are_converted_to_gcj02_when_the_tiles_want_it(history: History, settings) -> None:  # type: ignore[no-untyped-def]
    _world(history)
    leader = client_for(history.desk.county.leader)
    settings.WENMIN_MAP_DATUM = "gcj02"
    point = _points(leader, f"?state=open&category={history.desk.water.pk}")["cases"]
    expected = wgs84_to_gcj02(float(QINGSHI[0]), float(QINGSHI[1]))
    assert any(
        p["lat"] == round(expected[0], 6) and p["lng"] == round(expected[1], 6) for p in point
    )
    assert all(Decimal(str(p["lat"])) != QINGSHI[0] for p in point)


def test_the_tile_host_is_allowed_only_when_tiles_are_configured(
    history: History, settings
) -> None:  # type: ignore[no-untyped-def]
    leader = client_for(history.desk.county.leader)
    page = leader.get(reverse("topics:map"))
    assert "tianditu" not in page["Content-Security-Policy"]
    assert "data-tiles" not in page.content.decode()
    settings.WENMIN_MAP_TILES = (
        "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY"
    )
    settings.WENMIN_MAP_TILES_SUBDOMAINS = "01"
    page = leader.get(reverse("topics:map"))
    policy = page["Content-Security-Policy"]
    assert "https://t0.tianditu.gov.cn" in policy and "https://t1.tianditu.gov.cn" in policy
    assert "data-tiles=" in page.content.decode()


def test_another_app_adds_a_layer_through_the_registry(history: History) -> None:
    leader = history.desk.county.leader
    layer_register(
        "projects_test",
        "项目",
        lambda user, filters: [
            {"lat": 28.3, "lng": 117.7, "name": "示范路", "url": "/projects/1/"}
        ],
        visible=lambda user: user.role == "county_leader",
        order=30,
    )
    try:
        assert [layer.key for layer in layers_for(leader)][-1] == "projects_test"
        assert _points(client_for(leader))["projects_test"][0]["name"] == "示范路"
        assert "projects_test" not in _points(client_for(history.desk.county.township_clerk))
    finally:
        from wenmin.topics import map_layers

        map_layers._LAYERS.pop("projects_test", None)


def test_the_projects_layer_draws_the_viewer_s_projects_at_their_place(history: History) -> None:
    import datetime as _dt

    from wenmin.projects.models import Category
    from wenmin.projects.services import project_propose

    c = history.desk.county
    project = project_propose(
        actor=None,
        name="青石村饮水工程",
        category=Category.WATER,
        region=c.village_a,
        owner=c.government_a,
        budget=100000,
        planned_start=_dt.date(2026, 3, 1),
        planned_finish=_dt.date(2026, 9, 30),
        latitude="28.41",
        longitude="117.62",
    )
    [point] = _points(client_for(c.leader))["projects"]
    assert point["name"] == "青石村饮水工程"
    assert point["url"] == reverse("projects:detail", args=[project.pk])
    assert (point["lat"], point["lng"]) == (28.41, 117.62)
