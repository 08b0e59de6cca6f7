"""Two application servers and two workers on one PostgreSQL and one Redis behave as one.

Two gunicorn servers (two processes each) and two `wenmin worker`s run on this test's database;
intake (Open311 and the portal) and workflow steps (the native API) go through both servers at
once, from threads. Then: no case number twice and none skipped, each notification sent once,
each reminder and escalation once, the deadline sweep once per interval and the privacy sweep
once, the rate limits and the login lock-out counted across the servers, and an override of a
time limit seen by both servers at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.services.config import deadline_override_save
from wenmin.channels.services import apikey_create
from wenmin.core.models import AuditEvent
from wenmin.core.services_tokens import api_token_create
from wenmin.testing import PASSWORD

from .live import Processes, free_port, processes, until
from .test_task_queue import UNFINISHED, expected_notifications, sent_notifications

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db(transaction=True)]

SWEEP_SECONDS = 2
PORTAL_LIMIT = 12  # submissions an hour from one address
BURST_LIMIT = 10  # Open311 calls a minute with the burst key
LEAK = {
    "service_code": "water.leak",
    "attribute[where]": "street",
    "lat": "28.41",
    "long": "117.61",
}
SCOPES = ("cases:read", "cases:write", "organisation:read", "config:read")


def _redis_url() -> str:
    """REDIS_URL when PostgreSQL and Redis are both there; the test is skipped otherwise."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "two servers and two workers need PostgreSQL: set DATABASE_URL=postgres://… and "
            "REDIS_URL=redis://… (the PostgreSQL pass of .ci/run does)"
        )
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("two servers share their limits and caches through Redis: set REDIS_URL")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at REDIS_URL is not answering ({error})")
    return url


def _window_safe() -> None:
    """Start the counted bursts well inside one minute (and one hour) of the limits' windows."""
    now = time.time()
    if 60 - now % 60 < 15 or 3600 - now % 3600 < 30:
        time.sleep(60 - now % 60 + 1)


