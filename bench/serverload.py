"""What the server benches share: gunicorn started on a loaded database, closed-loop clients
posting for a fixed time per round, the paths in rotating rounds, and the two backends (SQLite on
a WAL file; PostgreSQL in a database created and dropped by the bench when `createdb` works).

`bench/intake_server.py` (Open311 and the portal) and `bench/wechat_callback.py` (WeChat's
callback) each say what to post and what answer is right; everything else is here.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"

PG = ["-h", "127.0.0.1", "-U", "postgres"]


@contextmanager
def throwaway_postgres(name: str) -> Iterator[str | None]:
    """A PostgreSQL database of the bench's own (an earlier run's leftover dropped first), dropped
    after it: its URL, or None when `createdb` is missing or PostgreSQL is not reachable."""
    if not shutil.which("createdb"):
        yield None
        return
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=False, capture_output=True)  # noqa: S603,S607
    created = subprocess.run(["createdb", *PG, name], check=False, capture_output=True)  # noqa: S603,S607
    if created.returncode != 0:
        print("-- postgresql: not reachable, skipped", flush=True)
        yield None
        return
    try:
        yield PG_URL.format(name=name)
    finally:
        subprocess.run(["dropdb", *PG, "--if-exists", name], check=False)  # noqa: S603,S607


# (URL, body, headers) of the n-th request a client sends.
Request = tuple[str, str, dict[str, str]]


def wenmin(env: dict[str, str], *args: str) -> str:
    """Run `wenmin ARGS` on the bench's database; its standard output (exit on failure)."""
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


def load_and_setup(env: dict[str, str], name: str, scale: str, setup: str) -> dict:
    """Migrate, `wenmin seed --scale SCALE`, then run SETUP in `wenmin shell`: the JSON it
    printed after "SETUP "."""
    print(f"-- {name}: migrate and seed --scale {scale} …", flush=True)
    started = time.perf_counter()
    wenmin(env, "migrate", "--no-input")
    wenmin(env, "seed", "--scale", scale, "--no-input")
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    out = wenmin(env, "shell", "--no-imports", "-c", setup)
    return json.loads(next(x for x in out.splitlines() if x.startswith("SETUP "))[6:])


def serve(env: dict[str, str], args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """gunicorn on 127.0.0.1:args.port, once it answers /portal/."""
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


@dataclass(eq=False)
class ClosedLoop(threading.Thread):
    """One closed-loop client: sends request after request until the round's end."""

    port: int
    make: Callable[[int], Request]
    expected: int
    first: int
    until: float
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    def __post_init__(self) -> None:
        threading.Thread.__init__(self, daemon=True)

    def run(self) -> None:
        n = self.first
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.perf_counter() < self.until:
            url, body, headers = self.make(n)
            n += 1
            started = time.perf_counter()
            try:
                connection.request("POST", url, body=body.encode(), headers=headers)
                response = connection.getresponse()
                payload = response.read()
                ok = response.status == self.expected
                if not ok and os.environ.get("BENCH_DEBUG"):
                    print(url, response.status, payload[:300])
                if response.will_close:
                    connection.close()
            except (http.client.HTTPException, OSError):
                ok = False
                connection.close()
            self.latencies.append(time.perf_counter() - started)
            self.failures += not ok
        connection.close()


def load_round(
    port: int,
    make: Callable[[int], Request],
    expected: int,
    clients: int,
    seconds: float,
    first: int,
) -> dict:
    """`clients` closed loops for `seconds`; client k numbers its requests from first + k·10⁶."""
    until = time.perf_counter() + seconds
    threads = [
        ClosedLoop(port, make, expected, first + k * 1_000_000, until) for k in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "seconds": time.perf_counter() - started,
        "latencies": [x for t in threads for x in t.latencies],
        "failures": sum(t.failures for t in threads),
    }


def rotating_rounds(
    paths: Sequence[str], args: argparse.Namespace, run: Callable[[str, float, int], dict]
) -> dict[str, dict[str, float]]:
    """Warm every worker up on every path, then args.rounds rounds of every path, each round
    starting from another path (none always first); each path's summary."""
    for k, kind in enumerate(paths):
        run(kind, 2, 90_000_000 + k * 10_000_000)
    rounds: dict[str, list[dict]] = {kind: [] for kind in paths}
    for r in range(args.rounds):
        order = [*paths[r % len(paths) :], *paths[: r % len(paths)]]
        for k, kind in enumerate(order):
            rounds[kind].append(run(kind, args.seconds, 10_000_000 * (r + 1) + 100_000 * k))
            print(f"   round {r + 1} {kind}: done", flush=True)
    return {kind: summary(rounds[kind]) for kind in paths}


def summary(rounds: list[dict]) -> dict[str, float]:
    latencies = sorted(x for r in rounds for x in r["latencies"])
    seconds = sum(r["seconds"] for r in rounds)
    return {
        "requests": len(latencies),
        "failures": sum(r["failures"] for r in rounds),
        "per_second": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def arguments(
    description: str, *, scale: str, clients: int, seconds: float, port: int, pg_db: str
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", default=scale, choices=["county", "city"])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=clients)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--pg-db", default=pg_db)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgresql-only", action="store_true")
    return parser


def each_backend(
    args: argparse.Namespace,
    environment: dict[str, str],
    bench_backend: Callable[[str, dict[str, str], argparse.Namespace], dict],
) -> list[dict]:
    """bench_backend on SQLite, then on PostgreSQL (a database of its own, dropped after)."""
    base = {**os.environ, "PYTHONPATH": str(ROOT), "WENMIN_LOG_LEVEL": "ERROR", **environment}
    base.pop("REDIS_URL", None)
    results = []
    work = Path(tempfile.mkdtemp(prefix="wenmin-bench-server-"))
    try:
        if not args.postgresql_only:
            env = {**base, "WENMIN_DATA_DIR": str(work / "sqlite")}
            env.pop("DATABASE_URL", None)
            results.append(bench_backend("sqlite", env, args))
        if not args.sqlite_only:
            with throwaway_postgres(args.pg_db) as url:
                if url is not None:
                    env = {**base, "WENMIN_DATA_DIR": str(work / "pg"), "DATABASE_URL": url}
                    results.append(bench_backend("postgresql", env, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def save(results: list[dict], name: str) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / name).write_text(json.dumps(results, indent=2))
