"""Backups of a running deployment and their restore into an empty one.

The database is copied first, as one consistent snapshot; the media files after it. A file is
stored before the row that names it is committed, so every file a row of the snapshot names is
already on disk when the media are copied (a file deleted in between is listed in the manifest's
`missing_files`)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.backups import archive
from wenmin.backups.engines import BackupRefused, Engine, Facts, engine_for
from wenmin.core import crypto
from wenmin.core.audit import audit_record

PREFIX = "wenmin-backup-"
KEY_CHECK = "wenmin-backup-key-check"

Progress = Callable[[int], object]
COUNT_LABELS = {"cases": gettext_lazy("cases"), "users": gettext_lazy("accounts")}


@dataclass
class BackupReport:
    path: Path
    size: int
    counts: dict[str, int]
    files: int
    missing_files: list[str]
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreReport:
    counts: dict[str, int]
    files: int
    pending_migrations: list[str]


def default_engine() -> Engine:
    return engine_for(connections["default"].settings_dict)


def _wenmin_version() -> str:
    try:
        return metadata.version("wenmin")
    except metadata.PackageNotFoundError:
        return "unknown"


def _free_name(output: Path, moment: dt.datetime) -> Path:
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    candidate = output / f"{PREFIX}{stamp}.tar"
    number = 1
    while candidate.exists():
        number += 1
        candidate = output / f"{PREFIX}{stamp}-{number}.tar"
    return candidate


def _sync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _manifest(
    *, engine: Engine, facts: Facts, created: dt.datetime, entries: list[archive.Entry]
) -> dict[str, Any]:
    archived = {e.name[len(archive.MEDIA) :] for e in entries if e.name.startswith(archive.MEDIA)}
    return {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "wenmin_version": _wenmin_version(),
        "created_at": created.isoformat(),
        "engine": engine.name,
        "database": engine.dump_name,
        "migrations": [list(pair) for pair in facts.migrations],
        "counts": facts.counts,
        "files": [e.as_dict() for e in entries],
        "missing_files": sorted(facts.files - archived),
        # Personal data is encrypted with WENMIN_FIELD_KEYS, which the archive does not hold:
        # these let a restore tell whether the target has the keys this data needs.
        "key_check": {"field": crypto.encrypt(KEY_CHECK), "digest": crypto.digest(KEY_CHECK)},
    }


def _write_archive(
    *,
    partial: Path,
    engine: Engine,
    dump: Path,
    facts: Facts,
    media: list[tuple[str, Path]],
    created: dt.datetime,
    progress: Progress | None,
) -> dict[str, Any]:
    """The tar at `partial`, flushed to disk; returns its manifest."""
    # Readable by the service account only: the archive holds personal data.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            entries = [archive.add_file(tar, engine.dump_name, dump, progress)]
            for name, path in media:
                try:
                    entries.append(archive.add_file(tar, name, path, progress))
                except FileNotFoundError:  # deleted since the walk (a privacy sweep)
                    continue
            body = _manifest(engine=engine, facts=facts, created=created, entries=entries)
            data = archive.manifest_bytes(body)
            archive.add_bytes(tar, archive.MANIFEST, data, int(created.timestamp()))
        raw.flush()
        os.fsync(raw.fileno())
    return body


def backup_create(
    *,
    output: Path,
    keep: int | None = None,
    total: Progress | None = None,
    progress: Progress | None = None,
) -> BackupReport:
    """Write a dated archive of the database and MEDIA_ROOT into `output`, whole or not at all."""
    engine = default_engine()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    output = output.resolve()
    if output == media_root or media_root in output.parents:
        raise BackupRefused(_("The backup directory must not be inside MEDIA_ROOT."))
    output.mkdir(parents=True, exist_ok=True)
    created = timezone.now().astimezone(dt.UTC)
    final = _free_name(output, created)
    partial = output / f".{final.name}.partial"
    work = Path(tempfile.mkdtemp(prefix=".wenmin-backup-", dir=output))
    try:
        dump = work / Path(engine.dump_name).name
        facts = engine.snapshot(dump)
        media = list(archive.media_files(media_root))  # after the snapshot, see the docstring
        if total is not None:
            total(dump.stat().st_size + sum(_size(path) for _name, path in media))
        body = _write_archive(
            partial=partial,
            engine=engine,
            dump=dump,
            facts=facts,
            media=media,
            created=created,
            progress=progress,
        )
        os.replace(partial, final)
        _sync_directory(output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    report = BackupReport(
        path=final,
        size=final.stat().st_size,
        counts=facts.counts,
        files=len(body["files"]) - 1,
        missing_files=body["missing_files"],
    )
    if keep is not None:
        report.pruned = backups_prune(output=output, keep=keep)
    return report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def backups_prune(*, output: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `output`; returns those deleted."""
    archives = sorted(output.glob(f"{PREFIX}*.tar"), key=lambda p: (p.stat().st_mtime, p.name))
    doomed = archives[: max(len(archives) - keep, 0)]
    for path in doomed:
        path.unlink()
    return doomed


def _known_migrations() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(every migration this code has or replaces, those a fully migrated database has)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = set(loader.disk_migrations)
    replaced = {key for m in loader.disk_migrations.values() for key in m.replaces}
    return on_disk | replaced, on_disk


