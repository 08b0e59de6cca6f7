"""A backup restores into an empty deployment whole; a damaged archive, a deployment in use, an
archive of another engine, of a newer Wenmin or of other keys are refused before anything
changes."""

from __future__ import annotations

import io
import json
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from wenmin.backups import archive
from wenmin.backups import services as backups
from wenmin.backups.engines import BackupRefused
from wenmin.backups.tests.conftest import Scratch, portal_report, sha256
from wenmin.cases.models import Attachment, Case, CaseEvent
from wenmin.core.models import User


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WENMIN_PORTAL_SUBMISSIONS_PER_HOUR = 1000
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def reports(client: Any, desk: Any, media: Path) -> dict[str, str]:
    """Three residents' reports with a photo each: tracking code → the photo's SHA-256."""
    return dict(portal_report(client, desk, f"r{n}") for n in range(3))


def _backup(tmp_path: Path, **options: Any) -> tuple[Path, str]:
    out = StringIO()
    with translation.override("en"):
        call_command("backup", output=tmp_path / "backups", no_progress=True, stdout=out, **options)
    (path,) = sorted((tmp_path / "backups").glob("wenmin-backup-*.tar"))
    return path, out.getvalue()


def _manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        stream = tar.extractfile(archive.MANIFEST)
        assert stream is not None
        return json.loads(stream.read())


def _rewrite(path: Path, change: Any) -> Path:
    """A copy of the archive whose manifest `change(manifest)` edited and signed again."""
    manifest = _manifest(path)
    change(manifest)
    copy = path.with_name("edited.tar")
    with tarfile.open(path) as source, tarfile.open(copy, "w", format=tarfile.PAX_FORMAT) as out:
        for member in source:
            if member.name != archive.MANIFEST:
                out.addfile(member, source.extractfile(member))
        archive.add_bytes(out, archive.MANIFEST, archive.manifest_bytes(manifest), 0)
    return copy


def _untouched(scratch: Scratch) -> bool:
    if connection.vendor == "sqlite" and Path(scratch.settings_dict["NAME"]).exists():
        return False
    return scratch.table_count() == 0 and not scratch.media_root.exists()


