"""The households pages through HTTP, as each actor meets them."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from wenmin.core.models import AuditEvent, User
from wenmin.households import services
from wenmin.households.models import CareCategory, Household, HouseholdMember
from wenmin.households.tests.conftest import Households
from wenmin.organisation.models import Person
from wenmin.privacy.models import AccessLogEntry
from wenmin.testing import SmallCounty

LIST = reverse("households:list")


def _client(user: User, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _detail(household: Household) -> str:
    return reverse("households:detail", args=[household.pk])


def test_a_township_clerk_lists_the_households_of_her_township(
    county: SmallCounty, households: Households
) -> None:
    response = _client(county.township_clerk).get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "QS-001" in body and "QS-G01" in body and "QS-002" in body
    assert "BS-001" not in body
    assert "低保户" in body  # township staff act on the categories


def test_a_clerk_of_another_township_gets_404_for_a_household_here(
    county: SmallCounty, households: Households
) -> None:
    client = _client(county.other_township_clerk)
    assert client.get(_detail(households.qingshi)).status_code == 404
    assert client.get(reverse("households:edit", args=[households.qingshi.pk])).status_code == 404
    response = client.post(
        reverse("households:care", args=[households.qingshi.pk]), {"codes": ["wubao"]}
    )
    assert response.status_code == 404
    households.qingshi.refresh_from_db()
    assert households.qingshi.care_codes == "dibao"


def test_department_staff_and_residents_may_not_open_households(
    county: SmallCounty, households: Households
) -> None:
    assert _client(county.department_clerk).get(LIST).status_code == 403
    assert _client(county.resident).get(LIST).status_code == 403
    assert Client().get(LIST).status_code == 302


def test_a_volunteer_sees_the_visit_list_but_not_why(
    county: SmallCounty, households: Households
) -> None:
    client = _client(county.volunteer)
    body = client.get(LIST).content.decode()
    assert "QS-001" in body and "在走访名单上" in body
    assert "低保户" not in body and "留守儿童" not in body
    detail = client.get(_detail(households.qingshi)).content.decode()
    assert "低保户" not in detail
    assert AccessLogEntry.objects.filter(fields="care_categories").count() == 0
    # asking for a category by code filters nothing for a volunteer
    filtered = client.get(LIST, {"care": "dibao"})
    assert filtered.context["page"].paginator.count == 3


def test_the_household_page_masks_the_address_and_phones_and_logs_the_categories(
    county: SmallCounty, households: Households
) -> None:
    response = _client(county.township_clerk).get(_detail(households.qingshi))
    body = response.content.decode()
    assert "青石村东头12号" not in body
    assert "186****3333" in body and "18600003333" not in body
    assert "低保户" in body
    entry = AccessLogEntry.objects.get(fields="care_categories")
    assert entry.person_id == county.resident_a.pk and entry.viewer == county.township_clerk


def test_the_administrator_reveals_an_address_and_it_is_logged(
    county: SmallCounty, households: Households
) -> None:
    url = reverse("households:reveal_address", args=[households.qingshi.pk])
    assert _client(county.township_clerk).post(url).status_code == 403
    response = _client(county.administrator).post(url)
    assert "青石村东头12号" in response.content.decode()
    assert AccessLogEntry.objects.filter(fields="address", reason="household.reveal").count() == 1
    assert AuditEvent.objects.filter(action="household.reveal").count() == 1


def _count_links(body: str) -> list[tuple[str, int]]:
    return [
        (href.replace("&amp;", "&"), int(count))
        for href, count in re.findall(
            r'<a href="\?([^"]*)" data-count-link[^>]*>[^<]*<span class="count">(\d+)</span>', body
        )
    ]


@pytest.mark.parametrize("filters", [{}, {"village": "369901101201"}, {"care": "visit"}])
def test_every_count_opens_exactly_the_list_it_counts(
    county: SmallCounty, households: Households, filters: dict[str, str]
) -> None:
    client = _client(county.administrator)
    links = _count_links(client.get(LIST, filters).content.decode())
    assert len(links) == 2 + 7  # all, the visit list, each category
    assert any(count > 0 for _, count in links)
    for query, count in links:
        response = client.get(f"{LIST}?{query}")
        assert response.context["page"].paginator.count == count, query


def test_the_village_filter_counts_its_groups_too(
    county: SmallCounty, households: Households
) -> None:
    response = _client(county.administrator).get(LIST, {"village": county.village_a.code})
    links = dict(_count_links(response.content.decode()))
    assert links["village=369901101201"] == 3
    assert links["village=369901101201&care=visit"] == 2
    assert links["village=369901101201&care=left_behind_children"] == 1


def _more_households(county: SmallCounty, start: int, count: int) -> None:
    for n in range(start, start + count):
        person = Person.objects.create(name=f"村民{n}", region=county.village_a, is_resident=True)
        household = services.household_create(
            actor=None, code=f"QS-{n:03d}", region=county.village_a, head=person
        )
        services.household_care_set(actor=None, household=household, codes=["hardship"])


def test_the_list_has_no_n_plus_one(
    county: SmallCounty, households: Households, django_assert_num_queries: Any
) -> None:
    client = _client(county.township_clerk)
    client.get(LIST)  # sessions and caches warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    _more_households(county, 100, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 15


def test_a_township_clerk_registers_and_edits_a_household(county: SmallCounty) -> None:
    client = _client(county.township_clerk)
    assert client.get(reverse("households:create")).status_code == 200
    response = client.post(
        reverse("households:create"),
        {"code": "QS-500", "region": county.group_a.code, "address": "一组20号", "note": ""},
    )
    household = Household.objects.get(code="QS-500")
    assert response.status_code == 302 and response["Location"] == _detail(household)
    assert household.region == county.group_a and household.address == "一组20号"
    response = client.post(
        reverse("households:edit", args=[household.pk]),
        {"code": "QS-501", "region": county.village_a.code, "address": "", "note": "搬迁"},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.code, household.region, household.address, household.note) == (
        "QS-501",
        county.village_a,
        "一组20号",  # left empty: kept
        "搬迁",
    )


def test_the_form_refuses_a_village_of_another_township(county: SmallCounty) -> None:
    response = _client(county.township_clerk).post(
        reverse("households:create"), {"code": "QS-600", "region": county.village_b.code}
    )
    assert response.status_code == 200
    assert "369901102201" in response.content.decode()
    assert not Household.objects.filter(code="QS-600").exists()


def test_members_and_care_are_set_from_the_household_page(
    county: SmallCounty, households: Households
) -> None:
    client = _client(county.township_clerk)
    add = reverse("households:member_add", args=[households.plain.pk])
    response = client.post(add, {"person": county.member_a.pk, "relation": "head"})
    assert response.status_code == 302
    households.plain.refresh_from_db()
    assert households.plain.head == county.member_a
    refused = client.post(add, {"person": county.resident_a.pk, "relation": "child"})
    assert refused.status_code == 400
    assert "QS-001" in refused.content.decode()
    assert not HouseholdMember.objects.filter(
        household=households.plain, person=county.resident_a
    ).exists()
    care = reverse("households:care", args=[households.plain.pk])
    assert client.post(care, {"codes": ["disabled", "hardship"]}).status_code == 302
    households.plain.refresh_from_db()
    assert households.plain.care_codes == "disabled,hardship"
    remove = reverse("households:member_remove", args=[households.plain.pk, county.member_a.pk])
    assert client.post(remove).status_code == 302
    assert not households.plain.memberships.exists()


def test_a_branch_secretary_sees_but_does_not_edit(
    county: SmallCounty, households: Households
) -> None:
    client = _client(county.branch_secretary)
    body = client.get(_detail(households.qingshi)).content.decode()
    assert "低保户" in body
    assert reverse("households:edit", args=[households.qingshi.pk]) not in body
    assert client.get(reverse("households:create")).status_code == 403


def _rows(response: Any) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_export_masks_addresses_for_township_staff(
    county: SmallCounty, households: Households
) -> None:
    response = _client(county.township_clerk).get(reverse("households:export"))
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == 1 + 3
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["QS-001"][3] != "青石村东头12号" and by_code["QS-001"][3].endswith("****")
    assert by_code["QS-001"][7] == "低保户"
    assert AccessLogEntry.objects.filter(reason="household.export").count() == 1


def test_the_administrators_export_has_addresses_in_clear_and_logs_them(
    county: SmallCounty, households: Households
) -> None:
    response = _client(county.administrator).get(reverse("households:export"), {"care": "wubao"})
    rows = _rows(response)
    assert [row[0] for row in rows[1:]] == ["BS-001"]
    assert rows[1][3] == "白沙村5号"
    assert AccessLogEntry.objects.filter(fields="address", reason="household.export").count() == 1


def test_the_pages_speak_english(county: SmallCounty, households: Households) -> None:
    client = _client(county.township_clerk, "en")
    body = client.get(LIST).content.decode()
    assert "Households" in body and "On the visit list" in body
    detail = client.get(_detail(households.qingshi)).content.decode()
    assert "Head of household" in detail


def test_the_empty_list_says_what_to_do_next(county: SmallCounty) -> None:
    body = _client(county.township_clerk, "en").get(LIST).content.decode()
    assert "Register one" in body


def test_the_administrator_adds_and_retires_a_care_category_in_the_admin(
    county: SmallCounty,
) -> None:
    client = _client(county.administrator)
    add = reverse("admin:households_carecategory_add")
    values = {"code": "veteran", "name": "退役军人", "must_visit": "on", "order": "80"}
    assert client.post(add, {**values, "active": "on"}).status_code == 302
    category = CareCategory.objects.get(code="veteran")
    assert AuditEvent.objects.filter(action="household.care_category_create").count() == 1
    again = client.post(add, {**values, "active": "on"})
    assert again.status_code == 200 and CareCategory.objects.filter(code="veteran").count() == 1
    change = reverse("admin:households_carecategory_change", args=[category.pk])
    assert client.post(change, {"name": "退役军人", "order": "80"}).status_code == 302
    category.refresh_from_db()
    assert (category.active, category.must_visit) == (False, False)
    assert _client(county.township_clerk).get(add).status_code in (302, 403)
