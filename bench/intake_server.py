"""Sustained intake through the production server: Open311 and the portal against a bare INSERT.

gunicorn serves the real application (plus the bare view of `bench/intake_urls.py`) with
several workers, on SQLite (a WAL file) and on PostgreSQL (when reachable), with
`wenmin seed --scale city` loaded. Closed-loop clients post for a fixed time per round, the three
paths in alternating rounds: Open311's `POST requests.json` (a key, a service, a place, a phone),
the resident portal's form (CSRF, validation, the privacy notice) and the bare view, which INSERTs
the same case row and nothing else. Prints requests a second, p50/p99 and each path's ratio to
the bare one (goals: ≥ 150 a second, p99 < 250 ms, full ÷ bare ≥ 0.7), and the queries one intake
of each kind sends (Django's log of a second intake on the loaded data).

    .venv/bin/python bench/intake_server.py [--scale city|county] [--workers 4] [--clients 8]
        [--seconds 15] [--rounds 3] [--port 8500] [--pg-db NAME] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
PATHS = ("open311", "portal", "bare")
EXPECTED = {"open311": 200, "portal": 302, "bare": 302}

# Run inside `wenmin shell`: an API key, a category with no required question, a located
# village, and the queries of one intake of each kind (the second one: caches warm).
SETUP = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wenmin.cases.models import Category
from wenmin.channels.services import apikey_create
from wenmin.organisation.models import Region, RegionLevel
key, plain = apikey_create(actor=None, name="bench", rate_limit_per_minute=100_000)
category = next(c for c in Category.objects.filter(is_active=True, parent__isnull=False)
                .order_by("code") if not any(f.get("required") for f in c.extra_fields))
village = Region.objects.filter(level=RegionLevel.VILLAGE, latitude__isnull=False).first()
setup = {"key": plain, "category_id": category.pk, "service_code": category.code,
         "lat": str(village.latitude), "long": str(village.longitude)}
client = Client(SERVER_NAME="127.0.0.1")
counts = {}
for n in (1, 2):
    with CaptureQueriesContext(connection) as open311:
        r = client.post("/open311/v2/requests.json", {"api_key": plain,
            "service_code": category.code, "description": "路灯不亮", "lat": setup["lat"],
            "long": setup["long"], "phone": f"1380000000{n}", "first_name": "测"})
        assert r.status_code == 200, r.content
    with CaptureQueriesContext(connection) as portal:
        r = client.post("/portal/", {"content": "路灯不亮", "kind": "help",
            "category": category.pk, "address": "村口", "requester_name": "测",
            "requester_phone": f"1390000000{n}", "notice_read": "on"})
        assert r.status_code == 302, r.content
    with CaptureQueriesContext(connection) as bare:
        client.post("/bench/bare/", {"content": "路灯不亮", "kind": "help"})
setup["queries"] = {"open311": len(open311), "portal": len(portal), "bare": len(bare)}
setup["sql"] = {k: [q["sql"][:160] for q in c.captured_queries]
                for k, c in (("open311", open311), ("portal", portal))}
print("SETUP " + json.dumps(setup))
"""


