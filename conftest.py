from __future__ import annotations

import pytest

from wenmin.testing import CaseDesk, SmallCounty, build_case_desk, build_small_county


def _postgresql_flush_only_filled_tables() -> None:
    """After each transactional test (live servers, browsers, several processes) Django empties
    every table with one TRUNCATE of all of them, and PostgreSQL's TRUNCATE creates new files for
    each table: ~0.2 s for a hundred tables on an idle machine, seconds on a loaded one, paid by
    hundreds of tests. The tables are emptied the same way here, but only those that hold rows
    (one query finds them) and with DELETE, whose foreign-key checks wait for the commit (every
    foreign key Django makes is deferrable), so the order does not matter. When a table holds
    many rows (a seeded demo county), DELETE would be the slower: the original TRUNCATE of every
    table is used then, and whenever sequences are to be reset."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    many = 1000

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        def everything():  # type: ignore[no-untyped-def]
            return original(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )

        if reset_sequences or not tables:
            return everything()
        quote = self.quote_name
        tables = list(tables)
        probe = " UNION ALL ".join(
            f"SELECT {n}, (SELECT count(*) FROM (SELECT 1 FROM {quote(table)} LIMIT {many}) s)"  # noqa: S608
            f" WHERE EXISTS (SELECT 1 FROM {quote(table)})"
            for n, table in enumerate(tables)
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probe)
            filled = cursor.fetchall()
        if any(rows >= many for _n, rows in filled):
            return everything()
        return [f"DELETE FROM {quote(tables[n])};" for n, _rows in filled]  # noqa: S608

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


_postgresql_flush_only_filled_tables()


def _postgresql_commits_without_waiting_for_the_disk() -> None:
    """The test process's own connections to PostgreSQL commit without waiting for the WAL to
    reach the disk (synchronous_commit off: what is committed is seen by every other session at
    once, as before; only a crash of PostgreSQL itself could lose the last commits, which no test
    does). The servers and workers tests start keep the server's setting."""
    from django.db.backends.signals import connection_created

    def commit_without_waiting(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")

    connection_created.connect(commit_without_waiting, weak=False)


_postgresql_commits_without_waiting_for_the_disk()


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache (rate limits, cached deadline overrides)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def county(db) -> SmallCounty:  # type: ignore[no-untyped-def]
    """The small county with its named actors (see wenmin/testing.py)."""
    return build_small_county()


@pytest.fixture
def desk(county: SmallCounty) -> CaseDesk:
    """The small county plus the 12345 centre's dispatcher, categories and dispatch rules."""
    return build_case_desk(county)
