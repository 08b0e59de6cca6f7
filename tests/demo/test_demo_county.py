"""The demo county `make run` loads, seeded once for the whole module: first its numbers and
tree (the report's figures, a consistent register, the demo logins), then every demo login's
first minutes: it logs in with the printed password, lands on its own home, and no page it can
reach from there by following links — menus, tabs, tables, figures — answers 4xx or 5xx.

The county scale with its year of history is seeded once for the module, inside a transaction
rolled back at the end (about 15 s); the crawl follows each distinct page shape once (the same
path with the same query parameter names), so it stays a few hundred requests."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from collections.abc import Iterator
from html import unescape
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation import gettext as _

from wenmin.core.management.commands.demo_logins import DEMO_USERNAMES
from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.organisation.models import (
    Cadre,
    MembershipStatus,
    PartyMember,
    Person,
    Position,
    PositionKind,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
)
from wenmin.organisation.seed import county_plans
from wenmin.organisation.selectors import organisation_stats
from wenmin.organisation.validation import normalise_id_number
from wenmin.testing import check_constraints_once

# Every test here reads the database: this also makes pytest-django set up the test database
# before the module's seed runs, whichever tests are selected.
pytestmark = pytest.mark.django_db
PAGES_PER_LOGIN = 45
SKIP = re.compile(
    r"^/(static|media|admin/.+|api/v1/docs|i18n|accounts/logout)"
    r"|/export|/evidence/|/attachments/|\.xlsx|format=xlsx"
)
LINK = re.compile(r'href="(/[^"#]*)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The county scale, loaded once for this module and rolled back after it; the command's
    output."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = StringIO()
        call_command("seed", "--scale", "county", "--no-input", stdout=out)
        check_constraints_once()
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo: str) -> str:
    return demo


def _shape(url: str) -> str:
    parts = urlsplit(url)
    names = sorted({name for name, _value in parse_qsl(parts.query)} - {"page"})
    path = re.sub(r"/\d+/", "/N/", parts.path)
    return f"{path}?{'&'.join(names)}"


def _links(html: str) -> list[str]:
    found = []
    for raw in LINK.findall(html):
        url = unescape(raw)
        if not SKIP.search(url):
            found.append(url)
    return found


def _log_in(username: str) -> tuple[Client, str]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": settings.WENMIN_DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"{username} cannot log in with the demo password"
    return client, response["Location"]


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_a_demo_login_meets_no_refused_or_broken_page(demo, username):
    client, home = _log_in(username)
    assert home not in (reverse("login"), "/"), f"{username} has no home of its own"
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([(home, "(login)")])
    opened = 0
    while queue and opened < PAGES_PER_LOGIN:
        url, came_from = queue.popleft()
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(url)
        opened += 1
        assert response.status_code < 400, (
            f"{username}: {url} answered {response.status_code} (linked from {came_from})"
        )
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend((link, url) for link in _links(response.content.decode()))
    assert opened >= 3, f"{username} reaches almost nothing from its home"


def _queue_counts(client: Client) -> dict[str, int]:
    page = client.get(reverse("cases:workbench")).content.decode()
    return {queue: int(n) for queue, n in re.findall(r'data-count="(\w+)">(\d+)<', page)}


@pytest.mark.parametrize(
    ("username", "queues"),
    [
        ("dispatcher", ("to_analyse", "returned")),
        ("township", ("to_sign", "in_progress", "due_soon", "overdue", "returned", "replied")),
        ("department", ("to_sign", "in_progress", "due_soon", "overdue", "returned", "replied")),
        ("secretary", ("in_progress",)),
    ],
)
def test_each_demo_login_has_work_in_every_queue_it_acts_on(demo, username, queues):
    client, _home = _log_in(username)
    counts = _queue_counts(client)
    empty = [queue for queue in queues if not counts.get(queue)]
    assert empty == [], f"{username}: empty queues {empty} ({counts})"


def test_the_supervisors_see_overdue_and_escalated_cases(demo):
    for username in ("leader", "dispatcher"):
        client, _home = _log_in(username)
        page = client.get(reverse("cases:supervision")).content.decode()
        overdue = int(re.search(r'data-total="overdue">(\d+)<', page).group(1))  # type: ignore[union-attr]
        assert overdue > 0, username
        escalated = client.get(
            reverse("cases:supervision") + "?" + urlencode({"sort": "escalated"})
        )
        assert escalated.status_code == 200


SAMPLED_ROWS = 12  # of the branches' and cadres' long tables; townships and departments whole


def test_every_number_of_a_seeded_month_opens_as_many_records_as_it_says(demo):
    """The scoreboard link test on the demo's last full month, as the county leader: every
    figure of every township and department (and of the first branches and cadres) lists as
    many records as it says."""
    from wenmin.scoreboard.forms import this_month
    from wenmin.scoreboard.tests.test_figures import _check_every_number

    period = this_month().previous()
    client, _home = _log_in("leader")
    checked = 0
    for group in ("township", "department", "branch", "cadre"):
        page = client.get(
            reverse("scoreboard:ranking"), {"group": group, "period": period.label}
        ).content.decode()
        rows = page.split('<tr data-subject="')
        assert len(rows) > 1, group
        if group in ("branch", "cadre"):
            rows = rows[: SAMPLED_ROWS + 1]
        checked += _check_every_number(
            client, '<tr data-subject="'.join(rows), f"{group} {period.label}"
        )
    bulletin = client.get(reverse("scoreboard:bulletin"), {"period": period.label})
    checked += _check_every_number(client, bulletin.content.decode(), "bulletin")
    assert checked > 300


def test_the_demo_county_has_a_year_of_the_three_asks_in_its_figures(demo):
    """`wenmin stats --json` reports what issue 10 asks of the demo: councils, proposals,
    decisions, surveys, visits and needs, reception days and their matters."""
    import json

    out = StringIO()
    call_command("stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    councils, surveys, inquiry = stats["councils"], stats["surveys"], stats["inquiry"]
    assert councils["councils"] >= 100 and councils["proposals"] >= councils["councils"]
    assert councils["decisions"] > 0 and councils["failed_quorum"] > 0
    assert councils["by_state"]["in_notice"] > 0 and councils["by_state"]["failed"] > 0
    assert surveys["plans"] == 2 and 0 < surveys["visits"] <= surveys["visits_planned"]
    assert surveys["needs"] == sum(surveys["needs_by_resolution"].values()) > 0
    by_resolution = surveys["needs_by_resolution"]
    assert all(by_resolution[key] for key in ("resolved_on_spot", "case", "waiting_for_activity"))
    assert surveys["resident_answers"] > 0  # a round open to residents, answered online
    assert inquiry["reception_days"] > 0 and inquiry["matters"] > 0
    assert stats["households"]["in_care"] > 0 and stats["residents"]["verified_phones"] >= 1


def test_the_demo_county_has_members_working_away_on_the_register(demo):
    """Issue 13's register of members working away is not empty in `make run`: some members are
    away now, some came back, and the township's register lists and counts those in its area."""
    from wenmin.branchlife.models import AwayPeriod

    assert AwayPeriod.objects.filter(returned_on__isnull=True).count() > 0
    assert AwayPeriod.objects.filter(returned_on__isnull=False).exists()
    client, _home = _log_in("township")
    page = client.get(reverse("branchlife:away")).content.decode()
    total = re.search(r"data-away-total>(\d+)<", page)
    assert total is not None and int(total[1]) > 0 and "data-away-empty" not in page
    client, _home = _log_in("secretary")
    assert client.get(reverse("branchlife:away")).status_code == 200


