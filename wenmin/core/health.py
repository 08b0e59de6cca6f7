"""What /readyz checks: the database and the cache answer, every migration is applied, and the
official holiday calendar covers this year (else deadlines are wrong: not ready) and the next (else
a warning: the State Council publishes it late in the year)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from wenmin.core import outage


@dataclass
class Check:
    """One check's outcome: ok, and what an operator needs to know."""

    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)
    warning: str = ""

    def as_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"ok": self.ok, **self.detail}
        if self.warning:
            answer["warning"] = self.warning
        return answer


@dataclass
class Readiness:
    checks: dict[str, Check]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks.values())

    def as_dict(self) -> dict[str, Any]:
        warned = any(check.warning for check in self.checks.values())
        status = "ok" if self.ready and not warned else "warning" if self.ready else "fail"
        return {
            "status": status,
            "checks": {name: check.as_dict() for name, check in self.checks.items()},
        }


def _error_name(error: BaseException) -> str:
    # The class only: a public endpoint tells no host name, address or message.
    cause = error.__cause__ or error
    return type(cause).__name__


def database_check(alias: str = DEFAULT_DB_ALIAS) -> Check:
    """The database answers a trivial query (an outage is noted once, as for every request)."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        if outage.is_outage(error, alias):
            outage.state.failed(error)
        return Check(ok=False, detail={"error": _error_name(error)})
    outage.state.succeeded()
    return Check(ok=True)


def cache_check() -> Check:
    """The cache keeps and returns a value."""
    token = secrets.token_hex(8)
    try:
        cache.set("wenmin:readyz", token, timeout=30)
        ok = cache.get("wenmin:readyz") == token
    except Exception as error:  # any client's connection error (redis-py has its own)
        return Check(ok=False, detail={"error": _error_name(error)})
    return Check(ok=ok)


_leaf_migrations: set[tuple[str, str]] | None = None
_migrations_applied = False  # once true in a process, it stays true: migrations only add


def _leaves() -> set[tuple[str, str]]:
    """The last migration of each app in the code (read once per process: the code is fixed)."""
    global _leaf_migrations
    if _leaf_migrations is None:
        _leaf_migrations = set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    return _leaf_migrations


def migrations_check(alias: str = DEFAULT_DB_ALIAS) -> Check:
    """Every app's last migration is recorded as applied (one query, none once it was)."""
    global _migrations_applied
    if _migrations_applied:
        return Check(ok=True)
    try:
        applied = set(MigrationRecorder(connections[alias]).applied_migrations())
    except DatabaseError as error:
        return Check(ok=False, detail={"error": _error_name(error)})
    pending = sorted(f"{app}.{name}" for app, name in _leaves() - applied)
    if pending:
        return Check(ok=False, detail={"pending": pending})
    _migrations_applied = True
    return Check(ok=True)


def calendar_check(*, today: dt.date | None = None) -> Check:
    """This year's holidays must be known; next year's missing is a warning."""
    from wenmin.cases.checks import calendar_warning, missing_years

    today = today or timezone.localdate()
    try:
        missing = missing_years(today=today)
    except DatabaseError as error:
        return Check(ok=False, detail={"error": _error_name(error)})
    this_year = today.year
    detail = {"years": [this_year, this_year + 1], "missing": missing}
    if this_year in missing:
        return Check(ok=False, detail=detail, warning=calendar_warning(missing))
    if missing:
        return Check(ok=True, detail=detail, warning=calendar_warning(missing))
    return Check(ok=True, detail=detail)


def readiness(*, today: dt.date | None = None) -> Readiness:
    """Every check, the database's first (the others need it or say the same)."""
    database = database_check()
    checks = {"database": database, "cache": cache_check()}
    if database.ok:
        checks["migrations"] = migrations_check()
        checks["calendar"] = calendar_check(today=today)
    else:
        skipped = Check(ok=False, detail={"skipped": "database"})
        checks["migrations"] = skipped
        checks["calendar"] = skipped
    return Readiness(checks=checks)
