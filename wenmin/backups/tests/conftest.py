"""A scratch deployment to restore into (a new SQLite file, or a new PostgreSQL database made
here and dropped after), and the intake a backup is taken under."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from wenmin.backups.engines import Engine, PostgresEngine, engine_for

SUBMIT = reverse("portal:submit")


@dataclass
class Scratch:
    """An empty deployment: its database, its MEDIA_ROOT, and the environment naming them."""

    engine: Engine
    settings_dict: dict[str, Any]
    media_root: Path
    env: dict[str, str]

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if isinstance(self.engine, PostgresEngine):
            import psycopg

            with psycopg.connect(**self.engine.params()) as conn:
                return list(conn.execute(sql).fetchall())  # type: ignore[arg-type]
        with closing(sqlite3.connect(self.settings_dict["NAME"])) as raw:
            return raw.execute(sql).fetchall()

    def table_count(self) -> int:
        """How many tables the scratch database has (none until a restore)."""
        if isinstance(self.engine, PostgresEngine):
            sql = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
            return int(self.rows(sql)[0][0])
        if not Path(self.settings_dict["NAME"]).exists():
            return 0
        return int(self.rows("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")[0][0])

    def wenmin(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The `wenmin` command of this deployment, as an operator runs it."""
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "wenmin.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


def _postgres_url(settings_dict: dict[str, Any], name: str) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Scratch]:
    media_root = tmp_path / "restored-media"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WENMIN_TEST_SQLITE_FILE"}
    }
    env.update(WENMIN_MEDIA_ROOT=str(media_root), WENMIN_LOG_LEVEL="ERROR")
    source = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{source['NAME']}_restored"
        settings_dict = {**source, "NAME": name, "OPTIONS": {}}
        admin = PostgresEngine(source).params()
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = _postgres_url(source, name)
        try:
            yield Scratch(engine_for(settings_dict), settings_dict, media_root, env)
        finally:
            with psycopg.connect(**admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = tmp_path / "restored.sqlite3"
    settings_dict = {**source, "NAME": str(path)}
    env["WENMIN_SQLITE_PATH"] = str(path)
    yield Scratch(engine_for(settings_dict), settings_dict, media_root, env)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def photo(seed: str) -> tuple[SimpleUploadedFile, str]:
    """A small PNG-looking upload whose bytes are its own, and their SHA-256."""
    data = b"\x89PNG\r\n\x1a\n" + hashlib.sha512(seed.encode()).digest() * 8
    return SimpleUploadedFile(f"{seed}.png", data, content_type="image/png"), sha256(data)


def portal_report(client: Client, desk: Any, seed: str) -> tuple[str, str]:
    """A resident's report with a photo through the portal: (tracking code, photo's SHA-256)."""
    upload, digest = photo(seed)
    response = client.post(
        SUBMIT,
        {
            "content": f"青石村路口水管漏水，第{seed}号报告。",
            "kind": "help",
            "category": str(desk.leaking_pipe.pk),
            "extra.where": "street",
            "address": "青石村村口",
            "requester_name": "新居民",
            "requester_phone": "13511112222",
            "notice_read": "on",
            "photos": [upload],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1], digest
