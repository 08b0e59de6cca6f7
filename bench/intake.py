"""Intake throughput: the full pipeline against a bare INSERT, same server, same run.

The full pipeline is the resident portal's POST: form validation, the resident found or
created, the case numbered and located, its deadline computed on the working-day calendar,
the case event and audit event written, the acknowledgement enqueued. The baseline is a view
that INSERTs the same row. Both are hit by the same client in alternating rounds against one
`runserver` process, on SQLite and (when reachable) PostgreSQL, with `wenmin seed --scale city`
data loaded. Prints requests/second, p50/p99 latency and the ratio full/bare (goal ≥ 0.5).

    .venv/bin/python bench/intake.py [--scale city|county] [--requests 400] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
from bench.serverload import throwaway_postgres  # noqa: E402
from bench.serverload import wenmin as _wenmin  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _category_id(env: dict[str, str]) -> str:
    code = (
        "from wenmin.cases.models import Category;"
        "c=[c for c in Category.objects.filter(is_active=True, parent__isnull=False)"
        " if not any(f.get('required') for f in c.extra_fields)];"
        "print(c[0].pk if c else '')"
    )
    lines = _wenmin(env, "shell", "--no-imports", "-c", code).strip().splitlines()
    return lines[-1] if lines else ""


class Client(threading.Thread):
    """One keep-alive HTTP client posting `count` reports to `path`, recording latencies."""

    def __init__(self, port: int, path: str, count: int, category: str, offset: int) -> None:
        super().__init__()
        self.port, self.path, self.count, self.category, self.offset = (
            port,
            path,
            count,
            category,
            offset,
        )
        self.latencies: list[float] = []
        self.failures = 0

    def _connect(self) -> tuple[http.client.HTTPConnection, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", "/portal/")
        response = connection.getresponse()
        body = response.read().decode()
        cookie = response.getheader("Set-Cookie") or ""
        token = re.search(r"csrftoken=([^;]+)", cookie)
        hidden = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not token or not hidden:
            raise RuntimeError("no CSRF token on the portal page")
        return connection, token.group(1), hidden.group(1)

    def run(self) -> None:
        for attempt in range(50):
            try:
                connection, cookie, hidden = self._connect()
                break
            except (OSError, http.client.HTTPException, RuntimeError):
                if attempt == 49:
                    raise
                time.sleep(0.2)
        for i in range(self.count):
            n = self.offset + i
            form = {
                "csrfmiddlewaretoken": hidden,
                "content": f"第{n}号：村口路灯不亮已经一周，晚上出行不安全，请尽快维修。",
                "kind": "help",
                "category": self.category,
                "address": "青石村村口",
                "requester_name": "测试居民",
                "requester_phone": f"139{n % 100000000:08d}",
                "notice_read": "on",  # the privacy notice, acknowledged as the form asks
            }
            body = urllib.parse.urlencode(form)
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"http://127.0.0.1:{self.port}/portal/",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                ok = response.status in (302, 303)
                if not ok and os.environ.get("BENCH_DEBUG"):
                    print(
                        response.status,
                        re.findall(
                            r'class="errorlist[^"]*"[^>]*>(.*?)</ul>',
                            payload.decode(errors="replace"),
                            re.S,
                        )[:3],
                    )
            except (http.client.HTTPException, OSError):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.latencies.append(time.perf_counter() - started)
            self.failures += not ok


def _round(
    port: int, path: str, requests: int, clients: int, category: str, offset: int
) -> dict[str, float]:
    per_client = requests // clients
    threads = [
        Client(port, path, per_client, category, offset + k * per_client) for k in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for t in threads for x in t.latencies)
    failures = sum(t.failures for t in threads)
    return {
        "requests": len(latencies),
        "failures": failures,
        "seconds": elapsed,
        "latencies": latencies,
    }


def _summary(rounds: list[dict[str, float]]) -> dict[str, float]:
    latencies = sorted(x for r in rounds for x in r["latencies"])  # type: ignore[attr-defined]
    total = sum(r["requests"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    return {
        "requests": total,
        "failures": sum(r["failures"] for r in rounds),
        "per_second": total / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    print(f"-- {name}: migrate and seed --scale {args.scale} …", flush=True)
    started = time.perf_counter()
    _wenmin(env, "migrate", "--no-input")
    _wenmin(env, "seed", "--scale", args.scale, "--no-input")
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    category = _category_id(env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "wenmin.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/portal/")
                if probe.getresponse().status == 200:
                    break
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
        _round(port, "/portal/", 20, 2, category, 10_000_000)  # warm both paths up
        _round(port, "/bench/bare/", 20, 2, category, 10_000_100)
        full: list[dict[str, float]] = []
        bare: list[dict[str, float]] = []
        for k in range(args.rounds):
            full.append(
                _round(
                    port,
                    "/portal/",
                    args.requests,
                    args.clients,
                    category,
                    20_000_000 + k * 100_000,
                )
            )
            bare.append(
                _round(
                    port,
                    "/bench/bare/",
                    args.requests,
                    args.clients,
                    category,
                    30_000_000 + k * 100_000,
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {"backend": name, "full": _summary(full), "bare": _summary(bare)}
    result["ratio"] = result["full"]["per_second"] / result["bare"]["per_second"]  # type: ignore[index]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["county", "city"])
    parser.add_argument("--requests", type=int, default=400, help="per round and path")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    base = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
        "WENMIN_PORTAL_SUBMISSIONS_PER_HOUR": "1000000000",
        "WENMIN_LOG_LEVEL": "ERROR",
    }
    results = []
    work = Path(tempfile.mkdtemp(prefix="wenmin-bench-"))
    try:
        env = {**base, "WENMIN_DATA_DIR": str(work / "sqlite")}
        env.pop("DATABASE_URL", None)
        results.append(bench_backend("sqlite", env, args))
        if not args.sqlite_only:
            with throwaway_postgres("wenmin_bench_intake") as url:
                if url is not None:
                    env = {**base, "WENMIN_DATA_DIR": str(work / "pg"), "DATABASE_URL": url}
                    results.append(bench_backend("postgresql", env, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nIntake throughput, scale {args.scale}, {args.clients} clients, {args.rounds}×{args.requests} requests per path"
    )
    print(f"{'backend':<11} {'path':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'fail':>5}")
    for result in results:
        for path in ("full", "bare"):
            s = result[path]
            print(
                f"{result['backend']:<11} {path:<5} {s['per_second']:>8.1f} {s['p50_ms']:>8.1f} {s['p99_ms']:>8.1f} {s['failures']:>5}"
            )  # type: ignore[index]
        print(f"{result['backend']:<11} ratio full/bare = {result['ratio']:.2f} (goal ≥ 0.5)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"intake-{args.scale}.json").write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
