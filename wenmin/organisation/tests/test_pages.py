"""The staff pages, read as a user would: who sees what, search, masking, reveal, query counts."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import Region, Unit
from wenmin.testing import PASSWORD, SmallCounty

_numbers = itertools.count(1)
_townships = itertools.count(11)


def _page(client, user: User, name: str, *args: object, **params: str):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _queries(client, url: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow_township(county: SmallCounty, villages: int = 3, members: int = 4) -> Region:
    """Another township with villages, branches, a service centre, members and residents."""
    n = next(_townships)
    township = org.region_create(
        actor=None,
        code=f"3699011{n:02d}000",
        name=f"新镇{n}",
        level="township",
        kind="town",
        parent=county.county,
        population=1000,
    )
    committee = org.unit_create(
        actor=None,
        code=f"G{n}-PC",
        name=f"新镇{n}党委",
        kind="party_committee",
        region=township,
        parent=county.county_committee,
    )
    org.unit_create(
        actor=None,
        code=f"G{n}-SC",
        name=f"新镇{n}便民服务中心",
        kind="service_centre",
        region=township,
    )
    for v in range(villages):
        village = org.region_create(
            actor=None,
            code=f"3699011{n:02d}{v + 201:03d}",
            name=f"新村{n}-{v}",
            level="village",
            kind="village",
            parent=township,
            population=300,
        )
        branch = org.unit_create(
            actor=None,
            code=f"G{n}-B{v}",
            name=f"新村{n}-{v}党支部",
            kind="party_branch",
            region=village,
            parent=committee,
        )
        _add_members(branch, village, members)
    return township


def _add_members(branch: Unit, region: Region, count: int) -> None:
    for _ in range(count):
        i = next(_numbers)
        person = org.person_create(
            actor=None, name=f"党员{i}", phone=f"139{i:08d}", region=region, is_resident=True
        )
        org.party_member_set(
            actor=None, person=person, branch=branch, joined_on=dt.date(2010, 1, 1)
        )


# Access ---------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client, county):
    response = client.get(reverse("organisation:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["volunteer", "resident"])
def test_volunteer_and_resident_are_refused_the_staff_pages(client, county, who):
    user = getattr(county, who)
    assert _page(client, user, "organisation:home").status_code == 403
    assert _page(client, user, "organisation:people_search").status_code == 403
    assert _page(client, user, "organisation:person_detail", user.person_id).status_code == 403


def test_objects_outside_the_viewers_scope_are_not_found(client, county):
    clerk = county.other_township_clerk
    assert (
        _page(client, clerk, "organisation:region_detail", county.village_a.pk).status_code == 404
    )
    assert (
        _page(client, clerk, "organisation:tree_children", county.township_a.pk).status_code == 404
    )
    assert _page(client, clerk, "organisation:unit_detail", county.branch_a.pk).status_code == 404
    assert _page(client, clerk, "organisation:person_detail", county.member_a.pk).status_code == 404


def test_audit_log_is_for_the_administrator_only(client, county):
    assert _page(client, county.leader, "core:audit_log").status_code == 403
    assert _page(client, county.township_clerk, "core:audit_log").status_code == 403
    assert _page(client, county.administrator, "core:audit_log").status_code == 200


# The organisation tree ------------------------------------------------------------------------


def test_county_wide_viewer_sees_the_county_with_each_township_and_its_counts(client, county):
    response = _page(client, county.leader, "organisation:home")
    assert response.status_code == 200
    assert (
        "枫岭县" in _text(response) and "青石镇" in _text(response) and "白沙乡" in _text(response)
    )
    ((county_root, rows),) = response.context["counties"]
    assert county_root == county.county
    qingshi = next(row for row in rows if row.region == county.township_a)
    assert (
        qingshi.counts.sub_regions,
        qingshi.counts.party_branches,
        qingshi.counts.party_members,
    ) == (1, 1, 1)
    assert (qingshi.counts.volunteer_teams, qingshi.counts.service_centres) == (1, 0)
    summary = response.context["summary"]
    assert (summary.party_members, summary.cadres, summary.volunteers) == (3, 1, 1)


def test_many_counties_are_listed_one_row_each_and_opened_on_demand(client, county):
    for n in range(2, 5):
        org.region_create(
            actor=None,
            code=f"36990{n}000000",
            name=f"县{n}",
            level="county",
            kind="county",
            parent=None,
        )
    response = _page(client, county.administrator, "organisation:home")
    rows = response.context["county_rows"]
    assert [(c.name, townships) for c, townships in rows][:2] == [("枫岭县", 2), ("县2", 0)]
    assert "青石镇" not in _text(response)
    assert reverse("organisation:tree_children", args=[county.county.pk]) in _text(response)


def test_township_clerk_sees_her_township_only(client, county):
    response = _page(client, county.township_clerk, "organisation:home")
    assert "青石镇" in _text(response)
    assert "白沙乡" not in _text(response)
    assert [row.region for row in response.context["rows"]] == [county.township_a]
    assert response.context["summary"].party_members == 1


def test_branch_secretary_sees_her_branch_and_its_region(client, county):
    response = _page(client, county.branch_secretary, "organisation:home")
    assert [row.region for row in response.context["rows"]] == [county.village_a]
    assert [unit for unit, _depth in response.context["unit_tree"]] == [county.branch_a]
    assert "青石村党支部" in _text(response)


@pytest.mark.django_db
def test_home_without_regions_says_how_to_load_them(client):
    admin = User.objects.create_user(username="first", password=PASSWORD, role=Role.ADMINISTRATOR)
    response = _page(client, admin, "organisation:home")
    assert response.status_code == 200
    assert "wenmin seed" in _text(response)


def test_opening_a_township_lists_its_villages_with_counts(client, county):
    response = _page(
        client, county.township_clerk, "organisation:tree_children", county.township_a.pk
    )
    assert response.status_code == 200
    assert "<html" not in _text(response)
    assert [row.region for row in response.context["rows"]] == [county.village_a]
    assert response.context["rows"][0].counts.sub_regions == 1
    assert response.context["rows"][0].counts.party_members == 1


def test_region_page_shows_ancestors_facts_children_and_units(client, county):
    response = _page(
        client, county.administrator, "organisation:region_detail", county.village_a.pk
    )
    text = _text(response)
    assert [r.name for r in response.context["ancestors"]] == ["枫岭县", "青石镇"]
    assert county.village_a.code in text and "青石村第一村民小组" in text and "青石村党支部" in text
    # A township clerk does not see the county in her breadcrumb.
    response = _page(
        client, county.township_clerk, "organisation:region_detail", county.village_a.pk
    )
    assert [r.name for r in response.context["ancestors"]] == ["青石镇"]


# Units -----------------------------------------------------------------------------------------


def test_branch_page_lists_members_with_masked_phones_and_the_secretary(client, county):
    response = _page(client, county.township_clerk, "organisation:unit_detail", county.branch_a.pk)
    text = _text(response)
    assert "李秀英" in text and "138****5678" in text and "13812345678" not in text
    assert response.context["secretary"].person == county.member_a
    assert "2001-07-01" in text


def test_team_department_and_wechat_pages_show_what_fits_their_kind(client, county):
    team = _text(_page(client, county.administrator, "organisation:unit_detail", county.team_a.pk))
    assert "刘芳" in team and "政策宣讲" in team
    department = _text(
        _page(client, county.administrator, "organisation:unit_detail", county.department.pk)
    )
    assert "张伟" in department and "科员" in department
    account = _text(
        _page(client, county.administrator, "organisation:unit_detail", county.account_a.pk)
    )
    assert "5200" in account


# People ---------------------------------------------------------------------------------------


def test_people_search_finds_by_part_of_a_name(client, county):
    response = _page(client, county.administrator, "organisation:people_search", q="秀")
    assert [p.name for p in response.context["page"].object_list] == ["李秀英"]


def test_people_search_finds_by_exact_mobile_number_however_written(client, county):
    response = _page(
        client, county.administrator, "organisation:people_search", q="+86 139-8765-4321"
    )
    assert [p.name for p in response.context["page"].object_list] == ["王建国"]
    response = _page(client, county.administrator, "organisation:people_search", q="13987654")
    assert list(response.context["page"].object_list) == []
    with translation.override("zh-hans"):
        empty = translation.gettext(
            "No one matches — try part of a name, a whole 11-digit mobile number, or fewer filters."
        )
    assert empty != "" and empty in _text(response)


def test_people_search_filters_by_role_and_township(client, county):
    response = _page(
        client, county.administrator, "organisation:people_search", role="party_member"
    )
    assert {p.name for p in response.context["page"].object_list} == {"李秀英", "王建国", "张伟"}
    response = _page(
        client,
        county.administrator,
        "organisation:people_search",
        role="party_member",
        township=county.township_b.code,
    )
    assert [p.name for p in response.context["page"].object_list] == ["王建国"]


def test_people_search_stays_in_the_viewers_scope(client, county):
    response = _page(client, county.township_clerk, "organisation:people_search", q="王建国")
    assert list(response.context["page"].object_list) == []
    response = _page(client, county.township_clerk, "organisation:people_search", q="18600003333")
    assert [p.name for p in response.context["page"].object_list] == ["陈明"]


def test_people_search_pages_fifty_at_a_time(client, county):
    _add_members(county.branch_a, county.village_a, 55)
    response = _page(client, county.administrator, "organisation:people_search", q="党员")
    assert len(response.context["page"].object_list) == 50
    assert "q=%E5%85%9A%E5%91%98&amp;page=2" in _text(response)


def test_person_page_masks_phone_and_id_number_for_a_role_that_may_not_reveal(client, county):
    response = _page(
        client, county.leader, "organisation:person_detail", county.cadre_department.pk
    )
    text = _text(response)
    assert "137****1111" in text and "13700001111" not in text
    assert "3699**********0019" in text and "369901198001010019" not in text
    assert "/reveal/" not in text


def test_administrator_reveal_shows_the_clear_value_and_is_audited(client, county):
    client.force_login(county.administrator)
    detail = _text(
        client.get(reverse("organisation:person_detail", args=[county.cadre_department.pk]))
    )
    url = reverse("organisation:person_reveal", args=[county.cadre_department.pk, "phone"])
    assert url in detail and "13700001111" not in detail
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "13700001111" in _text(response) and "<html" not in _text(response)
    without_htmx = client.post(
        reverse("organisation:person_reveal", args=[county.cadre_department.pk, "id_number"])
    )
    assert "369901198001010019" in _text(without_htmx) and "<html" in _text(without_htmx)
    event = AuditEvent.objects.filter(action="person.reveal").earliest("id")
    assert (event.actor, event.target_id, event.changes) == (
        county.administrator,
        str(county.cadre_department.pk),
        {"field": "phone"},
    )


def test_reveal_is_refused_to_other_roles_and_to_get(client, county):
    url = reverse("organisation:person_reveal", args=[county.member_a.pk, "phone"])
    client.force_login(county.township_clerk)
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    client.force_login(county.administrator)
    assert client.get(url).status_code == 405
    bad_field = reverse("organisation:person_reveal", args=[county.member_a.pk, "name"])
    assert client.post(bad_field).status_code == 404
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


# Login and the audit log -----------------------------------------------------------------------


def test_login_form_logs_in_and_lands_on_the_workbench(client, county):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "qingshi", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("cases:workbench")


def test_too_many_failed_logins_lock_the_account_for_some_minutes(client, county):
    for _ in range(5):
        client.post(reverse("login"), {"username": "qingshi", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "qingshi", "password": PASSWORD})
    assert response.status_code == 429
    with translation.override("zh-hans"):
        locked = translation.gettext(
            "Logging in is locked after too many failed attempts. Try again in %(minutes)s minutes."
        ) % {"minutes": 15}
    assert "15" in locked and locked in _text(response)


def test_audit_log_filters_by_action_prefix_and_shows_shanghai_time(client, county):
    AuditEvent.objects.create(
        action="person.reveal",
        actor_label="admin",
        ip_address="10.0.0.9",
        created_at=dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC),
    )
    response = _page(client, county.administrator, "core:audit_log", action="person.")
    text = _text(response)
    assert "2026-03-02 00:30:00" in text and "10.0.0.9" in text
    assert {e.action.split(".")[0] for e in response.context["page"].object_list} == {"person"}


# Query counts ---------------------------------------------------------------------------------


# Full pages count their header's unread notifications (one COUNT on an index, messaging).
@pytest.mark.parametrize(
    ("name", "args", "params", "most"),
    [
        ("organisation:home", lambda c: [], {}, 14),
        ("organisation:tree_children", lambda c: [c.county.pk], {}, 7),
        ("organisation:region_detail", lambda c: [c.county.pk], {}, 12),
        ("organisation:people_search", lambda c: [], {"role": "party_member"}, 6),
    ],
)
def test_list_pages_use_the_same_number_of_queries_however_big_the_county(
    client, county, django_assert_max_num_queries, name, args, params, most
):
    client.force_login(county.administrator)
    url = reverse(name, args=args(county))
    before = _queries(client, url, **params)
    _grow_township(county)
    _grow_township(county)
    assert _queries(client, url, **params) == before
    with django_assert_max_num_queries(most):
        client.get(url, params)


def test_township_clerk_tree_uses_a_fixed_number_of_queries(
    client, county, django_assert_max_num_queries
):
    client.force_login(county.township_clerk)
    home, children = (
        reverse("organisation:home"),
        reverse("organisation:tree_children", args=[county.township_a.pk]),
    )
    before = (_queries(client, home), _queries(client, children))
    _add_members(county.branch_a, county.village_a, 10)
    org.region_create(
        actor=None,
        code="369901101202",
        name="青山村",
        level="village",
        kind="village",
        parent=county.township_a,
    )
    assert (_queries(client, home), _queries(client, children)) == before
    with django_assert_max_num_queries(16):
        client.get(home)


def test_branch_page_queries_do_not_grow_with_its_members(
    client, county, django_assert_max_num_queries
):
    client.force_login(county.branch_secretary)
    url = reverse("organisation:unit_detail", args=[county.branch_a.pk])
    before = _queries(client, url)
    _add_members(county.branch_a, county.village_a, 20)
    assert _queries(client, url) == before
    with django_assert_max_num_queries(11):
        client.get(url)
