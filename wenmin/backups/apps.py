from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """`wenmin backup` and `wenmin restore`: the whole deployment in one archive and back."""

    name = "wenmin.backups"
    label = "backups"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from wenmin.core import audit_labels

        audit_labels.register(
            nouns={"backup": _("Backup")},
            phrases={"backup.restore": _("Restored from a backup")},
        )
