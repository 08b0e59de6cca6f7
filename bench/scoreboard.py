"""The scoreboard's ranking against one hand-written SQL GROUP BY over the raw case table.

With `wenmin seed --scale city` loaded (ten counties, a year of case history each) and the
daily counts rebuilt, for each county and last month it times, in the same process and run:

- ranking: what the ranking endpoint computes, `ranking(group=township|department, …)` on the
  daily counts (the weights read once, as the page does);
- sql: for each ranking, ONE hand-written `GROUP BY lead_unit` over `cases_case` joined with
  `organisation_unit` and `organisation_region`, for the same group and county, counting per
  lead unit the month's cases dispatched, signed for on time, called back,
  resolved, rated and satisfied: the response, resolution and satisfaction figures;
- endpoint: the ranking page itself (`GET /scoreboard/?group=township`, with the previous
  month's ranking for the trend arrows and the HTML), through Django's test client, for scale.

Medians of several runs (each run covers every county); ratio ranking/sql (goal ≤ 1.0).
SQLite in a temporary directory, then PostgreSQL in a temporary database (created with
`createdb -h 127.0.0.1 -U postgres`, dropped after) when the server is reachable.
Not a test: it prints what it measured and asserts nothing.

    .venv/bin/python bench/scoreboard.py [--scale city|county] [--runs 15] [--sqlite-only]
                                         [--cases-per-county N]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from bench.serverload import wenmin as _wenmin  # noqa: E402

KINDS = ("township_government", "department")  # the lead units of the two groups ranked

# Per lead unit of one group (township governments or departments) of one county — the figures
# one ranking shows — the month's cases and their response, resolution and
# satisfaction counts. Portable between SQLite and PostgreSQL; the month bounds are parameters.
SQL = """
SELECT c.lead_unit_id,
       COUNT(*) AS dispatched,
       SUM(CASE WHEN c.signed_at IS NOT NULL
                 AND (c.sign_for_due IS NULL OR c.signed_at <= c.sign_for_due)
                THEN 1 ELSE 0 END) AS signed_on_time,
       SUM(CASE WHEN c.resolved IS NOT NULL THEN 1 ELSE 0 END) AS callbacks,
       SUM(CASE WHEN c.resolved THEN 1 ELSE 0 END) AS resolved,
       SUM(CASE WHEN c.satisfaction IS NOT NULL THEN 1 ELSE 0 END) AS rated,
       SUM(CASE WHEN c.satisfaction >= 4 THEN 1 ELSE 0 END) AS satisfied
  FROM cases_case c
  JOIN organisation_unit u ON u.id = c.lead_unit_id
  JOIN organisation_region r ON r.id = u.region_id
 WHERE c.dispatched_at >= %s AND c.dispatched_at < %s
   AND u.kind = %s
   AND r.path LIKE %s
 GROUP BY c.lead_unit_id
"""


def _shell(env: dict[str, str], code: str) -> str:
    return _wenmin(env, "shell", "--no-imports", "-c", code)


# The measuring process (run with --measure, inside the prepared environment) -----------------


def _median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def measure(runs: int) -> dict[str, Any]:
    """Time ranking, the SQL and the endpoint over every county; medians in milliseconds."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from wenmin.core.models import User
    from wenmin.core.roles import Role
    from wenmin.core.workdays import SHANGHAI
    from wenmin.organisation.models import Region, RegionLevel
    from wenmin.scoreboard.periods import Period
    from wenmin.scoreboard.ranking import Group, Weights, ranking

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = timezone.localdate()
    month = Period.month(today.year, today.month).previous()
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    bounds = [
        connection.ops.adapt_datetimefield_value(dt.datetime.combine(day, dt.time(0), SHANGHAI))
        for day in (month.start, month.end + dt.timedelta(days=1))
    ]

    def by_ranking() -> int:
        weights = Weights.current()
        rows = 0
        for county in counties:
            for group in (Group.TOWNSHIP, Group.DEPARTMENT):
                rows += len(ranking(group=group, period=month, county=county, weights=weights))
        return rows

    def by_sql() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for county in counties:
                for kind in KINDS:
                    cursor.execute(SQL, [*bounds, kind, f"{county.path}%"])
                    rows += len(cursor.fetchall())
        return rows

    leader = User.objects.filter(role=Role.COUNTY_LEADER).order_by("id").first()
    client = Client()
    if leader is not None:
        client.force_login(leader)

    def by_endpoint() -> int:
        for county in counties:
            response = client.get(
                "/scoreboard/", {"group": "township", "period": month.label, "county": county.pk}
            )
            if response.status_code != 200:
                raise RuntimeError(f"the ranking page answered {response.status_code}")
        return len(counties)

    timings: dict[str, list[float]] = {"ranking": [], "sql": [], "endpoint": []}
    sizes: dict[str, int] = {}
    calls = {"ranking": by_ranking, "sql": by_sql, "endpoint": by_endpoint}
    for name, call in calls.items():  # warm caches and connections
        sizes[name] = call()
    for _ in range(runs):
        for name, call in calls.items():  # interleaved, so drift hits all three alike
            started = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - started)
    totals = _totals(connection, SQL, bounds, counties, month)
    return {
        "month": month.label,
        "counties": len(counties),
        "runs": runs,
        "rows": sizes,
        "ms": {name: _median_ms(samples) for name, samples in timings.items()},
        "totals": totals,
    }


