"""`wenmin serve`: gunicorn really serves, its workers' counts add up in /metrics, SIGTERM stops
it cleanly, and with the database gone it answers 503 in each interface's shape, logging once.

Each test starts the real server in a subprocess on a free port of 8100-8199 (this project's
range on shared machines), with its data in a throwaway directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[3]
PORTS = range(8150, 8200)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 8150-8199")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def get(self, path: str, **headers: str) -> Answer:
        request = urllib.request.Request(self.url + path, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _environment(tmp_path: Path, **env: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "wenmin.settings",
        "WENMIN_DATA_DIR": str(tmp_path / "var"),
        "WENMIN_NOTIFY_BACKENDS": "inapp",  # no SMS-stub warning in the output
        **env,
    }


def _migrate(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments)
        [sys.executable, "-m", "wenmin.cli", "migrate", "--no-input", "-v0", "--skip-checks"],
        cwd=PROJECT_DIR,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def serving(tmp_path: Path, *args: str, **env: str) -> Iterator[Server]:
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and fixed arguments)
            [sys.executable, "-m", "wenmin.cli", "serve", "--bind", f"127.0.0.1:{port}", *args],
            cwd=PROJECT_DIR,
            env=_environment(tmp_path, **env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, server.output()
            try:
                if server.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _healthz_count(server: Server) -> float:
    answer = server.get("/metrics")
    assert answer.status == 200, answer.body
    wanted = ('route="healthz"', 'status="200"', 'method="GET"')
    for line in answer.body.decode().splitlines():
        if line.startswith("wenmin_http_requests_total{") and all(w in line for w in wanted):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_serve_answers_through_several_workers_whose_counts_add_up(tmp_path):
    _migrate(tmp_path)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"stale, from a previous run")
    with serving(tmp_path, "--workers", "2", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)) as server:
        assert "Booting worker" in server.output() and "gunicorn" in server.output()
        assert not (metrics_dir / "counter_999999.db").exists()  # counts start afresh
        ready = server.get("/readyz")
        assert ready.status in (200, 503), ready.body
        assert json.loads(ready.body)["checks"]["migrations"] == {"ok": True}
        assert server.get("/portal/").status == 200
        css = server.get("/static/wenmin/app.css")  # WhiteNoise, by the application
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")

        before = _healthz_count(server)
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: server.get("/healthz").status, range(60)))
        assert statuses == [200] * 60
        # Whichever worker answers the scrape, it counts every worker's requests.
        assert _healthz_count(server) - before == 60
        assert len(list(metrics_dir.glob("counter_*.db"))) >= 2  # both workers counted some


def test_sigterm_stops_the_server_gracefully(tmp_path):
    made = tmp_path / "tmp"
    made.mkdir()
    with serving(tmp_path, "--workers", "1", TMPDIR=str(made)) as server:
        assert server.get("/healthz").status == 200
        assert list(made.glob("wenmin-metrics-*"))  # its own metrics directory
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=40) == 0
        output = server.output()
    assert "Handling signal: term" in output and "Shutting down" in output
    assert "Traceback" not in output
    assert not list(made.glob("wenmin-metrics-*"))  # …gone with it
    with pytest.raises(OSError):
        server.get("/healthz")


def test_serve_refuses_bad_arguments(tmp_path):
    for args in (["--bind", "not a bind"], ["--workers", "0"], ["--workers", "many"]):
        done = subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments)
            [sys.executable, "-m", "wenmin.cli", "serve", *args],
            cwd=PROJECT_DIR,
            env=_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert "Traceback" not in done.stderr and (
            "--bind" in done.stderr or "--workers" in done.stderr
        )


def test_production_without_collected_static_files_is_refused(tmp_path):
    from wenmin.core.tests.test_settings import _production_env

    done = subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments)
        [sys.executable, "-m", "wenmin.cli", "serve"],
        cwd=PROJECT_DIR,
        env=_environment(tmp_path, **_production_env()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "collectstatic" in done.stderr and "Traceback" not in done.stderr


def test_an_unreachable_postgresql_answers_503_everywhere_and_is_logged_once(tmp_path):
    """A database on a port nothing listens on, as during PostgreSQL's restart (with the pool)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", _free_port()))  # held, never listening: connections refused
        database = f"postgres://postgres@127.0.0.1:{closed.getsockname()[1]}/h_serve"
        env = {"DATABASE_URL": database, "WENMIN_DB_POOL_TIMEOUT": "1"}
        output = _outage_output(tmp_path, env)
    assert output.count("database unreachable") == 1, output
    assert "Traceback" not in output and "Service Unavailable" not in output
    assert "error connecting" not in output  # psycopg_pool's line per attempt: not repeated


def _outage_output(tmp_path: Path, env: dict[str, str]) -> str:
    with serving(tmp_path, "--workers", "1", **env) as server:
        page = server.get("/portal/", **{"Accept-Language": "en"})
        assert page.status == 503 and page.headers["Retry-After"] == "10"
        assert b"Briefly unavailable" in page.body and b'class="topbar"' in page.body
        open311 = server.get("/open311/v2/services.json")
        assert open311.status == 503 and json.loads(open311.body)[0]["code"] == 503
        xml = server.get("/open311/v2/requests.xml")
        assert xml.status == 503 and b"<errors><error><code>503</code>" in xml.body
        api = server.get("/api/v1/categories")
        assert api.status == 503 and json.loads(api.body)["error"]["code"] == "unavailable"
        ready = server.get("/readyz")
        assert ready.status == 503 and json.loads(ready.body)["checks"]["database"]["ok"] is False
        assert server.get("/healthz").status == 200
        return server.output()
