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
import os
import re
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import serverload  # noqa: E402

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


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    setup = serverload.load_and_setup(env, name, args.scale, SETUP)
    print(f"   queries per intake: {setup['queries']}", flush=True)
    if os.environ.get("BENCH_DEBUG"):
        print("\n".join(f"   {k}: {q}" for k, qs in setup["sql"].items() for q in qs))
    server = serverload.serve(env, args)
    try:
        target = Target(args.port, setup)
        target.fetch_csrf()

        def run(kind: str, seconds: float, first: int) -> dict:
            return serverload.load_round(
                args.port,
                lambda n: target.request(kind, n),
                EXPECTED[kind],
                args.clients,
                seconds,
                first,
            )

        summaries = serverload.rotating_rounds(PATHS, args, run)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result: dict = {"backend": name, "queries": setup["queries"], **summaries}
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
    parser = serverload.arguments(
        (__doc__ or "").splitlines()[0],
        scale="city",
        clients=8,
        seconds=15,
        port=8500,
        pg_db="wenmin_bench_intake_server",
    )
    args = parser.parse_args()
    results = serverload.each_backend(
        args,
        {
            "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
            "WENMIN_PORTAL_SUBMISSIONS_PER_HOUR": "1000000000",
        },
        bench_backend,
    )
    _print(results, args)
    serverload.save(results, f"intake-server-{args.scale}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
