"""Third-party apps under our names in the admin (their models' words: wenmin/locale_thirdparty).

Apart from apps.py so that Django still finds CoreConfig as wenmin.core's only AppConfig.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks.backends.database.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name (its models' words: wenmin/locale_thirdparty)."""

    default = False
    verbose_name = _("Login lock-out")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks' database backend under a Chinese name."""

    default = False
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy string, as Django allows
