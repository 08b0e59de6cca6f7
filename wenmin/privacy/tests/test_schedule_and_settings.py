"""The worker runs the privacy sweep on its schedule; the privacy settings refuse bad values."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from wenmin.cases.management.commands import worker
from wenmin.cases.services.automation import SweepReport
from wenmin.core.models import AuditEvent
from wenmin.core.roles import Role
from wenmin.privacy.models import AnonymisedCase
from wenmin.privacy.services import sweep

ROOT = Path(__file__).resolve().parents[3]


def test_the_worker_runs_the_privacy_sweep_beside_the_deadline_sweep(desk, closed, monkeypatch):
    case = closed()

    def sweep_deadlines() -> SweepReport:
        os.kill(os.getpid(), signal.SIGTERM)  # one tick, then stop
        return SweepReport()

    monkeypatch.setattr(worker, "sweep_deadlines", sweep_deadlines)
    # The test's own transaction must stay open to read the result (PostgreSQL's pool would
    # otherwise hand the connection back in the middle of it).
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    call_command(
        "worker", "--no-tasks", "--sweep-seconds", "1", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert AnonymisedCase.objects.filter(case=case).exists()


def test_the_privacy_sweep_runs_once_per_period_however_often_the_worker_ticks(
    db, settings, monkeypatch
):
    settings.WENMIN_PRIVACY_SWEEP_HOURS = 24
    assert sweep.privacy_sweep_if_due() is not None
    assert sweep.privacy_sweep_if_due() is None
    later = timezone.now() + dt.timedelta(hours=25)
    monkeypatch.setattr(sweep.timezone, "now", lambda: later)
    assert sweep.privacy_sweep_if_due() is not None
    assert AuditEvent.objects.filter(action="privacy.sweep").count() == 2


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "wenmin.settings",
        "WENMIN_DATA_DIR": os.environ.get("WENMIN_DATA_DIR", str(ROOT / "var")),
        **env,
    }
    probe = "from django.conf import settings as s; print(s.WENMIN_ACCESS_LOG_DAYS, s.WENMIN_REQUIRE_2FA)"
    return subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments)
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_access_log_is_kept_at_least_six_months():
    refused = _settings_with(WENMIN_ACCESS_LOG_DAYS="182")
    assert refused.returncode != 0 and "Cybersecurity Law" in refused.stderr
    kept = _settings_with(
        WENMIN_ACCESS_LOG_DAYS="183", WENMIN_REQUIRE_2FA="administrator,county_leader"
    )
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.split(maxsplit=1) == ["183", "['administrator', 'county_leader']\n"]


def test_the_second_factor_setting_names_only_known_roles():
    refused = _settings_with(WENMIN_REQUIRE_2FA="administrator,mayor")
    assert refused.returncode != 0 and "mayor" in refused.stderr


def test_the_settings_know_every_role():
    from wenmin import settings as module

    assert tuple(module._ROLES) == tuple(Role.values)


@pytest.mark.parametrize("hours", ["0", "x"])
def test_the_sweep_period_is_a_whole_number_of_hours(hours):
    assert _settings_with(WENMIN_PRIVACY_SWEEP_HOURS=hours).returncode != 0
