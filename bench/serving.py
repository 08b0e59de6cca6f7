"""What observability costs under the production server: requests a second and p50/p99 through
`wenmin serve` (gunicorn) with the request log (JSON, on as in production), the request id, the
metrics and the database-outage check, against the same server without them, same run.

Endpoints: /healthz (no database: the middleware's share is largest there) and the Open311
service list (a database read, as most requests are). SQLite, the demo county without cases.

    .venv/bin/python bench/serving.py [--requests 2000] [--clients 4] [--workers 3]

Both servers run at once and are loaded in alternating rounds (the machine's other load falls on
both alike); each has the same number of workers.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENDPOINTS = ("/healthz", "/open311/v2/services.json")
ROUNDS = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "-m", "wenmin.cli", *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def _get(port: int, path: str) -> float:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return time.perf_counter() - started


def _load(port: int, path: str, requests: int, clients: int) -> tuple[list[float], float]:
    """`requests` GETs from `clients` threads: their latencies and the wall time."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client(count: int) -> None:
        mine = [_get(port, path) for _ in range(count)]
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(requests // clients,)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def _summary(latencies: list[float], elapsed: float) -> tuple[float, float, float]:
    latencies = sorted(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def _serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "wenmin.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(port, "/healthz")
            return process, port
        except (OSError, SystemExit):
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wenmin-bench-serving-") as data:
        base = {**os.environ, "WENMIN_DATA_DIR": data, "WENMIN_NOTIFY_BACKENDS": "inapp"}
        base.pop("DATABASE_URL", None)
        _run(base, "migrate", "--no-input", "-v0", "--skip-checks")
        _run(base, "seed", "--scale", "county", "--no-cases", "--if-empty", "--skip-checks")
        variants = {
            "observed": {**base, "WENMIN_REQUEST_LOG": "true"},
            "bare": {**base, "DJANGO_SETTINGS_MODULE": "bench.serving_settings"},
        }
        servers = {name: _serve(env, options.workers) for name, env in variants.items()}
        results: dict[tuple[str, str], tuple[float, float, float]] = {}
        try:
            for path in ENDPOINTS:
                latencies: dict[str, list[float]] = {name: [] for name in servers}
                elapsed = dict.fromkeys(servers, 0.0)
                for _process, port in servers.values():
                    _load(port, path, 100, options.clients)  # warm up
                # Alternating rounds, so that the machine's other load falls on both alike.
                for _round in range(ROUNDS):
                    for name, (_process, port) in servers.items():
                        got, seconds = _load(
                            port, path, options.requests // ROUNDS, options.clients
                        )
                        latencies[name] += got
                        elapsed[name] += seconds
                for name in servers:
                    results[(name, path)] = _summary(latencies[name], elapsed[name])
        finally:
            for process, _port in servers.values():
                process.terminate()
                process.wait(timeout=60)
    print(f"gunicorn, {options.workers} workers, {options.clients} clients, SQLite")
    print(f"{'endpoint':32} {'variant':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for path in ENDPOINTS:
        for name in variants:
            rate, p50, p99 = results[(name, path)]
            print(f"{path:32} {name:9} {rate:8.1f} {p50:8.2f} {p99:8.2f}")
        ratio = results[("observed", path)][0] / results[("bare", path)][0]
        print(f"{path:32} observed ÷ bare = {ratio:.2f}")


if __name__ == "__main__":
    main()
