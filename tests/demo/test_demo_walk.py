"""Every demo login's first minutes on the demo county `make run` loads: it logs in with the
printed password, lands on its own home, and no page it can reach from there by following
links — menus, tabs, tables, figures — answers 4xx or 5xx.

The county scale with its year of history is seeded once for the module, inside a transaction
rolled back at the end (about 15 s); the crawl follows each distinct page shape once (the same
path with the same query parameter names), so it stays a few hundred requests."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html import unescape
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from wenmin.core.management.commands.demo_logins import DEMO_USERNAMES

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
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("seed", "--scale", "county", "--no-input", stdout=StringIO())
        yield
        transaction.set_rollback(True)


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
