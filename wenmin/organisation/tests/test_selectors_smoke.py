from __future__ import annotations

from wenmin.organisation.selectors import people_visible_to, regions_visible_to, units_visible_to


def test_township_clerk_sees_only_her_township(county):
    regions = set(regions_visible_to(county.township_clerk))
    assert county.village_a in regions and county.village_b not in regions
    units = set(units_visible_to(county.township_clerk))
    assert county.branch_a in units and county.branch_b not in units
    people = set(people_visible_to(county.township_clerk))
    assert county.member_a in people and county.member_b not in people
