"""One JSON line per request: method, path, route, status, duration, request id, account id; no
query string, no personal data, no secret of a path; the request id echoed."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.utils.module_loading import import_string

from wenmin.core.requestlog import REQUEST_ID_HEADER

pytestmark = pytest.mark.django_db

FIELDS = {"method", "path", "route", "status", "duration_ms", "request_id", "user_id"}


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    """The request log's records, as the configured JSON formatter writes them."""
    caplog.set_level(logging.INFO, logger="wenmin.request")
    request_logger = logging.getLogger("wenmin.request")
    request_logger.addHandler(caplog.handler)  # it does not propagate to the root's
    options = dict(django_settings.LOGGING["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)

    def read() -> list[dict[str, object]]:
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "wenmin.request"
        ]

    yield read
    request_logger.removeHandler(caplog.handler)


def test_one_line_per_request_with_its_fields(client, lines):
    response = client.get("/portal/")
    [line] = lines()
    assert set(line) >= FIELDS
    assert line["message"] == "request" and line["level"] == "INFO"
    assert line["logger"] == "wenmin.request" and "timestamp" in line
    assert line["method"] == "GET" and line["path"] == "/portal/"
    assert line["status"] == response.status_code == 200
    assert line["route"] == "portal:submit"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response[REQUEST_ID_HEADER]
    assert re.fullmatch(r"[0-9a-f]{32}", str(line["request_id"]))
    assert line["user_id"] is None


def test_the_account_is_named_by_its_id_only(client, county, lines):
    client.force_login(county.township_clerk)
    client.get("/cases/")
    [line] = lines()
    assert line["user_id"] == county.township_clerk.pk
    text = json.dumps(line, ensure_ascii=False)
    assert county.township_clerk.username not in text
    assert "127.0.0.1" not in text  # no address either


def test_no_query_string_and_no_personal_data(client, county, lines):
    client.force_login(county.administrator)
    person = county.resident_a
    client.get("/org/people/", {"q": "13812345678", "name": person.name})
    [line] = lines()
    text = json.dumps(line, ensure_ascii=False)
    assert line["path"] == "/org/people/"
    assert "13812345678" not in text and person.name not in text and "?" not in text


def test_secrets_and_long_numbers_in_a_path_are_masked(client, lines):
    client.get("/portal/track/ABCD2345EFGH/")
    client.get("/portal/r/one-time-secret-link/")
    client.get("/open311/v2/tokens/S3CRET.json")
    client.get("/nothing/13812345678/11010519491231002X/")
    paths = [line["path"] for line in lines()]
    assert paths == [
        "/portal/track/<code>/",
        "/portal/r/<token>/",
        "/open311/v2/tokens/<token>.json",
        "/nothing/<number>/<number>/",
    ]
    text = json.dumps(lines())
    assert (
        "ABCD2345EFGH" not in text and "one-time-secret-link" not in text and "S3CRET" not in text
    )


def test_a_sane_request_id_is_kept_and_echoed(client, lines):
    response = client.get("/healthz", headers={"x-request-id": "nginx-7f3a9c21e4b8"})
    assert response[REQUEST_ID_HEADER] == "nginx-7f3a9c21e4b8"
    assert lines()[0]["request_id"] == "nginx-7f3a9c21e4b8"


@pytest.mark.parametrize(
    "given",
    ["", "two words", "x" * 200, "line\nbreak", "<script>", "-starts-with-a-dash", "名字"],
)
def test_an_insane_request_id_is_replaced(client, lines, given):
    response = client.get("/healthz", headers={"x-request-id": given})
    assert re.fullmatch(r"[0-9a-f]{32}", response[REQUEST_ID_HEADER])
    assert lines()[0]["request_id"] == response[REQUEST_ID_HEADER]


def test_every_answer_has_a_line_refusals_and_redirects_too(client, lines):
    client.get("/cases/")  # to the login page
    client.get("/no/such/page/")
    client.post("/healthz")
    assert [(line["status"], line["route"]) for line in lines()] == [
        (302, "cases:workbench"),
        (404, "<unmatched>"),
        (405, "healthz"),
    ]


def test_logging_the_account_costs_no_query(client, county, django_assert_num_queries):
    """The line names the account only when the request already looked it up."""
    client.force_login(county.township_clerk)
    with django_assert_num_queries(0):
        client.get("/healthz")


def _request_log_level(tmp_path, **env: str) -> str:  # type: ignore[no-untyped-def]
    probe = (
        "import logging, django; django.setup(); "
        "print(logging.getLevelName(logging.getLogger('wenmin.request').getEffectiveLevel()))"
    )
    from wenmin.core.tests.test_settings import _run

    result = _run(tmp_path, ["-c", probe], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_request_log_is_on_in_production_and_switchable(tmp_path):
    from wenmin.core.tests.test_settings import _production_env

    assert _request_log_level(tmp_path) == "WARNING"  # development: off
    assert _request_log_level(tmp_path, WENMIN_REQUEST_LOG="true") == "INFO"
    assert _request_log_level(tmp_path, **_production_env()) == "INFO"
    off = {**_production_env(), "WENMIN_REQUEST_LOG": "false"}
    assert _request_log_level(tmp_path, **off) == "WARNING"


def test_production_writes_json_lines_and_serves_compressed_static_files(tmp_path):
    """The whole chain as production configures it: collectstatic, WhiteNoise's compressed,
    content-named files cached for ever, and the request log as JSON on the process's output."""
    from wenmin.core.tests.test_settings import _production_env, _run

    env = {**_production_env(), "WENMIN_STATIC_ROOT": str(tmp_path / "static")}
    collected = _run(tmp_path, ["-m", "wenmin.cli", "collectstatic", "--no-input", "-v0"], **env)
    assert collected.returncode == 0, collected.stderr
    script = (
        "import django; django.setup(); from django.test import Client; "
        "from django.templatetags.static import static; "
        "c = Client(HTTP_HOST='wenmin.example.cn'); "
        "c.get('/healthz?phone=13812345678', secure=True); "
        "css = c.get(static('wenmin/app.css'), secure=True, headers={'accept-encoding': 'gzip'}); "
        "print(static('wenmin/app.css'), css.status_code, css.get('Content-Encoding'), "
        "css['Cache-Control'])"
    )
    result = _run(tmp_path, ["-c", script], **env)
    assert result.returncode == 0, result.stderr
    url, status, encoding, cache_control = result.stdout.split(maxsplit=3)
    assert re.fullmatch(r"/static/wenmin/app\.[0-9a-f]{12}\.css", url)
    assert (status, encoding) == ("200", "gzip")
    assert "immutable" in cache_control
    lines = [json.loads(text) for text in result.stderr.splitlines() if text.startswith("{")]
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/healthz", 200),
        (url, 200),
    ]
    assert lines[1]["route"] == "<static>"
    assert "13812345678" not in result.stderr
