"""Who sees which households, the visit list of needs surveys, and care categories kept secret."""

from __future__ import annotations

from django.db import connection

from wenmin.households import rules, selectors, services
from wenmin.households.models import CareCategory, Household
from wenmin.households.tests.conftest import Households
from wenmin.privacy.models import AccessLogEntry
from wenmin.testing import SmallCounty


def _codes(queryset: object) -> set[str]:
    return set(queryset.values_list("code", flat=True))  # type: ignore[attr-defined]


def test_each_role_sees_its_own_households(county: SmallCounty, households: Households) -> None:
    qingshi = {"QS-001", "QS-G01", "QS-002"}
    everything = qingshi | {"BS-001"}
    assert _codes(selectors.households_visible_to(county.administrator)) == everything
    assert _codes(selectors.households_visible_to(county.leader)) == everything
    assert _codes(selectors.households_visible_to(county.township_clerk)) == qingshi
    assert _codes(selectors.households_visible_to(county.other_township_clerk)) == {"BS-001"}
    assert _codes(selectors.households_visible_to(county.branch_secretary)) == qingshi
    # The volunteer's team serves 青石镇: the households they may be sent to.
    assert _codes(selectors.households_visible_to(county.volunteer)) == qingshi
    assert _codes(selectors.households_visible_to(county.department_clerk)) == set()
    assert _codes(selectors.households_visible_to(county.resident)) == set()


def test_households_in_care_are_those_to_visit(county: SmallCounty, households: Households) -> None:
    assert _codes(selectors.households_in_care()) == {"QS-001", "QS-G01", "BS-001"}


def test_households_in_care_of_a_village_include_its_groups(
    county: SmallCounty, households: Households
) -> None:
    assert _codes(selectors.households_in_care(regions=[county.village_a])) == {"QS-001", "QS-G01"}
    assert _codes(selectors.households_in_care(regions=[county.group_a])) == {"QS-G01"}
    assert _codes(selectors.households_in_care(regions=[county.township_b])) == {"BS-001"}
    assert _codes(selectors.households_in_care(regions=[county.village_a, county.village_b])) == {
        "QS-001",
        "QS-G01",
        "BS-001",
    }
    assert _codes(selectors.households_in_care(regions=[])) == set()


def test_households_in_care_by_category(county: SmallCounty, households: Households) -> None:
    assert _codes(selectors.households_in_care(categories=["dibao"])) == {"QS-001"}
    assert _codes(selectors.households_in_care(categories=["dibao", "wubao"])) == {
        "QS-001",
        "BS-001",
    }
    assert _codes(selectors.households_in_care(categories=["disabled"])) == set()
    found = selectors.households_in_care(regions=[county.township_a], categories=["wubao"])
    assert _codes(found) == set()


def test_a_category_not_to_visit_leaves_the_visit_list(
    county: SmallCounty, households: Households
) -> None:
    CareCategory.objects.filter(code="wubao").update(must_visit=False)
    CareCategory.objects.filter(code="left_behind_children").update(active=False)
    assert _codes(selectors.households_in_care()) == {"QS-001"}
    assert _codes(selectors.households_in_care(categories=["wubao"])) == {"BS-001"}


def test_care_categories_and_addresses_are_not_in_the_database_in_clear(
    county: SmallCounty, households: Households
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT care_codes, address FROM households_household WHERE code = %s", ["QS-001"]
        )
        care_codes, address = cursor.fetchone()
        cursor.execute("SELECT digest FROM households_householdcare")
        digests = [row[0] for row in cursor.fetchall()]
    assert care_codes and "dibao" not in care_codes
    # The house number in clear, not "12" alone: a ciphertext has those two digits by chance.
    assert address and "青石村" not in address and "12号" not in address
    assert rules.care_digest("dibao") in digests
    assert not any("dibao" in d or "wubao" in d for d in digests)
    assert Household.objects.get(code="QS-001").care_codes == "dibao"


def test_reading_care_categories_is_written_to_the_access_log(
    county: SmallCounty, households: Households
) -> None:
    codes = selectors.household_care_codes(households.qingshi, viewer=county.township_clerk)
    assert codes == ["dibao"]
    entry = AccessLogEntry.objects.get()
    assert (entry.person_id, entry.viewer, entry.fields) == (
        county.resident_a.pk,
        county.township_clerk,
        "care_categories",
    )


def test_revealing_an_address_is_written_to_the_access_log(
    county: SmallCounty, households: Households
) -> None:
    address = selectors.household_address(
        households.baisha, viewer=county.administrator, reason="household.reveal"
    )
    assert address == "白沙村5号"
    entry = AccessLogEntry.objects.get()
    assert (entry.person_id, entry.fields, entry.reason) == (
        county.resident_b.pk,
        "address",
        "household.reveal",
    )


def test_stats_count_households_in_care_and_by_category(
    county: SmallCounty, households: Households
) -> None:
    services.household_care_set(actor=None, household=households.plain, codes=["dibao", "disabled"])
    stats = selectors.households_stats()
    assert stats["total"] == 4
    assert stats["in_care"] == 4
    assert stats["by_category"]["dibao"] == 2
    assert stats["by_category"]["disabled"] == 1
    assert stats["by_category"]["hardship"] == 0
    assert set(stats["by_category"]) == set(CareCategory.objects.values_list("code", flat=True))
