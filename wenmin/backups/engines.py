"""The database half of a backup, one class per engine: a consistent snapshot written to a file
together with the facts the manifest states about that same snapshot, and its restore into an
empty database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, with fixed arguments)
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.apps import apps
from django.db import connections, models
from django.utils.translation import gettext as _

# What the manifest counts, and what the restore compares with the restored database.
COUNTED = {
    "cases": "cases.Case",
    "events": "cases.CaseEvent",
    "attachments": "cases.Attachment",
    "users": "core.User",
    "people": "organisation.Person",
}
# A deployment holding any of these is not empty: a restore would overwrite real work.
OCCUPYING = ("cases", "users")


class BackupRefused(Exception):
    """The backup or restore cannot go on; the message says why, for the operator."""


@dataclass
class Facts:
    """What a database snapshot holds: counts, applied migrations, files its rows refer to."""

    counts: dict[str, int] = field(default_factory=dict)
    migrations: list[tuple[str, str]] = field(default_factory=list)
    files: set[str] = field(default_factory=set)


class Engine(Protocol):
    name: str
    dump_name: str

    def snapshot(self, dest: Path) -> Facts: ...
    def occupied(self) -> dict[str, int]: ...
    def restore(self, dump: IO[bytes]) -> None: ...
    def facts(self) -> Facts: ...


def _table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field, so the backup can check each file is archived."""
    return [
        (model._meta.db_table, f.column)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_facts(cursor: Any, tables: set[str]) -> Facts:
    """The facts of whatever snapshot the cursor sees; tables a migration has not made yet are
    counted as empty."""
    facts = Facts()
    for key, label in COUNTED.items():
        table = _table(label)
        if table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quoted(table)}")  # noqa: S608  (model names)
            facts.counts[key] = int(cursor.fetchone()[0])
        else:
            facts.counts[key] = 0
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        facts.migrations = [(str(app), str(name)) for app, name in cursor.fetchall()]
    for table, column in _file_columns():
        if table in tables:
            cursor.execute(
                f"SELECT {_quoted(column)} FROM {_quoted(table)} "  # noqa: S608
                f"WHERE {_quoted(column)} IS NOT NULL AND {_quoted(column)} <> ''"
            )
            facts.files.update(str(row[0]) for row in cursor.fetchall())
    return facts


