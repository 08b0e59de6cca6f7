"""Each door of the households register: its success, and each refusal with nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenmin.core.models import AuditEvent
from wenmin.households import rules, services
from wenmin.households.models import CareCategory, Household, HouseholdCare, HouseholdMember
from wenmin.households.tests.conftest import Households
from wenmin.testing import SmallCounty


def test_township_clerk_registers_a_household_with_its_head(county: SmallCounty) -> None:
    household = services.household_create(
        actor=county.township_clerk,
        code="QS-100",
        region=county.group_a,
        address="青石村一组8号",
        head=county.resident_a,
    )
    household.refresh_from_db()
    assert household.head == county.resident_a
    assert household.address == "青石村一组8号"
    member = HouseholdMember.objects.get(household=household)
    assert (member.person, member.relation) == (county.resident_a, "head")
    event = AuditEvent.objects.get(action="household.create")
    assert event.target_id == str(household.pk)
    assert "青石村一组8号" not in str(event.changes)


def test_a_household_outside_a_village_or_group_is_refused(county: SmallCounty) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_create(actor=county.administrator, code="X-1", region=county.township_a)
    assert "region" in error.value.message_dict
    assert "青石镇" in error.value.message_dict["region"][0]
    assert not Household.objects.exists()


def test_a_household_number_in_use_is_refused(county: SmallCounty, households: Households) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_create(actor=None, code="QS-001", region=county.village_a)
    assert "QS-001" in error.value.message_dict["code"][0]
    assert Household.objects.count() == 4


def test_a_malformed_household_number_is_refused(county: SmallCounty) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_create(actor=None, code="青石 1", region=county.village_a)
    assert "code" in error.value.message_dict


def test_a_head_of_another_household_is_refused(
    county: SmallCounty, households: Households
) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_create(
            actor=None, code="QS-200", region=county.village_a, head=county.resident_a
        )
    assert "QS-001" in error.value.message_dict["head"][0]
    assert not Household.objects.filter(code="QS-200").exists()


def test_a_clerk_of_another_township_may_not_register_here(county: SmallCounty) -> None:
    with pytest.raises(PermissionDenied):
        services.household_create(
            actor=county.other_township_clerk, code="QS-300", region=county.village_a
        )
    assert not Household.objects.exists()


def test_a_branch_secretary_may_not_register_households(county: SmallCounty) -> None:
    with pytest.raises(PermissionDenied):
        services.household_create(
            actor=county.branch_secretary, code="QS-301", region=county.village_a
        )


def test_update_changes_the_household_and_audits_without_the_address(
    county: SmallCounty, households: Households
) -> None:
    services.household_update(
        actor=county.township_clerk,
        household=households.plain,
        region=county.group_a,
        address="一组新址9号",
        note="新建房",
    )
    households.plain.refresh_from_db()
    assert households.plain.region == county.group_a
    assert households.plain.address == "一组新址9号"
    event = AuditEvent.objects.get(action="household.update")
    assert event.changes["address"] == ["…", "…"]
    assert event.changes["region"] == [county.village_a.pk, county.group_a.pk]


def test_update_to_a_township_is_refused_and_nothing_changes(
    county: SmallCounty, households: Households
) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_update(
            actor=county.administrator, household=households.plain, region=county.county, note="x"
        )
    assert "region" in error.value.message_dict
    households.plain.refresh_from_db()
    assert (households.plain.region, households.plain.note) == (county.village_a, "")


def test_update_refuses_moving_a_household_to_another_township(
    county: SmallCounty, households: Households
) -> None:
    with pytest.raises(PermissionDenied):
        services.household_update(
            actor=county.township_clerk, household=households.plain, region=county.village_b
        )
    households.plain.refresh_from_db()
    assert households.plain.region == county.village_a


def test_a_member_is_added_and_a_head_becomes_the_head(
    county: SmallCounty, households: Households
) -> None:
    services.household_member_add(
        actor=county.township_clerk,
        household=households.plain,
        person=county.member_a,
        relation="head",
    )
    households.plain.refresh_from_db()
    assert households.plain.head == county.member_a
    assert AuditEvent.objects.filter(action="household.member_add").count() == 1


def test_a_person_in_two_households_is_refused(county: SmallCounty, households: Households) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_member_add(
            actor=county.township_clerk,
            household=households.plain,
            person=county.resident_a,
            relation="child",
        )
    assert "QS-001" in error.value.message_dict["person"][0]
    assert not HouseholdMember.objects.filter(household=households.plain).exists()


def test_a_second_head_is_refused(county: SmallCounty, households: Households) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_member_add(
            actor=None, household=households.qingshi, person=county.member_a, relation="head"
        )
    assert "relation" in error.value.message_dict
    households.qingshi.refresh_from_db()
    assert households.qingshi.head == county.resident_a
    assert households.qingshi.memberships.count() == 1


def test_an_unknown_relation_is_refused(county: SmallCounty, households: Households) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_member_add(
            actor=None, household=households.plain, person=county.member_a, relation="cousin"
        )
    assert "relation" in error.value.message_dict
    assert not HouseholdMember.objects.filter(person=county.member_a).exists()


def test_removing_the_head_leaves_the_household_without_one(
    county: SmallCounty, households: Households
) -> None:
    services.household_member_remove(
        actor=county.township_clerk, household=households.qingshi, person=county.resident_a
    )
    households.qingshi.refresh_from_db()
    assert households.qingshi.head is None
    assert not households.qingshi.memberships.exists()


def test_removing_someone_who_is_not_a_member_is_refused(
    county: SmallCounty, households: Households
) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_member_remove(
            actor=None, household=households.plain, person=county.resident_a
        )
    assert "person" in error.value.message_dict
    assert HouseholdMember.objects.filter(person=county.resident_a).exists()


def test_care_categories_are_set_and_tagged_by_digest(
    county: SmallCounty, households: Households
) -> None:
    saved = services.household_care_set(
        actor=county.township_clerk,
        household=households.plain,
        codes=["disabled", "left_behind_elderly", "disabled"],
    )
    assert saved == ["disabled", "left_behind_elderly"]
    households.plain.refresh_from_db()
    assert households.plain.care_codes == "disabled,left_behind_elderly"
    assert set(
        HouseholdCare.objects.filter(household=households.plain).values_list("digest", flat=True)
    ) == {rules.care_digest("disabled"), rules.care_digest("left_behind_elderly")}
    event = AuditEvent.objects.filter(action="household.care_set").last()
    assert event is not None and "disabled" not in str(event.changes)


def test_an_unknown_care_category_is_refused_and_nothing_changes(
    county: SmallCounty, households: Households
) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_care_set(
            actor=None, household=households.qingshi, codes=["wubao", "rich_uncle"]
        )
    assert "rich_uncle" in error.value.message_dict["codes"][0]
    households.qingshi.refresh_from_db()
    assert households.qingshi.care_codes == "dibao"
    assert HouseholdCare.objects.filter(household=households.qingshi).count() == 1


def test_an_inactive_care_category_is_refused(county: SmallCounty, households: Households) -> None:
    CareCategory.objects.filter(code="hardship").update(active=False)
    with pytest.raises(ValidationError):
        services.household_care_set(actor=None, household=households.plain, codes=["hardship"])
    assert not HouseholdCare.objects.filter(household=households.plain).exists()


def test_clearing_care_categories_takes_the_household_off_the_tags(
    county: SmallCounty, households: Households
) -> None:
    services.household_care_set(actor=None, household=households.qingshi, codes=[])
    households.qingshi.refresh_from_db()
    assert households.qingshi.care_codes == ""
    assert not HouseholdCare.objects.filter(household=households.qingshi).exists()


def test_only_the_administrator_edits_care_categories(county: SmallCounty) -> None:
    with pytest.raises(PermissionDenied):
        services.care_category_save(
            actor=county.township_clerk, category=None, code="veteran", name="退役军人"
        )
    category = services.care_category_save(
        actor=county.administrator, category=None, code="veteran", name="退役军人", must_visit=False
    )
    assert (category.name, category.must_visit, category.active) == ("退役军人", False, True)
    with pytest.raises(ValidationError) as error:
        services.care_category_save(
            actor=county.administrator, category=None, code="veteran", name="again"
        )
    assert "code" in error.value.message_dict


@pytest.mark.django_db
def test_the_default_care_categories_are_seeded_as_must_visit() -> None:
    assert list(CareCategory.objects.values_list("code", "name", "must_visit")) == [
        ("dibao", "低保户", True),
        ("wubao", "五保户", True),
        ("left_behind_elderly", "留守老人", True),
        ("left_behind_children", "留守儿童", True),
        ("disabled", "残疾人", True),
        ("hardship", "困难户", True),
        ("elderly_alone", "独居老人", True),
    ]
