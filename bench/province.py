"""A province (or city) on PostgreSQL: each staff page, API list and Open311 read per role, p50/p99
and bytes; the scoreboard rebuild's (with --check the check's too) time and peak memory; the
seed's time and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/province.py \\
        [--scale city|province] [--reuse] [--keep] [--rounds 30] [--check] [--no-rebuild]

Without --reuse a fresh database is created on the server of DATABASE_URL, migrated, seeded at the
scale (`wenmin seed --scale SCALE`), measured and dropped (kept with --keep); with --reuse the data
already in DATABASE_URL's database is measured. The seed and the
rebuild run as child processes: their peak memory is the child's maximum resident set size
(os.wait4). The pages are requested in this process through Django's test client, logged in as
each demo login, `--rounds` times each after one warm-up request. Goals (issue 9): every staff
page and API list under 300 ms at the median and 1 s at p99, Open311 reads under 200 ms.
Not a test: it prints what it measured and asserts nothing. Without a PostgreSQL DATABASE_URL it
says so and stops.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WENMIN = [sys.executable, "-m", "wenmin.cli"]
STAFF_GOAL = (0.300, 1.0)
OPEN311_GOAL = (0.200, 1.0)


@dataclass
class Child:
    seconds: float
    peak_mb: float
    output: str


def run_child(env: dict[str, str], *args: str) -> Child:
    """One wenmin command as a child process: its time, peak resident memory and output."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603  (our own command line)
        [*WENMIN, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        print(output[-3000:], file=sys.stderr)
        raise SystemExit(f"wenmin {' '.join(args)} failed ({process.returncode})")
    return Child(seconds, usage.ru_maxrss / 1024, output)  # ru_maxrss: kilobytes on Linux


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages_for(role: str, case_id: int | None, person_id: int | None) -> list[tuple[str, str]]:
    """(label, URL) of the pages a role uses, staff pages only for staff roles."""
    staff = [
        ("workbench", "/cases/"),
        ("workbench all", "/cases/?queue=all"),
        ("supervision", "/cases/supervision/"),
        ("new case form", "/cases/new/"),
        ("scoreboard", "/scoreboard/"),
        ("scoreboard lists", "/scoreboard/lists/"),
        ("exports list", "/org/excel/"),
        ("organisation", "/org/"),
        ("people search", "/org/people/?q=王"),
        ("picker: units", "/org/pick/unit/?field=q&q=局"),
        ("API cases", "/api/v1/cases?page_size=50"),
        ("API units", "/api/v1/units"),
        ("API people", "/api/v1/people"),
    ]
    if case_id is not None:
        staff.insert(2, ("case page", f"/cases/{case_id}/"))
    if person_id is not None and role in ("admin", "leader"):
        staff.append(("dossier", f"/scoreboard/dossier/{person_id}/"))
    public = [("portal", "/portal/")]
    return staff + public if role not in ("volunteer", "resident") else public


OPEN311 = [
    ("Open311 requests.json", "/open311/v2/requests.json"),
    ("Open311 requests.json status=open", "/open311/v2/requests.json?status=open"),
    ("Open311 requests.json page 5 of 50", "/open311/v2/requests.json?page_size=50&page=5"),
    ("Open311 services.json", "/open311/v2/services.json"),
]


def measure(client, url: str, rounds: int) -> tuple[list[float], int, int]:  # noqa: ANN001
    client.get(url)  # warm-up: caches, templates, the connection
    times, size, status = [], 0, 0
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        times.append(time.perf_counter() - started)
        size, status = len(body), response.status_code
    return times, size, status


def report_line(label: str, times: list[float], size: int, status: int, goal: tuple) -> str:  # noqa: ANN001
    p50, p99 = statistics.median(times), percentile(times, 0.99)
    met = "ok" if p50 <= goal[0] and p99 <= goal[1] else "SLOW"
    return (
        f"  {label:<38} {status:>3} {p50 * 1000:8.0f} ms {p99 * 1000:8.0f} ms "
        f"{size / 1024:9.1f} KiB  {met}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["county", "city", "province"], default="city")
    parser.add_argument("--reuse", action="store_true", help="measure the data already loaded")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the fresh database afterwards")
    parser.add_argument("--check", action="store_true", help="run `scoreboard check` first")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the scoreboard rebuild")
    parser.add_argument(
        "--roles", default="admin,leader,dispatcher,township,department,secretary,volunteer"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("province.py measures PostgreSQL: set DATABASE_URL=postgres://…")
        return 0
    if args.reuse:
        return bench(args, url)
    sys.path.insert(0, str(ROOT))
    from bench.seed_city import postgres_database

    name = f"wenmin_bench_{args.scale}_{os.getpid()}"
    if args.keep:
        fresh = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        create_database(url, name)
        print(f"database kept: {fresh}")
        return bench(args, fresh)
    with postgres_database(url, name) as fresh:
        return bench(args, fresh)


def create_database(url: str, name: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def bench(args: argparse.Namespace, url: str) -> int:
    env = {**os.environ, "WENMIN_ENV": "development", "WENMIN_DEBUG": "false", "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    if not args.reuse:
        run_child(env, "migrate", "--no-input", "-v", "0")
        seed = run_child(env, "seed", "--scale", args.scale, "--no-input")
        print(f"seed --scale {args.scale}: {seed.seconds:.0f} s, peak {seed.peak_mb:.0f} MB")
        print("  " + "\n  ".join(line for line in seed.output.splitlines()[-5:]))
    if not args.no_rebuild:
        for action in ("check", "rebuild") if args.check else ("rebuild",):
            child = run_child(env, "scoreboard", action, "--no-input")
            last = child.output.strip().splitlines()[-1]
            print(
                f"scoreboard {action}: {child.seconds:.1f} s, peak {child.peak_mb:.0f} MB ({last})"
            )

    os.environ.update({"WENMIN_ENV": "development", "WENMIN_DEBUG": "false", "DATABASE_URL": url})
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenmin.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from wenmin.cases.models import Case, CaseEvent
    from wenmin.core.models import User
    from wenmin.organisation.models import Person, Region, Unit

    settings.ALLOWED_HOSTS = ["*"]
    print(
        f"data: {Region.objects.filter(level='county').count()} counties, "
        f"{Unit.objects.count():,} units, {Person.objects.count():,} people, "
        f"{Case.objects.count():,} cases, {CaseEvent.objects.count():,} events"
    )
    print(f"  {'page':<38} {'st':>3} {'p50':>11} {'p99':>11} {'size':>13}")
    slow = 0
    for role in args.roles.split(","):
        user = User.objects.filter(username=role).first()
        if user is None:
            print(f"{role}: no such demo login")
            continue
        client = Client()
        client.force_login(user)
        from wenmin.cases.selectors import cases_visible_to

        case_id = (
            cases_visible_to(user).order_by("-received_at").values_list("pk", flat=True).first()
        )
        person_id = Person.objects.filter(cadre__isnull=False).values_list("pk", flat=True).first()
        print(f"{role}:")
        for label, page in pages_for(role, case_id, person_id):
            times, size, status = measure(client, page, args.rounds)
            line = report_line(label, times, size, status, STAFF_GOAL)
            slow += line.endswith("SLOW")
            print(line, flush=True)
    print("Open311 (anonymous):")
    client = Client()
    for label, page in OPEN311:
        times, size, status = measure(client, page, args.rounds)
        line = report_line(label, times, size, status, OPEN311_GOAL)
        slow += line.endswith("SLOW")
        print(line, flush=True)
    print(f"{slow} page(s) above the goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
