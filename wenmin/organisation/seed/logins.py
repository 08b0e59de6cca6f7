"""Accounts: the demo logins (one per role, in the first county) and, in every county, an account
for each case handler and dispatcher, so the demo history can name real people as its actors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import PositionKind, RegionKind, UnitKind
from wenmin.organisation.seed import catalogue
from wenmin.organisation.seed.people import PeoplePlanner
from wenmin.organisation.seed.plan import AccountSpec, CountyPlan, DemoLogin, TownshipLayout
from wenmin.organisation.seed.write import CountyWriter

# The positions whose holders take the steps of a case: they get an account.
STEP_TAKERS = (PositionKind.DISPATCHER, PositionKind.CASE_HANDLER)
# The logins whose queues the demo history fills with a working day (cases/demo/today.py).
DISPATCHER_LOGIN, TOWNSHIP_LOGIN, DEPARTMENT_LOGIN = "dispatcher", "township", "department"
SECRETARY_LOGIN = "secretary"


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    created: bool


def demo_township(townships: list[TownshipLayout]) -> TownshipLayout:
    """The first town: it has villages, groups and a branch in each."""
    return next(t for t in townships if t.kind == RegionKind.TOWN)


def tagged_in(planner: PeoplePlanner, tag: str, unit_code: str) -> int:
    """The first person with that tag in that unit."""
    return next(person for person, unit in planner.cast.tagged[tag] if unit == unit_code)


def plan_logins(planner: PeoplePlanner) -> None:
    """One login per role, each linked to a person in the county; the centre's first dispatcher,
    the demo town's and department's first case handlers."""
    cast, layout, plan = planner.cast, planner.layout, planner.plan
    township = demo_township(layout.townships)
    village = next(v for v in township.villages if v.kind == RegionKind.VILLAGE)
    department = layout.department_codes[catalogue.DEMO_DEPARTMENT]
    homes = set(township.homes())
    first_team = set(township.team_codes[:1])
    members = {member.person for member in plan.members}
    volunteer = next(
        v.person for v in plan.volunteers if v.team_code in first_team and v.person not in members
    )
    resident = next(
        index
        for index, person in enumerate(plan.people)
        if person.is_resident and person.region_code in homes
    )
    plan.logins = [
        DemoLogin("admin", Role.ADMINISTRATOR, tagged_in(planner, "admin", layout.centre_code)),
        DemoLogin(
            "leader",
            Role.COUNTY_LEADER,
            cast.unit_cadres[layout.government_code][0],
            layout.government_code,
        ),
        DemoLogin(
            DISPATCHER_LOGIN,
            Role.DEPARTMENT_STAFF,
            tagged_in(planner, "dispatcher", layout.centre_code),
            layout.centre_code,
        ),
        DemoLogin(
            TOWNSHIP_LOGIN,
            Role.TOWNSHIP_STAFF,
            tagged_in(planner, "handler", township.government_code),
            township.government_code,
        ),
        DemoLogin(
            DEPARTMENT_LOGIN,
            Role.DEPARTMENT_STAFF,
            tagged_in(planner, "handler", department),
            department,
        ),
        DemoLogin(
            SECRETARY_LOGIN,
            Role.BRANCH_SECRETARY,
            cast.secretaries[village.branch_code],
            village.branch_code,
        ),
        DemoLogin("volunteer", Role.VOLUNTEER, volunteer),
        DemoLogin("resident", Role.RESIDENT, resident),
    ]


def plan_accounts(plan: CountyPlan) -> None:
    """An account for each dispatcher and case handler who has no demo login: `<unit code>-<n>`,
    township staff in a township government, department staff elsewhere."""
    kinds = {unit.code: unit.kind for unit in plan.units}
    with_login = {login.person for login in plan.logins}
    per_unit: Counter[str] = Counter()
    for position in plan.positions:
        if position.kind not in STEP_TAKERS or position.unit_code is None:
            continue
        per_unit[position.unit_code] += 1
        if position.person in with_login:
            continue
        township = kinds[position.unit_code] == UnitKind.TOWNSHIP_GOVERNMENT
        plan.accounts.append(
            AccountSpec(
                username=f"{position.unit_code.lower()}-{per_unit[position.unit_code]}",
                role=Role.TOWNSHIP_STAFF if township else Role.DEPARTMENT_STAFF,
                person=position.person,
                unit_code=position.unit_code,
            )
        )


def create_logins(plan: CountyPlan, writer: CountyWriter) -> list[LoginRow]:
    """Create the plan's demo accounts; a username that exists already is left as it is."""
    # One hash for all: the logins share a password, and each hash costs a deliberate fraction
    # of a second.
    password = make_password(settings.WENMIN_DEMO_PASSWORD)
    existing = set(
        User.objects.filter(username__in=[login.username for login in plan.logins]).values_list(
            "username", flat=True
        )
    )
    rows = []
    for login in plan.logins:
        created = login.username not in existing
        if created:
            administrator = login.role == Role.ADMINISTRATOR
            User.objects.create(
                username=login.username,
                password=password,
                role=login.role,
                unit=writer.units[login.unit_code] if login.unit_code else None,
                person=writer.people[login.person],
                is_staff=administrator,
                is_superuser=administrator,
            )
        rows.append(LoginRow(login.username, login.role, created))
    return rows


def create_accounts(plan: CountyPlan, writer: CountyWriter) -> int:
    """Insert the handlers' and dispatchers' accounts, with unusable passwords (an administrator
    sets one to let a person in); a username taken already is skipped. Returns how many."""
    taken = set(
        User.objects.filter(
            username__in=[account.username for account in plan.accounts]
        ).values_list("username", flat=True)
    )
    users = [
        User(
            username=account.username,
            password=make_password(None),
            role=account.role,
            unit=writer.units[account.unit_code],
            person=writer.people[account.person],
        )
        for account in plan.accounts
        if account.username not in taken
    ]
    writer.insert(User, users)
    return len(users)
