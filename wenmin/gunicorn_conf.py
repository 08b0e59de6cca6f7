"""gunicorn's configuration for Wenmin: `wenmin serve` runs gunicorn with it, and so can a
deployment (`gunicorn --config python:wenmin.gunicorn_conf`).

Sync workers, each one request at a time with its own database connection: Django's ORM is
synchronous, and a slow request holds one worker, not the server. Settings come from the
environment (DEVELOPERS.md): WENMIN_BIND, WENMIN_WEB_WORKERS, WENMIN_WEB_TIMEOUT,
WENMIN_WEB_GRACEFUL_SECONDS. SIGTERM stops gracefully: no new connections, requests in progress
finish (up to the graceful timeout), then the workers and the server leave.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from wenmin.env import env_int, env_str

wsgi_app = "wenmin.wsgi:application"
bind = [env_str("WENMIN_BIND", "127.0.0.1:8000")]
workers = env_int("WENMIN_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1, minimum=1, maximum=256)
timeout = env_int("WENMIN_WEB_TIMEOUT", 30, minimum=5)
graceful_timeout = env_int("WENMIN_WEB_GRACEFUL_SECONDS", 30, minimum=1)
keepalive = 5  # behind nginx or a load balancer that reuses connections
proc_name = "wenmin"
# Wenmin writes its own line per request (wenmin.request, JSON); gunicorn's would repeat it with
# the query string, which may hold personal data.
accesslog = None
errorlog = "-"
loglevel = "info"
# No control socket (gunicorn 24+): its default path is per user, so two servers on one machine
# would fight over it; signals do the same work (TERM, HUP, TTIN, TTOU).
control_socket_disable = True
# The workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# prometheus-client's multi-process mode: every worker writes its counts to files in this
# directory and /metrics adds them up. It must be set before any worker imports the client, so
# here, in the server process, before the workers are started. One directory per server.
_MADE_MARKER = "WENMIN_METRICS_DIR_MADE"
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="wenmin-metrics-")
    os.environ[_MADE_MARKER] = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def on_starting(server: Any) -> None:
    """Counts start from zero with each start of the server (Prometheus expects resets)."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ended (restarted after a timeout, or at shutdown) leaves its files behind
    for the totals; prometheus-client forgets its live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    """The directory made above goes with the server."""
    made = os.environ.get(_MADE_MARKER)
    if made and made == os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(made, ignore_errors=True)