TODAY = dt.date(2026, 3, 2)


def test_county_scale_has_the_reports_numbers(seeded, db):
    stats = organisation_stats()
    regions, units, people = stats["regions"], stats["units"], stats["people"]
    assert regions["county"] == 1
    assert regions["township"] == 11
    assert 140 <= regions["village"] <= 165
    assert 6 * 100 <= regions["group"] <= 10 * regions["village"]
    assert units["party_branch"] == 512
    assert units["official_account"] == 65
    assert units["work_group"] == 147
    assert units["leadership_body"] == 4
    assert 25 <= units["department"] <= 30
    assert units["service_centre"] == 11 + 1
    assert units["work_station"] == regions["village"]
    assert units["villagers_council"] == regions["village"]
    assert units["sentiment_group"] == regions["village"]
    assert units["volunteer_team"] >= 40
    assert people["party_member"] >= 8_600
    assert 540 <= people["cadre"] <= 660
    assert 1_000 <= people["volunteer"] <= 1_150
    assert people["resident"] >= 2_800  # and the households app adds its members (issue 10)
    probationary = PartyMember.objects.filter(status=MembershipStatus.PROBATIONARY).count()
    assert 0.03 <= probationary / people["party_member"] <= 0.07
    assert (
        Cadre.objects.filter(person__party_membership__isnull=False).count() / people["cadre"]
        > 0.75
    )


