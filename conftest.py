from __future__ import annotations

import pytest

from wenmin.testing import CaseDesk, SmallCounty, build_case_desk, build_small_county


def _postgresql_flush_only_filled_tables() -> None:
    """After each transactional test (live servers, browsers, several processes) Django empties
    every table with one TRUNCATE of all of them, and PostgreSQL's TRUNCATE creates new files for
    each table: ~0.2 s for a hundred tables on an idle machine, seconds on a loaded one, paid by
    hundreds of tests. The tables are emptied the same way here, but only those that hold rows
    (one query finds them) and with DELETE, whose foreign-key checks wait for the commit (every
    foreign key Django makes is deferrable), so the order does not matter. Sequences are reset
    only when asked for, as before (the original is used then)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        if reset_sequences or not tables:
            return original(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        tables = list(tables)
        probe = " UNION ALL ".join(
            f"SELECT {n} WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 (table names)
            for n, table in enumerate(tables)
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probe)
            filled = [tables[row[0]] for row in cursor.fetchall()]
        return [f"DELETE FROM {quote(table)};" for table in filled]  # noqa: S608

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


_postgresql_flush_only_filled_tables()


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
