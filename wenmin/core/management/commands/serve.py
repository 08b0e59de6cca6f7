"""`wenmin serve`: the production server, gunicorn with wenmin/gunicorn_conf.py.

This command checks the settings (Django's system checks, and in production that the static
files were collected), then replaces itself with gunicorn: the same process id, so a service
manager's SIGTERM reaches gunicorn, which stops gracefully. gunicorn starts afresh, without
Django or prometheus-client loaded in its server process: the workers load the application
after they are started, each with its own database connections.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

# HOST:PORT, [IPv6]:PORT or unix:PATH, as gunicorn takes them.
_BIND = re.compile(r"(unix:/\S+|(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)?:\d{1,5})")


def _workers(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number")) from None
    if not 1 <= number <= 256:
        raise argparse.ArgumentTypeError(_("must be between 1 and 256"))
    return number


class Command(BaseCommand):
    # The checks run in handle(), after the static files' own (a missing manifest would
    # otherwise fail the URL check with a traceback).
    requires_system_checks: list[str] = []
    help = _(
        "Serve Wenmin through gunicorn: several worker processes, static files included. "
        "SIGTERM stops it gracefully."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            help=_("HOST:PORT or unix:PATH to listen on (default: WENMIN_BIND, 127.0.0.1:8000)."),
        )
        parser.add_argument(
            "--workers",
            type=_workers,
            help=_(
                "Worker processes (default: WENMIN_WEB_WORKERS, else twice the cores plus one)."
            ),
        )

    def handle(self, *args: Any, bind: str | None, workers: int | None, **options: Any) -> None:
        if bind is not None and not _BIND.fullmatch(bind):
            raise CommandError(
                _("--bind must be HOST:PORT or unix:PATH, not %(bind)r.") % {"bind": bind}
            )
        if getattr(settings, "PRODUCTION", False):
            self._check_static_files()
        self.check()
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:wenmin.gunicorn_conf"]
        if bind:
            argv += ["--bind", bind]
        if workers:
            argv += ["--workers", str(workers)]
        # Nothing of this process survives the exec; no connection may be shared with gunicorn's.
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)  # noqa: S606  (our own interpreter, fixed arguments)

    @staticmethod
    def _check_static_files() -> None:
        try:
            staticfiles_storage.url("wenmin/app.css")
        except ValueError:
            raise CommandError(
                _(
                    "The static files are not collected: run `wenmin collectstatic --no-input` first."
                )
            ) from None
