"""The archive itself: a plain tar of the database dump, the media files and `manifest.json`
(last, since it holds every other member's SHA-256). Written and read as streams, one buffer
at a time, whatever the size of the files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from wenmin.backups.engines import BackupRefused

FORMAT = "wenmin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DATABASE = "database/"
CHUNK = 1024 * 1024
MANIFEST_LIMIT = 1024 * 1024 * 1024  # some 5 million files

Progress = Callable[[int], object]


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


class _Hashing(io.RawIOBase):
    """A reader that hashes and reports what passes through it."""

    def __init__(self, inner: IO[bytes], progress: Progress | None) -> None:
        self.inner = inner
        self.hash = hashlib.sha256()
        self.progress = progress

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.inner.read(size)
        self.hash.update(data)
        if self.progress is not None and data:
            self.progress(len(data))
        return data


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(name in the archive, path) of every regular file under MEDIA_ROOT, in a stable order."""
    if not root.is_dir():
        return
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield MEDIA + path.relative_to(root).as_posix(), path


def add_file(tar: tarfile.TarFile, name: str, path: Path, progress: Progress | None) -> Entry:
    """Stream one file into the archive; its size is taken once it is open, and exactly that
    many bytes are archived and hashed."""
    with open(path, "rb") as source:
        stat = os.fstat(source.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o640
        reader = _Hashing(source, progress)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return Entry(name, info.size, reader.hash.hexdigest())


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = mtime
    info.mode = 0o640
    tar.addfile(info, io.BytesIO(data))


def manifest_checksum(body: dict[str, Any]) -> str:
    """SHA-256 of the manifest's body, so an edited manifest is noticed too."""
    rest = {k: v for k, v in body.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def manifest_bytes(body: dict[str, Any]) -> bytes:
    signed = {**body, "manifest_sha256": manifest_checksum(body)}
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, indent=1).encode()


def _damaged(path: Path, detail: object) -> BackupRefused:
    return BackupRefused(
        _("%(archive)s is not a readable Wenmin backup (%(detail)s); nothing was changed.")
        % {"archive": path, "detail": detail}
    )


def open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise _damaged(path, error) from error


def read_manifest(path: Path, tar: tarfile.TarFile) -> dict[str, Any]:
    """The manifest, after checking it is one, of a format this version reads, and unedited."""
    try:
        member = tar.getmember(MANIFEST)
        stream = tar.extractfile(member)
        if stream is None:
            raise _damaged(path, _("the manifest is not a file"))
        if member.size > MANIFEST_LIMIT:
            raise _damaged(path, _("the manifest is too large"))
        body = json.loads(stream.read())
    except KeyError as error:
        raise _damaged(path, _("it has no manifest.json")) from error
    except (OSError, tarfile.TarError, EOFError, ValueError) as error:
        raise _damaged(path, error) from error
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise _damaged(path, _("manifest.json is not a Wenmin manifest"))
    if body.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            _(
                "%(archive)s has format version %(found)s; this Wenmin reads version "
                "%(known)s. Nothing was changed."
            )
            % {"archive": path, "found": body.get("format_version"), "known": FORMAT_VERSION}
        )
    if body.get("manifest_sha256") != manifest_checksum(body):
        raise _damaged(path, _("the manifest's own checksum does not match"))
    return body


def safe_name(name: str) -> bool:
    """A member name that stays inside the deployment when extracted."""
    pure = PurePosixPath(name)
    return (
        not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and name.startswith((MEDIA, DATABASE))
        and len(pure.parts) >= 2
    )


def verify(path: Path, manifest: dict[str, Any], progress: Progress | None) -> None:
    """Read every member and compare it with the manifest: same names, sizes and SHA-256, no
    member more or less. Changes nothing."""
    expected: dict[str, dict[str, Any]] = {}
    for item in manifest.get("files", []):
        name = str(item.get("name", ""))
        if not safe_name(name) or name in expected:
            raise _damaged(
                path, _("the manifest names an unsafe or repeated file: %(name)s") % {"name": name}
            )
        expected[name] = item
    seen: set[str] = set()
    tar = open_archive(path)
    try:
        for member in tar:
            if member.name == MANIFEST:
                continue
            item = expected.get(member.name)
            if item is None or member.name in seen or not member.isreg():
                raise _damaged(path, _("unexpected member %(name)s") % {"name": member.name})
            seen.add(member.name)
            stream = tar.extractfile(member)
            if stream is None:
                raise _damaged(path, member.name)
            reader = _Hashing(stream, progress)
            size = 0
            while chunk := reader.read(CHUNK):
                size += len(chunk)
            if size != item.get("size") or reader.hash.hexdigest() != item.get("sha256"):
                raise BackupRefused(
                    _(
                        "%(archive)s is damaged: %(name)s does not match its checksum in the "
                        "manifest. Nothing was changed; use another copy of the backup."
                    )
                    % {"archive": path, "name": member.name}
                )
    except (OSError, tarfile.TarError, EOFError) as error:
        raise _damaged(path, error) from error
    finally:
        tar.close()
    missing = sorted(set(expected) - seen)
    if missing:
        raise _damaged(
            path,
            _("%(count)s files of the manifest are missing, e.g. %(name)s")
            % {"count": len(missing), "name": missing[0]},
        )