def _refusal(path: Path, scratch: Scratch) -> str:
    with translation.override("en"), pytest.raises(BackupRefused) as refused:
        backups.backup_restore(path=path, engine=scratch.engine, media_root=scratch.media_root)
    assert _untouched(scratch)
    return str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_deployment_with_every_case_and_photo(
    reports, media, tmp_path, scratch
):
    path, output = _backup(tmp_path)
    counts = {
        "cases": 3,
        "events": CaseEvent.objects.count(),
        "attachments": 3,
        "users": User.objects.count(),
        "people": _manifest(path)["counts"]["people"],
    }
    assert f"Backup written: {path}" in output and "Cases: 3;" in output
    manifest = _manifest(path)
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"] == counts and manifest["missing_files"] == []
    assert [m["name"] for m in manifest["files"]][0] == manifest["database"]
    stored = {m["name"]: m["sha256"] for m in manifest["files"]}
    for attachment in Attachment.objects.all():
        assert stored[f"media/{attachment.file.name}"] == sha256(attachment.file.read())

    report = backups.backup_restore(path=path, engine=scratch.engine, media_root=scratch.media_root)

    assert report.counts == counts and report.files == 3 and report.pending_migrations == []
    restored = dict(
        scratch.rows(
            "SELECT c.tracking_code, a.file FROM cases_case c "
            "JOIN cases_attachment a ON a.case_id = c.id"
        )
    )
    assert set(restored) == set(reports)
    for code, name in restored.items():
        assert sha256((scratch.media_root / name).read_bytes()) == reports[code]
    numbers = {n for (n,) in scratch.rows("SELECT number FROM cases_case")}
    assert numbers == set(Case.objects.values_list("number", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_nothing_changes(reports, tmp_path, scratch):
    path, _ = _backup(tmp_path)
    data = bytearray(path.read_bytes())
    with tarfile.open(path) as tar:
        photo = next(m for m in tar.getmembers() if m.name.startswith("media/"))
    flipped = path.with_name("flipped.tar")
    data[photo.offset_data + 20] ^= 0xFF
    flipped.write_bytes(bytes(data))
    assert "does not match its checksum" in _refusal(flipped, scratch)
    assert photo.name in _refusal(flipped, scratch)

    truncated = path.with_name("truncated.tar")
    truncated.write_bytes(path.read_bytes()[: photo.offset_data + 10])
    assert "is not a readable Wenmin backup" in _refusal(truncated, scratch)

    not_a_tar = path.with_name("notes.tar")
    not_a_tar.write_bytes(b"just some text\n" * 100)
    assert "is not a readable Wenmin backup" in _refusal(not_a_tar, scratch)

    edited = path.with_name("edited-count.tar")
    manifest = _manifest(path)
    manifest["counts"]["cases"] = 99
    with tarfile.open(path) as source, tarfile.open(edited, "w") as out:
        for member in source:
            if member.name != archive.MANIFEST:
                out.addfile(member, source.extractfile(member))
        body = json.dumps(manifest).encode()  # not signed again
        info = tarfile.TarInfo(archive.MANIFEST)
        info.size = len(body)
        out.addfile(info, io.BytesIO(body))
    assert "manifest's own checksum" in _refusal(edited, scratch)

    with translation.override("en"), pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(flipped), verify_only=True, no_progress=True)


@pytest.mark.django_db(transaction=True)
def test_a_deployment_with_cases_or_accounts_is_refused(reports, tmp_path):
    path, _ = _backup(tmp_path)
    before = (Case.objects.count(), CaseEvent.objects.count(), User.objects.count())
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("restore", str(path), no_progress=True)
    assert "This deployment is not empty (cases: 3, accounts:" in str(refused.value)
    assert (Case.objects.count(), CaseEvent.objects.count(), User.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_archives_this_deployment_cannot_take_are_refused(reports, tmp_path, scratch, settings):
    path, _ = _backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    message = _refusal(_rewrite(path, lambda m: m.update(engine=other)), scratch)
    assert f"is a backup of a {other} database" in message

    future = _rewrite(path, lambda m: m["migrations"].append(["cases", "9999_from_the_future"]))
    assert "cases.9999_from_the_future" in _refusal(future, scratch)

    settings.FIELD_ENCRYPTION_KEYS = ["bXVzdC1iZS0zMi1ieXRlcy1sb25nLWZvci1mZXJuZXQ="]
    assert "encrypted with other keys" in _refusal(path, scratch)


@pytest.mark.django_db(transaction=True)
def test_an_older_backup_is_restored_and_says_to_migrate(reports, tmp_path, scratch):
    path, _ = _backup(tmp_path)
    older = _rewrite(path, lambda m: m["migrations"].remove(["privacy", "0001_initial"]))
    report = backups.backup_restore(
        path=older, engine=scratch.engine, media_root=scratch.media_root
    )
    assert report.pending_migrations == ["privacy.0001_initial"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_leaves_no_half_archive(reports, tmp_path, monkeypatch):
    def broken(tar: Any, name: str, path: Path, progress: Any) -> Any:
        if name.startswith("media/"):
            raise OSError("disk full")
        return add_file(tar, name, path, progress)

    add_file = archive.add_file
    monkeypatch.setattr(archive, "add_file", broken)
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup", output=tmp_path / "backups", no_progress=True, stdout=StringIO())
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_the_progress_counts_every_byte_and_keep_prunes_old_archives(reports, tmp_path):
    totals: list[int] = []
    done: list[int] = []
    report = backups.backup_create(output=tmp_path / "b", total=totals.append, progress=done.append)
    manifest = _manifest(report.path)
    assert totals == [sum(m["size"] for m in manifest["files"])] and sum(done) == totals[0]

    second = backups.backup_create(output=tmp_path / "b")
    third = backups.backup_create(output=tmp_path / "b", keep=2)
    assert third.pruned == [report.path]
    assert sorted((tmp_path / "b").iterdir()) == sorted([second.path, third.path])
    with pytest.raises(CommandError):
        call_command("backup", output=tmp_path / "b", keep=0)


@pytest.mark.django_db(transaction=True)
def test_the_archive_is_readable_by_its_owner_only(reports, tmp_path):
    path, _ = _backup(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(transaction=True)
def test_verify_only_reports_a_whole_archive_and_the_backup_stays_out_of_media(
    reports, media, tmp_path
):
    path, _ = _backup(tmp_path)
    out = StringIO()
    with translation.override("en"):
        call_command("restore", str(path), verify_only=True, no_progress=True, stdout=out)
    assert f"{path} is whole: 4 files match their checksums" in out.getvalue()
    with translation.override("en"), pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", output=media / "backups", no_progress=True)
