"""Real Wenmin processes (gunicorn servers, workers) on the test database of a running test.

The test must use `django_db(transaction=True)`: the processes see only what it committed. They
get the test process's keys, so they read the personal data it wrote and it reads theirs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8200, 8300)  # this machine's share of ports for test servers


def database_env() -> dict[str, str]:
    """The variables that point a process at this test's database."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(str(db.get("USER") or ""))
        password = f":{quote(str(db['PASSWORD']))}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"}
    return {"WENMIN_SQLITE_PATH": str(db["NAME"])}


def live_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """This test's environment for a child process: its database, its keys, its data directory."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
            "WENMIN_SQLITE_PATH",
            "WENMIN_TEST_SQLITE_FILE",
            "PYTEST_CURRENT_TEST",
        )
    }
    env.update(database_env())
    env.update(
        {
            "WENMIN_DATA_DIR": str(data_dir),
            "WENMIN_SECRET_KEY": settings.SECRET_KEY,
            "WENMIN_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "WENMIN_DIGEST_KEY": settings.FIELD_DIGEST_KEY,
            "WENMIN_NOTIFY_BACKENDS": "inapp",
            "WENMIN_LOG_LEVEL": "WARNING",
            "WENMIN_DB_POOL_MAX": "4",
        }
    )
    env.update(extra)
    return env


def free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    pytest.fail("no free port between 8200 and 8299")


def until(condition: Callable[[], Any], seconds: float, step: float = 0.2) -> Any:
    """The condition's first true value within `seconds`, else its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    return condition()


class Processes:
    """Children started in sessions of their own, all ended (with their own children) at the end."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.started: list[tuple[str, subprocess.Popen[bytes], Path]] = []

    def start(self, name: str, args: list[str], **env: str) -> subprocess.Popen[bytes]:
        log = self.data_dir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603  (our own interpreter and commands)
                [sys.executable, *args],
                cwd=ROOT,
                env=live_env(self.data_dir, **env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append((name, process, log))
        return process

    def log(self, name: str) -> str:
        return next(log for n, _p, log in self.started if n == name).read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM to each session (gunicorn and the worker stop cleanly), then SIGKILL."""
        for _name, process, _log in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 25
        for _name, process, _log in self.started:
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for _name, process, _log in self.started:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the session
            process.wait()


@contextmanager
def processes(data_dir: Path) -> Iterator[Processes]:
    running = Processes(data_dir)
    try:
        yield running
    finally:
        running.stop()
