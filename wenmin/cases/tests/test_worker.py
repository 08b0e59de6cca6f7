"""The background worker keeps running: a dead task worker is started again with a back-off, a
locked database fails one sweep, not the worker; its task worker dies with it however it is
killed; `make run` starts it again if it ends, and warns about the holiday calendar once."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.db import OperationalError
from django.utils import timezone, translation

from wenmin.cases.checks import calendar_warning
from wenmin.cases.management.commands import worker
from wenmin.cases.management.commands.worker import (
    RESTART_DELAYS,
    TaskWorker,
    run_loop,
)
from wenmin.cases.services.automation import SweepReport
from wenmin.core.workdays import Calendar

ROOT = Path(__file__).resolve().parents[3]
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")


def _child(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code])  # noqa: S603


def _dies_of_a_locked_database() -> subprocess.Popen[bytes]:
    """What db_worker does when SQLite stays locked past its busy timeout: it exits."""
    child = _child(
        "import sys; sys.stderr.write('django.db.utils.OperationalError: database is locked\\n');"
        " sys.exit(1)"
    )
    child.wait()
    return child


# The loop, with stand-in children ---------------------------------------------------------------


def test_the_worker_sweeps_until_stopped_and_then_stops_its_child():
    stop, sweeps = threading.Event(), []
    tasks = TaskWorker(lambda: _child("import time; time.sleep(60)"), now=time.monotonic())

    def sweep() -> None:
        sweeps.append(1)
        if len(sweeps) == 3:
            stop.set()

    try:
        run_loop(stop=stop, seconds=0.01, sweep=sweep, tasks=tasks, poll=0.01)
    finally:
        tasks.stop()
    assert len(sweeps) == 3
    assert tasks.child is not None and tasks.child.poll() is not None and tasks.restarts == 0


def test_a_task_worker_that_dies_is_started_again_after_a_growing_delay(caplog):
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        started.append(_dies_of_a_locked_database())
        return started[-1]

    with caplog.at_level(logging.WARNING, logger="wenmin.cases.sweep"):
        tasks = TaskWorker(start, now=0.0)
        tasks.watch(0.5)  # the first death: back in 1 s
        tasks.watch(1.4)
        assert len(started) == 1 and tasks.child is None
        tasks.watch(1.6)
        assert len(started) == 2 and tasks.restarts == 1
        tasks.watch(1.7)  # the second death in a row: back in 2 s
        tasks.watch(3.6)
        assert len(started) == 2
        tasks.watch(3.8)
        assert len(started) == 3
        for now in (4, 10, 20, 40, 80, 150, 300, 400):
            tasks.watch(now)
    delays = [float(re.search(r"again in (\d+) s", r.getMessage())[1]) for r in caplog.records]  # type: ignore[index]
    assert delays[:6] == list(RESTART_DELAYS) and set(delays[6:]) <= {RESTART_DELAYS[-1]}
    # One line per death, saying what happened, without a traceback.
    assert len(caplog.records) == len(started) - (tasks.child is not None)
    assert all("exit code 1" in r.getMessage() and r.exc_info is None for r in caplog.records)


def test_a_task_worker_that_ran_for_a_while_is_started_again_at_once():
    tasks = TaskWorker(_dies_of_a_locked_database, now=0.0)
    for now in (0.1, 2, 2.1, 5):  # two quick deaths
        tasks.watch(now)
    assert tasks.deaths == 2
    tasks.child = _child("import time; time.sleep(0.1)")  # a healthy child, started at 5 s
    tasks.started_at = 5
    tasks.child.wait()
    tasks.watch(5 + worker.HEALTHY_SECONDS)
    assert tasks.deaths == 1 and tasks.restart_at == 5 + worker.HEALTHY_SECONDS + RESTART_DELAYS[0]
    tasks.stop()


def test_the_worker_command_survives_a_locked_database(db, monkeypatch, caplog):
    calls: list[int] = []

    def sweep_deadlines() -> SweepReport:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        os.kill(os.getpid(), signal.SIGTERM)  # the second sweep went through: stop
        return SweepReport()

    monkeypatch.setattr(worker, "sweep_deadlines", sweep_deadlines)
    # Each tick takes the sweep's lease in the database, inside the test's own transaction,
    # which must stay open (PostgreSQL's pool would otherwise take the connection back).
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="wenmin.cases.sweep"), translation.override("en"):
        call_command(
            "worker", "--no-tasks", "--sweep-seconds", "1", stdout=out, stderr=io.StringIO()
        )
    assert len(calls) == 2
    assert "Worker stopped." in out.getvalue()
    # One line from the sweep (the PostgreSQL pool may log its own housekeeping beside it).
    [record] = [r for r in caplog.records if r.name == "wenmin.cases.sweep"]
    assert "database is locked" in record.getMessage() and record.exc_info is None


# The real worker, in processes of its own -----------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A migrated SQLite database for real `wenmin worker` processes."""
    path = tmp_path_factory.mktemp("worker-data")
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wenmin.cli", "migrate", "--no-input", "--skip-checks"],
        env=_env(path),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return path


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "WENMIN_TEST_SQLITE_FILE")
    }
    return {**env, "WENMIN_DATA_DIR": str(data_dir), "WENMIN_LOG_LEVEL": "WARNING"}


