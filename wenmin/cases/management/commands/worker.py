"""`wenmin worker`: run the background tasks and sweep deadlines on a timer, until stopped.

django-tasks' `db_worker` runs in a child process (its own process group, so one Ctrl-C reaches
only this command, which then stops the child once and cleanly); this process sweeps deadlines
every WENMIN_SWEEP_SECONDS. Ctrl-C or SIGTERM stops both. If the child dies, so does the worker,
so a supervisor (systemd, `make run`) sees it.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _

from wenmin.cases.management.commands.sweep import warn_about_the_calendar
from wenmin.cases.services.automation import sweep_deadlines

logger = logging.getLogger("wenmin.cases.sweep")
CHILD_GRACE_SECONDS = 20  # a running task may finish before the child is killed


def task_worker_start(*, verbosity: int) -> subprocess.Popen[bytes]:
    """django-tasks' db_worker in a child process of its own process group."""
    command = [
        sys.executable,
        "-m",
        "wenmin.cli",
        "db_worker",
        "--no-reload",
        "--verbosity",
        str(verbosity),
    ]
    return subprocess.Popen(command, start_new_session=True)  # noqa: S603  (our own command)


def task_worker_stop(child: subprocess.Popen[bytes] | None) -> None:
    """Ask the child to stop (one SIGTERM: it finishes its current task), then kill it."""
    if child is None or child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=CHILD_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def run_loop(
    *,
    stop: threading.Event,
    seconds: float,
    sweep: Callable[[], None],
    child: subprocess.Popen[bytes] | None,
    poll: float = 1.0,
) -> int | None:
    """Sweep every `seconds` until stopped; the child's exit code if it ended first."""
    next_sweep = time.monotonic()
    while not stop.is_set():
        if child is not None and (code := child.poll()) is not None:
            return code
        if time.monotonic() >= next_sweep:
            sweep()
            next_sweep = time.monotonic() + seconds
        stop.wait(min(poll, max(0.0, next_sweep - time.monotonic())))
    return None


class Command(BaseCommand):
    help = (
        "Run background tasks (django-tasks db_worker) and sweep deadlines every "
        "WENMIN_SWEEP_SECONDS; Ctrl-C or SIGTERM stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sweep-seconds",
            type=int,
            default=None,
            help="Seconds between sweeps (default: WENMIN_SWEEP_SECONDS).",
        )
        parser.add_argument(
            "--no-tasks", action="store_true", help="Only sweep; start no task worker."
        )

    def _sweep(self) -> None:
        try:
            report = sweep_deadlines()
        except Exception:
            # A locked database or a lost connection: try again at the next sweep.
            logger.exception("the deadline sweep failed")
        else:
            if report.reminded or report.escalated or report.failed:
                self.stdout.write(
                    _("Reminded: %(reminded)s; escalated: %(escalated)s; failed: %(failed)s.")
                    % report.as_dict()
                )
        finally:
            close_old_connections()

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["sweep_seconds"] or settings.WENMIN_SWEEP_SECONDS
        if seconds < 1:
            raise CommandError(_("--sweep-seconds must be at least 1."))
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        handled = [signal.SIGTERM]
        # Started in the background by a shell, SIGINT is ignored: leave it so.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            handled.append(signal.SIGINT)
        previous = {signum: signal.signal(signum, on_signal) for signum in handled}
        warn_about_the_calendar(self.stderr, self.style)
        child = None if options["no_tasks"] else task_worker_start(verbosity=options["verbosity"])
        self.stdout.write(
            _("Worker started: sweeping deadlines every %(seconds)s s.") % {"seconds": seconds}
        )
        try:
            code = run_loop(stop=stop, seconds=seconds, sweep=self._sweep, child=child)
        finally:
            task_worker_stop(child)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if code:
            raise CommandError(_("The task worker stopped (exit code %(code)s).") % {"code": code})
        self.stdout.write(_("Worker stopped."))
