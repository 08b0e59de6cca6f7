"""How long a large people import holds SQLite's write lock, and whether the portal still works.

Usage: `.venv/bin/python bench/import_lock.py [N]` (N defaults to 100,001 rows). On a fresh
SQLite file (WAL, the project's settings) with the small test county, an .xlsx of N people
(phones, ID numbers, one in ten a party member) is imported as `wenmin import_excel people FILE`
does, while a second process
  - probes the write lock every 50 ms (`BEGIN IMMEDIATE` with no busy timeout), and
  - sends a resident's report through the portal every second (the site's own 20 s busy
    timeout), recording which succeed.
It prints the import's time, the longest stretch during which no other writer could get the
lock, and the portal reports sent during the import that succeeded or failed. Not a test: it
prints and asserts nothing.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_N = 100_001
PROBE_SECONDS = 0.05
REPORT_SECONDS = 1.0
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _setup(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenmin.settings"
    os.environ["WENMIN_DATA_DIR"] = data_dir
    os.environ["WENMIN_PORTAL_SUBMISSIONS_PER_HOUR"] = "1000000"
    os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite file
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _id_number(i: int) -> str:
    body = f"369999{1950 + i % 50}{(i // 50) % 12 + 1:02d}{(i // 600) % 28 + 1:02d}"
    body += f"{(i // 16_800) % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def prepare(n: int, path: str) -> None:
    """Migrate, build the small county and its case desk, write the workbook of n people."""
    from django.core.management import call_command

    from wenmin.core.excel import StreamedWorkbook
    from wenmin.organisation.excel import PEOPLE
    from wenmin.testing import build_case_desk, build_small_county

    call_command("migrate", verbosity=0)
    build_case_desk(build_small_county())
    book = StreamedWorkbook()
    sheet = book.sheet(PEOPLE.title, headers=PEOPLE.headers)
    for i in range(n):
        member = i % 10 == 0
        values = {
            "姓名": f"居民{i}",
            "性别": "男" if i % 2 else "女",
            "出生年份": 1950 + i % 50,
            "手机号": f"139{i:08d}",
            "身份证号": _id_number(i),
            "居住地区划代码": "369901101201",
            "是否群众": "否" if member else "是",
            "党支部代码": "T1-B1" if member else None,
            "入党日期": "2010-07-01" if member else None,
        }
        sheet.append([values.get(header) for header in PEOPLE.headers])
    with open(path, "wb") as target:
        book.save(target)


def run_import(path: str) -> None:
    """Import as `wenmin import_excel people FILE` does; print rows and seconds."""
    from wenmin.organisation.excel import PEOPLE
    from wenmin.organisation.excel_import import check_upload, import_workbook

    started = time.perf_counter()
    with open(path, "rb") as source:
        check_upload(name=path, size=os.path.getsize(path), head=source.read(4))
        source.seek(0)
        result = import_workbook(actor=None, sheet=PEOPLE, source=source)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": result.created,
                "failed": len(result.outcome.failed),
                "s": seconds,
                "mb": peak_mb,
            }
        )
    )


def _probe(database: str, stop: threading.Event, refused: list[tuple[float, float]]) -> None:
    """Record every stretch during which BEGIN IMMEDIATE was refused at once."""
    connection = sqlite3.connect(database, timeout=0, isolation_level=None)
    since: float | None = None
    while not stop.is_set():
        now = time.monotonic()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
        except sqlite3.OperationalError:
            since = now if since is None else since
        else:
            if since is not None:
                refused.append((since, now))
                since = None
        stop.wait(PROBE_SECONDS)
    if since is not None:
        refused.append((since, time.monotonic()))


def write_meanwhile(data_dir: str, stop_file: str) -> None:
    """Probe the lock and send portal reports until `stop_file` exists; print what happened."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from wenmin.cases.models import Category

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # refusals are counted below
    database = str(settings.DATABASES["default"]["NAME"])
    category = Category.objects.get(code="water.leak")  # the small county's leaking pipe
    stop, refused = threading.Event(), []
    prober = threading.Thread(target=_probe, args=(database, stop, refused))
    prober.start()
    reports: list[dict[str, Any]] = []
    client = Client(HTTP_HOST="127.0.0.1")
    print("ready", flush=True)
    number = 0
    while not os.path.exists(stop_file):
        number += 1
        started = time.monotonic()
        try:
            response = client.post(
                reverse("portal:submit"),
                {
                    "content": f"青石村路口水管漏水三天了，请尽快修理。第{number}次",
                    "kind": "help",
                    "category": str(category.pk),
                    "extra.where": "street",
                    "requester_name": "新居民",
                    "requester_phone": f"135{number:08d}",
                },
            )
            outcome = "ok" if response.status_code == 302 else f"HTTP {response.status_code}"
        except Exception as error:  # noqa: BLE001  (a refused write is what we count)
            outcome = f"{type(error).__name__}: {error}"
        reports.append({"at": started, "s": time.monotonic() - started, "outcome": outcome})
        time.sleep(max(0.0, REPORT_SECONDS - (time.monotonic() - started)))
    stop.set()
    prober.join()
    print(json.dumps({"refused": refused, "reports": reports}))


def _child_command(data_dir: str, *args: str) -> list[str]:
    return [sys.executable, __file__, "--child", data_dir, *args]


def main() -> int:
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        _setup(sys.argv[2])
        what = sys.argv[3]
        if what == "prepare":
            prepare(int(sys.argv[4]), sys.argv[5])
        elif what == "import":
            run_import(sys.argv[4])
        else:
            write_meanwhile(sys.argv[2], sys.argv[4])
        return 0
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    with tempfile.TemporaryDirectory(prefix="wenmin-bench-") as data_dir:
        workbook = str(Path(data_dir) / "people.xlsx")
        stop_file = str(Path(data_dir) / "stop")
        started = time.perf_counter()
        subprocess.run(_child_command(data_dir, "prepare", str(n), workbook), check=True)  # noqa: S603
        size = os.path.getsize(workbook)
        print(
            f"{n:,} people written to a {size / 1e6:.1f} MB workbook in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        writer = subprocess.Popen(  # noqa: S603  (this very script)
            _child_command(data_dir, "write", stop_file), stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        writer.stdout.readline()  # "ready"
        time.sleep(2)
        import_started = time.monotonic()
        done = subprocess.run(  # noqa: S603
            _child_command(data_dir, "import", workbook), capture_output=True, text=True
        )
        import_ended = time.monotonic()
        time.sleep(2)
        Path(stop_file).touch()
        meanwhile = json.loads(writer.communicate()[0].strip().splitlines()[-1])
    if done.returncode:
        print(done.stderr)
        return 1
    result = json.loads(done.stdout.strip().splitlines()[-1])
    longest = max((end - start for start, end in meanwhile["refused"]), default=0.0)
    during = [r for r in meanwhile["reports"] if import_started <= r["at"] <= import_ended]
    failed = [r for r in during if r["outcome"] != "ok"]
    slowest = max((r["s"] for r in during), default=0.0)
    print(
        f"import: {result['rows']:,} rows imported ({result['failed']} refused) in "
        f"{result['s']:.1f} s, peak memory {result['mb']:.0f} MB"
    )
    print(
        f"write lock: longest stretch another writer was refused {longest:.2f} s "
        f"(probed every {PROBE_SECONDS * 1000:.0f} ms)"
    )
    print(
        f"portal reports sent during the import: {len(during)}, succeeded "
        f"{len(during) - len(failed)}, failed {len(failed)}; slowest {slowest:.2f} s"
    )
    for report in failed[:3]:
        print(f"  failed: {report['outcome']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
