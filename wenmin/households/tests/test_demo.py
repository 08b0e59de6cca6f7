"""The demo households: every village, members as residents, some in care; the same for a seed."""

from __future__ import annotations

from wenmin.households import demo, selectors
from wenmin.households.models import Household, HouseholdCare, HouseholdMember
from wenmin.testing import SmallCounty


def _snapshot() -> list[tuple[str, str, int, str]]:
    return [
        (h.code, h.region.code, h.memberships.count(), h.care_codes)
        for h in Household.objects.select_related("region").order_by("code")
    ]


def test_the_demo_puts_households_in_every_village(county: SmallCounty) -> None:
    lines = demo.households_seed(seed=3)
    assert len(lines) == 1
    households = Household.objects.all()
    villages = {
        h.region.parent_id if h.region.level == "group" else h.region_id for h in households
    }
    assert villages == {county.village_a.pk, county.village_b.pk}
    for village in (county.village_a, county.village_b):
        count = households.filter(region__path__startswith=village.path).count()
        assert demo.PER_VILLAGE[0] <= count <= demo.PER_VILLAGE[1]
    # 青石村 has a group: its households are registered there
    assert households.filter(region=county.group_a).exists()
    assert not households.filter(region=county.village_a).exists()
    for household in households:
        assert household.head is not None
        assert HouseholdMember.objects.get(person=household.head).relation == "head"
        assert household.head.is_resident
    assert HouseholdCare.objects.count() >= Household.objects.exclude(care_codes="").count()
    stats = selectors.households_stats()
    assert stats["total"] == households.count()
    assert stats["in_care"] == households.exclude(care_codes="").count()


def test_the_demo_is_the_same_for_a_seed_and_runs_once(county: SmallCounty) -> None:
    demo.households_seed(seed=5)
    first = _snapshot()
    assert demo.households_seed(seed=5) == []  # households exist: nothing more
    Household.objects.all().delete()
    demo.households_seed(seed=5)
    assert _snapshot() == first