def _wenmin(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603  (our own command)
        [PYTHON, "-m", "wenmin.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"wenmin {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class Target:
    port: int
    setup: dict[str, object]
    csrf_cookie: str = ""
    csrf_hidden: str = ""

    def fetch_csrf(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/portal/")
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        hidden = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not cookie or not hidden:
            raise RuntimeError("no CSRF token on the portal page")
        self.csrf_cookie, self.csrf_hidden = cookie.group(1), hidden.group(1)

    def request(self, kind: str, n: int) -> tuple[str, str, dict[str, str]]:
        """(URL, form body, headers) of the n-th report of this kind."""
        text = f"第{n}号：村口路灯不亮已经一周，晚上出行不安全，请尽快维修。"
        if kind == "open311":
            form = {
                "api_key": str(self.setup["key"]),
                "service_code": str(self.setup["service_code"]),
                "description": text,
                "lat": str(self.setup["lat"]),
                "long": str(self.setup["long"]),
                "address_string": "青石村村口",
                "first_name": "测试居民",
                "phone": f"137{n % 100_000_000:08d}",
            }
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            return "/open311/v2/requests.json", urllib.parse.urlencode(form), headers
        form = {
            "csrfmiddlewaretoken": self.csrf_hidden,
            "content": text,
            "kind": "help",
            "category": str(self.setup["category_id"]),
            "address": "青石村村口",
            "requester_name": "测试居民",
            "requester_phone": f"139{n % 100_000_000:08d}",
            "notice_read": "on",
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.csrf_cookie}",
            "Referer": f"http://127.0.0.1:{self.port}/portal/",
        }
        return (
            ("/portal/" if kind == "portal" else "/bench/bare/"),
            urllib.parse.urlencode(form),
            headers,
        )


@dataclass(eq=False)
class Client(threading.Thread):
    """One closed-loop client: posts reports of one kind until the round's end."""

    target: Target
    kind: str
    first: int
    until: float
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    def __post_init__(self) -> None:
        threading.Thread.__init__(self, daemon=True)

    def run(self) -> None:
        n = self.first
        connection = http.client.HTTPConnection("127.0.0.1", self.target.port, timeout=60)
        while time.perf_counter() < self.until:
            url, body, headers = self.target.request(self.kind, n)
            n += 1
            started = time.perf_counter()
            try:
                connection.request("POST", url, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                ok = response.status == EXPECTED[self.kind]
                if not ok and os.environ.get("BENCH_DEBUG"):
                    print(self.kind, response.status, payload[:300])
                if response.will_close:
                    connection.close()
            except (http.client.HTTPException, OSError):
                ok = False
                connection.close()
            self.latencies.append(time.perf_counter() - started)
            self.failures += not ok
        connection.close()


def _round(target: Target, kind: str, clients: int, seconds: float, first: int) -> dict:
    until = time.perf_counter() + seconds
    threads = [Client(target, kind, first + k * 1_000_000, until) for k in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "latencies": [x for t in threads for x in t.latencies],
        "failures": sum(t.failures for t in threads),
    }


def _summary(rounds: list[dict]) -> dict[str, float]:
    latencies = sorted(x for r in rounds for x in r["latencies"])
    seconds = sum(r["seconds"] for r in rounds)
    return {
        "requests": len(latencies),
        "failures": sum(r["failures"] for r in rounds),
        "per_second": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def _serve(env: dict[str, str], args: argparse.Namespace) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603  (our own command)
        [
            GUNICORN,
            "wenmin.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(300):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            probe.request("GET", "/portal/")
            if probe.getresponse().status == 200:
                return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    print(f"-- {name}: migrate and seed --scale {args.scale} …", flush=True)
    started = time.perf_counter()
    _wenmin(env, "migrate", "--no-input")
    _wenmin(env, "seed", "--scale", args.scale, "--no-input")
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    out = _wenmin(env, "shell", "--no-imports", "-c", SETUP)
    setup = json.loads(next(x for x in out.splitlines() if x.startswith("SETUP "))[6:])
    print(f"   queries per intake: {setup['queries']}", flush=True)
    if os.environ.get("BENCH_DEBUG"):
        print("\n".join(f"   {k}: {q}" for k, qs in setup["sql"].items() for q in qs))
    server = _serve(env, args)
    try:
        target = Target(args.port, setup)
        target.fetch_csrf()
        for k, kind in enumerate(PATHS):  # warm every worker up on every path
            _round(target, kind, args.clients, 2, 90_000_000 + k * 10_000_000)
        rounds: dict[str, list[dict]] = {kind: [] for kind in PATHS}
        for r in range(args.rounds):
            order = PATHS[r % 3 :] + PATHS[: r % 3]  # no path always runs first
            for k, kind in enumerate(order):
                first = 10_000_000 * (r + 1) + 100_000 * k
                rounds[kind].append(_round(target, kind, args.clients, args.seconds, first))
                print(f"   round {r + 1} {kind}: done", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result: dict = {"backend": name, "queries": setup["queries"]}
    for kind in PATHS:
        result[kind] = _summary(rounds[kind])
    for kind in ("open311", "portal"):
        result[kind]["ratio"] = result[kind]["per_second"] / result["bare"]["per_second"]
    return result


def _print(results: list[dict], args: argparse.Namespace) -> None:
    print(
        f"\nSustained intake through gunicorn ({args.workers} {args.worker_class} workers"
        f" × {args.threads} threads), scale {args.scale}, {args.clients} clients,"
        f" {args.rounds} rounds × {args.seconds:g} s per path, {os.cpu_count()} CPUs"
    )
    header = f"{'backend':<11} {'path':<8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
    print(f"{header} {'fail':>5} {'÷ bare':>7} {'queries':>7}")
    for result in results:
        for kind in PATHS:
            s = result[kind]
            ratio = f"{s['ratio']:.2f}" if "ratio" in s else ""
            print(
                f"{result['backend']:<11} {kind:<8} {s['per_second']:>7.1f} {s['p50_ms']:>7.1f}"
                f" {s['p99_ms']:>7.1f} {s['failures']:>5} {ratio:>7}"
                f" {result['queries'][kind]:>7}"
            )
    print("goals: ≥ 150 req/s, p99 < 250 ms, ÷ bare ≥ 0.7")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["county", "city"])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--pg-db", default="wenmin_bench_intake_server")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgresql-only", action="store_true")
    args = parser.parse_args()
    base = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
        "WENMIN_PORTAL_SUBMISSIONS_PER_HOUR": "1000000000",
        "WENMIN_LOG_LEVEL": "ERROR",
    }
    base.pop("REDIS_URL", None)
    results = []
    work = Path(tempfile.mkdtemp(prefix="wenmin-bench-server-"))
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    try:
        if not args.postgresql_only:
            env = {**base, "WENMIN_DATA_DIR": str(work / "sqlite")}
            env.pop("DATABASE_URL", None)
            results.append(bench_backend("sqlite", env, args))
        if not args.sqlite_only and shutil.which("createdb"):
            db = args.pg_db
            subprocess.run(["dropdb", *pg, "--if-exists", db], check=False)  # noqa: S603,S607
            if subprocess.run(["createdb", *pg, db], check=False).returncode == 0:  # noqa: S603,S607
                env = {
                    **base,
                    "WENMIN_DATA_DIR": str(work / "pg"),
                    "DATABASE_URL": PG_URL.format(name=db),
                }
                try:
                    results.append(bench_backend("postgresql", env, args))
                finally:
                    subprocess.run(["dropdb", *pg, "--if-exists", db], check=False)  # noqa: S603,S607
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print(results, args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"intake-server-{args.scale}.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
