"""An organiser registers a volunteer into the team on the phone: a new person gets their
number, an existing volunteer joins, a member already in the team is refused, someone who does
not organise the team is turned away, and bad input saves nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.organisation import services as org
from wenmin.organisation.models import Person, Volunteer
from wenmin.volunteers import services
from wenmin.volunteers.models import Membership, Profile

from .conftest import Corps

GOOD = {
    "name": "王小梅",
    "phone": "138 0013 8000",
    "consent": "on",
    "skills": ["elderly_care"],
    "availability": ["weekend"],
    "post": "宣传",
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(corps: Corps) -> str:
    return reverse("volunteers:team_member_register", args=[corps.team.pk])


def _counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Volunteer.objects.count(),
        Profile.objects.count(),
        Membership.objects.count(),
    )


def test_the_team_page_links_to_the_registration_for_its_organiser(corps: Corps) -> None:
    page = _client(corps.county.township_clerk).get(
        reverse("volunteers:team", args=[corps.team.pk])
    )
    assert f'href="{_url(corps)}"' in page.content.decode()
    form = _client(corps.county.township_clerk).get(_url(corps))
    assert form.status_code == 200 and "data-member-register" in form.content.decode()
    leader_view = _client(corps.county.leader).get(reverse("volunteers:team", args=[corps.team.pk]))
    assert _url(corps) not in leader_view.content.decode()


def test_the_organiser_registers_a_new_person_who_gets_a_number(corps: Corps) -> None:
    client = _client(corps.county.township_clerk)
    response = client.post(_url(corps), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:team_members", args=[corps.team.pk])
    person = Person.objects.get(name="王小梅")
    assert person.phone == "13800138000" and person.is_resident
    profile = Profile.objects.get(volunteer__person=person)
    assert profile.number.startswith("ZY") and profile.consent_at is not None
    assert profile.skills == ["elderly_care"] and profile.availability == ["weekend"]
    assert profile.registered_by == corps.county.township_clerk
    membership = Membership.objects.get(profile=profile, team=corps.team)
    assert membership.post == "宣传"
    assert AuditEvent.objects.filter(action="volunteers.profile_register").exists()
    members = client.get(reverse("volunteers:team_members", args=[corps.team.pk])).content.decode()
    assert "王小梅" in members and profile.number in members
    assert "13800138000" not in members  # masked on screen


def test_an_existing_volunteer_joins_the_team_with_their_number_kept(corps: Corps) -> None:
    person = org.person_create(actor=None, name="陈静", phone="13700001234")
    org.volunteer_set(actor=None, person=person, post="")
    profile = services.profile_register(
        actor=None, volunteer=person.volunteer, consent=True, skills=[], availability=[]
    )
    before = _counts()
    response = _client(corps.county.township_clerk).post(
        _url(corps), {**GOOD, "name": "陈静", "phone": "13700001234"}
    )
    assert response.status_code == 302
    assert _counts() == (before[0], before[1], before[2], before[3] + 1)
    membership = Membership.objects.get(profile=profile, team=corps.team)
    assert membership.post == "宣传" and Profile.objects.get(pk=profile.pk).number == profile.number
    assert AuditEvent.objects.filter(action="volunteers.membership_add").exists()


def test_a_member_already_in_the_team_is_refused_clearly(corps: Corps) -> None:
    before = _counts()
    response = _client(corps.county.township_clerk).post(
        _url(corps), {**GOOD, "name": "周强", "phone": "15900001111"}
    )
    assert response.status_code == 400
    assert "已是本队队员" in response.content.decode()  # already a member of this team
    assert corps.other.number in response.content.decode()
    assert _counts() == before


BAD: list[dict[str, Any]] = [
    {"phone": "12345"},
    {"phone": ""},
    {"phone": "1" * 40},
    {"name": ""},
    {"consent": ""},
    {"skills": ["juggling"]},
    {"availability": ["never"]},
    {"post": "x" * 65},
]


def test_bad_input_is_refused_with_nothing_saved(corps: Corps) -> None:
    client = _client(corps.county.township_clerk)
    before = _counts()
    events = AuditEvent.objects.count()
    for change in BAD:
        data = {k: v for k, v in {**GOOD, **change}.items() if v != ""}
        assert client.post(_url(corps), data).status_code == 400, change
        assert _counts() == before and AuditEvent.objects.count() == events, change


def test_a_bad_phone_and_a_missing_consent_say_why(corps: Corps) -> None:
    client = _client(corps.county.township_clerk)
    page = client.post(_url(corps), {**GOOD, "phone": "12345"}).content.decode()
    assert "不是有效的大陆手机号" in page  # not a mainland mobile number
    data = {k: v for k, v in GOOD.items() if k != "consent"}
    page = client.post(_url(corps), data).content.decode()
    assert "须经志愿者同意" in page  # needs the volunteer's consent


def test_someone_who_does_not_organise_the_team_is_turned_away(corps: Corps) -> None:
    before = _counts()
    for user in (corps.county.other_township_clerk, corps.other_user):
        client = _client(user)
        assert client.get(_url(corps)).status_code in (403, 404)
        assert client.post(_url(corps), GOOD).status_code in (403, 404)
    assert _client(corps.county.department_clerk).post(_url(corps), GOOD).status_code == 403
    missing = reverse("volunteers:team_member_register", args=[10**9])
    assert _client(corps.county.township_clerk).get(missing).status_code == 404
    assert _counts() == before


def test_a_team_leader_registers_a_new_person(corps: Corps) -> None:
    Membership.objects.filter(profile=corps.other, team=corps.team).update(is_leader=True)
    response = _client(corps.other_user).post(_url(corps), GOOD)
    assert response.status_code == 302
    profile = Profile.objects.get(volunteer__person__name="王小梅")
    assert Membership.objects.filter(profile=profile, team=corps.team).exists()
