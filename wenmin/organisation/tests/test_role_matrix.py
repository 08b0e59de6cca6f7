"""Who sees what: every role × every kind of object × inside and outside its scope, read through
the selectors and over HTTP; and the pages only the administrator may use."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from wenmin.core.models import User
from wenmin.organisation.selectors import people_visible_to, regions_visible_to, units_visible_to
from wenmin.testing import SmallCounty

REGIONS = ("county", "township_a", "township_b", "village_a", "village_b", "group_a")
UNITS = (
    "county_committee",
    "department",
    "other_department",
    "organs_committee",
    "department_branch",
    "committee_a",
    "government_a",
    "committee_b",
    "government_b",
    "branch_a",
    "branch_b",
    "team_a",
    "account_a",
)
PEOPLE = ("member_a", "member_b", "cadre_department", "volunteer_a", "resident_a", "resident_b")
ALL = {"region": REGIONS, "unit": UNITS, "person": PEOPLE}

# What each role sees (fixture attribute names in wenmin/testing.py); everything else is out of scope.
VISIBLE: dict[str, dict[str, tuple[str, ...]]] = {
    "administrator": ALL,
    "leader": ALL,
    "township_clerk": {  # 青石镇: its villages, groups, units and people, nothing of 白沙乡 or the county
        "region": ("township_a", "village_a", "group_a"),
        "unit": ("committee_a", "government_a", "branch_a", "team_a", "account_a"),
        "person": ("member_a", "volunteer_a", "resident_a"),
    },
    "other_township_clerk": {  # 白沙乡: the mirror image
        "region": ("township_b", "village_b"),
        "unit": ("committee_b", "government_b", "branch_b"),
        "person": ("member_b", "resident_b"),
    },
    "department_clerk": {  # the housing bureau: its own unit and cadres, the county's regions
        "region": REGIONS,
        "unit": ("department",),
        "person": ("cadre_department",),
    },
    "branch_secretary": {  # 青石村党支部: its village and its members
        "region": ("village_a", "group_a"),
        "unit": ("branch_a",),
        "person": ("member_a",),
    },
    "volunteer": {"region": (), "unit": (), "person": ("volunteer_a",)},
    "resident": {"region": (), "unit": (), "person": ("resident_a",)},
    "anonymous": {"region": (), "unit": (), "person": ()},
}
ROLES = tuple(VISIBLE)
NO_STAFF_PAGES = {"volunteer", "resident"}

SELECTORS = {"region": regions_visible_to, "unit": units_visible_to, "person": people_visible_to}
DETAIL_PAGES = {
    "region": "organisation:region_detail",
    "unit": "organisation:unit_detail",
    "person": "organisation:person_detail",
}


def _cells() -> list[Any]:
    """One case per role × kind × side, each with the objects on that side of the scope."""
    cells = []
    for role in ROLES:
        for kind, everything in ALL.items():
            inside = VISIBLE[role][kind]
            outside = tuple(name for name in everything if name not in inside)
            for side, names in (("in", inside), ("out", outside)):
                if names:
                    cells.append(pytest.param(role, kind, side, names, id=f"{role}-{kind}-{side}"))
    return cells


CELLS = _cells()


def _user(county: SmallCounty, role: str) -> User:
    if role == "anonymous":
        return cast(User, AnonymousUser())
    user: User = getattr(county, role)
    return user


def _client(county: SmallCounty, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(county, role))
    return client


def _assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_matrix_names_every_fixture_object(county):
    for kind, names in ALL.items():
        model = {"region": "Region", "unit": "Unit", "person": "Person"}[kind]
        assert {type(getattr(county, name)).__name__ for name in names} == {model}
        assert len(names) == SELECTORS[kind](county.administrator).count()


@pytest.mark.parametrize(("role", "kind", "side", "names"), CELLS)
def test_selectors_include_in_scope_and_exclude_out_of_scope(county, role, kind, side, names):
    visible = SELECTORS[kind](_user(county, role))
    for name in names:
        assert visible.filter(pk=getattr(county, name).pk).exists() == (side == "in"), name


@pytest.mark.parametrize(("role", "kind", "side", "names"), CELLS)
def test_detail_pages_answer_each_role_in_and_out_of_scope(county, role, kind, side, names):
    client = _client(county, role)
    for name in names:
        response = client.get(reverse(DETAIL_PAGES[kind], args=[getattr(county, name).pk]))
        if role == "anonymous":
            _assert_login_redirect(response)
        elif role in NO_STAFF_PAGES:
            assert response.status_code == 403, name
        else:
            assert response.status_code == (200 if side == "in" else 404), name


# Pages that are not about one object ---------------------------------------------------------

# Someone each role may see, so that a refusal below is about the role, not the scope.
OWN_PERSON = {
    "administrator": "member_a",
    "leader": "member_a",
    "township_clerk": "member_a",
    "other_township_clerk": "member_b",
    "department_clerk": "cadre_department",
    "branch_secretary": "member_a",
    "volunteer": "volunteer_a",
    "resident": "resident_a",
    "anonymous": "member_a",
}
STAFF = {
    "administrator",
    "leader",
    "township_clerk",
    "other_township_clerk",
    "department_clerk",
    "branch_secretary",
}
EXPORTERS = {
    "administrator",
    "leader",
    "township_clerk",
    "other_township_clerk",
    "department_clerk",
}


def _request(client: Client, county: SmallCounty, page: str, role: str) -> Any:
    if page == "home":
        return client.get(reverse("organisation:home"))
    if page == "people_search":
        return client.get(reverse("organisation:people_search"), {"q": "李"})
    if page == "person_reveal":
        person = getattr(county, OWN_PERSON[role])
        return client.post(reverse("organisation:person_reveal", args=[person.pk, "phone"]))
    if page == "audit_log":
        return client.get(reverse("core:audit_log"))
    if page == "excel_import":
        return client.post(reverse("organisation:excel_import", args=["regions"]))
    if page == "excel_export":
        return client.get(reverse("organisation:excel_export", args=["regions"]))
    if page == "admin":
        return client.get(reverse("admin:index"))
    raise AssertionError(page)


ALLOWED = {
    "home": STAFF,
    "people_search": STAFF,
    "person_reveal": {"administrator"},
    "audit_log": {"administrator"},
    "excel_import": {"administrator"},
    "excel_export": EXPORTERS,
    "admin": {"administrator"},
}
PAGE_CELLS = [pytest.param(page, role, id=f"{page}-{role}") for page in ALLOWED for role in ROLES]


@pytest.mark.parametrize(("page", "role"), PAGE_CELLS)
def test_pages_are_allowed_only_to_their_roles(county, page, role):
    response = _request(_client(county, role), county, page, role)
    if role == "anonymous":
        expected_login = reverse("admin:login") if page == "admin" else reverse("login")
        assert response.status_code == 302
        assert response["Location"].startswith(expected_login)
    elif role in ALLOWED[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_the_administrator_sees_the_revealed_phone(county):
    response = _request(_client(county, "administrator"), county, "person_reveal", "administrator")
    assert "13812345678" in response.content.decode()


def test_a_staff_page_shows_personal_data_masked(county):
    response = _client(county, "township_clerk").get(
        reverse("organisation:person_detail", args=[county.member_a.pk])
    )
    content = response.content.decode()
    assert "138****5678" in content and "13812345678" not in content
