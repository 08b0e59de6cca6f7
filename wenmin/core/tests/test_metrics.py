"""/metrics: requests by route and status and their latency, the task queue's depth and the
overdue cases, for the addresses and the token operations are given, and nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from wenmin.cases.models import Case
from wenmin.cases.tests.api_client import intake

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-metrics-token-for-the-scraper"


def _scrape(client, **kwargs) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:  # type: ignore[no-untyped-def]
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _requests(samples, route: str, status: str, method: str = "GET") -> float:  # type: ignore[no-untyped-def]
    key = ("wenmin_http_requests_total", (("method", method), ("route", route), ("status", status)))
    return samples.get(key, 0.0)


def test_requests_are_counted_by_route_and_status(client):
    before = _scrape(client)
    for _ in range(3):
        client.get("/portal/")
    client.get("/no/such/page/")
    client.post("/healthz")
    after = _scrape(client)
    assert _requests(after, "portal:submit", "200") - _requests(before, "portal:submit", "200") == 3
    assert _requests(after, "<unmatched>", "404") - _requests(before, "<unmatched>", "404") == 1
    assert (
        _requests(after, "healthz", "405", "POST") - _requests(before, "healthz", "405", "POST")
        == 1
    )


def test_latency_is_a_histogram_by_route(client):
    before = _scrape(client)
    client.get("/portal/")
    after = _scrape(client)
    key = (
        "wenmin_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "portal:submit")),
    )
    assert after[key] - before.get(key, 0.0) == 1
    bucket = (
        "wenmin_http_request_duration_seconds_bucket",
        (("le", "+Inf"), ("method", "GET"), ("route", "portal:submit")),
    )
    assert after[bucket] == after[key]


def test_junk_methods_share_one_label(client):
    client.generic("BREW", "/healthz")
    samples = _scrape(client)
    assert _requests(samples, "healthz", "405", "other") >= 1
    assert not [key for key in samples if ("method", "BREW") in key[1]]


def test_overdue_cases_are_counted_by_the_workbenchs_rule(client, desk):
    now = timezone.now()
    late = intake(desk)
    on_time = intake(desk)
    intake(desk)  # no deadline moved: due later
    Case.objects.filter(pk=late.pk).update(result_due=now - dt.timedelta(hours=1))
    Case.objects.filter(pk=on_time.pk).update(result_due=now + dt.timedelta(hours=1))
    closed = intake(desk)
    Case.objects.filter(pk=closed.pk).update(result_due=now - dt.timedelta(days=3), state="closed")
    samples = _scrape(client)
    assert samples[("wenmin_cases_overdue", ())] == 1
    assert samples[("wenmin_database_up", ())] == 1


def test_the_queue_depth_counts_tasks_ready_to_run(client, django_capture_on_commit_callbacks):
    from wenmin.cases.tasks import case_event_notify

    before = _scrape(client)[("wenmin_task_queue_ready", ())]
    with django_capture_on_commit_callbacks(execute=True):  # tasks are queued on commit
        case_event_notify.enqueue(event_id=1)
        case_event_notify.enqueue(event_id=2)
        later = timezone.now() + dt.timedelta(hours=1)
        case_event_notify.using(run_after=later).enqueue(event_id=3)
    assert _scrape(client)[("wenmin_task_queue_ready", ())] == before + 2


def test_each_gauge_costs_one_query(client, django_assert_num_queries):
    client.get("/metrics")
    with django_assert_num_queries(2):
        assert client.get("/metrics").status_code == 200


# --- who may scrape ------------------------------------------------------------------------


def test_the_default_allows_this_machine_only(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    refused = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 404
    assert b"wenmin_" not in refused.content


def test_allowed_networks_come_from_the_setting(client, settings):
    import ipaddress

    settings.WENMIN_METRICS_ALLOW_NETWORKS = [ipaddress.ip_network("10.8.0.0/16")]
    assert client.get("/metrics", REMOTE_ADDR="10.8.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.9.3.4").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_the_client_address_is_the_proxys_view_of_it(client, settings):
    """Behind one nginx, the address nginx saw, not what the caller wrote in the header."""
    settings.WENMIN_TRUSTED_PROXIES = 1
    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "127.0.0.1, 198.51.100.7"}
    assert client.get("/metrics", **forged).status_code == 404
    local = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert client.get("/metrics", **local).status_code == 200


def test_a_bearer_token_opens_it_from_anywhere(client, settings):
    settings.WENMIN_METRICS_TOKEN = TOKEN
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert (
        client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"}, **outside).status_code
        == 200
    )
    assert (
        client.get("/metrics", headers={"authorization": "Bearer wrong"}, **outside).status_code
        == 404
    )
    assert client.get("/metrics", **outside).status_code == 404
    # With a token set, a wrong one is refused even from an allowed address.
    assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 404


def test_the_metrics_show_no_path_and_no_personal_data(client, desk):
    intake(desk)
    client.get("/portal/track/ABCD2345EFGH/", {"phone": "13812345678"})
    text = client.get("/metrics").content.decode()
    assert "ABCD2345EFGH" not in text and "13812345678" not in text and "陈明" not in text
    assert 'route="portal:track"' in text


def test_a_bad_allow_list_or_short_token_is_refused_at_start(tmp_path):
    from wenmin.core.tests.test_settings import _run

    probe = ["-c", "import django; django.setup()"]
    bad = _run(tmp_path, probe, WENMIN_METRICS_ALLOW="127.0.0.1,not-an-address")
    assert bad.returncode != 0 and "WENMIN_METRICS_ALLOW" in bad.stderr
    short = _run(tmp_path, probe, WENMIN_METRICS_TOKEN="short")
    assert short.returncode != 0 and "WENMIN_METRICS_TOKEN" in short.stderr
    good = _run(tmp_path, probe, WENMIN_METRICS_ALLOW="127.0.0.1,10.8.0.0/16")
    assert good.returncode == 0, good.stderr
