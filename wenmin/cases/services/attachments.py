"""Photos and documents on cases: checked by type, content and size, stored through Django storage."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wenmin.cases.models import Attachment, Case, CaseEvent

MAX_FILES = 9
MAX_BYTES = 10 * 1024 * 1024
# extension → (content type, the first bytes such a file starts with)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}


def attachments_check(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Each file with its content type, or ValidationError naming every bad file."""
    if len(files) > MAX_FILES:
        raise ValidationError(_("At most %(n)s files can be attached.") % {"n": MAX_FILES})
    checked: list[tuple[UploadedFile, str]] = []
    errors: list[str] = []
    for upload in files:
        name = upload.name or ""
        suffix = PurePath(name).suffix.lower()
        if suffix not in ALLOWED:
            errors.append(
                _("“%(name)s”: only photos (JPG, PNG, GIF, WebP), PDF, Word or Excel files.")
                % {"name": name}
            )
            continue
        if (upload.size or 0) > MAX_BYTES:
            errors.append(_("“%(name)s” is larger than 10 MB.") % {"name": name})
            continue
        content_type, magics = ALLOWED[suffix]
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in magics):
            errors.append(
                _("“%(name)s” is not really a %(suffix)s file.") % {"name": name, "suffix": suffix}
            )
            continue
        checked.append((upload, content_type))
    if errors:
        raise ValidationError(errors)
    return checked


def attachments_save(
    *, case: Case, event: CaseEvent | None, files: list[tuple[UploadedFile, str]]
) -> None:
    """Store checked files for a case (inside the caller's transaction)."""
    for upload, content_type in files:
        Attachment.objects.create(
            case=case,
            event=event,
            file=upload,
            original_name=(upload.name or "")[:255],
            content_type=content_type,
            size=upload.size or 0,
        )
