"""Work the background worker does besides the deadline sweep, registered by the apps.

Each app adds a job in its AppConfig.ready(); `wenmin worker` calls `periodic_run` at every
tick (every WENMIN_SWEEP_SECONDS). A job decides itself whether it is due (e.g. from the time
of its last run, kept in the database so that several workers and restarts agree), so the
worker knows nothing of what the jobs do. Each job runs under a database lease of its own
(core.leases): however many workers tick at the same moment, one runs it and the others pass,
and the next to come finds it no longer due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError

from wenmin.core.leases import lease_held

logger = logging.getLogger("wenmin.periodic")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], Any]
    # The longest a run may take: a worker killed during a run holds the job up this long.
    lease_seconds: int = 6 * 3600


_JOBS: dict[str, PeriodicJob] = {}


def periodic_register(name: str, run: Callable[[], Any], *, lease_seconds: int = 6 * 3600) -> None:
    """Run `run` at every tick of the worker; it returns at once when it is not due."""
    _JOBS[name] = PeriodicJob(name=name, run=run, lease_seconds=lease_seconds)


def periodic_jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())


def periodic_run() -> None:
    """Run every registered job; a failure is one log line and the job is tried at the next."""
    for job in periodic_jobs():
        try:
            with lease_held(name=f"periodic:{job.name}", seconds=job.lease_seconds) as mine:
                if mine:
                    job.run()
        except DatabaseError as error:
            logger.warning("the periodic job %s failed (%s); trying again later", job.name, error)
        except Exception:
            logger.exception("the periodic job %s failed; trying again later", job.name)
