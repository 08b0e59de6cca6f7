"""While the database cannot be reached, every interface answers 503 with Retry-After in its own
shape, nothing answers 500, and the log says it once per outage, not once per request.

The outage is simulated the way PostgreSQL's restart looks to the application: the connection in
use is gone and every new one is refused (the backend's own OperationalError, which Django wraps).
Transactional tests: a refused connect resets the connection's transaction state.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client, RequestFactory

from wenmin.cases.tests.api_client import Api
from wenmin.core import outage
from wenmin.core.logs import DatabaseOutageWithoutTraceback

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_outage_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outage, "state", outage._OutageState())


@contextlib.contextmanager
def database_down() -> Iterator[None]:
    """No connection open, and every attempt to open one refused."""
    wrapper = connections["default"]
    raw = wrapper.connection
    refused = wrapper.Database.OperationalError  # type: ignore[attr-defined]

    def refuse(*args: object, **kwargs: object) -> None:
        raise refused("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    wrapper.connection = None
    try:
        with mock.patch.object(type(wrapper), "get_new_connection", refuse):
            yield
    finally:
        wrapper.connection = raw


@contextlib.contextmanager
def connection_lost() -> Iterator[None]:
    """The connection in use was cut under a request (psycopg marks it broken and closed)."""
    wrapper = connections["default"]
    raw = wrapper.connection
    wrapper.connection = SimpleNamespace(broken=True, closed=True, close=lambda: None)
    try:
        yield
    finally:
        wrapper.connection = raw


def _outage_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "wenmin.database"]


@pytest.fixture
def django_request_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Django's request log too (settings.LOGGING sends it to our console, not to the root)."""
    django_request = logging.getLogger("django.request")
    django_request.addHandler(caplog.handler)
    yield
    django_request.removeHandler(caplog.handler)


