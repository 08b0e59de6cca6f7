"""Who runs a group: set by the administrator, through the service, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.groups.models import GroupProfile
from wenmin.groups.services import group_profile_set
from wenmin.groups.testing import Groups
from wenmin.testing import CaseDesk


def test_the_cadre_is_changed_and_audited(desk: CaseDesk, groups: Groups) -> None:
    c = desk.county
    group_profile_set(
        group=groups.village_group, cadre=c.volunteer_a, region=None, actor=c.administrator
    )
    profile = GroupProfile.objects.get(unit=groups.village_group)
    assert (profile.cadre, profile.region) == (c.volunteer_a, c.village_a)
    event = AuditEvent.objects.filter(action="group.profile_set").latest("id")
    assert event.changes == {"cadre": c.volunteer_a.pk, "region": c.village_a.pk}


def test_a_unit_that_is_no_group_gets_no_profile(desk: CaseDesk) -> None:
    with pytest.raises(ValidationError) as refused:
        group_profile_set(group=desk.county.branch_a, cadre=None, region=None, actor=None)
    assert "group" in refused.value.message_dict
    assert GroupProfile.objects.count() == 0


def test_the_administrator_sets_the_cadre_in_the_admin(
    client: Client, desk: CaseDesk, groups: Groups
) -> None:
    c = desk.county
    profile = GroupProfile.objects.get(unit=groups.village_group)
    client.force_login(c.administrator)
    url = reverse("admin:groups_groupprofile_change", args=[profile.pk])
    response = client.post(
        url, {"unit": groups.village_group.pk, "cadre": c.member_b.pk, "region": c.village_a.pk}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.cadre == c.member_b
    assert AuditEvent.objects.filter(action="group.profile_set", actor=c.administrator).exists()