def engine_for(settings_dict: dict[str, Any]) -> Engine:
    """The engine of a database's settings (Django's DATABASES entry)."""
    vendor = settings_dict["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        return SqliteEngine(settings_dict)
    if vendor == "postgresql":
        return PostgresEngine(settings_dict)
    raise BackupRefused(
        _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": vendor}
    )


class SqliteEngine:
    """SQLite: the online backup API copies the live file page by page in one step."""

    name = "sqlite"
    dump_name = "database/wenmin.sqlite3"

    def __init__(self, settings_dict: dict[str, Any]) -> None:
        self.name_setting = str(settings_dict["NAME"])
        self.in_memory = self.name_setting == ":memory:" or "mode=memory" in self.name_setting
        self.path = Path(self.name_setting)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if self.in_memory:
            # Only the test suite's in-memory database: Django's own connection is the database.
            connection = connections["default"]
            connection.ensure_connection()
            yield connection.connection
            return
        try:
            raw = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
        except sqlite3.OperationalError as error:
            raise BackupRefused(
                _("Cannot open the database %(path)s: %(error)s")
                % {"path": self.path, "error": error}
            ) from error
        try:
            yield raw
        finally:
            raw.close()

    @staticmethod
    def _tables(raw: sqlite3.Connection) -> set[str]:
        rows = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {str(row[0]) for row in rows}

    def snapshot(self, dest: Path) -> Facts:
        copy = sqlite3.connect(dest)
        try:
            with self._connect() as source:
                # One step (pages=-1): a step-wise copy starts again whenever another connection
                # commits, so under steady intake it might never finish. In WAL mode the one
                # read transaction it holds does not stop writers.
                source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            facts = _read_facts(copy.cursor(), self._tables(copy))
        finally:
            copy.close()
        return facts

    def facts(self) -> Facts:
        if not self.in_memory and not self.path.exists():
            return Facts(counts=dict.fromkeys(COUNTED, 0))
        with self._connect() as raw:
            return _read_facts(raw.cursor(), self._tables(raw))

    def occupied(self) -> dict[str, int]:
        counts = self.facts().counts
        return {key: counts[key] for key in OCCUPYING if counts[key]}

    def restore(self, dump: IO[bytes]) -> None:
        if self.in_memory:
            raise BackupRefused(_("An in-memory database cannot be restored into."))
        connections.close_all()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.restoring")
        with open(temporary, "wb") as out:
            shutil.copyfileobj(dump, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        # A write-ahead log left from the old file would be replayed into the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, self.path)


# libpq's own names for the connection options a DATABASE_URL may carry.
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class PostgresEngine:
    """PostgreSQL: pg_dump in custom format from a snapshot that this engine exports and reads
    its facts from, so the manifest describes exactly what the dump holds."""

    name = "postgresql"
    dump_name = "database/wenmin.pgdump"

    def __init__(self, settings_dict: dict[str, Any]) -> None:
        self.settings = settings_dict
        self.options = {
            k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k in _LIBPQ_ENV
        }

    def params(self) -> dict[str, Any]:
        s = self.settings
        given = {
            "dbname": s["NAME"],
            "user": s.get("USER"),
            "password": s.get("PASSWORD"),
            "host": s.get("HOST"),
            "port": s.get("PORT"),
        }
        return {k: v for k, v in {**given, **self.options}.items() if v not in (None, "")}

    def _env(self) -> dict[str, str]:
        """The connection for pg_dump and pg_restore, in their environment: a password on a
        command line is visible to every user of the machine."""
        names = {
            "dbname": "PGDATABASE",
            "user": "PGUSER",
            "password": "PGPASSWORD",
            "host": "PGHOST",
            "port": "PGPORT",
        }
        names.update(_LIBPQ_ENV)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update({names[k]: str(v) for k, v in self.params().items()})
        return env

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(**self.params())
        except psycopg.OperationalError as error:
            raise BackupRefused(
                _("Cannot connect to the database: %(error)s") % {"error": error}
            ) from error

    @staticmethod
    def _tables(cursor: Any) -> set[str]:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return {str(row[0]) for row in cursor.fetchall()}

    def _run(self, command: list[str], action: str) -> None:
        binary = shutil.which(command[0])
        if binary is None:
            raise BackupRefused(
                _("%(program)s is not installed (Debian: apt-get install postgresql-client).")
                % {"program": command[0]}
            )
        done = subprocess.run(  # noqa: S603  (fixed program, our own arguments)
            [binary, *command[1:]],
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupRefused(
                _("%(action)s failed: %(error)s")
                % {"action": action, "error": done.stderr.strip()[-2000:]}
            )

    def snapshot(self, dest: Path) -> Facts:
        with self._connect() as conn:
            # The snapshot stays valid while this transaction is open: pg_dump and our counts
            # see the same committed state.
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            cursor = conn.cursor()
            facts = _read_facts(cursor, self._tables(cursor))
            self._run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={row[0]}",
                    "--no-password",
                    f"--file={dest}",
                ],
                "pg_dump",
            )
            conn.rollback()
        return facts

    def facts(self) -> Facts:
        with self._connect() as conn:
            cursor = conn.cursor()
            return _read_facts(cursor, self._tables(cursor))

    def occupied(self) -> dict[str, int]:
        counts = self.facts().counts
        return {key: counts[key] for key in OCCUPYING if counts[key]}

    def _clear(self) -> None:
        """Drop the tables of a database with neither cases nor accounts (one that was only
        migrated), so the dump's own tables can be created."""
        with self._connect() as conn:
            cursor = conn.cursor()
            for table in sorted(self._tables(cursor)):
                cursor.execute(f"DROP TABLE IF EXISTS {_quoted(table)} CASCADE")
            conn.commit()

    def restore(self, dump: IO[bytes]) -> None:
        connections.close_all()
        self._clear()
        import tempfile

        with tempfile.NamedTemporaryFile(prefix="wenmin-restore-", suffix=".pgdump") as copy:
            shutil.copyfileobj(dump, copy, 1024 * 1024)
            copy.flush()
            self._run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--no-password",
                    f"--dbname={self.settings['NAME']}",
                    copy.name,
                ],
                "pg_restore",
            )
