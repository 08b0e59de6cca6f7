"""The volunteers' pages for each role: the phone page's numbers link to what they count, the
teams' figures within the viewer's scope, /volunteer/ leading to the phone page, the case page's
link, publishing from a waiting need resolving it once hours are confirmed, and the star levels'
setting."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.services import case_intake
from wenmin.volunteers import services
from wenmin.volunteers.models import Activity, Participation, Profile

from .conftest import Corps


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _confirmed(corps: Corps, hours: str = "1.5") -> Participation:
    now = timezone.now()
    row = Participation.objects.create(
        activity=corps.now_activity,
        profile=corps.profile,
        signed_up_at=now,
        checked_in_at=now - dt.timedelta(minutes=20),
        checked_out_at=now,
    )
    services.hours_confirm(
        actor=None, activity=corps.now_activity, hours={row.pk: Decimal(hours)}, declaration=True
    )
    return row


def test_the_volunteers_home_leads_to_the_phone_page(corps: Corps) -> None:
    page = _client(corps.county.volunteer).get(reverse("volunteer:home")).content.decode()
    assert f'href="{reverse("volunteers:me")}"' in page


def test_a_new_volunteer_registers_with_consent(county) -> None:  # type: ignore[no-untyped-def]
    client = _client(county.volunteer)
    assert "data-register" in client.get(reverse("volunteers:me")).content.decode()
    refused = client.post(reverse("volunteers:register"), {"skills": ["repairs"]})
    assert refused.status_code == 400 and not Profile.objects.exists()
    client.post(reverse("volunteers:register"), {"consent": "on", "skills": ["repairs"]})
    profile = Profile.objects.get()
    assert profile.skills == ["repairs"] and profile.number.startswith("ZY")


def test_the_phone_pages_hours_link_to_exactly_the_records_they_add_up(corps: Corps) -> None:
    _confirmed(corps)
    Participation.objects.create(  # signed up, not confirmed: not counted
        activity=corps.activity(start_in=dt.timedelta(days=1)),
        profile=corps.profile,
        signed_up_at=timezone.now(),
    )
    client = _client(corps.county.volunteer)
    page = client.get(reverse("volunteers:me")).content.decode()
    link = re.search(r'data-hours href="([^"]+)">([^<]+)<', page)
    assert link and link.group(2) == "1.50"
    listing = client.get(link.group(1)).content.decode()
    assert 'data-count="1"' in listing and listing.count("data-participation=") == 1
    assert corps.profile.number in page and "村道清扫" in page


def test_nearby_activities_are_those_of_the_volunteers_township(corps: Corps) -> None:
    here = corps.activity(start_in=dt.timedelta(days=1), title="青石义诊")
    elsewhere = Activity.objects.create(
        team=corps.team,
        title="白沙修路",
        place="白沙村",
        region=corps.county.village_b,
        starts_at=here.starts_at,
        ends_at=here.ends_at,
        capacity=3,
    )
    page = _client(corps.county.volunteer).get(reverse("volunteers:me")).content.decode()
    nearby = page[page.index("data-nearby") :]
    assert "青石义诊" in nearby and elsewhere.title not in nearby


def test_teams_figures_link_to_their_records_within_the_viewers_scope(corps: Corps) -> None:
    _confirmed(corps)
    page = _client(corps.county.township_clerk).get(reverse("volunteers:teams")).content.decode()
    members = re.search(r'data-members href="([^"]+)">(\d+)<', page)
    assert members and members.group(2) == "2"
    listing = _client(corps.county.township_clerk).get(members.group(1)).content.decode()
    assert 'data-count="2"' in listing and "159****1111" in listing and "15900001111" not in listing
    other = _client(corps.county.other_township_clerk)
    assert 'data-count="0"' in other.get(reverse("volunteers:teams")).content.decode()
    assert other.get(reverse("volunteers:team", args=[corps.team.pk])).status_code == 404
    leader = _client(corps.county.leader)
    assert leader.get(reverse("volunteers:team", args=[corps.team.pk])).status_code == 200
    assert (
        leader.get(reverse("volunteers:activity_manage", args=[corps.now_activity.pk])).status_code
        == 404
    )  # county leaders read, the township organises


def test_the_organiser_publishes_an_activity_from_a_help_case(corps: Corps) -> None:
    case = case_intake(
        channel="counter",
        kind="help",
        title="独居老人需要有人帮忙打扫",
        content="请志愿者帮忙",
        region=corps.county.village_a,
        actor=corps.county.township_clerk,
    )
    client = _client(corps.county.township_clerk)
    case_page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    new_url = reverse("volunteers:activity_new") + f"?case={case.pk}"
    assert new_url.replace("?", "?") in case_page.replace("&amp;", "&")
    form = client.get(new_url).content.decode()
    assert "独居老人需要有人帮忙打扫" in form
    day = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("volunteers:activity_new"),
        {
            "team": corps.team.pk,
            "title": "上门打扫",
            "place": "陈明家",
            "starts_at": f"{day} 09:00",
            "ends_at": f"{day} 08:00",
            "capacity": "3",
            "case": case.pk,
        },
    )
    assert response.status_code == 400 and not Activity.objects.filter(case=case).exists()
    response = client.post(
        reverse("volunteers:activity_new"),
        {
            "team": corps.team.pk,
            "title": "上门打扫",
            "place": "陈明家",
            "starts_at": f"{day} 09:00",
            "ends_at": f"{day} 11:00",
            "capacity": "3",
            "case": case.pk,
        },
    )
    activity = Activity.objects.get(case=case)
    assert response["Location"] == reverse("volunteers:activity_manage", args=[activity.pk])
    assert activity.region == corps.county.village_a


def test_star_levels_follow_the_setting(corps: Corps, settings) -> None:  # type: ignore[no-untyped-def]
    _confirmed(corps, hours="1.5")
    settings.WENMIN_VOLUNTEER_STAR_HOURS = [1, 2, 3]
    page = _client(corps.county.volunteer).get(reverse("volunteers:me")).content.decode()
    assert 'data-stars="1"' in page and "★☆☆" in page
    settings.WENMIN_VOLUNTEER_STAR_HOURS = [100, 300, 600, 1000, 1500]
    page = _client(corps.county.volunteer).get(reverse("volunteers:me")).content.decode()
    assert 'data-stars="0"' in page and "☆☆☆☆☆" in page
