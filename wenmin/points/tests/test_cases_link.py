"""A points rule on the cases (which keep their own counts) links to the case figure page of the
member as a cadre, and to nothing for a member who is not one."""

from __future__ import annotations

import pytest

from wenmin.points import breakdown, selectors
from wenmin.points.tests.conftest import a_year
from wenmin.testing import build_small_county

pytestmark = pytest.mark.django_db


def test_the_cases_rule_opens_the_cadres_case_figures():
    county = build_small_county()
    year = a_year(2025, "60", [("办理诉求", "cases", "handled", "", "1", "1", "10")])
    rule = selectors.rule_spec(year.rules.get())
    cadre = breakdown.evidence(rule, county.cadre_department.pk, 2025)
    assert cadre["available"] and cadre["elsewhere"].startswith("/scoreboard/figure/?")
    assert f"subject={county.cadre_department.pk}" in cadre["elsewhere"]
    assert "figure=handling" in cadre["elsewhere"] and "group=cadre" in cadre["elsewhere"]
    member = breakdown.evidence(rule, county.member_a.pk, 2025)
    assert member["available"] and member["elsewhere"] == ""