def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (zombies count as gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _until(condition: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    return condition()


@pytest.fixture
def running_worker(data_dir) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`wenmin worker` in a process group of its own, and the pid of its task worker."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "wenmin.cli", "worker", "--sweep-seconds", "300"],
        env=_env(data_dir),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    started: list[int] = []
    try:
        children = _until(lambda: _children(process.pid), 60)
        assert len(children) == 1, "the worker started no task worker"
        started.extend(children)
        yield process, children[0]
    finally:
        # Whatever the test found, leave no process behind (an orphan is what it looks for).
        for pid in [process.pid, *started, *_children(process.pid)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait()


@linux_only
def test_the_task_worker_dies_when_the_worker_is_killed(running_worker):
    process, child = running_worker
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _until(lambda: not _alive(child), 10), "the task worker outlived its parent"


@linux_only
def test_the_task_worker_dies_when_the_workers_process_group_is_killed(running_worker):
    process, child = running_worker
    os.killpg(process.pid, signal.SIGKILL)  # as a crash of `make run` would
    process.wait()
    assert _until(lambda: not _alive(child), 10), "the task worker outlived its parent"


@linux_only
def test_a_task_worker_that_dies_is_replaced_by_the_running_worker(running_worker):
    process, child = running_worker
    os.kill(child, signal.SIGKILL)
    replaced = _until(lambda: [pid for pid in _children(process.pid) if pid != child], 30)
    assert replaced, "no new task worker was started"
    assert process.poll() is None
    process.terminate()
    process.wait(timeout=30)
    assert process.stderr is not None
    log = process.stderr.read().decode()
    assert len(re.findall("the task worker stopped", log)) == 1
    assert "Traceback" not in log


# `make run` --------------------------------------------------------------------------------------


def _recipe(makefile: str, target: str) -> str:
    """A target's recipe as make runs it: its prerequisites' recipes first (those the Makefile
    defines), then its own, with the Makefile's variables of several lines written out."""
    found = re.search(rf"^{re.escape(target)}:(.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert found, f"no recipe for {target}"
    before = "".join(
        _recipe(makefile, prerequisite)
        for prerequisite in found[1].split()
        if re.search(rf"^{re.escape(prerequisite)}:.*\n\t", makefile, re.MULTILINE)
    )
    recipe = found[2]
    for name, value in re.findall(r"^([A-Z_]+) = ((?:.*\\\n)*.*)$", makefile, re.MULTILINE):
        recipe = recipe.replace(f"$({name})", value)
    return before + recipe


def _run_recipe() -> str:
    return _recipe((ROOT / "Makefile").read_text(), "run")


def test_make_run_starts_the_worker_again_if_it_ends(tmp_path):
    """The recipe's worker loop, with `wenmin worker` standing for a worker that ends at once."""
    recipe = _run_recipe()
    loop = re.search(r"^\t(\(trap .*? done\)) &", recipe, re.MULTILINE | re.DOTALL)
    assert loop, "the run recipe has no worker loop"
    fake = tmp_path / "bin"
    fake.mkdir()
    runs = tmp_path / "runs"
    (fake / "wenmin").write_text(f"#!/bin/sh\necho run >> {runs}\n")
    (fake / "wenmin").chmod(0o755)
    # The subshell's body, run as the shell itself: TERM reaches its trap as in the recipe.
    script = loop[1][1:-1].replace("\\\n\t", " ").replace("$$", "$").replace("$(BIN)", str(fake))
    script = script.replace("sleep 5", "sleep 0.1")
    shell = subprocess.Popen(["/bin/sh", "-c", script], start_new_session=True)  # noqa: S603
    try:
        assert _until(lambda: runs.exists() and len(runs.read_text().split()) >= 3, 20)
        shell.terminate()  # as the recipe's trap does
        assert shell.wait(timeout=10) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
        shell.wait()


@pytest.fixture
def calendar_unknown(monkeypatch) -> int:
    """chinese-calendar knows nothing after this year."""
    this_year = timezone.localdate().year
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: year <= this_year))
    return this_year + 1


def test_make_run_warns_about_the_holiday_calendar_once(db, calendar_unknown, monkeypatch):
    """Every `wenmin` command of the recipe but the demo data's (no warning there), run here."""
    monkeypatch.setattr(worker, "run_loop", lambda **kwargs: None)
    monkeypatch.setattr(worker, "task_worker_start", lambda **kwargs: _child("pass"))
    output = io.StringIO()
    commands = [
        shlex.split(line.split("/wenmin ", 1)[1].split("&")[0].split(";")[0])
        for line in _run_recipe().splitlines()
        if "/wenmin " in line
    ]
    names = [argv[0] for argv in commands]
    assert names[0] == "migrate" and "worker" in names and names[-1] == "serve"
    # The seed is too long to run here: it must skip the checks the server will say.
    assert "--skip-checks" in next(argv for argv in commands if argv[0] == "seed")
    for argv in commands:
        if argv[0] in ("seed", "collectstatic"):
            assert "--skip-checks" in argv
            continue
        if argv[0] == "serve":
            argv = ["check"]  # the system checks `wenmin serve` performs before serving
        # call_command skips the system checks unless told; the command line does not.
        runs_checks = bool(
            load_command_class(get_commands()[argv[0]], argv[0]).requires_system_checks
        )
        checks: dict[str, Any] = (
            {"skip_checks": False}
            if runs_checks and "--skip-checks" not in argv and argv[0] != "check"
            else {}
        )
        call_command(*argv, stdout=output, stderr=output, **checks)
    assert output.getvalue().count(calendar_warning([calendar_unknown])) == 1
    assert output.getvalue().count("wenmin.W010") == 1  # the SMS stub, said once too


def test_the_task_worker_child_does_not_repeat_the_system_checks(monkeypatch):
    """The worker (or `make run`) says the checks' warnings once; db_worker would say them again."""
    started: list[list[str]] = []

    class Recorder:
        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            started.append(argv)

    monkeypatch.setattr(worker.subprocess, "Popen", Recorder)
    worker.task_worker_start(verbosity=1)
    assert started and "db_worker" in started[0] and "--skip-checks" in started[0]
