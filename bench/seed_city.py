"""Time `wenmin seed --scale county` and `--scale city` on a fresh database: seconds and rows/s.

Each scale runs on a fresh SQLite file in a temporary directory; when DATABASE_URL points at a
PostgreSQL server, each also runs on a fresh temporary database there (dropped afterwards).
Not a test: it prints what it measured and asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WENMIN = [sys.executable, "-m", "wenmin.cli"]
SCALES = ("county", "city")


def wenmin(env: dict[str, str], *args: str) -> str:
    """Run one wenmin command; its stdout."""
    done = subprocess.run(  # noqa: S603  (our own command line)
        [*WENMIN, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return done.stdout


def rows_written(env: dict[str, str]) -> int:
    """Regions, units, people and their party, cadre and volunteer records."""
    stats = json.loads(wenmin(env, "stats", "--json"))
    people = stats["people"]
    return (
        sum(stats["regions"].values())
        + sum(stats["units"].values())
        + people["total"]
        + people["party_member"]
        + people["cadre"]
        + people["volunteer"]
    )


def measure(label: str, env: dict[str, str], scale: str) -> None:
    wenmin(env, "migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    wenmin(env, "seed", "--scale", scale, "--no-input")
    seconds = time.perf_counter() - started
    rows = rows_written(env)
    print(
        f"{label:<10} {scale:<7} {seconds:8.1f} s  {rows:>9,} rows  {rows / seconds:>9,.0f} rows/s",
        flush=True,
    )


@contextmanager
def postgres_database(url: str, name: str) -> Iterator[str]:
    """A fresh database on the server of url, dropped afterwards; yields its URL."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    base = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    base["WENMIN_ENV"] = "development"
    postgres_url = os.environ.get("DATABASE_URL", "")
    print(f"{'database':<10} {'scale':<7} {'time':>10}  {'written':>14}  {'speed':>14}")
    for scale in SCALES:
        with tempfile.TemporaryDirectory(prefix="wenmin-bench-") as directory:
            env = {**base, "WENMIN_DATA_DIR": directory}
            measure("sqlite", env, scale)
            if postgres_url.startswith(("postgres://", "postgresql://")):
                with postgres_database(postgres_url, f"wenmin_bench_{os.getpid()}_{scale}") as url:
                    measure("postgresql", {**env, "DATABASE_URL": url}, scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