def test_township_kinds_and_populations_are_realistic(seeded, db):
    kinds = Counter(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("kind", flat=True)
    )
    assert set(kinds) == {"subdistrict", "office", "town", "township", "farm"}
    county = Region.objects.get(level=RegionLevel.COUNTY)
    assert 190_000 <= county.population <= 210_000
    assert (
        sum(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("population", flat=True))
        == county.population
    )
    for region in Region.objects.exclude(level=RegionLevel.GROUP):
        assert region.latitude is not None and region.longitude is not None
        assert abs(float(region.latitude) - 28.42) <= 0.2
        assert abs(float(region.longitude) - 117.60) <= 0.2
    communities = Region.objects.filter(kind="community")
    assert communities.exists()
    assert set(communities.values_list("parent__kind", flat=True)) <= {"subdistrict", "office"}
    groups_per_village = Counter(
        Region.objects.filter(level=RegionLevel.GROUP).values_list("parent_id", flat=True)
    )
    assert groups_per_village and all(6 <= count <= 10 for count in groups_per_village.values())


def test_every_village_has_its_branch_station_council_and_group(seeded, db):
    villages = set(Region.objects.filter(level=RegionLevel.VILLAGE).values_list("id", flat=True))
    for kind in (
        UnitKind.PARTY_BRANCH,
        UnitKind.WORK_STATION,
        UnitKind.VILLAGERS_COUNCIL,
        UnitKind.SENTIMENT_GROUP,
    ):
        regions = Counter(
            Unit.objects.filter(kind=kind, region__level=RegionLevel.VILLAGE).values_list(
                "region_id", flat=True
            )
        )
        assert set(regions) == villages, kind
        assert set(regions.values()) == {1}, kind
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    centres = Unit.objects.filter(kind=UnitKind.SERVICE_CENTRE, region__in=townships)
    assert centres.values("region").distinct().count() == 11
    assert (
        Unit.objects.filter(kind=UnitKind.SERVICE_CENTRE, region__level=RegionLevel.COUNTY).count()
        == 1
    )
    committees = Unit.objects.filter(kind=UnitKind.PARTY_COMMITTEE, region__in=townships)
    assert committees.count() == 11
    assert set(committees.values_list("parent__kind", flat=True)) == {UnitKind.LEADERSHIP_BODY}
    assert (
        Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT).values("region").distinct().count()
        == 11
    )
    owners = set(
        Unit.objects.filter(kind__in=[UnitKind.OFFICIAL_ACCOUNT, UnitKind.WORK_GROUP]).values_list(
            "parent__kind", flat=True
        )
    )
    assert None not in owners
    assert owners <= {
        UnitKind.LEADERSHIP_BODY,
        UnitKind.DEPARTMENT,
        UnitKind.SERVICE_CENTRE,
        UnitKind.TOWNSHIP_GOVERNMENT,
        UnitKind.PARTY_COMMITTEE,
    }


def test_every_branch_has_one_secretary_who_is_its_member(seeded, db):
    branches = set(Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).values_list("id", flat=True))
    secretaries = list(
        Position.objects.filter(kind=PositionKind.BRANCH_SECRETARY).values_list(
            "unit_id", "person_id"
        )
    )
    assert Counter(unit for unit, _person in secretaries) == Counter(branches)
    memberships = set(PartyMember.objects.values_list("person_id", "branch_id"))
    assert all((person, unit) in memberships for unit, person in secretaries)
    assert not Unit.objects.filter(kind=UnitKind.PARTY_BRANCH, party_members__isnull=True).exists()
    assert set(
        Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).values_list("parent__kind", flat=True)
    ) == {UnitKind.PARTY_COMMITTEE}