def _console_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the log handler settings.LOGGING configures would write (after its filters)."""
    [console] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, DatabaseOutageWithoutTraceback) for f in handler.filters)
    ]
    return [record for record in caplog.records if console.filter(record)]


def _assert_unavailable(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"


# --- each interface in its own shape ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/portal/", "/cases/", "/accounts/login/"])
def test_pages_answer_a_503_page_in_the_sites_layout(client, path):
    with database_down():
        response = client.get(path, headers={"accept-language": "en"})
    _assert_unavailable(response)
    page = response.content.decode()
    assert 'class="topbar"' in page and "wenmin/app.css" in page  # the layout
    assert "Briefly unavailable" in page
    assert "Staff login" not in page and "csrfmiddlewaretoken" not in page  # nothing of a session


def test_the_503_page_is_in_chinese_by_default(client):
    with database_down():
        response = client.get("/portal/")
    _assert_unavailable(response)
    assert "暂时无法访问" in response.content.decode()


def test_a_logged_in_person_gets_the_page_without_the_session_being_read(client, county):
    client.force_login(county.township_clerk)
    with database_down():
        response = client.post("/cases/", {"anything": "1"})
    _assert_unavailable(response)
    assert county.township_clerk.username not in response.content.decode()


def test_open311_answers_its_own_error_list_in_json(client):
    with database_down():
        response = client.get("/open311/v2/services.json")
    _assert_unavailable(response)
    assert response["Content-Type"].startswith("application/json")
    [error] = json.loads(response.content)
    assert error["code"] == 503 and "10" in error["description"]


def test_open311_answers_its_own_error_list_in_xml(client):
    with database_down():
        response = client.post("/open311/v2/requests.xml", {"service_code": "x", "api_key": "k"})
    _assert_unavailable(response)
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own server's output)
    assert root.tag == "errors" and root.findtext("error/code") == "503"


def test_the_native_api_answers_its_own_error_json(client):
    with database_down():
        response = client.get("/api/v1/categories", headers={"authorization": "Bearer abc"})
    _assert_unavailable(response)
    error = response.json()["error"]
    assert error["code"] == "unavailable"
    assert error["message_en"].startswith("The service cannot reach its database")
    assert error["message_zh"] and error["fields"] == {}


# --- the log: one line when it starts, one when it ends ----------------------------------------


def test_an_outage_is_one_log_line_not_a_traceback_per_request(client, caplog, django_request_log):
    caplog.set_level(logging.INFO)
    paths = ["/portal/", "/open311/v2/services.json", "/open311/v2/requests.xml"]
    with database_down():
        for path in paths * 3 + ["/api/v1/cases"]:
            assert client.get(path).status_code == 503
    [started] = _console_lines(caplog)  # the whole log of the outage: one line
    assert started.name == "wenmin.database" and started.levelno == logging.ERROR
    assert "database unreachable" in started.getMessage()
    assert "Connection refused" in started.getMessage()
    assert not started.exc_info

    caplog.clear()
    assert client.get("/open311/v2/services.json").status_code == 200
    assert client.get("/open311/v2/services.json").status_code == 200
    [ended] = _console_lines(caplog)
    assert ended.name == "wenmin.database" and ended.levelno == logging.WARNING
    assert "reachable again" in ended.getMessage() and "10 requests" in ended.getMessage()


def test_readyz_shows_the_database_down_and_healthz_stays_alive(client, caplog, django_request_log):
    with database_down():
        ready = client.get("/readyz")
        alive = client.get("/healthz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert alive.status_code == 200
    assert len(_console_lines(caplog)) == 1


def test_metrics_still_answer_with_the_database_down(client):
    with database_down():
        response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "wenmin_database_up 0.0" in text
    assert "wenmin_http_requests_total" in text


# --- lost half-way through a request ---------------------------------------------------------


def test_a_connection_lost_inside_an_open311_view_answers_503(client):
    failing = mock.patch(
        "wenmin.channels.open311.views.open311_services",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    )
    with connection_lost(), failing:
        response = client.get("/open311/v2/services.json")
    _assert_unavailable(response)
    assert json.loads(response.content)[0]["code"] == 503


def test_a_connection_lost_inside_the_native_api_answers_503(client, county):
    api = Api(client, county.administrator)
    failing = mock.patch(
        "wenmin.core.api_auth.BearerToken.authenticate",
        side_effect=OperationalError("terminating connection due to administrator command"),
    )
    with connection_lost(), failing:
        response = api.get("/categories")
    _assert_unavailable(response)
    assert response.json()["error"]["code"] == "unavailable"


def test_a_connection_lost_inside_a_page_answers_503(client):
    failing = mock.patch(
        "wenmin.core.nav.landing_for", side_effect=OperationalError("server closed the connection")
    )
    with connection_lost(), failing:
        response = client.get("/")
    _assert_unavailable(response)


def test_another_database_error_is_not_taken_for_an_outage(caplog, django_request_log):
    """A locked SQLite file or a deadlock, on a healthy connection: still a 500, still logged."""
    client = Client(raise_request_exception=False)
    with mock.patch(
        "wenmin.core.nav.landing_for", side_effect=OperationalError("database is locked")
    ):
        response = client.get("/")
    assert response.status_code == 500
    assert not _outage_lines(caplog)
    assert [r for r in caplog.records if r.name == "django.request" and r.exc_info]


def test_the_500_handler_answers_503_for_an_outage_found_late(rf: RequestFactory):
    """A database lost after the outage middleware looked (a session saved on the way out)."""
    from wenmin.core.views import server_error

    request = rf.get("/portal/")
    with connection_lost():
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            response = server_error(request)
    _assert_unavailable(response)


def test_djangos_log_line_of_such_a_503_is_dropped():
    keep = DatabaseOutageWithoutTraceback()

    def record(status: int, error: BaseException | None, request=None) -> logging.LogRecord:  # type: ignore[no-untyped-def]
        exc_info = None
        if error is not None:
            try:
                raise error
            except BaseException:
                exc_info = sys.exc_info()
        entry = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), exc_info)
        entry.status_code = status
        entry.request = request
        return entry

    answered = RequestFactory().get("/portal/")
    outage.outage_response(answered)
    assert not keep.filter(record(503, None, answered))
    assert not keep.filter(record(503, OperationalError("gone")))
    assert keep.filter(record(500, OperationalError("database is locked")))
    assert keep.filter(record(503, ValueError("not the database")))
    assert keep.filter(record(503, None, RequestFactory().get("/portal/")))


def test_a_connection_the_server_cut_answers_503_and_the_next_request_recovers(client, caplog):
    """PostgreSQL only: the server ends this very connection (as a restart does), for real."""
    wrapper = connections["default"]
    if wrapper.vendor != "postgresql":
        pytest.skip("PostgreSQL: DATABASE_URL=postgres://…")
    wrapper.ensure_connection()
    backend = wrapper.connection.info.backend_pid  # type: ignore[union-attr]
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        killer.close()
    response = client.get("/open311/v2/services.json")
    _assert_unavailable(response)
    assert json.loads(response.content)[0]["code"] == 503
    wrapper.close()  # what the end of a real request does with a broken connection
    assert client.get("/open311/v2/services.json").status_code == 200
    assert [r.levelno for r in _outage_lines(caplog)] == [logging.ERROR, logging.WARNING]