class Site:
    """The two servers, each request going to the next one in turn."""

    def __init__(self, ports: list[int]) -> None:
        self.bases = [f"http://127.0.0.1:{port}" for port in ports]
        self._turn = 0
        self._lock = threading.Lock()

    def base(self) -> str:
        with self._lock:
            self._turn += 1
            return self.bases[self._turn % len(self.bases)]

    def open311(self, key: str, **fields: str) -> requests.Response:
        data = {"api_key": key, "description": "青石镇大街水管爆裂，水流满地。", **LEAK, **fields}
        return requests.post(f"{self.base()}/open311/v2/requests.json", data=data, timeout=30)

    def portal(self, n: int, category: int) -> requests.Response:
        base = self.base()
        session = requests.Session()
        form = session.get(f"{base}/portal/", timeout=30)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert match, form.text[:500]
        data = {
            "csrfmiddlewaretoken": match[1],
            "content": f"青石村路口水管漏水三天了，请尽快修理。({n})",
            "kind": "help",
            "category": str(category),
            "extra.where": "street",
            "address": "青石村村口",
            "requester_name": "新居民",
            "requester_phone": "13511112222",
            "notice_read": "on",
        }
        headers = {"Referer": f"{base}/portal/"}
        return session.post(
            f"{base}/portal/", data=data, headers=headers, allow_redirects=False, timeout=30
        )

    def login(self, username: str, password: str) -> requests.Response:
        base = self.base()
        session = requests.Session()
        page = session.get(f"{base}/accounts/login/", timeout=30)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, page.text[:500]
        data = {"csrfmiddlewaretoken": match[1], "username": username, "password": password}
        return session.post(
            f"{base}/accounts/login/",
            data=data,
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
            timeout=30,
        )

    def api(self, token: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{self.base()}/api/v1{path}"
        if body is None:
            return requests.get(url, headers=headers, timeout=30)
        return requests.post(url, data=json.dumps(body), headers=headers, timeout=30)


def _start(running: Processes, redis_url: str) -> Site:
    taken: set[int] = set()
    ports = [free_port(taken), free_port(taken)]
    shared = {"REDIS_URL": redis_url, "WENMIN_DEBUG": "false"}
    for n, port in enumerate(ports):
        running.start(
            f"server-{n}",
            ["-m", "gunicorn", "wenmin.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}"],
            WENMIN_PORTAL_SUBMISSIONS_PER_HOUR=str(PORTAL_LIMIT),
            **shared,
        )
    for n in range(2):
        running.start(
            f"worker-{n}",
            ["-m", "wenmin.cli", "worker", "--skip-checks", "--sweep-seconds", str(SWEEP_SECONDS)],
            WENMIN_LOG_LEVEL="INFO",
            **shared,
        )
    site = Site(ports)

    def answering() -> bool:
        try:
            return all(
                requests.get(f"{base}/open311/v2/services.json", timeout=30).status_code == 200
                for base in site.bases
            )
        except requests.RequestException:
            # Refused while gunicorn binds, or slow (a read timeout) while its first workers
            # import the application on a loaded machine: not answering yet either way.
            return False

    assert until(answering, 120), running.log("server-0") + running.log("server-1")
    return site


def _due_cases(desk: Any) -> tuple[list[int], list[int]]:
    """Two cases at 80 % of their sign-for time (a reminder), two past it (an escalation)."""
    c, now = desk.county, timezone.now()
    remind, escalate = [], []
    for n in range(4):
        case = cases.case_intake(channel=Channel.PHONE, content=f"路灯不亮 {n}", region=c.village_a)
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
        if n < 2:
            clocks = {
                "dispatched_at": now - dt.timedelta(hours=8),
                "sign_for_due": now + dt.timedelta(hours=2),
            }
            remind.append(case.pk)
        else:
            clocks = {
                "dispatched_at": now - dt.timedelta(hours=8),
                "sign_for_due": now - dt.timedelta(hours=1),
            }
            escalate.append(case.pk)
        Case.objects.filter(pk=case.pk).update(**clocks)
    return remind, escalate


def _all(jobs: list[Callable[[], Any]], threads: int = 8) -> list[Any]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda job: job(), jobs))