def test_paths_and_townships_are_consistent(seeded, db):
    regions = {region.pk: region for region in Region.objects.all()}
    for region in regions.values():
        parent = regions.get(region.parent_id) if region.parent_id else None
        assert region.path == (parent.path if parent else "") + region.code + "/"
        if region.level == RegionLevel.COUNTY:
            assert region.township_id is None
        elif region.level == RegionLevel.TOWNSHIP:
            assert region.township_id == region.pk
        else:
            assert parent is not None and region.township_id == parent.township_id
            assert region.code.startswith(
                parent.code[: 9 if region.level == RegionLevel.GROUP else 6]
            )
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else ""
        assert unit.path == parent_path + unit.code + "/"


def test_people_have_unique_phones_and_valid_id_numbers(seeded, db):
    total = Person.objects.count()
    assert Person.objects.values("phone_digest").distinct().count() == total
    assert not Person.objects.filter(phone_digest="").exists()
    sample = list(Person.objects.order_by("id")[:300])
    assert all(len(p.phone) == 11 and p.phone[:2] in {"13", "15", "18"} for p in sample)
    cadres = list(Person.objects.filter(cadre__isnull=False))
    assert all(normalise_id_number(p.id_number) == p.id_number for p in cadres)
    assert Person.objects.filter(cadre__isnull=False).values("id_digest").distinct().count() == len(
        cadres
    )
    assert not Person.objects.filter(region__isnull=True).exists()
    years = PartyMember.objects.values_list("joined_on__year", flat=True)
    assert max(years) - min(years) >= 30  # joined over decades


def test_positions_cover_townships_and_departments(seeded, db):
    townships = set(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("id", flat=True))
    positions = Position.objects.all()
    secretaries = positions.filter(kind=PositionKind.TOWNSHIP_PARTY_SECRETARY)
    assert set(secretaries.values_list("unit__region_id", flat=True)) == townships
    # The seed's 包联 of townships; a project's patron holds a 包联 post named by its project.
    liaisons = positions.filter(kind=PositionKind.COUNTY_LEADER_LIAISON, subject="")
    assert set(liaisons.values_list("region_id", flat=True)) == townships
    patrons = positions.filter(kind=PositionKind.COUNTY_LEADER_LIAISON).exclude(subject="")
    assert not patrons.filter(region__isnull=False).exclude(region__in=townships).exists()
    assert set(liaisons.values_list("person__cadre__unit__kind", flat=True)) == {
        UnitKind.LEADERSHIP_BODY
    }
    departments = set(Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("id", flat=True))
    heads = positions.filter(kind=PositionKind.DEPARTMENT_HEAD)
    assert Counter(heads.values_list("unit_id", flat=True)) == Counter(departments)
    dispatchers = positions.filter(kind=PositionKind.DISPATCHER)
    assert dispatchers.count() >= 3
    assert set(dispatchers.values_list("unit__kind", "unit__region__level")) == {
        (UnitKind.SERVICE_CENTRE, RegionLevel.COUNTY)
    }
    governments = set(
        Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT).values_list("id", flat=True)
    )
    handled = set(
        positions.filter(kind=PositionKind.CASE_HANDLER).values_list("unit_id", flat=True)
    )
    assert departments | governments <= handled
    assert (
        not positions.filter(person__cadre__isnull=True)
        .exclude(kind=PositionKind.BRANCH_SECRETARY)
        .exists()
    )


DEMO_LOGINS = {
    "admin": Role.ADMINISTRATOR,
    "leader": Role.COUNTY_LEADER,
    "dispatcher": Role.DEPARTMENT_STAFF,
    "township": Role.TOWNSHIP_STAFF,
    "department": Role.DEPARTMENT_STAFF,
    "secretary": Role.BRANCH_SECRETARY,
    "volunteer": Role.VOLUNTEER,
    "resident": Role.RESIDENT,
}


