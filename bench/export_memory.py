"""Peak memory of the streamed case export: 10% of N cases against all N, in one run.

Usage: `.venv/bin/python bench/export_memory.py [N]` (N defaults to 200,000). N cases are written
with bulk_create into a temporary SQLite database; then each export runs in a fresh process that
reports its peak resident memory (`resource.getrusage`). A streamed export's peak does not grow
with the rows, so the ratio should be near 1. Not a test: it prints and asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_N = 200_000
BATCH = 5_000
REQUESTERS = 1_000


def _setup(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenmin.settings"
    os.environ["WENMIN_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite file
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def populate(n: int) -> None:
    """A county, a unit, a category, 1,000 requesters with phones and n cases (10% open)."""
    from django.core.management import call_command
    from django.utils import timezone

    from wenmin.cases.models import Case, Category
    from wenmin.core.models import User
    from wenmin.organisation.models import Person, Region, Unit

    call_command("migrate", verbosity=0)
    county = Region.objects.create(
        code="369901000000", name="枫岭县", level="county", kind="county", path="369901000000/"
    )
    unit = Unit.objects.create(
        code="D-ZJ", name="县住房和城乡建设局", kind="department", region=county, path="D-ZJ/"
    )
    category = Category.objects.create(code="housing", name="住房城建")
    User.objects.create_user(username="bench-admin", role="administrator")
    people = Person.objects.bulk_create(
        Person(name=f"居民{i}", phone=f"186{i:08d}", is_resident=True) for i in range(REQUESTERS)
    )
    start = timezone.now() - dt.timedelta(days=365)
    content = "青石村路口水管漏水三天了，路面结冰，老人孩子出行困难，请尽快派人修理。" * 2
    for first in range(0, n, BATCH):
        Case.objects.bulk_create(
            Case(
                number=f"369901-20260101-{i:07d}",
                tracking_code=f"B{i:09d}",
                channel="phone",
                received_at=start + dt.timedelta(seconds=i * 60),
                requester=people[i % REQUESTERS],
                kind="help",
                category=category,
                title=f"水管漏水 {i}",
                content=content,
                address="青石村路口",
                region=county,
                lead_unit=unit,
                state="in_progress" if i % 10 == 0 else "closed",
                result_due=start + dt.timedelta(seconds=i * 60, days=3),
                satisfaction=None if i % 10 == 0 else 5,
            )
            for i in range(first, min(first + BATCH, n))
        )


def export(share: int) -> None:
    """Export `share`% of the cases (the open ones, or all) and print rows, seconds, peak RSS."""
    from wenmin.cases.export import cases_workbook
    from wenmin.core.models import User

    viewer = User.objects.get(username="bench-admin")
    params = {"queue": "all", "state": "in_progress"} if share == 10 else {"queue": "all"}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        rows = cases_workbook(viewer=viewer, params=params, target=target)
        size = target.tell()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"rows": rows, "seconds": seconds, "before_kb": before, "peak_kb": peak, "bytes": size}
        )
    )


def _child(data_dir: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603  (this very script)
        [sys.executable, __file__, "--child", data_dir, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _setup(sys.argv[2])
        if sys.argv[3] == "populate":
            populate(int(sys.argv[4]))
        else:
            export(int(sys.argv[4]))
        return 0
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    with tempfile.TemporaryDirectory(prefix="wenmin-bench-") as data_dir:
        started = time.perf_counter()
        _child(data_dir, "populate", str(n))
        print(f"{n:,} cases written in {time.perf_counter() - started:.1f} s", flush=True)
        results = {share: json.loads(_child(data_dir, "export", str(share))) for share in (10, 100)}
    for share, result in results.items():
        print(
            f"export {share:>3}%: {result['rows']:>9,} rows in {result['seconds']:6.1f} s "
            f"({result['rows'] / result['seconds']:,.0f} rows/s), {result['bytes'] / 1e6:6.1f} MB "
            f"file, peak RSS {result['peak_kb'] / 1024:6.1f} MB "
            f"(+{(result['peak_kb'] - result['before_kb']) / 1024:.1f} MB during the export)"
        )
    ratio = results[100]["peak_kb"] / results[10]["peak_kb"]
    print(f"peak RSS, 100% / 10% of the rows: {ratio:.2f} (near 1: memory does not grow with rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