def _check_compatible(path: Path, manifest: dict[str, Any], engine: Engine) -> list[str]:
    """Refuse what this deployment cannot take; returns the migrations still to apply."""
    if manifest.get("engine") != engine.name:
        raise BackupRefused(
            _(
                "%(archive)s is a backup of a %(theirs)s database; this deployment uses "
                "%(ours)s. Restore it into a deployment of the same engine (nothing was changed)."
            )
            % {"archive": path, "theirs": manifest.get("engine"), "ours": engine.name}
        )
    known, on_disk = _known_migrations()
    applied = {(str(a), str(n)) for a, n in manifest.get("migrations", [])}
    unknown = sorted(applied - known)
    if unknown:
        raise BackupRefused(
            _(
                "%(archive)s was made by a newer Wenmin (%(version)s): this one does not know "
                "its migration %(migration)s. Install that version or a later one, then restore "
                "(nothing was changed)."
            )
            % {
                "archive": path,
                "version": manifest.get("wenmin_version"),
                "migration": ".".join(unknown[0]),
            }
        )
    check = manifest.get("key_check") or {}
    try:
        keys_match = crypto.decrypt(str(check.get("field", ""))) == KEY_CHECK
    except ValueError:
        keys_match = False
    if not keys_match or crypto.digest(KEY_CHECK) != check.get("digest"):
        raise BackupRefused(
            _(
                "The personal data in %(archive)s was encrypted with other keys: set "
                "WENMIN_FIELD_KEYS and WENMIN_DIGEST_KEY as they were when the backup was made, "
                "then restore (nothing was changed)."
            )
            % {"archive": path}
        )
    return sorted(".".join(key) for key in on_disk - applied)


def _refuse_occupied(engine: Engine) -> None:
    occupied = engine.occupied()
    if occupied:
        raise BackupRefused(
            _(
                "This deployment is not empty (%(counts)s): a restore would overwrite it. "
                "Restore into a new, empty database; nothing was changed."
            )
            % {"counts": ", ".join(f"{COUNT_LABELS[k]}: {v}" for k, v in occupied.items())}
        )


def _extract_media(tar: tarfile.TarFile, manifest: dict[str, Any], media_root: Path) -> int:
    root = media_root.resolve()
    count = 0
    for item in manifest["files"]:
        name = str(item["name"])
        if not name.startswith(archive.MEDIA):
            continue
        dest = (root / name[len(archive.MEDIA) :]).resolve()
        if root not in dest.parents:
            raise BackupRefused(_("Unsafe file name in the archive: %(name)s") % {"name": name})
        dest.parent.mkdir(parents=True, exist_ok=True)
        stream = tar.extractfile(name)
        if stream is None:
            raise BackupRefused(_("Unsafe file name in the archive: %(name)s") % {"name": name})
        temporary = dest.with_name(f".{dest.name}.restoring")
        with open(temporary, "wb") as out:
            shutil.copyfileobj(stream, out, archive.CHUNK)
        os.replace(temporary, dest)
        count += 1
    return count


def backup_verify(
    *, path: Path, total: Progress | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Check an archive against its manifest (every member's size and SHA-256); the manifest."""
    with archive.open_archive(path) as tar:
        manifest = archive.read_manifest(path, tar)
    if total is not None:
        total(sum(int(item.get("size", 0)) for item in manifest.get("files", [])))
    archive.verify(path, manifest, progress)
    return manifest


def backup_restore(
    *,
    path: Path,
    engine: Engine | None = None,
    media_root: Path | None = None,
    total: Progress | None = None,
    progress: Progress | None = None,
) -> RestoreReport:
    """Bring an archive back into an empty deployment: everything is checked before anything is
    written; the media first, the database last. Restored into this deployment's own database
    (no `engine` given) at its current migrations, the restore is recorded in the audit log."""
    own = engine is None
    engine = engine or default_engine()
    media_root = media_root or Path(settings.MEDIA_ROOT)
    with archive.open_archive(path) as tar:
        manifest = archive.read_manifest(path, tar)
    pending = _check_compatible(path, manifest, engine)
    _refuse_occupied(engine)
    backup_verify(path=path, total=total, progress=progress)
    with archive.open_archive(path) as tar:
        files = _extract_media(tar, manifest, media_root)
        stream = tar.extractfile(str(manifest["database"]))
        if stream is None:
            raise BackupRefused(_("The archive's database is not a file."))
        engine.restore(stream)
    restored = engine.facts().counts
    if restored != manifest["counts"]:
        raise BackupRefused(
            _(
                "The restored database does not hold what the manifest says: %(restored)s, not %(expected)s."
            )
            % {"restored": restored, "expected": manifest["counts"]}
        )
    if own and not pending:
        audit_record(
            actor=None,
            actor_label="wenmin restore",
            action="backup.restore",
            changes={
                "archive": path.name,
                "created_at": manifest.get("created_at"),
                "wenmin_version": manifest.get("wenmin_version"),
            },
        )
    return RestoreReport(counts=restored, files=files, pending_migrations=pending)