def test_demo_logins_have_their_roles_people_and_password(seeded, db):
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_LOGINS).select_related("unit", "person")
    }
    assert {name: user.role for name, user in users.items()} == DEMO_LOGINS
    for name, user in users.items():
        assert user.person is not None, name
        assert user.check_password(settings.WENMIN_DEMO_PASSWORD), name
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["leader"].is_staff
    township = users["township"].unit
    assert township is not None and township.kind == UnitKind.TOWNSHIP_GOVERNMENT
    first_town = Region.objects.filter(level=RegionLevel.TOWNSHIP, kind="town").order_by("code")[0]
    assert township.region.township_id == first_town.pk
    assert (
        users["department"].unit is not None
        and users["department"].unit.name == "枫岭县住房和城乡建设局"
    )
    centre = users["dispatcher"].unit
    assert centre is not None and centre.kind == UnitKind.SERVICE_CENTRE
    assert centre.region.level == RegionLevel.COUNTY and "12345" in centre.name
    for name, kind in (
        ("dispatcher", PositionKind.DISPATCHER),
        ("township", PositionKind.CASE_HANDLER),
        ("department", PositionKind.CASE_HANDLER),
    ):
        assert Position.objects.filter(
            kind=kind, unit=users[name].unit, person=users[name].person, end_date__isnull=True
        ).exists(), name
    assert not Position.objects.filter(
        person=users["leader"].person, kind=PositionKind.DISPATCHER
    ).exists()
    branch = users["secretary"].unit
    assert (
        branch is not None
        and branch.kind == UnitKind.PARTY_BRANCH
        and branch.region.level == RegionLevel.VILLAGE
    )
    assert Position.objects.filter(
        kind=PositionKind.BRANCH_SECRETARY, unit=branch, person=users["secretary"].person
    ).exists()
    assert hasattr(users["volunteer"].person, "volunteer")
    assert users["resident"].person is not None and users["resident"].person.is_resident


def test_every_case_handler_and_dispatcher_has_an_account_without_a_password(seeded, db):
    takers = Position.objects.filter(
        kind__in=(PositionKind.CASE_HANDLER, PositionKind.DISPATCHER)
    ).select_related("unit", "person__account")
    assert takers.count() >= 80
    for position in takers:
        account = position.person.account
        assert account.unit_id == position.unit_id, account.username
        assert position.unit is not None
        township = position.unit.kind == UnitKind.TOWNSHIP_GOVERNMENT
        assert account.role == (Role.TOWNSHIP_STAFF if township else Role.DEPARTMENT_STAFF)
        assert account.has_usable_password() == (account.username in DEMO_LOGINS)
        assert not account.is_staff
    handled = Counter(
        takers.filter(kind=PositionKind.CASE_HANDLER).values_list("unit__kind", flat=True)
    )
    assert handled[UnitKind.TOWNSHIP_GOVERNMENT] >= 2 * 11
    assert (
        User.objects.filter(person__isnull=False).count() == takers.count() + len(DEMO_LOGINS) - 3
    )


def test_the_logins_are_listed_once_by_demo_logins_not_by_the_seed(seeded, db):
    assert settings.WENMIN_DEMO_PASSWORD not in seeded
    assert "wenmin demo_logins" in seeded
    out = StringIO()
    call_command("demo_logins", stdout=out)
    listing = out.getvalue()
    assert listing.count(settings.WENMIN_DEMO_PASSWORD) == 1
    lines = listing.splitlines()
    for name in DEMO_LOGINS:
        assert sum(line.split()[0] == name for line in lines[1:]) == 1, name
    assert "枫岭县政务服务中心（12345热线）" in listing


def test_the_load_is_audited_once(seeded, db):
    event = AuditEvent.objects.get(action="seed.load")
    assert event.actor is None and event.actor_label == "seed"
    assert event.changes["scale"] == "county"
    assert event.changes["units"]["party_branch"] == 512
    assert event.changes["people"]["party_member"] == PartyMember.objects.count()


def test_if_empty_keeps_the_data_and_a_second_load_is_refused(seeded, db):
    before = organisation_stats()
    out = StringIO()
    call_command("seed", "--if-empty", "--no-input", stdout=out)
    assert _("The database already holds organisation data; it is kept as it is.") in out.getvalue()
    with pytest.raises(CommandError):
        call_command("seed", "--no-input", stdout=StringIO())
    assert organisation_stats() == before
    assert AuditEvent.objects.filter(action="seed.load").count() == 1


def test_the_database_holds_exactly_the_plan_of_seed_one(seeded, db):
    plan = next(county_plans(scale="county", seed=1, today=TODAY))
    assert sorted(Region.objects.values_list("code", "name")) == sorted(
        (r.code, r.name) for r in plan.regions
    )
    assert sorted(Unit.objects.values_list("code", "name")) == sorted(
        (u.code, u.name) for u in plan.units
    )
    first = list(Person.objects.order_by("id").values_list("name", flat=True)[:50])
    assert first == [person.name for person in plan.people[:50]]
