"""A backup taken while residents keep reporting (Open311 and the portal, with photos) restores
into a fresh deployment with every case acknowledged before it started, each with its events
and its photo, and with the counts its manifest states."""

from __future__ import annotations

import json
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from wenmin.backups import archive
from wenmin.backups.tests.conftest import Scratch, portal_report, sha256
from wenmin.cases.models import Case, CaseEvent
from wenmin.channels.services import apikey_create

WRITERS = 3
PER_WRITER = 40  # a bound, so the intake stops by itself even if the test goes wrong


class Intake:
    """Writers posting reports until told to stop; every acknowledgement is recorded in order."""

    def __init__(self, desk: Any, api_key: str) -> None:
        self.desk = desk
        self.api_key = api_key
        self.acked: list[tuple[str, str, str | None]] = []  # (kind, number or code, photo's sha)
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _open311(self, client: Client, n: str) -> tuple[str, str, None]:
        body = {
            "api_key": self.api_key,
            "service_code": "water.leak",
            "attribute[where]": "street",
            "description": f"大街水管爆裂，第{n}号。",
            "lat": "28.41",
            "long": "117.61",
        }
        response = client.post(
            "/open311/v2/requests.json",
            urlencode(body),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200, response.content[:2000]
        return "open311", response.json()[0]["service_request_id"], None

    def _write(self, writer: int) -> None:
        client = Client(REMOTE_ADDR=f"127.0.0.{writer + 10}")
        try:
            for i in range(PER_WRITER):
                if self.stop.is_set():
                    break
                n = f"w{writer}-{i}"
                if i % 2:
                    ack: tuple[str, str, str | None] = self._open311(client, n)
                else:
                    ack = ("portal", *portal_report(client, self.desk, n))
                with self.lock:
                    self.acked.append(ack)
        except Exception as error:  # noqa: BLE001  (any failure is a lost report: say so)
            self.failures.append(repr(error))
        finally:
            connection.close()

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._write, args=(w,)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        return threads

    def count(self) -> int:
        with self.lock:
            return len(self.acked)

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline and not self.failures:
            time.sleep(0.01)
        assert not self.failures, self.failures
        assert self.count() >= count, "the intake stalled"


def _slow_media_listing(intake: Intake, media_files: Callable[..., Any]) -> Any:
    """Three more reports are acknowledged between the listing of the media and the writing of
    the archive. Were the media listed before the database snapshot, that snapshot would hold
    rows whose photos are not in the archive."""

    def listed(root: Path) -> Any:
        files = list(media_files(root))
        intake.wait_for(intake.count() + 3)
        return iter(files)

    return listed


@dataclass
class Restored:
    """The scratch deployment's cases by number and by tracking code, their events and files."""

    by_number: dict[str, int]
    by_code: dict[str, int]
    events: dict[int, list[tuple[int, str]]]
    files: dict[int, list[tuple[str, int]]]

    @classmethod
    def read(cls, scratch: Scratch) -> Restored:
        rows = scratch.rows("SELECT id, number, tracking_code FROM cases_case")
        events: dict[int, list[tuple[int, str]]] = {}
        for pk, case_id, action in scratch.rows(
            "SELECT id, case_id, action FROM cases_caseevent ORDER BY id"
        ):
            events.setdefault(case_id, []).append((pk, action))
        files: dict[int, list[tuple[str, int]]] = {}
        for case_id, name, size in scratch.rows("SELECT case_id, file, size FROM cases_attachment"):
            files.setdefault(case_id, []).append((name, size))
        return cls(
            by_number={number: pk for pk, number, _code in rows},
            by_code={code: pk for pk, _number, code in rows},
            events=events,
            files=files,
        )


def _manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        stream = tar.extractfile(archive.MANIFEST)
        assert stream is not None
        return json.loads(stream.read())


def _backup_under_intake(intake: Intake, output: Path) -> list[tuple[str, str, str | None]]:
    """Back up once six reports were acknowledged; those acknowledged before it started."""
    threads = intake.run()
    try:
        intake.wait_for(6)
        with intake.lock:
            before = list(intake.acked)
        call_command("backup", output=output, no_progress=True, verbosity=0)
        during = intake.count() - len(before)
    finally:
        intake.stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert not intake.failures, intake.failures
    assert during >= 3  # reports kept coming while the backup ran
    return before


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_backup_during_intake_restores_every_acknowledged_case(
    desk, settings, tmp_path, scratch: Scratch, monkeypatch
):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot have writers beside a backup; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WENMIN_PORTAL_SUBMISSIONS_PER_HOUR = 10_000
    _key, plain = apikey_create(actor=None, name="load", rate_limit_per_minute=10_000)
    intake = Intake(desk, plain)
    monkeypatch.setattr(archive, "media_files", _slow_media_listing(intake, archive.media_files))
    before = _backup_under_intake(intake, tmp_path / "backups")
    (path,) = (tmp_path / "backups").glob("wenmin-backup-*.tar")

    done = scratch.wenmin("restore", str(path), "--no-progress", "--skip-checks")

    assert done.returncode == 0, done.stderr
    manifest = _manifest(path)
    assert f"{manifest['counts']['cases']}" in done.stdout.splitlines()[0]
    assert manifest["missing_files"] == []
    assert scratch.engine.facts().counts == manifest["counts"]
    assert manifest["counts"]["cases"] >= len(before)
    audit = "SELECT actor_label FROM core_auditevent WHERE action = 'backup.restore'"
    assert scratch.rows(audit) == [("wenmin restore",)]
    restored = Restored.read(scratch)
    for kind, ident, digest in before:
        pk = (restored.by_number if kind == "open311" else restored.by_code).get(ident)
        assert pk is not None, f"{kind} {ident} was acknowledged but not restored"
        source = Case.objects.get(**{"number" if kind == "open311" else "tracking_code": ident})
        assert restored.events[pk] == list(
            CaseEvent.objects.filter(case=source).order_by("id").values_list("id", "action")
        )
        assert "intake" in {action for _pk, action in restored.events[pk]}
        if kind == "portal":
            ((name, size),) = restored.files[pk]
            data = (scratch.media_root / name).read_bytes()
            assert (len(data), sha256(data)) == (size, digest)
    # Every attachment row restored has its file, whichever side of the snapshot it came from.
    for attachments in restored.files.values():
        for name, size in attachments:
            assert (scratch.media_root / name).stat().st_size == size
