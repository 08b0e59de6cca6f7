"""The branch meetings' compliance grid against one hand-written SQL query computing it.

With `wenmin seed --scale city --no-cases` loaded (ten counties, ~5,000 party branches) and a
year of branch meetings written by branchlife's demo (`demo_meetings`), it times, in the same
process and run:

- grid: `compliance.grid()` as the grid page calls it: every branch × month of the year with
  the worst status of the required meetings judged that month, meetings held and attendance
  (a few GROUP BYs over the meeting and credit tables, the statuses worked out in Python);
- sql: ONE hand-written query (CTEs) over `branchlife_meetingcredit` and `branchlife_meeting`
  computing the same grid: per branch and month the worst status as a number, the meetings
  held, expected and attended. The deadlines (working days of the official calendar, which is
  not in the database) are computed once in Python and sent as a VALUES list, as the grid
  computes them once too.

Each for one county (512-ish branches, the county organisation department's grid) and for the
whole city (every branch). Medians of several runs; ratio grid/sql; the two grids are compared
cell by cell. SQLite in a temporary directory, then PostgreSQL in a temporary database (created
with `createdb -h 127.0.0.1 -U postgres`, dropped after) when reachable. Not a test.

    .venv/bin/python bench/branchlife_grid.py [--scale city|county] [--runs 7] [--sqlite-only|--postgresql-only]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
from bench.serverload import throwaway_postgres  # noqa: E402

# Severity as rules.SEVERITY numbers it: 1 on time, 2 not yet due, 3 late, 4 overdue, 5 missing.
SQL = """
WITH judged(type_id, month, m_from, m_to, due_key, end_key, start_key) AS (VALUES {judged}),
branches AS (
  SELECT u.id FROM organisation_unit u JOIN organisation_region r ON r.id = u.region_id
   WHERE u.kind = 'party_branch' AND r.path LIKE %s
),
firsts AS (
  SELECT c.branch_id, c.type_id, j.month, MIN(c.month_key * 100 + c.day) AS first_key
    FROM branchlife_meetingcredit c
    JOIN judged j ON j.type_id = c.type_id AND c.month_key BETWEEN j.m_from AND j.m_to
   WHERE c.branch_id IN (SELECT id FROM branches)
   GROUP BY c.branch_id, c.type_id, j.month
),
statuses AS (
  SELECT b.id AS branch_id, j.month,
         MAX(CASE WHEN f.first_key IS NOT NULL
                  THEN CASE WHEN f.first_key <= j.due_key THEN 1 ELSE 3 END
                  WHEN %s > j.end_key THEN 5
                  WHEN %s > j.due_key THEN 4
                  ELSE 2 END) AS severity
    FROM branches b CROSS JOIN judged j
    LEFT JOIN firsts f ON f.branch_id = b.id AND f.type_id = j.type_id AND f.month = j.month
   WHERE j.start_key <= %s
   GROUP BY b.id, j.month
),
figures AS (
  SELECT m.branch_id, m.month_key %% 100 AS month, COUNT(*) AS held,
         SUM(m.expected) AS expected, SUM(m.present + m.online) AS attended
    FROM branchlife_meeting m
   WHERE m.month_key BETWEEN %s AND %s AND m.state IN ('held', 'closed')
     AND m.branch_id IN (SELECT id FROM branches)
   GROUP BY m.branch_id, m.month_key %% 100
)
SELECT s.branch_id, s.month, s.severity,
       COALESCE(g.held, 0), COALESCE(g.expected, 0), COALESCE(g.attended, 0)
  FROM statuses s LEFT JOIN figures g ON g.branch_id = s.branch_id AND g.month = s.month