def test_two_servers_and_two_workers_behave_as_one(desk, tmp_path):
    redis_url = _redis_url()
    c = desk.county
    _key, fms = apikey_create(actor=None, name="FixMyStreet", rate_limit_per_minute=1000)
    _key, burst = apikey_create(actor=None, name="burst", rate_limit_per_minute=BURST_LIMIT)
    _t, dispatcher = api_token_create(actor=None, user=desk.dispatcher, name="ms", scopes=SCOPES)
    _t, clerk = api_token_create(actor=None, user=c.township_clerk, name="ms", scopes=SCOPES)
    remind, escalate = _due_cases(desk)
    # The servers check passwords with the production hashers, not the tests' fast one.
    baisha = c.other_township_clerk
    hasher = PBKDF2PasswordHasher()
    baisha.password = hasher.encode(PASSWORD, hasher.salt())
    baisha.save(update_fields=["password"])

    with processes(tmp_path) as running:
        started = time.monotonic()
        site = _start(running, redis_url)

        # Intake through both servers at once, with the counted bursts beside it.
        _window_safe()
        intake = [lambda: site.open311(fms) for _ in range(24)]
        portal = [lambda n=n: site.portal(n, desk.leaking_pipe.pk) for n in range(PORTAL_LIMIT + 4)]
        burst_calls = [lambda: site.open311(burst) for _ in range(BURST_LIMIT + 6)]
        answers = _all(intake + portal + burst_calls)
        opened, submitted, bursted = (
            answers[:24],
            answers[24 : 24 + len(portal)],
            answers[24 + len(portal) :],
        )

        assert [r.status_code for r in opened] == [200] * 24, [r.text for r in opened]
        numbers = [r.json()[0]["service_request_id"] for r in opened]
        assert Counter(r.status_code for r in submitted) == {302: PORTAL_LIMIT, 429: 4}
        assert Counter(r.status_code for r in bursted) == {200: BURST_LIMIT, 429: 6}

        # Workflow: each case dispatched through one server while the other server is asked
        # the same; then signed for through either.
        def dispatch(number: str) -> int:
            return site.api(dispatcher, f"/cases/{number}/dispatch", {"unit": "T1-GOV"}).status_code

        dispatched = _all([lambda n=n: dispatch(n) for n in numbers for _twice in range(2)])
        assert Counter(dispatched) == {200: 24, 409: 24}
        signed = _all(
            [
                lambda n=n: site.api(clerk, f"/cases/{n}/sign-for", {"note": "收到"}).status_code
                for n in numbers
            ]
        )
        assert signed == [200] * 24

        # A time limit changed on one server (here, the test's own process) is seen by both at
        # once, although both have the old one cached.
        before = [site.api(dispatcher, "/deadlines").json()["callback"] for _ in range(4)]
        assert {b["overridden"] for b in before} == {False}
        deadline_override_save(actor=None, clock="callback", amount=9, unit="working_days")
        after = [site.api(dispatcher, "/deadlines").json()["callback"] for _ in range(4)]
        assert {(a["amount"], a["overridden"]) for a in after} == {(9, True)}

        # The login lock-out counts failures on both servers together (django-axes' database
        # handler): five failures spread over both lock the account out on either.
        assert site.login("baisha", PASSWORD).status_code == 302
        failures = [site.login("baisha", "a wrong guess").status_code for _ in range(5)]
        assert failures == [200] * 4 + [429]  # the fifth failure locks it
        assert site.login("baisha", PASSWORD).status_code == 429
        assert site.login("baisha", PASSWORD).status_code == 429

        # The workers deliver every notification and sweep for a few intervals more.
        def settled() -> bool:
            swept = CaseEvent.objects.filter(action__in=("remind", "escalate")).count() >= 4
            queued = DBTaskResult.objects.filter(status__in=UNFINISHED).exists()
            return swept and not queued

        assert until(settled, 40), running.log("worker-0") + running.log("worker-1")
        time.sleep(3 * SWEEP_SECONDS)
        assert until(lambda: not DBTaskResult.objects.filter(status__in=UNFINISHED).exists(), 20)
        ran_for = time.monotonic() - started
    logs = running.log("worker-0") + running.log("worker-1")

    # No number twice, none skipped: each county and day counts 1, 2, 3… through both servers.
    all_numbers = list(Case.objects.values_list("number", flat=True))
    assert len(all_numbers) == len(set(all_numbers)) == 4 + 24 + PORTAL_LIMIT + BURST_LIMIT
    by_day: dict[str, list[int]] = defaultdict(list)
    for number in all_numbers:
        prefix, sequence = number.rsplit("-", 1)
        by_day[prefix].append(int(sequence))
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in by_day.values()), by_day

    # Each reminder and escalation once, each notification once, each task once.
    events = Counter(
        CaseEvent.objects.filter(action__in=("remind", "escalate")).values_list("case_id", "action")
    )
    assert events == Counter(
        {**{(pk, "remind"): 1 for pk in remind}, **{(pk, "escalate"): 1 for pk in escalate}}
    )
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCEEDED"}
    wanted = expected_notifications()
    assert sum(wanted.values()) > 24
    assert sent_notifications() == wanted

    # The privacy sweep, due when both workers start, ran once between them.
    assert AuditEvent.objects.filter(action="privacy.sweep").count() == 1

    # One sweep per interval between both workers (each alone would sweep every interval).
    sweeps = len(re.findall(r"deadline sweep: reminded", logs))
    assert 1 <= sweeps <= ran_for / (SWEEP_SECONDS * 0.9) + 2, (sweeps, ran_for)
    assert "Traceback" not in logs
