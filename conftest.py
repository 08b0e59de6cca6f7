from __future__ import annotations

import pytest

from wenmin.testing import CaseDesk, SmallCounty, build_case_desk, build_small_county


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