def _totals(connection: Any, sql: str, bounds: list[Any], counties: list[Any], month: Any) -> Any:
    """Both ways' sums over the county, to show they count the same things."""
    from wenmin.scoreboard.ranking import Group, ranking

    by_sql = {"dispatched": 0, "callbacks": 0, "satisfied": 0}
    with connection.cursor() as cursor:
        for county, kind in ((county, kind) for county in counties for kind in KINDS):
            cursor.execute(sql, [*bounds, kind, f"{county.path}%"])
            for row in cursor.fetchall():
                by_sql["dispatched"] += row[1]
                by_sql["callbacks"] += row[3]
                by_sql["satisfied"] += row[6]
    by_rollups = {"dispatched": 0, "callbacks": 0, "satisfied": 0}
    for county in counties:
        for group in (Group.TOWNSHIP, Group.DEPARTMENT):
            for row in ranking(group=group, period=month, county=county):
                for name in by_rollups:
                    by_rollups[name] += int(row.counts.get(name, 0))
    return {"sql": by_sql, "rollups": by_rollups}


# The driver -------------------------------------------------------------------------------


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    print(f"-- {name}: migrate, seed --scale {args.scale}, scoreboard rebuild …", flush=True)
    started = time.perf_counter()
    _wenmin(env, "migrate", "--no-input", "-v", "0")
    if args.cases_per_county:
        _wenmin(env, "seed", "--scale", args.scale, "--no-input", "--no-cases")
        _shell(
            env,
            "from django.utils import timezone;"
            "from wenmin.cases.demo import cases_seed;"
            f"cases_seed(seed=1, now=timezone.now(), progress=False,"
            f" per_county={int(args.cases_per_county)})",
        )
    else:
        _wenmin(env, "seed", "--scale", args.scale, "--no-input")
    # The seed writes its history in bulk, past the workflow's hook: rebuild the daily counts.
    _wenmin(env, "scoreboard", "rebuild", "--show", "0")
    if name == "postgresql":
        # Planner statistics, as autovacuum gives a live server; SQLite is left as Django leaves
        # it (no ANALYZE ever runs there unless someone runs it).
        _shell(env, "from django.db import connection; connection.cursor().execute('ANALYZE')")
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
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
    result["ratio"] = result["ms"]["ranking"] / result["ms"]["sql"]
    return result


def _postgres(base: dict[str, str], work: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    if args.sqlite_only:
        return None
    with throwaway_postgres(f"wenmin_bench_scoreboard_{os.getpid()}") as url:
        if url is None:
            return None
        env = {**base, "WENMIN_DATA_DIR": str(work / "pg"), "DATABASE_URL": url}
        return bench_backend("postgresql", env, args)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    cases = args.cases_per_county or 6000
    print(
        f"\nScoreboard ranking vs one SQL GROUP BY over cases_case, scale {args.scale}, "
        f"{cases:,} cases a year per county, medians of {args.runs} runs, each over every "
        "county (townships and departments)"
    )
    print(f"{'backend':<11} {'ranking ms':>11} {'sql ms':>9} {'ratio':>7} {'endpoint ms':>12}")
    for r in results:
        ms = r["ms"]
        print(
            f"{r['backend']:<11} {ms['ranking']:>11.1f} {ms['sql']:>9.1f} "
            f"{r['ratio']:>7.2f} {ms['endpoint']:>12.1f}"
        )
    for r in results:
        print(
            f"{r['backend']:<11} month {r['month']}, {r['counties']} counties; "
            f"ratio ranking/sql = {r['ratio']:.2f} (goal ≤ 1.0); "
            f"sums (sql: cases dispatched in the month; rollups: events in the month): {r['totals']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["county", "city"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--cases-per-county",
        type=int,
        default=0,
        help="a year of this many cases per county instead of the seed's usual 6,000",
    )
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
        results.append(
            bench_backend("sqlite", {**base, "WENMIN_DATA_DIR": str(work / "sqlite")}, args)
        )
        pg = _postgres(base, work, args)
        if pg is not None:
            results.append(pg)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    suffix = f"-{args.cases_per_county}" if args.cases_per_county else ""
    (out / f"scoreboard-{args.scale}{suffix}.json").write_text(
        json.dumps(results, indent=2, default=str)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