"""
SEVERITY_CODES = {1: "on_time", 2: "due", 3: "late", 4: "overdue", 5: "missing"}


def _wenmin(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603  (our own command line)
        [PYTHON, "-m", "wenmin.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"wenmin {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _key(day: Any) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def measure(runs: int) -> dict[str, Any]:
    """Time the grid and the SQL for one county and the whole city; medians in milliseconds."""
    import datetime as dt

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from wenmin.branchlife import compliance, rules
    from wenmin.branchlife.compliance import _judged, _working_day
    from wenmin.branchlife.models import MeetingType
    from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind

    today = timezone.localdate()
    year = today.year
    county = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()
    assert county is not None  # noqa: S101  (the seed ran)
    working = _working_day()

    def values() -> str:
        types = list(MeetingType.objects.filter(required=True))
        rows = []
        for month, items in _judged(types, year, working).items():
            for meeting_type, months, due, end in items:
                rows.append(
                    f"({meeting_type.pk}, {month}, {year * 100 + months[0]}, "
                    f"{year * 100 + months[-1]}, {_key(due)}, {_key(end)}, "
                    f"{_key(dt.date(year, month, 1))})"
                )
        return ", ".join(rows)

    def by_grid(path: str) -> dict[tuple[int, int], tuple[str, int, int, int]]:
        branches = Unit.objects.filter(kind=UnitKind.PARTY_BRANCH, region__path__startswith=path)
        grid = compliance.grid(branches=branches, year=year, today=today, is_working_day=working)
        return {
            (row.branch_id, cell.month): (cell.status, cell.held, cell.expected, cell.attended)
            for row in grid.rows
            for cell in row.cells
            if cell.status
        }

    def by_sql(path: str) -> dict[tuple[int, int], tuple[str, int, int, int]]:
        sql = SQL.format(judged=values())
        params = [
            f"{path}%",
            _key(today),
            _key(today),
            _key(today),
            year * 100 + 1,
            year * 100 + 12,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                (branch, month): (SEVERITY_CODES[severity], held, expected, attended)
                for branch, month, severity, held, expected, attended in cursor.fetchall()
            }

    scopes = {"county": county.path, "city": ""}
    timings: dict[str, list[float]] = {f"{s}_{w}": [] for s in scopes for w in ("grid", "sql")}
    same: dict[str, bool] = {}
    cells: dict[str, int] = {}
    for scope, path in scopes.items():
        a, b = by_grid(path), by_sql(path)
        same[scope] = a == b
        cells[scope] = len(a)
    for _ in range(runs):
        for scope, path in scopes.items():
            for way, call in (("grid", by_grid), ("sql", by_sql)):
                started = time.perf_counter()
                call(path)
                timings[f"{scope}_{way}"].append(time.perf_counter() - started)
    _ = rules
    return {
        "ms": {name: 1000 * statistics.median(samples) for name, samples in timings.items()},
        "same": same,
        "cells": cells,
        "branches": Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).count(),
        "year": year,
        "runs": runs,
    }


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    print(
        f"-- {name}: migrate, seed --scale {args.scale} --no-cases, a year of meetings …",
        flush=True,
    )
    started = time.perf_counter()
    _wenmin(env, "migrate", "--no-input", "-v", "0")
    _wenmin(env, "seed", "--scale", args.scale, "--no-input", "--no-cases")
    seeded = time.perf_counter()
    _wenmin(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.utils import timezone;"
        "from wenmin.branchlife.demo import demo_meetings;"
        "print(demo_meetings(seed=1, now=timezone.now()))",
    )
    meetings = time.perf_counter() - seeded
    if name == "postgresql":
        _wenmin(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
    print(
        f"   loaded in {time.perf_counter() - started:.0f} s (meetings {meetings:.0f} s)",
        flush=True,
    )
    done = subprocess.run(  # noqa: S603  (this script)
        [PYTHON, __file__, "--measure", "--runs", str(args.runs)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring on {name} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["backend"] = name
    result["meetings_seconds"] = meetings
    return result


def _postgres(base: dict[str, str], work: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    if args.sqlite_only:
        return None
    with throwaway_postgres(f"wenmin_bench_branchlife_{os.getpid()}") as url:
        if url is None:
            return None
        env = {**base, "WENMIN_DATA_DIR": str(work / "pg"), "DATABASE_URL": url}
        return bench_backend("postgresql", env, args)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\nBranch meetings' compliance grid vs one SQL query, scale {args.scale}, medians of {args.runs} runs"
    )
    print(
        f"{'backend':<11} {'scope':<7} {'cells':>7} {'grid ms':>9} {'sql ms':>9} {'ratio':>7} same"
    )
    for r in results:
        for scope in ("county", "city"):
            grid, sql = r["ms"][f"{scope}_grid"], r["ms"][f"{scope}_sql"]
            print(
                f"{r['backend']:<11} {scope:<7} {r['cells'][scope]:>7} {grid:>9.1f} {sql:>9.1f} "
                f"{grid / sql:>7.2f} {r['same'][scope]}"
            )
        print(
            f"{r['backend']:<11} {r['branches']} branches; a year of meetings written in {r['meetings_seconds']:.0f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["county", "city"])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgresql-only", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return 0
    base = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "wenmin.settings",
        "WENMIN_ENV": "development",
        "WENMIN_DEBUG": "false",
        "WENMIN_LOG_LEVEL": "ERROR",
    }
    results = []
    work = Path(tempfile.mkdtemp(prefix="wenmin-bench-"))
    try:
        if not args.postgresql_only:
            results.append(
                bench_backend("sqlite", {**base, "WENMIN_DATA_DIR": str(work / "sqlite")}, args)
            )
            report(results, args)  # at once: the PostgreSQL load takes as long again
        pg = _postgres(base, work, args)
        if pg is not None:
            results.append(pg)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
