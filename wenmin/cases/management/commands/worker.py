"""`wenmin worker`: run the background tasks and sweep deadlines on a timer, until stopped.

django-tasks' `db_worker` runs in a child process (its own session, so one Ctrl-C reaches only
this command, which then stops the child once and cleanly); this process sweeps deadlines every
WENMIN_SWEEP_SECONDS. Ctrl-C or SIGTERM stops both.

However many workers run, the deadline sweep runs once per interval: a worker sweeps only when
it takes the database lease `cases.sweep` (core.leases), held for the interval and left to expire,
so the others pass until the next interval. (Each reminder and escalation is decided again under
the case's row lock, so even two sweeps at once could not send one twice.)

The worker outlives a locked or unreachable database: a failed sweep is logged and tried again
at the next one, and a child that dies (db_worker exits on "database is locked") is started
again after a back-off of 1, 2, 5, 10, 30, then 60 s, with one line in the log. The child dies
with this process however it ends, even by kill -9 or the OOM killer (Linux: PR_SET_PDEATHSIG),
so a crashed worker leaves no task worker behind polling the database.
"""

from __future__ import annotations

import ctypes
import logging
import os
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
from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _

from wenmin.cases.management.commands.sweep import warn_about_the_calendar
from wenmin.cases.services.automation import sweep_deadlines
from wenmin.core.leases import lease_take
from wenmin.core.periodic import periodic_run

logger = logging.getLogger("wenmin.cases.sweep")
CHILD_GRACE_SECONDS = 20  # a running task may finish before the child is killed
RESTART_DELAYS = (1, 2, 5, 10, 30, 60)  # seconds before starting a dead child again
HEALTHY_SECONDS = 300  # a child that ran this long starts the back-off afresh when it dies
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
SWEEP_LEASE = "cases.sweep"


def sweep_lease_take(seconds: float) -> bool:
    """This interval's sweep, if no other worker has it. Held a little less than the interval,
    so that this worker's own next tick (an interval after this one began) always finds it free."""
    return lease_take(name=SWEEP_LEASE, seconds=seconds - min(1.0, seconds / 10))


def _parent_death_signal(parent: int) -> Callable[[], None]:
    """What the child runs between fork and exec: ask Linux for SIGTERM when its parent dies
    (SIGTERM: db_worker finishes the task at hand), and leave if the parent is already gone."""
    # Resolved here, in the parent: between fork and exec the child only makes one C call and
    # reads its parent's id, nothing that takes a lock another thread (a pool's) might hold.
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None
    if prctl is not None:
        prctl.argtypes = [ctypes.c_int, *[ctypes.c_ulong] * 4]
        prctl.restype = ctypes.c_int
    term = int(signal.SIGTERM)

    def in_child() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, term, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return in_child


def task_worker_start(*, verbosity: int) -> subprocess.Popen[bytes]:
    """django-tasks' db_worker in a child process of its own session that dies with this one."""
    command = [
        sys.executable,
        "-m",
        "wenmin.cli",
        "db_worker",
        "--no-reload",
        # This command has said the system checks' warnings already (or skipped them, as
        # `make run` does): the child would repeat each of them.
        "--skip-checks",
        "--verbosity",
        str(verbosity),
    ]
    return subprocess.Popen(  # noqa: S603  (our own command)
        command,
        start_new_session=True,
        preexec_fn=_parent_death_signal(os.getpid()),  # noqa: PLW1509  (see above)
    )


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


class TaskWorker:
    """The db_worker child, started again with a back-off whenever it dies."""

    def __init__(self, start: Callable[[], subprocess.Popen[bytes]], *, now: float) -> None:
        self._start = start
        self.child: subprocess.Popen[bytes] | None = start()
        self.started_at = now
        self.restart_at: float | None = None
        self.deaths = 0
        self.restarts = 0

    def watch(self, now: float) -> None:
        """Notice a dead child (one log line) and start it again when its delay is over."""
        if self.child is not None and (code := self.child.poll()) is not None:
            ran = now - self.started_at
            self.deaths = 1 if ran >= HEALTHY_SECONDS else self.deaths + 1
            delay = RESTART_DELAYS[min(self.deaths, len(RESTART_DELAYS)) - 1]
            logger.warning(
                "the task worker stopped (exit code %s after %.0f s); starting it again in %s s",
                code,
                ran,
                delay,
            )
            self.child, self.restart_at = None, now + delay
        if self.child is None and self.restart_at is not None and now >= self.restart_at:
            self.child, self.restart_at = self._start(), None
            self.started_at = now
            self.restarts += 1

    def stop(self) -> None:
        task_worker_stop(self.child)


def run_loop(
    *,
    stop: threading.Event,
    seconds: float,
    sweep: Callable[[], None],
    tasks: TaskWorker | None,
    poll: float = 1.0,
) -> None:
    """Sweep every `seconds` and keep the task worker running, until stopped."""
    next_sweep = time.monotonic()
    while not stop.is_set():
        if tasks is not None:
            tasks.watch(time.monotonic())
        if time.monotonic() >= next_sweep:
            sweep()
            next_sweep = time.monotonic() + seconds
        stop.wait(min(poll, max(0.0, next_sweep - time.monotonic())))


class Command(BaseCommand):
    sweep_seconds: float = 300.0
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
            if not sweep_lease_take(self.sweep_seconds):
                logger.debug("another worker sweeps deadlines in this interval")
                return
            report = sweep_deadlines()
        except DatabaseError as error:
            # A locked database or a lost connection: one line, and again at the next sweep.
            logger.warning("the deadline sweep failed (%s); trying again at the next", error)
        except Exception:
            logger.exception("the deadline sweep failed; trying again at the next")
        else:
            logger.info(
                "deadline sweep: reminded %(reminded)s, escalated %(escalated)s, failed %(failed)s",
                report.as_dict(),
            )
            if report.reminded or report.escalated or report.failed:
                self.stdout.write(
                    _("Reminded: %(reminded)s; escalated: %(escalated)s; failed: %(failed)s.")
                    % report.as_dict()
                )
        finally:
            periodic_run()  # the apps' own periodic work (e.g. the privacy sweep), each when due
            close_old_connections()

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["sweep_seconds"] or settings.WENMIN_SWEEP_SECONDS
        if seconds < 1:
            raise CommandError(_("--sweep-seconds must be at least 1."))
        self.sweep_seconds = seconds
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        handled = [signal.SIGTERM]
        # Started in the background by a shell, SIGINT is ignored: leave it so.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            handled.append(signal.SIGINT)
        previous = {signum: signal.signal(signum, on_signal) for signum in handled}
        warn_about_the_calendar(self.stderr, self.style)
        verbosity = options["verbosity"]
        tasks = (
            None
            if options["no_tasks"]
            else TaskWorker(lambda: task_worker_start(verbosity=verbosity), now=time.monotonic())
        )
        self.stdout.write(
            _("Worker started: sweeping deadlines every %(seconds)s s.") % {"seconds": seconds}
        )
        try:
            run_loop(stop=stop, seconds=seconds, sweep=self._sweep, tasks=tasks)
        finally:
            if tasks is not None:
                tasks.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write(_("Worker stopped."))
